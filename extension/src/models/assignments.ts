import { ISignal, Signal } from '@lumino/signaling';
import { INgshareClient, ResponseError } from '../api';
import { ContentsBridge, checkSegment, dirname, joinPath, mapLimit, md5Base64 } from '../files';
import {
  DEFAULT_SETTINGS,
  FeedbackState,
  IDownloadedItem,
  IFetchResult,
  INgshareSettings,
  IReleasedItem,
  ISection,
  ISubmissionInfo,
  ISubmissionPlan,
  IStudentDeadline,
  ISubmittedItem,
  IReceipt,
  IUpdateNotice,
  IUpdatePlan,
  IUpdateResult
} from '../tokens';
import { ITrans, plainTrans } from './i18n';
import { describeProblem, localProblem } from '../vocabulary/problems';
import { loadReceipts, receiptKey } from './history';
import { TaskRunner } from './task';
import { loadUpdateNotices, pathsToCompare, planUpdate } from './updates';
import { compareTimestamps } from './timestamps';
import {
  v2Unsupported,
  latenessKey,
  loadDeadlines,
  loadLateness,
  studentDeadline
} from './deadlines';

/** Where the chosen course is remembered (window.localStorage in the app). */
export interface IKeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Thrown by Fetch when a local copy exists and "restore missing files" was not asked for. */
export class AlreadyFetchedError extends Error {
  constructor(
    readonly path: string,
    message = `You already have a copy of the assignment in ${path}`
  ) {
    super(message);
    this.name = 'AlreadyFetchedError';
  }
}

export interface IAssignmentsModelOptions {
  client: INgshareClient;
  files: ContentsBridge;
  /** The user name the service knows us by (the Hub user). */
  user: string;
  settings?: () => INgshareSettings;
  storage?: IKeyValueStore | null;
  trans?: ITrans;
}

function section<T>(items: T): ISection<T> {
  return { status: 'idle', items, error: null };
}

const CONCURRENCY = 4;

/**
 * The student's view of the exchange: courses, released / downloaded / submitted assignments of the
 * selected course, and the Fetch, Submit and Fetch-feedback operations. Views subscribe to
 * `stateChanged` (and `tasks.changed` for busy buttons and progress).
 */
export class AssignmentsModel {
  readonly tasks = new TaskRunner();
  private _client: INgshareClient;
  private _files: ContentsBridge;
  private _user: string;
  private _settings: () => INgshareSettings;
  private _storage: IKeyValueStore | null;
  private _trans: ITrans;
  private _courses: ISection<string[]> = section([]);
  private _course: string | null = null;
  private _released: ISection<IReleasedItem[]> = section([]);
  private _downloaded: ISection<IDownloadedItem[]> = section([]);
  private _submitted: ISection<ISubmittedItem[]> = section([]);
  private _deadlines: ISection<IStudentDeadline[]> = section([]);
  private _stateChanged = new Signal<this, void>(this);
  private _generation = 0;

