/**
 * Writes history events. Changes (release, submission, feedback, roster, deadlines) are written
 * inside the transaction that makes them, so the record and the change commit together. Reads
 * (fetch, collect, feedback fetch) change nothing: their events are queued and written in
 * batches a moment later, so the hottest download paths gain no write of their own. Queued
 * events are written on `flush()` (a history read calls it), every `flushMs`, and on close; an
 * event a crash takes with it is a read that left no trace, never a lost change.
 */
import type { Logger } from 'pino';
import type { HistoryAction, HistoryEvent } from '../domain/history';
import { formatTimestamp, type MicrosecondClock } from '../domain/timestamps';
import type { ExchangeStore } from '../store/exchange-store';

/** An event of `action` by `actor`, dated now. */
export function historyEvent(
  clock: MicrosecondClock,
  courseId: string,
  actor: string,
  action: HistoryAction,
  fields: Omit<HistoryEvent, 'course_id' | 'at' | 'actor' | 'action'> = {}
): HistoryEvent {
  return { course_id: courseId, at: formatTimestamp(clock.now()), actor, action, ...fields };
}

export interface HistoryLogOptions {
  flushMs?: number;
  /** Queue length that triggers a write at once. */
  batch?: number;
  /** Beyond this many queued events (the database is down), the oldest are dropped. */
  maxQueued?: number;
}

export class HistoryLog {
  private queue: HistoryEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dropped = 0;
  private readonly flushMs: number;
  private readonly batch: number;
  private readonly maxQueued: number;

  constructor(
    private readonly store: ExchangeStore,
    private readonly logger: Logger,
    options: HistoryLogOptions = {}
  ) {
    this.flushMs = options.flushMs ?? 250;
    this.batch = options.batch ?? 500;
    this.maxQueued = options.maxQueued ?? 100_000;
  }

  /** Inside the caller's transaction. */
  async write(tx: ExchangeStore, events: readonly HistoryEvent[]): Promise<void> {
    if (events.length > 0) {
      await tx.appendHistory(events);
    }
  }

  /** A read's event: queued, written within `flushMs`. */
  later(event: HistoryEvent): void {
    this.queue.push(event);
    if (this.queue.length > this.maxQueued) {
      this.queue.shift();
      this.dropped++;
    }
    if (this.queue.length >= this.batch) {
      void this.flush();
    } else {
      this.timer ??= setTimeout(() => void this.flush(), this.flushMs).unref();
    }
  }

  /** Writes everything queued so far; never throws (a failed batch is queued again). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(async () => {
      const events = this.queue;
      if (events.length === 0) {
        return;
      }
      this.queue = [];
      try {
        await this.store.transaction(tx => tx.appendHistory(events));
      } catch (err) {
        this.logger.warn({ err, events: events.length }, 'history: writing read events failed');
        this.queue = [...events, ...this.queue].slice(-this.maxQueued);
        this.timer ??= setTimeout(() => void this.flush(), 5 * this.flushMs).unref();
      }
      if (this.dropped > 0) {
        this.logger.warn({ dropped: this.dropped }, 'history: read events dropped');
        this.dropped = 0;
      }
    });
    return this.writing;
  }

  /** Before the pool closes: one last write, no more timers. */
  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
