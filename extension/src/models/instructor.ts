import { ISignal, Signal } from '@lumino/signaling';
import {
  INgshareClient,
  IPerson,
  ISubmissionRecord,
  IVersionChangesRecord,
  ResponseError
} from '../api';
import { IPersonInfo } from '../api/client';
import { ContentsBridge, DirCache, basename, checkSegment, joinPath, mapLimit } from '../files';
import {
  CellState,
  DEFAULT_SETTINGS,
  IImportPreview,
  IImportResult,
  IInstructorAssignment,
  IMatrix,
  IMatrixCell,
  INgshareSettings,
  IOutcome,
  IPersonRow,
  ILateness,
  IRoster,
  IRosterChanges,
  ISection
} from '../tokens';
import { previewImport, parseRosterCsv } from './csv';
import { ITrans, plainTrans } from './i18n';
import { describeProblem } from '../vocabulary/problems';
import { localTimestamp } from '../vocabulary/time';
import { TaskRunner } from './task';
import { compareTimestamps, latestTimestamp } from './timestamps';
import { CourseDeadlinesModel, latenessKey } from './deadlines';
import { CourseHistoryModel } from './history';
import { loadRosterGroups, toRosterChanges } from './roster-groups';

export interface IInstructorModelOptions {
  client: INgshareClient;
  files: ContentsBridge;
  user: string;
  settings?: () => INgshareSettings;
  trans?: ITrans;
}

/** What an unrelease / forced re-release will delete on the service. */
export interface IDeletionImpact {
  course: string;
  assignment: string;
  submissions: number;
  students: number;
}

const CONCURRENCY = 4;

function personRow(p: IPerson): IPersonRow {
  return {
    username: p.username,
    first_name: p.first_name ?? '',
    last_name: p.last_name ?? '',
    email: p.email ?? ''
  };
}

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

/**
 * The instructor's side of one course: assignments (released and local), submissions, the
 * students x assignments matrix, Release / Unrelease / Collect / Release feedback, and the roster.
 * Files live in the course directory (setting `courseDirectory`, `{course}` replaced):
 * `release/<a>/`, `submitted/<s>/<a>/` (+ timestamp.txt), `feedback/<s>/<a>/*.html`.
 */
export class InstructorModel {
  readonly tasks = new TaskRunner();
  /** The course's deadlines and extensions (loaded with the course; see models/deadlines.ts). */
  readonly deadlines: CourseDeadlinesModel;
  /** The course's history (loaded when the History view opens; see models/history.ts). */
  readonly history: CourseHistoryModel;
  private _client: INgshareClient;
  private _files: ContentsBridge;
  private _user: string;
  private _settings: () => INgshareSettings;
  private _trans: ITrans;
  private _course: string | null = null;
  private _assignments: ISection<IInstructorAssignment[]> = {
    status: 'idle',
    items: [],
    error: null
  };
  private _roster: ISection<IRoster> = {
    status: 'idle',
    items: { students: [], instructors: [] },
    error: null
  };
  private _matrix: ISection<IMatrix> = {
    status: 'idle',
    items: { assignments: [], rows: [] },
    error: null
  };
  private _localReleases: string[] = [];
  private _submissions = new Map<string, ISubmissionRecord[]>();
  private _feedback = new Map<string, boolean>();
  private _stateChanged = new Signal<this, void>(this);
  private _generation = 0;

