import { ISignal, Signal } from '@lumino/signaling';
import type { ISubmissionRecord } from '../api';
import { DirCache, basename, checkSegment, joinPath, mapLimit } from '../files';
import type {
  CellState,
  ILateness,
  IMatrix,
  IMatrixCell,
  IOutcome,
  IPersonRow,
  ISection
} from '../tokens';
import { localTimestamp } from '../vocabulary/time';
import { CONCURRENCY, type ICourseScope } from './course-scope';
import { type CourseDeadlinesModel, latenessKey } from './deadlines';
import { compareTimestamps } from './timestamps';

/** Latest submission per student, from a submissions list. */
export function latestPerStudent(records: readonly ISubmissionRecord[]): Map<string, string> {
  const latest = new Map<string, string>();
  for (const r of records) {
    const prev = latest.get(r.student_id);
    if (prev === undefined || compareTimestamps(r.timestamp, prev) > 0) {
      latest.set(r.student_id, r.timestamp);
    }
  }
  return latest;
}

export interface ICourseSubmissionsOptions {
  scope: ICourseScope;
  deadlines: CourseDeadlinesModel;
  /** Released assignments of the course, in the exchange's order. */
  released: () => string[];
  /** The roster's students (the matrix has a row for each, submitted or not). */
  students: () => IPersonRow[];
  /** After a collect or a feedback release: the course reloads its counts. */
  afterTransfer: () => Promise<void>;
}

const EMPTY_MATRIX: IMatrix = { assignments: [], rows: [] };

/**
 * A course's submissions for its instructors: the exchange's records per assignment, whether
 * each student's latest has feedback, the students x assignments matrix, and Collect / Release
 * feedback between the exchange and the course directory: `submitted/<s>/<a>/` (+ timestamp.txt,
 * as nbgrader's collect writes it) and `feedback/<s>/<a>/*.html`.
 */
export class CourseSubmissionsModel {
  private _records = new Map<string, ISubmissionRecord[]>();
  private _feedback = new Map<string, boolean>();
  private _matrix: ISection<IMatrix> = { status: 'idle', items: EMPTY_MATRIX, error: null };
  private _changed = new Signal<this, void>(this);
  private readonly _scope: ICourseScope;

  constructor(private readonly _options: ICourseSubmissionsOptions) {
    this._scope = _options.scope;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }
  get matrix(): ISection<IMatrix> {
    return this._matrix;
  }

  /** Forgets everything (another course is being selected). */
  clear(): void {
    this._records.clear();
    this._feedback.clear();
    this._matrix = { status: 'idle', items: EMPTY_MATRIX, error: null };
  }

  /** The exchange's submission records of each released assignment (not yet kept). */
  async fetchRecords(
    course: string,
    released: string[]
  ): Promise<Map<string, ISubmissionRecord[]>> {
    const lists = await mapLimit(released, CONCURRENCY, a =>
      this._scope.client.listSubmissions(course, a)
    );
    return new Map(released.map((a, i) => [a, lists[i]]));
  }

  setRecords(records: Map<string, ISubmissionRecord[]>): void {
    this._records = records;
  }

  records(assignment: string): ISubmissionRecord[] {
    return this._records.get(assignment) ?? [];
  }

  /** Whether the student's latest submission has feedback (undefined: not counted yet). */
  hasFeedback(assignment: string, student: string): boolean | undefined {
    return this._feedback.get(`${assignment}\u0000${student}`);
  }

  /** For every student's latest submission: is there feedback on the service? */
  async countFeedback(course: string, isCurrent: () => boolean): Promise<void> {
    const jobs: { a: string; s: string; ts: string }[] = [];
    for (const [a, records] of this._records) {
      for (const [s, ts] of latestPerStudent(records)) {
        jobs.push({ a, s, ts });
      }
    }
    await mapLimit(jobs, CONCURRENCY, async job => {
      if (!isCurrent()) {
        return;
      }
      try {
        const fb = await this._scope.client.getFeedback(course, job.a, job.s, job.ts, true);
        this._feedback.set(`${job.a}\u0000${job.s}`, fb.files.length > 0);
      } catch {
        this._feedback.set(`${job.a}\u0000${job.s}`, false);
      }
    });
  }

  /** Students on the roster without any submission of `assignment`. */
  notSubmitted(assignment: string): string[] {
    const submitted = new Set(this.records(assignment).map(r => r.student_id));
    return this._options
      .students()
      .map(s => s.username)
      .filter(s => !submitted.has(s));
  }

