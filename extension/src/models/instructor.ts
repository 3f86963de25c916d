import { ISignal, Signal } from '@lumino/signaling';
import { INgshareClient, IVersionChangesRecord, ResponseError } from '../api';
import { ContentsBridge, checkSegment, joinPath } from '../files';
import {
  DEFAULT_SETTINGS,
  IInstructorAssignment,
  INgshareSettings,
  IProblem,
  ISection
} from '../tokens';
import type { ICourseScope } from './course-scope';
import { ITrans, plainTrans } from './i18n';
import { describeProblem } from '../vocabulary/problems';
import { TaskRunner } from './task';
import { latestTimestamp } from './timestamps';
import { CourseDeadlinesModel } from './deadlines';
import { CourseHistoryModel } from './history';
import { CourseRosterModel } from './roster';
import { CourseSubmissionsModel, latestPerStudent } from './submissions';

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

/**
 * The instructor's side of one course. This model holds the course selection and its
 * assignments (released and local: Release, New version, Unrelease); each other concern has its
 * own model, loaded with the course: `roster` (models/roster.ts), `submissions` with the matrix,
 * Collect and Release feedback (models/submissions.ts), `deadlines` (models/deadlines.ts) and
 * `history` (models/history.ts). Files live in the course directory (setting `courseDirectory`,
 * `{course}` replaced): `release/<a>/`, `submitted/<s>/<a>/`, `feedback/<s>/<a>/*.html`.
 */
export class InstructorModel {
  readonly tasks = new TaskRunner();
  /** Students, instructors, hub groups, CSV import. */
  readonly roster: CourseRosterModel;
  /** Submission records, feedback counts, the matrix, Collect and Release feedback. */
  readonly submissions: CourseSubmissionsModel;
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
  private _localReleases: string[] = [];
  private _stateChanged = new Signal<this, void>(this);
  private _generation = 0;

  constructor(options: IInstructorModelOptions) {
    this._client = options.client;
    this._files = options.files;
    this._user = options.user;
    this._settings = options.settings ?? (() => DEFAULT_SETTINGS);
    this._trans = options.trans ?? plainTrans;
    const scope: ICourseScope = {
      client: this._client,
      files: this._files,
      trans: this._trans,
      tasks: this.tasks,
      requireCourse: () => this._requireCourse(),
      courseDir: course => this.courseDir(course),
      problem: err => this._problem(err)
    };
    this.deadlines = new CourseDeadlinesModel({ client: this._client, trans: this._trans });
    this.history = new CourseHistoryModel({ client: this._client, trans: this._trans });
    this.roster = new CourseRosterModel(scope);
    this.submissions = new CourseSubmissionsModel({
      scope,
      deadlines: this.deadlines,
      released: () => this._assignments.items.filter(a => a.released).map(a => a.assignment),
      students: () => this.roster.students,
      afterTransfer: () => this.refresh()
    });
    this.roster.changed.connect(() => this._emit());
    this.submissions.changed.connect(() => this._emit());
    // lateness is the exchange's, computed at each request: re-mark after every edit
    this.deadlines.edited.connect(() => {
      if (this.submissions.matrix.status !== 'idle') {
        void this.submissions.loadMatrix();
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
    this.submissions.clear();
    this.roster.clear();
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
    this.roster.markLoading();
    this._emit();
    await Promise.all([
      this._loadAssignments(course, generation),
      this.roster.load(course),
      this.deadlines.load(course)
    ]);
    if (generation === this._generation) {
      void this._countFeedback(course, generation);
      if (this.submissions.matrix.status !== 'idle') {
        void this.submissions.loadMatrix();
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
      const records = await this.submissions.fetchRecords(course, released);
      if (generation !== this._generation) {
        return;
      }
      this._localReleases = local;
      this.submissions.setRecords(records);
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
    const records = this.submissions.records(a);
    const latest = latestPerStudent(records);
    let feedbackCount: number | null = null;
    if (released) {
      let counted = 0;
      let known = true;
      for (const student of latest.keys()) {
        const v = this.submissions.hasFeedback(a, student);
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

  /** Feedback counts arrive after the rows: the rows are rebuilt with them. */
  private async _countFeedback(course: string, generation: number): Promise<void> {
    await this.submissions.countFeedback(course, () => generation === this._generation);
    if (generation !== this._generation || this._assignments.status !== 'ready') {
      return;
    }
    this._assignments = {
      ...this._assignments,
      items: this._assignments.items.map(r =>
        this._assignmentRow(r.assignment, r.released, r.local)
      )
    };
    this._emit();
  }

  // ---------------------------------------------------------------- release / unrelease

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

  /** Uploads `<course dir>/release/<assignment>/` (all files, nested folders included). */
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

  private _requireCourse(): string {
    if (!this._course) {
      throw new Error(this._trans.__('No course selected.'));
    }
    return this._course;
  }

  private _problem(err: unknown): IProblem {
    return describeProblem(err, { trans: this._trans, audience: 'instructor' });
  }

  private _emit(): void {
    this._stateChanged.emit();
  }
}
