/**
 * The queue of read events: written in batches, on flush and on close; a failed write keeps
 * its events for the next one instead of losing them or throwing at the caller.
 */
import pino from 'pino';
import type { HistoryEvent } from '../domain/history';
import type { ExchangeStore } from '../store/exchange-store';
import { HistoryLog } from './history-log';

/** A unit-test stand-in for the store: records appended batches, fails on demand. */
class RecordingStore {
  batches: HistoryEvent[][] = [];
  failures = 0;
  async transaction<T>(fn: (tx: RecordingStore) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async appendHistory(events: readonly HistoryEvent[]): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('database unavailable');
    }
    this.batches.push([...events]);
  }
}

const event = (n: number): HistoryEvent => ({
  course_id: 'c1',
  at: '2026-12-08 10:00:00.000000',
  actor: `stu${n}`,
  action: 'fetch'
});

describe('HistoryLog', () => {
  const silent = pino({ level: 'silent' });
  const make = (store: RecordingStore, options = {}) =>
    new HistoryLog(store as unknown as ExchangeStore, silent, options);

  it('writes queued reads in one batch on flush, and nothing when there is nothing', async () => {
    const store = new RecordingStore();
    const log = make(store, { flushMs: 60_000 });
    log.later(event(1));
    log.later(event(2));
    expect(store.batches).toEqual([]);
    await log.flush();
    expect(store.batches).toEqual([[event(1), event(2)]]);
    await log.flush();
    expect(store.batches.length).toBe(1);
  });

  it('writes a full batch without waiting for flushMs, the rest on close', async () => {
    const store = new RecordingStore();
    const log = make(store, { flushMs: 60_000, batch: 3 });
    for (let i = 0; i < 3; i++) {
      log.later(event(i));
    }
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(store.batches.map(b => b.length)).toEqual([3]);
    log.later(event(3));
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(store.batches.length).toBe(1);
    await log.close();
    expect(store.batches.map(b => b.length)).toEqual([3, 1]);
  });

  it('writes on its own after flushMs', async () => {
    const store = new RecordingStore();
    const log = make(store, { flushMs: 20 });
    log.later(event(1));
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(store.batches).toEqual([[event(1)]]);
    await log.close();
  });

  it('keeps the events of a failed write for the next one, in order', async () => {
    const store = new RecordingStore();
    store.failures = 1;
    const log = make(store, { flushMs: 60_000 });
    log.later(event(1));
    await expect(log.flush()).resolves.toBeUndefined();
    expect(store.batches).toEqual([]);
    log.later(event(2));
    await log.close();
    expect(store.batches).toEqual([[event(1), event(2)]]);
  });

  it('drops the oldest beyond maxQueued rather than growing without bound', async () => {
    const store = new RecordingStore();
    const log = make(store, { flushMs: 60_000, batch: 1000, maxQueued: 3 });
    for (let i = 0; i < 5; i++) {
      log.later(event(i));
    }
    await log.close();
    expect(store.batches).toEqual([[event(2), event(3), event(4)]]);
  });
});