  /** Builds the students x assignments matrix (reads collected timestamps from disk). */
  async loadMatrix(): Promise<void> {
    let course: string;
    try {
      course = this._scope.requireCourse();
    } catch {
      return;
    }
    const { deadlines } = this._options;
    this._matrix = { ...this._matrix, status: 'loading', error: null };
    this._changed.emit();
    try {
      const released = this._options.released();
      if (deadlines.course !== course || deadlines.deadlines.status === 'idle') {
        await deadlines.load(course);
      }
      const [collected, lateness] = await Promise.all([
        this._readCollected(course),
        deadlines.lateness(released)
      ]);
      const students = new Map<string, { name: string; enrolled: boolean }>();
      for (const s of this._options.students()) {
        students.set(s.username, {
          name: [s.first_name, s.last_name].filter(x => x).join(' '),
          enrolled: true
        });
      }
      for (const a of released) {
        for (const r of this.records(a)) {
          if (!students.has(r.student_id)) {
            students.set(r.student_id, { name: '', enrolled: false });
          }
        }
      }
      const rows = [...students.entries()].map(([student, info]) => {
        const cells: Record<string, IMatrixCell> = {};
        for (const a of released) {
          const timestamps = this.records(a)
            .filter(r => r.student_id === student)
            .map(r => r.timestamp)
            .sort(compareTimestamps);
          const local = collected.get(`${a}\u0000${student}`) ?? null;
          const latest = timestamps[timestamps.length - 1] ?? null;
          let state: CellState = 'none';
          if (latest) {
            state = timestamps.length > 1 ? 'resubmitted' : 'submitted';
            if (local && compareTimestamps(local, latest) === 0) {
              state = 'collected';
            }
            if (this.hasFeedback(a, student)) {
              state = 'feedback';
            }
          }
          const marks = lateness.get(a);
          const cell: IMatrixCell = { state, timestamps, collected: local };
          if (marks) {
            cell.lateness = {};
            for (const ts of timestamps) {
              const m: ILateness | undefined = marks.get(latenessKey(student, ts));
              if (m) {
                cell.lateness[ts] = m;
              }
            }
          }
          cells[a] = cell;
        }
        return { student, name: info.name, enrolled: info.enrolled, cells };
      });
      rows.sort((x, y) => (x.student < y.student ? -1 : x.student > y.student ? 1 : 0));
      this._matrix = { status: 'ready', items: { assignments: released, rows }, error: null };
    } catch (err) {
      this._matrix = { ...this._matrix, status: 'error', error: this._scope.problem(err) };
    }
    this._changed.emit();
  }

  /** `submitted/<s>/<a>/timestamp.txt` contents, keyed `a\0s`. */
  private async _readCollected(course: string): Promise<Map<string, string>> {
    const files = this._scope.files;
    const out = new Map<string, string>();
    const root = joinPath(this._scope.courseDir(course), 'submitted');
    const students = await files.listSubdirs(root);
    await mapLimit(students, CONCURRENCY, async s => {
      const assignments = await files.listSubdirs(joinPath(root, s));
      for (const a of assignments) {
        try {
          const ts = (await files.readText(joinPath(root, s, a, 'timestamp.txt'))).trim();
          if (ts) {
            out.set(`${a}\u0000${s}`, ts);
          }
        } catch {
          // no timestamp.txt: not collected by an exchange
        }
      }
    });
    return out;
  }

  // ---------------------------------------------------------------- collect

  /**
   * Latest submission per student into `submitted/<student>/<assignment>/` plus timestamp.txt, as
   * nbgrader's collect does with `--update`: an existing copy is replaced only by a newer
   * submission. Files of an older copy that the new one lacks are removed.
   */
  async collect(assignment: string, student?: string): Promise<IOutcome[]> {
    const { client, files, tasks, trans } = this._scope;
    const course = this._scope.requireCourse();
    const key = `collect:${assignment}`;
    const outcomes = await tasks.execute(key, async () => {
      const records = await client.listSubmissions(course, assignment);
      let latest = [...latestPerStudent(records).entries()];
      if (student) {
        latest = latest.filter(([s]) => s === student);
        if (latest.length === 0) {
          return [{ student, status: 'skipped', detail: trans.__('no submission') } as IOutcome];
        }
      }
      latest.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const results: IOutcome[] = [];
      const created: DirCache = new Map();
      const haveFolder = new Set(
        await files.listSubdirs(joinPath(this._scope.courseDir(course), 'submitted'))
      );
      let done = 0;
      await mapLimit(latest, 6, async ([s, ts]) => {
        results.push(await this._collectOne(course, assignment, s, ts, created, haveFolder.has(s)));
        done += 1;
        tasks.report(key, {
          label: 'Collecting',
          done,
          total: latest.length,
          bytesDone: 0,
          bytesTotal: 0
        });
      });
      return results.sort((a, b) => (a.student < b.student ? -1 : 1));
    });
    await this._options.afterTransfer();
    return outcomes;
  }

