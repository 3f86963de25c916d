/**
 * Deadlines and per-student extensions (ngshare-ts's v2 routes, issue 14): loading them for a
 * student or an instructor, lateness as the exchange computes it (nbgrader's rule, at each
 * request, so a changed deadline re-marks every submission), and the instructor's edits. An
 * exchange without the v2 routes (ngshare 0.6, an older ngshare-ts) simply has no deadlines.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { IDeadlineRecord, ILatenessRecord, INgshareClient, InvalidResponseError } from '../api';
import type {
  IDeadline,
  IDeadlineError,
  ILateness,
  IProblem,
  ISection,
  IStudentDeadline
} from '../tokens';
import { describeProblem } from '../vocabulary/problems';
import { parseServerTimestamp } from '../vocabulary/time';

import { ITrans, plainTrans } from './i18n';
import { TaskRunner } from './task';

/** The exchange has no v2 routes: the proxy or the service answers 404 without its envelope. */
export function v2Unsupported(err: unknown): boolean {
  return err instanceof InvalidResponseError && err.status === 404 && !err.redirected;
}

export function toDeadline(r: IDeadlineRecord): IDeadline {
  return {
    assignment: r.assignment_id,
    due: r.due,
    hard: r.hard,
    released: r.released,
    extensions: (r.extensions ?? []).map(e => ({ student: e.student_id, due: e.due }))
  };
}

function millis(iso: string): number {
  return parseServerTimestamp(iso)?.getTime() ?? NaN;
}

/** The later of deadline and extension: an extension never shortens (the exchange's rule). */
export function effectiveDue(due: string, extension: string | null): string {
  return extension !== null && millis(extension) > millis(due) ? extension : due;
}

/** A student's view of one deadline: their own extension (the exchange sends only theirs). */
export function studentDeadline(d: IDeadline, user: string): IStudentDeadline {
  const extension = d.extensions.find(e => e.student === user)?.due ?? null;
  return {
    assignment: d.assignment,
    due: d.due,
    hard: d.hard,
    extension,
    effectiveDue: effectiveDue(d.due, extension)
  };
}

export function toLateness(r: ILatenessRecord): ILateness {
  return { late: r.late, secondsLate: r.seconds_late, due: r.due };
}

/** The deadlines of a course (students: released assignments, own extensions); [] without v2. */
export async function loadDeadlines(client: INgshareClient, course: string): Promise<IDeadline[]> {
  try {
    return (await client.listDeadlines(course)).map(toDeadline);
  } catch (err) {
    if (v2Unsupported(err)) {
      return [];
    }
    throw err;
  }
}

/** Lateness of every submission of one assignment the caller may see, keyed `student\0timestamp`. */
export async function loadLateness(
  client: INgshareClient,
  course: string,
  assignment: string
): Promise<Map<string, ILateness>> {
  const out = new Map<string, ILateness>();
  const r = await client.getDeadline(course, assignment);
  for (const s of r.submissions) {
    out.set(latenessKey(s.student_id, s.timestamp), toLateness(s));
  }
  return out;
}

export function latenessKey(student: string, timestamp: string): string {
  return `${student}\u0000${timestamp}`;
}

export interface ICourseDeadlinesOptions {
  client: INgshareClient;
  trans?: ITrans;
}

/**
 * The instructor's deadlines of one course: every deadline with every extension, and the edits.
 * An edit that fails keeps the exchange's words in `error` (the view shows them by the
 * assignment); `edited` fires after every successful edit so the matrix can re-mark lateness.
 */
export class CourseDeadlinesModel {
  readonly tasks = new TaskRunner();
  private _client: INgshareClient;
  private _trans: ITrans;
  private _course: string | null = null;
  private _deadlines: ISection<IDeadline[]> = { status: 'idle', items: [], error: null };
  private _error: IDeadlineError | null = null;
  private _stateChanged = new Signal<this, void>(this);
  private _edited = new Signal<this, string>(this);
  private _generation = 0;