  constructor(options: IInstructorModelOptions) {
    this._client = options.client;
    this._files = options.files;
    this._user = options.user;
    this._settings = options.settings ?? (() => DEFAULT_SETTINGS);
    this._trans = options.trans ?? plainTrans;
    this.deadlines = new CourseDeadlinesModel({ client: this._client, trans: this._trans });
    this.history = new CourseHistoryModel({ client: this._client, trans: this._trans });
    // lateness is the exchange's, computed at each request: re-mark after every edit
    this.deadlines.edited.connect(() => {
      if (this._matrix.status !== 'idle') {
        void this.loadMatrix();
      }
    });
  }

  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }
  get course(): string | null {
    return this._course;
  }
  get user(): string {
    return this._user;
  }
  get assignments(): ISection<IInstructorAssignment[]> {
    return this._assignments;
  }
  get roster(): ISection<IRoster> {
    return this._roster;
  }
  get matrix(): ISection<IMatrix> {
    return this._matrix;
  }
  /** Assignment folders found in `<course dir>/release/`. */
  get localReleases(): string[] {
    return this._localReleases;
  }

  /** The course directory, relative to the Jupyter root. */
  courseDir(course: string | null = this._course): string {
    if (!course) {
      throw new Error(this._trans.__('No course selected.'));
    }
    checkSegment(course, 'course id');
    const s = this._settings();
    const override = s.courseDirectories?.[course];
    const template = override ?? s.courseDirectory ?? '{course}';
    return joinPath(template.split('{course}').join(course));
  }

  async setCourse(course: string | null): Promise<void> {
    if (course === this._course) {
      return;
    }
    this._course = course;
    this._submissions.clear();
    this._feedback.clear();
    this._matrix = { status: 'idle', items: { assignments: [], rows: [] }, error: null };
    this._emit();
    await this.refresh();
  }

  /** Reloads assignments (with submission counts) and the roster; feedback counts follow. */
  async refresh(): Promise<void> {
    const course = this._course;
    const generation = ++this._generation;
    if (!course) {
      return;
    }
    this._assignments = { ...this._assignments, status: 'loading', error: null };
    this._roster = { ...this._roster, status: 'loading', error: null };
    this._emit();
    await Promise.all([
      this._loadAssignments(course, generation),
      this._loadRoster(course, generation),
      this.deadlines.load(course)
    ]);
    if (generation === this._generation) {
      void this._countFeedback(course, generation);
      if (this._matrix.status !== 'idle') {
        void this.loadMatrix();
      }
      // an open History view shows what the refresh's actions recorded
      if (this.history.course === course && this.history.state.section.status !== 'idle') {
        void this.history.load(course);
      }
    }
  }

  private async _loadAssignments(course: string, generation: number): Promise<void> {
    try {
      const [released, local] = await Promise.all([
        this._client.listAssignments(course),
        this._files.listSubdirs(joinPath(this.courseDir(course), 'release'))
      ]);
      const submissions = await mapLimit(released, CONCURRENCY, a =>
        this._client.listSubmissions(course, a)
      );
      if (generation !== this._generation) {
        return;
      }
      this._localReleases = local;
      this._submissions.clear();
      released.forEach((a, i) => this._submissions.set(a, submissions[i]));
      const names = [...released, ...local.filter(a => !released.includes(a))];
      this._assignments = {
        status: 'ready',
        items: names.map(a => this._assignmentRow(a, released.includes(a), local.includes(a))),
        error: null
      };
    } catch (err) {
      if (generation !== this._generation) {
        return;
      }
      this._assignments = { status: 'error', items: [], error: this._problem(err) };
    }
    this._emit();
  }

  private _assignmentRow(a: string, released: boolean, local: boolean): IInstructorAssignment {
    const records = this._submissions.get(a) ?? [];
    const latest = latestPerStudent(records);
    let feedbackCount: number | null = null;
    if (released) {
      let counted = 0;
      let known = true;
      for (const student of latest.keys()) {
        const v = this._feedback.get(`${a}\u0000${student}`);
        if (v === undefined) {
          known = false;
        } else if (v) {
          counted += 1;
        }
      }
      feedbackCount = known ? counted : null;
    }
    return {
      assignment: a,
      released,
      local,
      submissionCount: records.length,
      studentsSubmitted: latest.size,
      lastSubmission: latestTimestamp(records.map(r => r.timestamp)),
      feedbackCount: released ? feedbackCount : 0
    };
  }

  private _rebuildRows(): void {
    if (this._assignments.status !== 'ready') {
      return;
    }
    this._assignments = {
      ...this._assignments,
      items: this._assignments.items.map(r =>
        this._assignmentRow(r.assignment, r.released, r.local)
      )
    };
  }

  /** For every student's latest submission: is there feedback on the service? */
  private async _countFeedback(course: string, generation: number): Promise<void> {
    const jobs: { a: string; s: string; ts: string }[] = [];
    for (const [a, records] of this._submissions) {
      for (const [s, ts] of latestPerStudent(records)) {
        jobs.push({ a, s, ts });
      }
    }
    await mapLimit(jobs, CONCURRENCY, async job => {
      if (generation !== this._generation) {
        return;
      }
      try {
        const fb = await this._client.getFeedback(course, job.a, job.s, job.ts, true);
        this._feedback.set(`${job.a}\u0000${job.s}`, fb.files.length > 0);
      } catch {
        this._feedback.set(`${job.a}\u0000${job.s}`, false);
      }
    });
    if (generation === this._generation) {
      this._rebuildRows();
      this._emit();
    }
  }

  private async _loadRoster(course: string, generation: number): Promise<void> {
    try {
      const [students, instructors, groups] = await Promise.all([
        this._client.listStudents(course),
        this._client.listInstructors(course),
        // a hint beside the roster: if it cannot be read, the roster still shows
        loadRosterGroups(this._client, course).catch(() => undefined)
      ]);
      if (generation !== this._generation) {
        return;
      }
      this._roster = {
        status: 'ready',
        items: {
          students: students.map(personRow),
          instructors: instructors.map(personRow),
          groups
        },
        error: null
      };
    } catch (err) {
      if (generation !== this._generation) {
        return;
      }
      this._roster = {
        status: 'error',
        items: { students: [], instructors: [] },
        error: this._problem(err)
      };
    }
    this._emit();
  }

  /** Builds the students x assignments matrix (reads collected timestamps from disk). */
  async loadMatrix(): Promise<void> {
    const course = this._course;
    if (!course) {
      return;
    }
    this._matrix = { ...this._matrix, status: 'loading', error: null };
    this._emit();
    try {
      const released = this._assignments.items.filter(a => a.released).map(a => a.assignment);
      if (this.deadlines.course !== course || this.deadlines.deadlines.status === 'idle') {
        await this.deadlines.load(course);
      }
      const [collected, lateness] = await Promise.all([
        this._readCollected(course),
        this.deadlines.lateness(released)
      ]);
      const students = new Map<string, { name: string; enrolled: boolean }>();
      for (const s of this._roster.items.students) {
        students.set(s.username, {
          name: [s.first_name, s.last_name].filter(x => x).join(' '),
          enrolled: true
        });
      }
      for (const a of released) {
        for (const r of this._submissions.get(a) ?? []) {
          if (!students.has(r.student_id)) {
            students.set(r.student_id, { name: '', enrolled: false });
          }
        }
      }
      const rows = [...students.entries()].map(([student, info]) => {
        const cells: Record<string, IMatrixCell> = {};
        for (const a of released) {
          const timestamps = (this._submissions.get(a) ?? [])
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
            if (this._feedback.get(`${a}\u0000${student}`)) {
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
      this._matrix = { ...this._matrix, status: 'error', error: this._problem(err) };
    }
    this._emit();
  }

  /** `submitted/<s>/<a>/timestamp.txt` contents, keyed `a\0s`. */
  private async _readCollected(course: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const root = joinPath(this.courseDir(course), 'submitted');
    const students = await this._files.listSubdirs(root);
    await mapLimit(students, CONCURRENCY, async s => {
      const assignments = await this._files.listSubdirs(joinPath(root, s));
      for (const a of assignments) {
        try {
          const ts = (await this._files.readText(joinPath(root, s, a, 'timestamp.txt'))).trim();
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

  /** Students on the roster without any submission of `assignment`. */
  notSubmitted(assignment: string): string[] {
    const submitted = new Set((this._submissions.get(assignment) ?? []).map(r => r.student_id));
    return this._roster.items.students.map(s => s.username).filter(s => !submitted.has(s));
  }

  // ---------------------------------------------------------------- release / unrelease

  /** Uploads `<course dir>/release/<assignment>/` (all files, nested folders included). */
  /**
   * Publishes `release/<assignment>/` as the assignment's next version (ngshare-ts v2): nothing
   * on the exchange is deleted; students who fetch get the new files. Resolves with the changes.
   */
  async publishVersion(assignment: string): Promise<IVersionChangesRecord> {
    const course = this._requireCourse();
    checkSegment(assignment, 'assignment id');
    const key = `release:${assignment}`;
    const changes = await this.tasks.execute(key, async () => {
      const dir = joinPath(this.courseDir(course), 'release', assignment);
      const tree = await this._files.listTree(dir, ['.ipynb_checkpoints', '__pycache__']);
      const upload = [];
      for (const f of tree.files) {
        upload.push({ path: f.path, content: await this._files.readBase64(joinPath(dir, f.path)) });
      }
      return this._client.publishVersion(course, assignment, upload);
    });
    await this.refresh();
    return changes;
  }

  async release(assignment: string, options: { force?: boolean } = {}): Promise<number> {
    const course = this._requireCourse();
    checkSegment(assignment, 'assignment id');
    const key = `release:${assignment}`;
    const count = await this.tasks.execute(key, async () => {
      const dir = joinPath(this.courseDir(course), 'release', assignment);
      const tree = await this._files.listTree(dir, ['.ipynb_checkpoints', '__pycache__']);
      const total = tree.files.reduce((n, f) => n + f.size, 0);
      let bytesDone = 0;
      const upload = [];
      for (const [i, f] of tree.files.entries()) {
        upload.push({ path: f.path, content: await this._files.readBase64(joinPath(dir, f.path)) });
        bytesDone += f.size;
        this.tasks.report(key, {
          label: 'Reading',
          done: i + 1,
          total: tree.files.length,
          bytesDone,
          bytesTotal: total
        });
      }
      if (options.force) {
        try {
          await this._client.deleteAssignment(course, assignment);
        } catch (err) {
          if (!(err instanceof ResponseError && err.isNotFound)) {
            throw err;
          }
        }
      }
      this.tasks.report(key, {
        label: 'Uploading',
        done: tree.files.length,
        total: tree.files.length,
        bytesDone,
        bytesTotal: total
      });
      await this._client.releaseAssignment(course, assignment, upload);
      return upload.length;
    });
    await this.refresh();
    return count;
  }

  /** Counts what deleting the assignment on the service would destroy. */
  async deletionImpact(assignment: string): Promise<IDeletionImpact> {
    const course = this._requireCourse();
    const records = await this._client.listSubmissions(course, assignment).catch(err => {
      if (err instanceof ResponseError && err.isNotFound) {
        return [];
      }
      throw err;
    });
    return {
      course,
      assignment,
      submissions: records.length,
      students: new Set(records.map(r => r.student_id)).size
    };
  }

  /** Deletes the assignment on the service: ngshare also deletes its submissions and feedback. */
  async unrelease(assignment: string): Promise<void> {
    const course = this._requireCourse();
    await this.tasks.execute(`unrelease:${assignment}`, () =>
      this._client.deleteAssignment(course, assignment)
    );
    await this.refresh();
  }

  // ---------------------------------------------------------------- collect

  /**
   * Latest submission per student into `submitted/<student>/<assignment>/` plus timestamp.txt, as
   * nbgrader's collect does with `--update`: an existing copy is replaced only by a newer
   * submission. Files of an older copy that the new one lacks are removed.
   */
  async collect(assignment: string, student?: string): Promise<IOutcome[]> {
    const course = this._requireCourse();
    const key = `collect:${assignment}`;
    const outcomes = await this.tasks.execute(key, async () => {
      const records = await this._client.listSubmissions(course, assignment);
      let latest = [...latestPerStudent(records).entries()];
      if (student) {
        latest = latest.filter(([s]) => s === student);
        if (latest.length === 0) {
          return [
            { student, status: 'skipped', detail: this._trans.__('no submission') } as IOutcome
          ];
        }
      }
      latest.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const results: IOutcome[] = [];
      const created: DirCache = new Map();
      const haveFolder = new Set(
        await this._files.listSubdirs(joinPath(this.courseDir(course), 'submitted'))
      );
      let done = 0;
      await mapLimit(latest, 6, async ([s, ts]) => {
        results.push(await this._collectOne(course, assignment, s, ts, created, haveFolder.has(s)));
        done += 1;
        this.tasks.report(key, {
          label: 'Collecting',
          done,
          total: latest.length,
          bytesDone: 0,
          bytesTotal: 0
        });
      });
      return results.sort((a, b) => (a.student < b.student ? -1 : 1));
    });
    await this.refresh();
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
    try {
      checkSegment(student, 'student id');
      const dest = joinPath(this.courseDir(course), 'submitted', student, assignment);
      let existing: string | null = null;
      if (studentFolderExists && (await this._files.exists(dest))) {
        try {
          existing = (await this._files.readText(joinPath(dest, 'timestamp.txt'))).trim();
        } catch {
          existing = '';
        }
        if (existing && compareTimestamps(existing, latest) >= 0) {
          return {
            student,
            status: 'skipped',
            detail: this._trans.__('no newer submission (%1)', localTimestamp(existing))
          };
        }
      }
      const sub = await this._client.getSubmission(course, assignment, student);
      const oldFiles =
        existing !== null ? (await this._files.listTree(dest)).files.map(f => f.path) : [];
      const result = await this._files.writeTree(
        dest,
        sub.files.map(f => ({ path: f.path, content: f.content ?? '' })),
        { created }
      );
      const keep = new Set([...result.written, 'timestamp.txt']);
      for (const old of oldFiles) {
        if (!keep.has(old)) {
          await this._files.delete(joinPath(dest, old));
        }
      }
      await this._files.writeText(dest, 'timestamp.txt', sub.timestamp, created);
      return existing !== null
        ? {
            student,
            status: 'updated',
            detail: `${existing ? localTimestamp(existing) : this._trans.__('no timestamp')} -> ${localTimestamp(sub.timestamp)}`
          }
        : { student, status: 'collected', detail: localTimestamp(sub.timestamp) };
    } catch (err) {
      return { student, status: 'failed', detail: this._failure(err) };
    }
  }

  // ---------------------------------------------------------------- feedback

  /** Students (sorted) with a `feedback/<s>/<assignment>/` folder. */
  async feedbackStudents(assignment: string): Promise<string[]> {
    const root = joinPath(this.courseDir(), 'feedback');
    const students = await this._files.listSubdirs(root);
    const has = await mapLimit(students, CONCURRENCY, async s =>
      (await this._files.listSubdirs(joinPath(root, s))).includes(assignment)
    );
    return students.filter((_, i) => has[i]);
  }

  /**
   * Uploads `feedback/<s>/<assignment>/*.html` for every student (or one), for the submission
   * named by that folder's timestamp.txt.
   */
  async releaseFeedback(assignment: string, student?: string): Promise<IOutcome[]> {
    const course = this._requireCourse();
    const key = `feedback:${assignment}`;
    const outcomes = await this.tasks.execute(key, async () => {
      let students = await this.feedbackStudents(assignment);
      if (student) {
        students = students.filter(s => s === student);
        if (students.length === 0) {
          return [
            { student, status: 'skipped', detail: this._trans.__('no feedback folder') } as IOutcome
          ];
        }
      }
      const results: IOutcome[] = [];
      let done = 0;
      await mapLimit(students, 6, async s => {
        results.push(await this._releaseFeedbackOne(course, assignment, s));
        done += 1;
        this.tasks.report(key, {
          label: 'Releasing feedback',
          done,
          total: students.length,
          bytesDone: 0,
          bytesTotal: 0
        });
      });
      return results.sort((a, b) => (a.student < b.student ? -1 : 1));
    });
    await this.refresh();
    return outcomes;
  }

  private async _releaseFeedbackOne(
    course: string,
    assignment: string,
    student: string
  ): Promise<IOutcome> {
    try {
      const dir = joinPath(this.courseDir(course), 'feedback', student, assignment);
      let timestamp: string;
      try {
        timestamp = (await this._files.readText(joinPath(dir, 'timestamp.txt'))).trim();
      } catch {
        return { student, status: 'skipped', detail: this._trans.__('no timestamp.txt') };
      }
      if (!timestamp) {
        return { student, status: 'skipped', detail: this._trans.__('empty timestamp.txt') };
      }
      const items = (await this._files.listDir(dir)) ?? [];
      const html = items.filter(i => i.type !== 'directory' && i.name.endsWith('.html'));
      if (html.length === 0) {
        return { student, status: 'skipped', detail: this._trans.__('no .html files') };
      }
      const files = [];
      for (const item of html) {
        files.push({
          path: basename(item.name),
          content: await this._files.readBase64(joinPath(dir, item.name))
        });
      }
      await this._client.releaseFeedback(course, assignment, student, timestamp, files);
      this._feedback.set(`${assignment}\u0000${student}`, true);
      return {
        student,
        status: 'released',
        detail: this._trans.__(
          '%1 file(s) for the submission of %2',
          files.length,
          localTimestamp(timestamp)
        )
      };
    } catch (err) {
      return { student, status: 'failed', detail: this._failure(err) };
    }
  }

  // ---------------------------------------------------------------- roster

  async saveStudent(username: string, info: IPersonInfo): Promise<void> {
    const course = this._requireCourse();
    checkSegment(username, 'student id');
    await this.tasks.execute(`student:${username}`, () =>
      this._client.addStudent(course, username, info)
    );
    await this._loadRoster(course, this._generation);
  }

  async removeStudent(username: string): Promise<void> {
    const course = this._requireCourse();
    await this.tasks.execute(`student:${username}`, () =>
      this._client.removeStudent(course, username)
    );
    await this._loadRoster(course, this._generation);
  }

  async saveInstructor(username: string, info: IPersonInfo): Promise<void> {
    const course = this._requireCourse();
    checkSegment(username, 'instructor id');
    await this.tasks.execute(`instructor:${username}`, () =>
      this._client.addInstructor(course, username, info)
    );
    await this._loadRoster(course, this._generation);
  }

  async removeInstructor(username: string): Promise<void> {
    const course = this._requireCourse();
    await this.tasks.execute(`instructor:${username}`, () =>
      this._client.removeInstructor(course, username)
    );
    await this._loadRoster(course, this._generation);
  }

  /**
   * Makes the roster follow hub groups and syncs it (`studentGroup` '' keeps students by hand;
   * the exchange lets only admins name an instructor group). Resolves with what changed.
   */
  async followGroups(studentGroup: string, instructorGroup?: string): Promise<IRosterChanges> {
    const course = this._requireCourse();
    const changes = await this.tasks.execute('groups', () =>
      this._client.followRosterGroups(course, { studentGroup, instructorGroup })
    );
    await this._loadRoster(course, this._generation);
    return toRosterChanges(changes);
  }

  async syncGroups(): Promise<IRosterChanges> {
    const course = this._requireCourse();
    const changes = await this.tasks.execute('groups', () => this._client.syncRosterGroups(course));
    await this._loadRoster(course, this._generation);
    return toRosterChanges(changes);
  }

  /** Stops following; the roster stays as it is. */
  async unfollowGroups(): Promise<void> {
    const course = this._requireCourse();
    await this.tasks.execute('groups', () => this._client.unfollowRosterGroups(course));
    await this._loadRoster(course, this._generation);
  }

  /** Parses a roster CSV and compares it with the current student list. */
  previewCsv(text: string, removeMissing: boolean): IImportPreview {
    const rows = parseRosterCsv(text, this._trans);
    return previewImport(
      rows,
      this._roster.items.students,
      this._roster.items.instructors,
      removeMissing,
      this._trans
    );
  }

  /** Applies a preview: one bulk add/update, then one delete per removal. Per-row results. */
  async applyImport(preview: IImportPreview): Promise<IImportResult[]> {
    const course = this._requireCourse();
    const results = await this.tasks.execute('import', async () => {
      const out: IImportResult[] = [];
      const upserts = [...preview.adds, ...preview.updates];
      if (upserts.length > 0) {
        const status = await this._client.addStudents(
          course,
          upserts.map(r => ({
            username: r.student_id,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email
          }))
        );
        upserts.forEach((row, i) => {
          const st = status[i];
          out.push({
            student: row.student_id,
            action: i < preview.adds.length ? 'add' : 'update',
            success: !!st?.success,
            message: st
              ? st.success
                ? this._trans.__('ok')
                : (st.message ?? this._trans.__('failed'))
              : this._trans.__('no answer for this row')
          });
        });
      }
      for (const username of preview.removals) {
        try {
          await this._client.removeStudent(course, username);
          out.push({
            student: username,
            action: 'remove',
            success: true,
            message: this._trans.__('ok')
          });
        } catch (err) {
          out.push({
            student: username,
            action: 'remove',
            success: false,
            message: this._failure(err)
          });
        }
      }
      return out;
    });
    await this._loadRoster(course, this._generation);
    return results;
  }

  private _requireCourse(): string {
    if (!this._course) {
      throw new Error(this._trans.__('No course selected.'));
    }
    return this._course;
  }

  private _problem(err: unknown) {
    return describeProblem(err, { trans: this._trans, audience: 'instructor' });
  }

  /** A failure of one student's collect / feedback, in words (the summary of the problem). */
  private _failure(err: unknown): string {
    return this._problem(err).summary;
  }

  private _emit(): void {
    this._stateChanged.emit();
  }
}
