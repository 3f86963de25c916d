/**
 * A course's history for the instructor's History view (ngshare-ts's v2/history, issue 14):
 * pages of events, newest first, an action filter, older pages on demand and the CSV export.
 * Students' receipts (v2/receipts) are read by the assignments model. An exchange without the v2
 * routes (ngshare 0.6) keeps no history: `supported` is false and the view says so.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { IHistoryEventRecord, INgshareClient, IReceiptRecord } from '../api';
import type { IHistoryEvent, IHistoryState, IProblem, IReceipt } from '../tokens';
import { describeProblem } from '../vocabulary/problems';
import { v2Unsupported } from './deadlines';
import { ITrans, plainTrans } from './i18n';
import { TaskRunner } from './task';

/** Events per page the view asks for. */
export const HISTORY_PAGE = 200;

export function toHistoryEvent(r: IHistoryEventRecord): IHistoryEvent {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    assignment: r.assignment_id,
    student: r.student_id,
    timestamp: r.timestamp,
    files: r.files,
    bytes: r.bytes,
    checksum: r.checksum,
    detail: r.detail
  };
}

export function toReceipt(r: IReceiptRecord): IReceipt {
  return {
    assignment: r.assignment_id,
    timestamp: r.timestamp,
    files: r.files.map(f => ({ path: f.path, size: f.size, sha256: f.sha256 })),
    bytes: r.bytes,
    checksum: r.checksum
  };
}

/** Receipts keyed `assignment\0timestamp`; empty without v2 routes. */
export async function loadReceipts(
  client: INgshareClient,
  course: string
): Promise<Map<string, IReceipt>> {
  try {
    const list = await client.listReceipts(course);
    return new Map(list.map(r => [receiptKey(r.assignment_id, r.timestamp), toReceipt(r)]));
  } catch (err) {
    if (!v2Unsupported(err)) {
      console.warn('ngshare: could not load submission receipts', err);
    }
    return new Map();
  }
}

export const receiptKey = (assignment: string, timestamp: string): string =>
  `${assignment}\u0000${timestamp}`;

export interface ICourseHistoryOptions {
  client: INgshareClient;
  trans?: ITrans;
}

export class CourseHistoryModel {
  readonly tasks = new TaskRunner();
  private _client: INgshareClient;
  private _trans: ITrans;
  private _course: string | null = null;
  private _state: IHistoryState = idle('');
  private _nextBefore: number | null = null;
  private _generation = 0;
  private _stateChanged = new Signal<this, void>(this);

  constructor(options: ICourseHistoryOptions) {
    this._client = options.client;
    this._trans = options.trans ?? plainTrans;
  }

  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }
  get course(): string | null {
    return this._course;
  }
  get state(): IHistoryState {
    return this._state;
  }

  /** Loads the newest page for the course and action ('' = every action). */
  async load(course: string | null, action = this._state.action): Promise<void> {
    const generation = ++this._generation;
    if (course !== this._course) {
      this._course = course;
      this._state = idle(action);
    }
    if (!course) {
      this._emit();
      return;
    }
    this._state = {
      ...this._state,
      action,
      section: { ...this._state.section, status: 'loading', error: null }
    };
    this._emit();
    try {
      const page = await this._client.getHistory(course, {
        action: action || undefined,
        limit: HISTORY_PAGE
      });
      if (generation !== this._generation) {
        return;
      }
      this._nextBefore = page.next_before;
      this._state = {
        supported: true,
        action,
        hasOlder: page.next_before !== null,
        section: { status: 'ready', items: page.events.map(toHistoryEvent), error: null }
      };
    } catch (err) {
      if (generation !== this._generation) {
        return;
      }
      const unsupported = v2Unsupported(err);
      this._state = {
        supported: !unsupported,
        action,
        hasOlder: false,
        section: unsupported
          ? { status: 'ready', items: [], error: null }
          : { status: 'error', items: [], error: this._problem(err) }
      };
    }
    this._emit();
  }

  /** Appends the next older page. */
  async loadOlder(): Promise<void> {
    const course = this._course;
    const before = this._nextBefore;
    if (!course || before === null) {
      return;
    }
    const generation = this._generation;
    await this.tasks.execute('history:older', async () => {
      try {
        const page = await this._client.getHistory(course, {
          action: this._state.action || undefined,
          before,
          limit: HISTORY_PAGE
        });
        if (generation !== this._generation) {
          return;
        }
        this._nextBefore = page.next_before;
        this._state = {
          ...this._state,
          hasOlder: page.next_before !== null,
          section: {
            status: 'ready',
            items: [...this._state.section.items, ...page.events.map(toHistoryEvent)],
            error: null
          }
        };
      } catch (err) {
        this._state = {
          ...this._state,
          section: { ...this._state.section, error: this._problem(err) }
        };
      }
      this._emit();
    });
  }

  /** The whole history (under the action filter) as CSV, with a file name for it. */
  async exportCsv(): Promise<{ name: string; text: string }> {
    const course = this._course;
    if (!course) {
      throw new Error('No course selected.');
    }
    return this.tasks.execute('history:export', async () => {
      const text = await this._client.historyCsv(course, {
        action: this._state.action || undefined
      });
      const safe = course.replace(/[^\w.-]+/g, '_');
      const suffix = this._state.action ? `-${this._state.action}` : '';
      return { name: `ngshare-history-${safe}${suffix}.csv`, text };
    });
  }

  private _problem(err: unknown): IProblem {
    return describeProblem(err, { trans: this._trans, audience: 'instructor' });
  }

  private _emit(): void {
    this._stateChanged.emit();
  }
}

function idle(action: string): IHistoryState {
  return {
    supported: true,
    action,
    hasOlder: false,
    section: { status: 'idle', items: [], error: null }
  };
}