  constructor(options: ICourseDeadlinesOptions) {
    this._client = options.client;
    this._trans = options.trans ?? plainTrans;
  }

  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }
  /** Fires with the assignment after a deadline or extension changed on the exchange. */
  get edited(): ISignal<this, string> {
    return this._edited;
  }
  get course(): string | null {
    return this._course;
  }
  get deadlines(): ISection<IDeadline[]> {
    return this._deadlines;
  }
  get error(): IDeadlineError | null {
    return this._error;
  }

  deadlineOf(assignment: string): IDeadline | null {
    return this._deadlines.items.find(d => d.assignment === assignment) ?? null;
  }

  /** Loads the course's deadlines (a new course drops the old ones and any error first). */
  async load(course: string | null): Promise<void> {
    const generation = ++this._generation;
    if (course !== this._course) {
      this._course = course;
      this._deadlines = { status: 'idle', items: [], error: null };
      this._error = null;
    }
    if (!course) {
      this._emit();
      return;
    }
    this._deadlines = { ...this._deadlines, status: 'loading', error: null };
    this._emit();
    try {
      const items = await loadDeadlines(this._client, course);
      if (generation === this._generation) {
        this._deadlines = { status: 'ready', items, error: null };
      }
    } catch (err) {
      if (generation === this._generation) {
        this._deadlines = { status: 'error', items: [], error: this._problem(err) };
      }
    }
    this._emit();
  }

  /** Lateness per assignment that has a deadline, keyed `student\0timestamp`. */
  async lateness(assignments: string[]): Promise<Map<string, Map<string, ILateness>>> {
    const course = this._course;
    const out = new Map<string, Map<string, ILateness>>();
    if (!course) {
      return out;
    }
    const withDeadline = assignments.filter(a => this.deadlineOf(a) !== null);
    const maps = await Promise.all(
      withDeadline.map(a => loadLateness(this._client, course, a).catch(() => null))
    );
    withDeadline.forEach((a, i) => {
      const m = maps[i];
      if (m) {
        out.set(a, m);
      }
    });
    return out;
  }

  /** Sets or changes the deadline; `due` is ISO 8601 with a zone. True when it was saved. */
  setDeadline(assignment: string, due: string, hard: boolean): Promise<boolean> {
    return this._edit(assignment, `deadline:${assignment}`, course =>
      this._client.setDeadline(course, assignment, due, hard)
    );
  }

  /** Clears the deadline (the exchange drops its extensions with it). */
  clearDeadline(assignment: string): Promise<boolean> {
    return this._edit(assignment, `deadline:${assignment}`, course =>
      this._client.clearDeadline(course, assignment)
    );
  }

  grantExtension(assignment: string, student: string, due: string): Promise<boolean> {
    return this._edit(assignment, `extension:${assignment}`, course =>
      this._client.grantExtension(course, assignment, student, due)
    );
  }

  revokeExtension(assignment: string, student: string): Promise<boolean> {
    return this._edit(assignment, `extension:${assignment}`, course =>
      this._client.revokeExtension(course, assignment, student)
    );
  }

  dismissError(): void {
    this._error = null;
    this._emit();
  }

  private async _edit(
    assignment: string,
    key: string,
    fn: (course: string) => Promise<unknown>
  ): Promise<boolean> {
    const course = this._course;
    if (!course) {
      throw new Error(this._trans.__('No course selected.'));
    }
    this._error = null;
    this._emit();
    try {
      await this.tasks.execute(key, () => fn(course));
    } catch (err) {
      this._error = { assignment, problem: this._problem(err) };
      this._emit();
      return false;
    }
    await this.load(course);
    this._edited.emit(assignment);
    return true;
  }

  private _problem(err: unknown): IProblem {
    return describeProblem(err, { trans: this._trans, audience: 'instructor' });
  }

  private _emit(): void {
    this._stateChanged.emit();
  }
}