  private async _collectOne(
    course: string,
    assignment: string,
    student: string,
    latest: string,
    created: DirCache,
    studentFolderExists: boolean
  ): Promise<IOutcome> {
    const { client, files, trans } = this._scope;
    try {
      checkSegment(student, 'student id');
      const dest = joinPath(this._scope.courseDir(course), 'submitted', student, assignment);
      let existing: string | null = null;
      if (studentFolderExists && (await files.exists(dest))) {
        try {
          existing = (await files.readText(joinPath(dest, 'timestamp.txt'))).trim();
        } catch {
          existing = '';
        }
        if (existing && compareTimestamps(existing, latest) >= 0) {
          return {
            student,
            status: 'skipped',
            detail: trans.__('no newer submission (%1)', localTimestamp(existing))
          };
        }
      }
      const sub = await client.getSubmission(course, assignment, student);
      const oldFiles = existing !== null ? (await files.listTree(dest)).files.map(f => f.path) : [];
      const result = await files.writeTree(
        dest,
        sub.files.map(f => ({ path: f.path, content: f.content ?? '' })),
        { created }
      );
      const keep = new Set([...result.written, 'timestamp.txt']);
      for (const old of oldFiles) {
        if (!keep.has(old)) {
          await files.delete(joinPath(dest, old));
        }
      }
      await files.writeText(dest, 'timestamp.txt', sub.timestamp, created);
      return existing !== null
        ? {
            student,
            status: 'updated',
            detail: `${existing ? localTimestamp(existing) : trans.__('no timestamp')} -> ${localTimestamp(sub.timestamp)}`
          }
        : { student, status: 'collected', detail: localTimestamp(sub.timestamp) };
    } catch (err) {
      return { student, status: 'failed', detail: this._scope.problem(err).summary };
    }
  }

  // ---------------------------------------------------------------- feedback

  /** Students (sorted) with a `feedback/<s>/<assignment>/` folder. */
  async feedbackStudents(assignment: string): Promise<string[]> {
    const files = this._scope.files;
    const root = joinPath(this._scope.courseDir(), 'feedback');
    const students = await files.listSubdirs(root);
    const has = await mapLimit(students, CONCURRENCY, async s =>
      (await files.listSubdirs(joinPath(root, s))).includes(assignment)
    );
    return students.filter((_, i) => has[i]);
  }

  /**
   * Uploads `feedback/<s>/<assignment>/*.html` for every student (or one), for the submission
   * named by that folder's timestamp.txt.
   */
  async releaseFeedback(assignment: string, student?: string): Promise<IOutcome[]> {
    const { tasks, trans } = this._scope;
    const course = this._scope.requireCourse();
    const key = `feedback:${assignment}`;
    const outcomes = await tasks.execute(key, async () => {
      let students = await this.feedbackStudents(assignment);
      if (student) {
        students = students.filter(s => s === student);
        if (students.length === 0) {
          return [
            { student, status: 'skipped', detail: trans.__('no feedback folder') } as IOutcome
          ];
        }
      }
      const results: IOutcome[] = [];
      let done = 0;
      await mapLimit(students, 6, async s => {
        results.push(await this._releaseFeedbackOne(course, assignment, s));
        done += 1;
        tasks.report(key, {
          label: 'Releasing feedback',
          done,
          total: students.length,
          bytesDone: 0,
          bytesTotal: 0
        });
      });
      return results.sort((a, b) => (a.student < b.student ? -1 : 1));
    });
    await this._options.afterTransfer();
    return outcomes;
  }

  private async _releaseFeedbackOne(
    course: string,
    assignment: string,
    student: string
  ): Promise<IOutcome> {
    const { client, files, trans } = this._scope;
    try {
      const dir = joinPath(this._scope.courseDir(course), 'feedback', student, assignment);
      let timestamp: string;
      try {
        timestamp = (await files.readText(joinPath(dir, 'timestamp.txt'))).trim();
      } catch {
        return { student, status: 'skipped', detail: trans.__('no timestamp.txt') };
      }
      if (!timestamp) {
        return { student, status: 'skipped', detail: trans.__('empty timestamp.txt') };
      }
      const items = (await files.listDir(dir)) ?? [];
      const html = items.filter(i => i.type !== 'directory' && i.name.endsWith('.html'));
      if (html.length === 0) {
        return { student, status: 'skipped', detail: trans.__('no .html files') };
      }
      const upload = [];
      for (const item of html) {
        upload.push({
          path: basename(item.name),
          content: await files.readBase64(joinPath(dir, item.name))
        });
      }
      await client.releaseFeedback(course, assignment, student, timestamp, upload);
      this._feedback.set(`${assignment}\u0000${student}`, true);
      return {
        student,
        status: 'released',
        detail: trans.__(
          '%1 file(s) for the submission of %2',
          upload.length,
          localTimestamp(timestamp)
        )
      };
    } catch (err) {
      return { student, status: 'failed', detail: this._scope.problem(err).summary };
    }
  }
}