  constructor(options: IAssignmentsModelOptions) {
    this._client = options.client;
    this._files = options.files;
    this._user = options.user;
    this._settings = options.settings ?? (() => DEFAULT_SETTINGS);
    this._storage = options.storage ?? null;
    this._trans = options.trans ?? plainTrans;
  }

  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }
  get user(): string {
    return this._user;
  }
  get courses(): ISection<string[]> {
    return this._courses;
  }
  get course(): string | null {
    return this._course;
  }
  get released(): ISection<IReleasedItem[]> {
    return this._released;
  }
  get downloaded(): ISection<IDownloadedItem[]> {
    return this._downloaded;
  }
  get submitted(): ISection<ISubmittedItem[]> {
    return this._submitted;
  }
  /** Deadlines of the course's released assignments, with the student's own extensions. */
  get deadlines(): ISection<IStudentDeadline[]> {
    return this._deadlines;
  }

  /** The deadline of one assignment, or null (none, or not loaded). */
  deadlineOf(assignment: string): IStudentDeadline | null {
    return this._deadlines.items.find(d => d.assignment === assignment) ?? null;
  }

  private get _storageKey(): string {
    return `ngshare-ts:course:${this._client.baseUrl}:${this._user}`;
  }

  /** Local folder of an assignment, relative to the Jupyter root, per the layout settings. */
  assignmentPath(course: string, assignment: string): string {
    const s = this._settings();
    checkSegment(course, 'course id');
    checkSegment(assignment, 'assignment id');
    return s.pathIncludesCourse
      ? joinPath(s.assignmentRoot, course, assignment)
      : joinPath(s.assignmentRoot, assignment);
  }

  /** Loads the course list, keeps (or restores) the selection, then refreshes the lists. */
  async refreshCourses(): Promise<void> {
    this._courses = { ...this._courses, status: 'loading', error: null };
    this._emit();
    try {
      const courses = await this._client.listCourses();
      this._courses = { status: 'ready', items: courses, error: null };
      const remembered = this._storage?.getItem(this._storageKey) ?? null;
      let next = this._course;
      if (!next || !courses.includes(next)) {
        next = remembered && courses.includes(remembered) ? remembered : (courses[0] ?? null);
      }
      this._course = next;
      this._emit();
      await this.refresh();
    } catch (err) {
      this._courses = { status: 'error', items: [], error: this._problem(err) };
      this._emit();
    }
  }

  /** Selects a course, remembers it, and refreshes the lists. */
  async selectCourse(course: string): Promise<void> {
    this._course = course;
    this._storage?.setItem(this._storageKey, course);
    this._emit();
    await this.refresh();
  }

  /** Reloads released, downloaded and submitted assignments of the selected course. */
  async refresh(): Promise<void> {
    const course = this._course;
    const generation = ++this._generation;
    if (!course) {
      const empty = { status: 'ready' as const, error: null };
      this._released = { ...empty, items: [] };
      this._downloaded = { ...empty, items: [] };
      this._submitted = { ...empty, items: [] };
      this._deadlines = { ...empty, items: [] };
      this._emit();
      return;
    }
    const loading = <T>(s: ISection<T>): ISection<T> => ({ ...s, status: 'loading', error: null });
    this._released = loading(this._released);
    this._downloaded = loading(this._downloaded);
    this._submitted = loading(this._submitted);
    this._deadlines = loading(this._deadlines);
    this._emit();

    // one request, alongside the assignment list: the lists below need it for lateness
    const deadlines = loadDeadlines(this._client, course).then(
      (items): ISection<IStudentDeadline[]> => ({
        status: 'ready',
        items: items.map(d => studentDeadline(d, this._user)),
        error: null
      }),
      (err): ISection<IStudentDeadline[]> => ({
        status: 'error',
        items: [],
        error: this._problem(err)
      })
    );
    // when each assignment's newest feedback arrived: a hint only, so any failure means "unknown"
    const arrivals = this._client.feedbackOverview(course).then(
      list => new Map(list.map(r => [r.assignment_id, r.feedback_at])),
      (err: unknown) => {
        if (!v2Unsupported(err)) {
          console.warn('ngshare: could not tell when feedback arrived', err);
        }
        return new Map<string, string>();
      }
    );
    // what the exchange holds of each submission, for the receipts (absent without v2)
    const receipts = loadReceipts(this._client, course);
    // which downloaded assignments have a newer version (absent without v2)
    const updates = loadUpdateNotices(this._client, course);
    let assignments: string[];
    try {
      assignments = await this._client.listAssignments(course);
    } catch (err) {
      await deadlines;
      if (generation !== this._generation) {
        return;
      }
      const error = this._problem(err);
      this._released = { status: 'error', items: [], error };
      this._downloaded = { status: 'error', items: [], error };
      this._submitted = { status: 'error', items: [], error };
      this._deadlines = { status: 'ready', items: [], error: null };
      this._emit();
      return;
    }
    const loadedDeadlines = await deadlines;
    if (generation !== this._generation) {
      return;
    }
    this._deadlines = loadedDeadlines;

    await Promise.all([
      this._loadLocal(course, assignments, generation, updates),
      this._loadSubmitted(course, assignments, generation, await arrivals, await receipts)
    ]);
  }

  private async _loadLocal(
    course: string,
    assignments: string[],
    generation: number,
    updates: Promise<ReadonlyMap<string, IUpdateNotice>>
  ): Promise<void> {
    try {
      const ignore = this._settings().ignore;
      // All local copies share one parent folder: list it once instead of probing each path.
      const parent = dirname(this.assignmentPath(course, 'x'));
      const present = new Set(
        ((await this._files.listDir(parent)) ?? [])
          .filter(i => i.type === 'directory')
          .map(i => i.name)
      );
      const entries = await mapLimit(assignments, CONCURRENCY, async assignment => {
        const path = this.assignmentPath(course, assignment);
        if (!present.has(assignment)) {
          return { assignment, path, notebooks: null as string[] | null };
        }
        const tree = await this._files.listTree(path, ignore);
        const notebooks = tree.files
          .filter(f => f.path.endsWith('.ipynb'))
          .map(f => joinPath(path, f.path));
        return { assignment, path, notebooks };
      });
      const notices = await updates;
      if (generation !== this._generation) {
        return;
      }
      const released: IReleasedItem[] = [];
      const downloaded: IDownloadedItem[] = [];
      for (const e of entries) {
        if (e.notebooks === null) {
          released.push({ course, assignment: e.assignment });
        } else {
          const update = notices.get(e.assignment);
          downloaded.push({
            course,
            assignment: e.assignment,
            path: e.path,
            notebooks: e.notebooks,
            ...(update ? { update } : {})
          });
        }
      }
      this._released = { status: 'ready', items: released, error: null };
      this._downloaded = { status: 'ready', items: downloaded, error: null };
    } catch (err) {
      if (generation !== this._generation) {
        return;
      }
      const error = this._problem(err);
      this._released = { status: 'error', items: [], error };
      this._downloaded = { status: 'error', items: [], error };
    }
    this._emit();
  }

  private async _loadSubmitted(
    course: string,
    assignments: string[],
    generation: number,
    arrivals: ReadonlyMap<string, string>,
    receipts: ReadonlyMap<string, IReceipt>
  ): Promise<void> {
    if (!this._user) {
      this._submitted = {
        status: 'error',
        items: [],
        error: localProblem(
          this._trans.__(
            'Your user name is unknown (JupyterLab is not running under JupyterHub), so your submissions cannot be listed.'
          ),
          this._trans.__('Set "User name override" in the ngshare settings.')
        )
      };
      this._emit();
      return;
    }
    try {
      const items = await mapLimit(assignments, CONCURRENCY, async assignment => {
        let records;
        try {
          records = await this._client.listStudentSubmissions(course, assignment, this._user);
        } catch (err) {
          // An admin who is not a member of the course has no own submissions to list.
          if (err instanceof ResponseError && err.isNotFound) {
            return null;
          }
          throw err;
        }
        if (records.length === 0) {
          return null;
        }
        const timestamps = records
          .map(r => r.timestamp)
          .sort(compareTimestamps)
          .filter((t, i, all) => i === 0 || all[i - 1] !== t);
        // the exchange marks lateness (nbgrader's rule); without an answer, no mark
        const lateness = this.deadlineOf(assignment)
          ? await loadLateness(this._client, course, assignment).catch(() => null)
          : null;
        const submissions = await mapLimit(timestamps, 2, async ts => {
          const info = await this._feedbackInfo(course, assignment, ts);
          const late = lateness?.get(latenessKey(this._user, ts));
          const receipt = receipts.get(receiptKey(assignment, ts));
          return { ...info, ...(late ? { lateness: late } : {}), ...(receipt ? { receipt } : {}) };
        });
        return {
          course,
          assignment,
          submissions,
          feedbackArrivedAt: arrivals.get(assignment) ?? null
        } as ISubmittedItem;
      });
      if (generation !== this._generation) {
        return;
      }
      this._submitted = {
        status: 'ready',
        items: items.filter((i): i is ISubmittedItem => i !== null),
        error: null
      };
    } catch (err) {
      if (generation !== this._generation) {
        return;
      }
      this._submitted = { status: 'error', items: [], error: this._problem(err) };
    }
    this._emit();
  }

  /** Feedback state of one submission: server checksums vs MD5 of the local files. */
  private async _feedbackInfo(
    course: string,
    assignment: string,
    timestamp: string
  ): Promise<ISubmissionInfo> {
    const { files } = await this._client.getFeedback(
      course,
      assignment,
      this._user,
      timestamp,
      true
    );
    if (files.length === 0) {
      return { timestamp, feedback: 'none', feedbackPath: null, feedbackFiles: [] };
    }
    const dir = this.feedbackPath(course, assignment, timestamp);
    let present = 0;
    let differing = 0;
    const local: string[] = [];
    const haveDir = await this._files.exists(dir);
    for (const file of haveDir ? files : []) {
      const path = joinPath(dir, file.path);
      let content: string | null = null;
      try {
        content = await this._files.readBase64(path);
      } catch {
        content = null;
      }
      if (content !== null) {
        present += 1;
        local.push(path);
        if (md5Base64(content) !== file.checksum) {
          differing += 1;
        }
      }
    }
    let feedback: FeedbackState;
    if (differing > 0) {
      feedback = 'updated';
    } else if (present === files.length) {
      feedback = 'fetched';
    } else {
      feedback = 'available';
    }
    return {
      timestamp,
      feedback,
      feedbackPath: present > 0 ? dir : null,
      feedbackFiles: local
    };
  }

  /** `<assignment folder>/feedback/<timestamp>` (the timestamp becomes one folder name). */
  feedbackPath(course: string, assignment: string, timestamp: string): string {
    checkSegment(timestamp, 'timestamp');
    return joinPath(this.assignmentPath(course, assignment), 'feedback', timestamp);
  }

  /**
   * Downloads a released assignment into its local folder. Refuses when the folder exists unless
   * `restoreMissing`, which writes only files that are missing (and not ignored).
   */
  async fetch(
    assignment: string,
    options: { restoreMissing?: boolean } = {}
  ): Promise<IFetchResult> {
    const course = this._requireCourse();
    const key = `fetch:${assignment}`;
    return this.tasks.execute(key, async () => {
      const path = this.assignmentPath(course, assignment);
      if (!options.restoreMissing && (await this._files.exists(path))) {
        // the copy appeared after the last refresh: show it under Downloaded
        void this.refresh();
        throw new AlreadyFetchedError(
          path,
          this._trans.__('You already have a copy of the assignment in %1', path)
        );
      }
      this.tasks.report(key, {
        label: 'Downloading',
        done: 0,
        total: 0,
        bytesDone: 0,
        bytesTotal: 0
      });
      const files = await this._client.getAssignment(course, assignment, false, (loaded, total) =>
        this.tasks.report(key, {
          label: 'Downloading',
          done: 0,
          total: 0,
          bytesDone: loaded,
          bytesTotal: total
        })
      );
      const result = await this._files.writeTree(
        path,
        files.map(f => ({ path: f.path, content: f.content ?? '' })),
        {
          noClobber: !!options.restoreMissing,
          ignore: options.restoreMissing ? this._settings().ignore : undefined,
          onProgress: p => this.tasks.report(key, { label: 'Writing', ...p })
        }
      );
      void this.refresh();
      return { path, written: result.written, skippedExisting: result.skippedExisting };
    });
  }

  /**
   * Works out what "Get update" would do to the local copy (see `planUpdate`): compares the
   * local files with the version fetched here and the newest one. Writes nothing.
   */
  async prepareUpdate(assignment: string): Promise<IUpdatePlan> {
    const course = this._requireCourse();
    const path = this.assignmentPath(course, assignment);
    const [list, tree] = await Promise.all([
      this._client.listVersions(course, assignment),
      this._files.listTree(path)
    ]);
    const present = new Set(tree.files.map(f => f.path));
    const wanted = pathsToCompare(list).filter(p => present.has(p));
    const sums = await mapLimit(wanted, CONCURRENCY, async p => {
      return [p, md5Base64(await this._files.readBase64(joinPath(path, p)))] as const;
    });
    return planUpdate({ course, assignment, path }, list, new Map(sums));
  }

  /**
   * Brings the local copy to the newest version. The plan is made again just before writing, so
   * a file edited since the preview is kept and gets the new version beside it, never replaced.
   */
  async applyUpdate(assignment: string): Promise<IUpdateResult> {
    const course = this._requireCourse();
    const key = `update:${assignment}`;
    return this.tasks.execute(key, async () => {
      const plan = await this.prepareUpdate(assignment);
      const progress =
        (label: string) =>
        (p: { done: number; total: number; bytesDone: number; bytesTotal: number }) =>
          this.tasks.report(key, { label, ...p });
      progress('Downloading')({ done: 0, total: 0, bytesDone: 0, bytesTotal: 0 });
      const files = await this._client.getVersion(
        course,
        assignment,
        plan.to,
        false,
        (loaded, total) =>
          progress('Downloading')({ done: 0, total: 0, bytesDone: loaded, bytesTotal: total })
      );
      const content = new Map(files.map(f => [f.path, f.content ?? '']));
      const pick = (paths: string[]) =>
        paths.map(p => ({ path: p, content: content.get(p) ?? '' }));
      const onProgress = progress('Writing');
      const restored = await this._files.writeTree(plan.path, pick(plan.restore), {
        noClobber: true,
        onProgress
      });
      const replaced = await this._files.writeTree(plan.path, pick(plan.replace), { onProgress });
      const beside = await this._files.writeTree(
        plan.path,
        plan.beside.map(b => ({ path: b.copy, content: content.get(b.path) ?? '' })),
        { noClobber: true, onProgress }
      );
      void this.refresh();
      return {
        path: plan.path,
        version: plan.to,
        written: [...restored.written, ...replaced.written, ...beside.written],
        skipped: [...restored.skippedExisting, ...beside.skippedExisting]
      };
    });
  }

  /** Works out what Submit would send (files, sizes, missing / extra notebooks). Sends nothing. */
  async prepareSubmission(assignment: string): Promise<ISubmissionPlan> {
    const course = this._requireCourse();
    const settings = this._settings();
    const path = this.assignmentPath(course, assignment);
    const [tree, released, previous] = await Promise.all([
      this._files.listTree(path, settings.ignore),
      this._client.getAssignment(course, assignment, true).catch(() => null),
      this._client
        .listStudentSubmissions(course, assignment, this._user)
        .catch(() => [] as { timestamp: string }[])
    ]);
    const maxFile = settings.maxFileSizeKb * 1024;
    const files = tree.files
      .filter(f => f.size <= maxFile)
      .map(f => ({ path: f.path, size: f.size }));
    const tooLarge = tree.files
      .filter(f => f.size > maxFile)
      .map(f => ({ path: f.path, size: f.size }));
    const localNotebooks = new Set(files.filter(f => f.path.endsWith('.ipynb')).map(f => f.path));
    const releasedNotebooks = new Set(
      (released ?? []).map(f => f.path).filter(p => p.endsWith('.ipynb'))
    );
    const missing = [...releasedNotebooks].filter(p => !localNotebooks.has(p)).sort();
    const extra = released ? [...localNotebooks].filter(p => !releasedNotebooks.has(p)).sort() : [];
    const totalSize = files.reduce((n, f) => n + f.size, 0);
    let blocked: string | null = null;
    if (files.length === 0) {
      blocked = this._trans.__('There are no files to submit.');
    } else if (totalSize > settings.maxTotalSizeMb * 1024 * 1024) {
      blocked = this._trans.__(
        'The submission is larger than the limit of %1 MB.',
        settings.maxTotalSizeMb
      );
    } else if (settings.strictSubmit && missing.length > 0) {
      blocked = this._trans.__('Missing notebooks: %1', missing.join(', '));
    }
    return {
      course,
      assignment,
      path,
      files,
      totalSize,
      ignored: tree.ignored,
      tooLarge,
      missing,
      extra,
      previousSubmissions: previous.length,
      blocked
    };
  }

  /** Uploads the planned files; resolves with the server's timestamp. */
  async submit(plan: ISubmissionPlan): Promise<string> {
    if (plan.blocked) {
      throw new Error(plan.blocked);
    }
    const key = `submit:${plan.assignment}`;
    return this.tasks.execute(key, async () => {
      const bytesTotal = plan.totalSize;
      let bytesDone = 0;
      const upload = [];
      for (const [i, file] of plan.files.entries()) {
        const content = await this._files.readBase64(joinPath(plan.path, file.path));
        upload.push({ path: file.path, content });
        bytesDone += file.size;
        this.tasks.report(key, {
          label: 'Reading',
          done: i + 1,
          total: plan.files.length,
          bytesDone,
          bytesTotal
        });
      }
      this.tasks.report(key, {
        label: 'Uploading',
        done: plan.files.length,
        total: plan.files.length,
        bytesDone,
        bytesTotal
      });
      const timestamp = await this._client.submit(plan.course, plan.assignment, upload);
      void this.refresh();
      return timestamp;
    });
  }

  /**
   * Downloads feedback of every own submission that has some on the service (new or updated) into
   * `<assignment>/feedback/<timestamp>/`. Resolves with the written files (relative to the root),
   * newest submission first.
   */
  async fetchFeedback(assignment: string): Promise<string[]> {
    const course = this._requireCourse();
    const key = `feedback:${assignment}`;
    return this.tasks.execute(key, async () => {
      const records = await this._client.listStudentSubmissions(course, assignment, this._user);
      const timestamps = [...new Set(records.map(r => r.timestamp))]
        .sort(compareTimestamps)
        .reverse();
      const written: string[] = [];
      let done = 0;
      for (const ts of timestamps) {
        const { files } = await this._client.getFeedback(course, assignment, this._user, ts, false);
        if (files.length > 0) {
          const dir = this.feedbackPath(course, assignment, ts);
          const result = await this._files.writeTree(
            dir,
            files.map(f => ({ path: f.path, content: f.content ?? '' }))
          );
          written.push(...result.written.map(p => joinPath(dir, p)));
        }
        done += 1;
        this.tasks.report(key, {
          label: 'Downloading feedback',
          done,
          total: timestamps.length,
          bytesDone: 0,
          bytesTotal: 0
        });
      }
      void this.refresh();
      return written;
    });
  }

  private _requireCourse(): string {
    if (!this._course) {
      throw new Error(this._trans.__('No course selected.'));
    }
    return this._course;
  }

  private _problem(err: unknown) {
    return describeProblem(err, { trans: this._trans, audience: 'student' });
  }

  private _emit(): void {
    this._stateChanged.emit();
  }
}
