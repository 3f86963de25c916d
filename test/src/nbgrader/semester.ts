// One nbgrader "semester" driven with the real command-line tools (nbgrader 0.9 + an exchange plugin:
// ngshare_exchange or this repository's ngshare_ts_exchange) against one exchange service (ours or the original ngshare 0.6), as an admin, an instructor and two
// students, each with their own home folder and a real JupyterHub API token.
//
// The runner records everything (each command's exit code and output, file-tree snapshots at the
// interesting moments, the submission timestamps, what the REST API says at the end); the jest test
// makes the assertions, and compares two runs with `comparable()`.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Normaliser, Tree, normalise, normaliseTree, snapshot } from './tree';

export const FIXTURES = resolve(__dirname, '..', '..', 'fixtures', 'semester');

export interface SemesterUsers {
  admin: string;
  instructor: string;
  students: [string, string];
  /** added through the CSV / add_student and then removed again */
  dropped: [string, string];
}

/** The nbgrader exchange plugins that speak ngshare's API; configured the same way. */
export type ExchangePlugin = 'ngshare_exchange' | 'ngshare_ts_exchange';

export interface SemesterOptions {
  /** short name used in messages, e.g. 'ngshare-ts' or 'ngshare-0.6' */
  label: string;
  /** what goes into configureExchange(c, url): e.g. http://127.0.0.1:8000/services/ngshare */
  exchangeUrl: string;
  users: SemesterUsers;
  /** hub-issued API token per user name */
  tokens: Record<string, string>;
  /** fresh directory for this run (homes go below it) */
  workDir: string;
  /** the venv with nbgrader + the plugin (and its ngshare-course-management) */
  venvBin: string;
  /** the exchange plugin's module in nbgrader_config.py (default ngshare_exchange) */
  plugin?: ExchangePlugin;
  courseId: string;
  /**
   * Switch servers mid-semester, as an admin does when moving from ngshare 0.6: right after the
   * step `afterStep`, `to()` (e.g. import the data into ngshare-ts and start it) returns the new
   * exchange URL, every nbgrader_config.py is repointed to it, and the semester goes on.
   */
  switchServer?: { afterStep: string; to: () => Promise<string> };
}

export interface StepRecord {
  id: string;
  actor: string;
  argv: string[];
  cwd: string;
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** commands that must fail (e.g. re-release without --force) */
  expectFailure: boolean;
  /** compared across servers (exchange-touching commands) */
  exchange: boolean;
}

export interface SemesterResult {
  options: SemesterOptions;
  steps: StepRecord[];
  homes: Record<string, string>;
  courseDir: string;
  /** student -> timestamps returned by their submits, in order */
  submitTimestamps: Record<string, string[]>;
  /** named snapshots taken during the run */
  snapshots: Record<string, Tree>;
  /** REST API answers (GET) at the end of the run, as the instructor */
  api: Record<string, unknown>;
  totalMs: number;
  /** set when the run stopped early */
  error?: string;
  /** every exchange URL used (two after a switch) */
  exchangeUrls: string[];
}

/** Lines that mean an error was reported even though the exit code may be 0. */
export const ERROR_MARKERS = [
  /\[ERROR\]/,
  /\| ERROR\]/,
  /\[CRITICAL\]/,
  /\| CRITICAL\]/,
  /Traceback \(most recent call last\)/,
  /returned failure/,
  /invalid status code/,
  /non-JSON content/,
  /Failed to /,
  /An error occurred/,
  /Could not establish connection/,
  /Cannot determine ngshare URL/
];

export function errorLines(step: StepRecord): string[] {
  return (step.stdout + '\n' + step.stderr)
    .split('\n')
    .filter(l => ERROR_MARKERS.some(re => re.test(l)));
}

const BINARY_NAME = 'images/figure.png';

/** Deterministic binary file with every byte value and a PNG signature. */
export function binaryFixture(): Buffer {
  const b = Buffer.alloc(4096);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  for (let i = 8; i < b.length; i++) {
    b[i] = (i * 151 + 7) & 0xff;
  }
  return b;
}

export async function runSemester(opts: SemesterOptions): Promise<SemesterResult> {
  const t0 = Date.now();
  const { users, courseId: C } = opts;
  const [s1, s2] = users.students;
  const I = users.instructor;
  const A = users.admin;
  rmSync(opts.workDir, { recursive: true, force: true });
  const homes: Record<string, string> = {};
  // the removed student (dropped[0]) keeps a hub account and tries the exchange anyway
  const X = users.dropped[0];
  for (const u of [A, I, s1, s2, X]) {
    homes[u] = join(opts.workDir, 'home', u);
    mkdirSync(join(homes[u], '.jupyter'), { recursive: true });
  }
  const courseDir = join(homes[I], C);
  mkdirSync(courseDir, { recursive: true });

  let exchangeUrl = opts.exchangeUrl;
  const exchangeUrls = [exchangeUrl];
  const writeConfigs = (): void => {
    const exchangeConfig =
      `from ${opts.plugin ?? 'ngshare_exchange'} import configureExchange\n` +
      `configureExchange(c, ${JSON.stringify(exchangeUrl)})\n`;
    for (const u of [A, s1, s2, X]) {
      writeFileSync(
        join(homes[u], '.jupyter', 'nbgrader_config.py'),
        `c = get_config()\n${exchangeConfig}`
      );
    }
    writeFileSync(
      join(homes[I], '.jupyter', 'nbgrader_config.py'),
      `c = get_config()\n` +
        `c.CourseDirectory.course_id = ${JSON.stringify(C)}\n` +
        `c.CourseDirectory.root = ${JSON.stringify(courseDir)}\n` +
        // autograde starts a kernel per submission while three semesters share two cores: give
        // kernels time, and retry a failed start (nbgrader's own advice for CI); no exchange call
        // depends on these
        `c.Execute.timeout = 120\n` +
        `c.Execute.startup_timeout = 120\n` +
        `c.Execute.execute_retries = 2\n` +
        exchangeConfig
    );
  };
  writeConfigs();

  // the instructor's source material: fixture notebooks + a nested binary file
  cpSync(join(FIXTURES, 'source'), join(courseDir, 'source'), { recursive: true });
  mkdirSync(join(courseDir, 'source', 'ps1', 'images'), { recursive: true });
  writeFileSync(join(courseDir, 'source', 'ps1', BINARY_NAME), binaryFixture());
  writeFileSync(
    join(homes[I], 'students.csv'),
    'student_id,first_name,last_name,email\n' +
      `${s1},Alice,Adams,alice@example.edu\n` +
      `${s2},Bob,Brown,bob@example.edu\n` +
      `${users.dropped[0]},Carol,Cole,carol@example.edu\n`
  );

  const steps: StepRecord[] = [];
  const snapshots: Record<string, Tree> = {};
  const submitTimestamps: Record<string, string[]> = { [s1]: [], [s2]: [] };

  const run = async (
    id: string,
    actor: string,
    argv: string[],
    o: { cwd?: string; expectFailure?: boolean; exchange?: boolean } = {}
  ): Promise<StepRecord> => {
    const cwd = o.cwd ?? (actor === I ? courseDir : homes[actor]);
    const env: NodeJS.ProcessEnv = {
      PATH: `${opts.venvBin}:/usr/local/bin:/usr/bin:/bin`,
      HOME: homes[actor],
      USER: actor,
      LANG: 'C.UTF-8',
      JUPYTERHUB_USER: actor,
      JUPYTERHUB_API_TOKEN: opts.tokens[actor],
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONWARNINGS: 'ignore'
    };
    const started = Date.now();
    const rec = await new Promise<StepRecord>(res => {
      const child = spawn(argv[0], argv.slice(1), { cwd, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', err => {
        stderr += String(err);
      });
      child.on('close', code =>
        res({
          id,
          actor,
          argv,
          cwd,
          code,
          stdout,
          stderr,
          ms: Date.now() - started,
          expectFailure: o.expectFailure ?? false,
          exchange: o.exchange ?? true
        })
      );
    });
    steps.push(rec);
    if (opts.switchServer?.afterStep === id) {
      exchangeUrl = await opts.switchServer.to();
      exchangeUrls.push(exchangeUrl);
      writeConfigs();
    }
    return rec;
  };
  const ncm = (id: string, actor: string, args: string[], o = {}) =>
    run(id, actor, ['ngshare-course-management', ...args], o);
  const nbg = (id: string, actor: string, args: string[], o = {}) =>
    run(id, actor, ['nbgrader', ...args], o);
  const submit = async (id: string, student: string) => {
    snapshots[`${id}:work`] = snapshot(join(homes[student], 'ps1'), {
      exclude: rel => rel === 'feedback' || rel.startsWith('feedback/')
    });
    const rec = await nbg(id, student, ['submit', 'ps1', '--course', C]);
    const m = /Submitted as: \S+ ps1 (.+)$/m.exec(rec.stderr + rec.stdout);
    if (m) {
      submitTimestamps[student].push(m[1].trim());
    }
    return rec;
  };

  // REST API answers (GET as a given user), recorded for the cross-server comparison
  const api: Record<string, unknown> = {};
  const get = async (path: string, as: string = I): Promise<unknown> => {
    const r = await fetch(exchangeUrl + path, {
      headers: { Authorization: `token ${opts.tokens[as]}` }
    });
    const text = await r.text();
    try {
      return { status: r.status, body: JSON.parse(text) as unknown };
    } catch {
      return { status: r.status, text };
    }
  };
  const qs = (params: Record<string, string>): string =>
    '?' + new URLSearchParams(params).toString();

  let error: string | undefined;
  try {
    // --- roster (ngshare-course-management) ----------------------------------------------------
    await ncm('create_course', A, ['create_course', C]);
    // ngshare 0.6 answers 400 "Please supply first name" when -f/-l/-e are missing (the client
    // drops None fields): record what each server does, but pass the flags for the real step.
    await ncm('add_instructor-no-names', A, ['add_instructor', C, I], { expectFailure: true });
    await ncm('add_instructor', A, [
      'add_instructor',
      C,
      I,
      '-f',
      'Ada',
      '-l',
      'Lovelace',
      '-e',
      'ada@example.edu'
    ]);
    await ncm('add_students', I, ['add_students', C, join(homes[I], 'students.csv')]);
    await ncm('add_student', I, [
      'add_student',
      C,
      users.dropped[1],
      '-f',
      'Dan',
      '-l',
      'Drop',
      '-e',
      'dan@example.edu'
    ]);
    await ncm('remove_students', I, ['remove_students', C, users.dropped[0], users.dropped[1]]);

    // --- release -------------------------------------------------------------------------------
    await nbg('generate_assignment ps1', I, ['generate_assignment', 'ps1'], { exchange: false });
    await nbg('generate_assignment ps2', I, ['generate_assignment', 'ps2'], { exchange: false });
    snapshots['instructor:release'] = snapshot(join(courseDir, 'release'));
    await nbg('release_assignment ps1', I, ['release_assignment', 'ps1']);
    await nbg('release_assignment ps2', I, ['release_assignment', 'ps2']);
    await nbg('release_assignment ps1 again', I, ['release_assignment', 'ps1'], {
      expectFailure: true
    });
    await nbg('release_assignment ps1 --force', I, ['release_assignment', 'ps1', '--force']);

    // --- students: list, fetch, submit -----------------------------------------------------------
    await nbg('list s1', s1, ['list']);
    await nbg('list s2', s2, ['list', '--course', C]);
    await nbg('fetch_assignment s1', s1, ['fetch_assignment', 'ps1', '--course', C]);
    await nbg('fetch_assignment s2', s2, ['fetch_assignment', 'ps1', '--course', C]);
    snapshots['s1:fetched'] = snapshot(join(homes[s1], 'ps1'));
    snapshots['s2:fetched'] = snapshot(join(homes[s2], 'ps1'));
    await nbg('list s1 after fetch', s1, ['list']);
    // what the tools say when something is refused or missing (compared across servers too)
    await nbg('fetch_assignment s1 again', s1, ['fetch_assignment', 'ps1', '--course', C], {
      expectFailure: true
    });
    rmSync(join(homes[s2], 'ps1', 'data'), { recursive: true });
    await nbg('fetch_assignment s2 --replace', s2, [
      'fetch_assignment',
      'ps1',
      '--course',
      C,
      '--replace'
    ]);
    snapshots['s2:replaced'] = snapshot(join(homes[s2], 'ps1'));
    await nbg('list by removed student', X, ['list']);
    await nbg(
      'fetch_assignment by removed student',
      X,
      ['fetch_assignment', 'ps1', '--course', C],
      {
        expectFailure: true
      }
    );
    cpSync(join(homes[s1], 'ps1'), join(homes[X], 'ps1'), { recursive: true }); // a friend's copy
    await nbg('submit by removed student', X, ['submit', 'ps1', '--course', C], {
      expectFailure: true
    });
    await nbg('list --inbound by student', s2, ['list', '--inbound', '--course', C], {
      expectFailure: true
    });
    await nbg('collect by student', s2, ['collect', 'ps1', '--course', C], { expectFailure: true });

    answer(
      join(homes[s1], 'ps1', 'problem1.ipynb'),
      'squares',
      'def squares(n):\n    return [i * i for i in range(1, n + 1)]'
    );
    await submit('submit s1 #1', s1);
    answer(
      join(homes[s2], 'ps1', 'problem1.ipynb'),
      'squares',
      'def squares(n):\n    return [i + i for i in range(1, n + 1)]'
    );
    answer(
      join(homes[s2], 'ps1', 'problem2.ipynb'),
      'total',
      'import csv\n\ndef total():\n    return 60'
    );
    await submit('submit s2', s2);

    await nbg('list --inbound #1', I, ['list', '--inbound']);
    await nbg('collect #1', I, ['collect', 'ps1']);
    snapshots['instructor:submitted#1'] = snapshot(join(courseDir, 'submitted'));

    // second submission by s1: solves problem 2 too and adds an extra file
    answer(
      join(homes[s1], 'ps1', 'problem2.ipynb'),
      'total',
      'import csv\n\ndef total():\n    with open("data/values.csv") as f:\n        return sum(int(r["value"]) for r in csv.DictReader(f))'
    );
    writeFileSync(join(homes[s1], 'ps1', 'notes.txt'), 'second attempt\n');
    await submit('submit s1 #2', s1);

    await nbg('list --cached s1', s1, ['list', '--cached']);
    await nbg('list --cached s2', s2, ['list', '--cached']);
    await nbg('list --inbound #2', I, ['list', '--inbound']);
    await nbg('collect without --update', I, ['collect', 'ps1']);
    await nbg('collect --update', I, ['collect', '--update', 'ps1']);
    snapshots['instructor:submitted#2'] = snapshot(join(courseDir, 'submitted'));

    // --- grading and feedback -------------------------------------------------------------------
    await nbg('autograde', I, ['autograde', 'ps1'], { exchange: false });
    await nbg('export', I, ['export'], { exchange: false });
    await nbg('generate_feedback', I, ['generate_feedback', 'ps1'], { exchange: false });
    snapshots['instructor:feedback'] = snapshot(join(courseDir, 'feedback'));
    await nbg('release_feedback', I, ['release_feedback', 'ps1']);
    await nbg('list --cached s1 before fetch_feedback', s1, ['list', '--cached']);
    await nbg('fetch_feedback s1', s1, ['fetch_feedback', 'ps1', '--course', C]);
    await nbg('fetch_feedback s2', s2, ['fetch_feedback', 'ps1', '--course', C]);
    await nbg('list --cached s1 after fetch_feedback', s1, ['list', '--cached']);
    await nbg('list --inbound #3', I, ['list', '--inbound']);
    // the server's view before unreleasing (keys name the submission, not its timestamp)
    const [t1a, t1b] = submitTimestamps[s1];
    const t2 = submitTimestamps[s2][0];
    api['mid: submissions ps1'] = await get(`/submissions/${C}/ps1`);
    api['mid: own submissions s1'] = await get(`/submissions/${C}/ps1/${s1}`, s1);
    api['mid: assignment ps1 list_only'] = await get(`/assignment/${C}/ps1?list_only=true`, s1);
    for (const [key, student, ts] of [
      ['s1 #1', s1, t1a],
      ['s1 #2', s1, t1b],
      ['s2', s2, t2]
    ] as const) {
      api[`mid: submission ${key} list_only`] = await get(
        `/submission/${C}/ps1/${student}` + qs({ timestamp: ts, list_only: 'true' })
      );
      api[`mid: feedback ${key} list_only (as the student)`] = await get(
        `/feedback/${C}/ps1/${student}` + qs({ timestamp: ts, list_only: 'true' }),
        student
      );
    }

    // --- unrelease ps1 ----------------------------------------------------------------------------
    await nbg('list --remove ps1', I, ['list', '--remove', '--assignment', 'ps1']);
    await nbg('list s2 after unrelease', s2, ['list']);
    await nbg('list --inbound after unrelease', I, ['list', '--inbound']);
  } catch (e) {
    // a step the runner needed did not happen (e.g. fetch produced no files): keep what we have
    error = (e as Error).stack ?? String(e);
  }
  for (const u of [A, I, s1, s2, X]) {
    snapshots[`home:${u}`] = snapshot(homes[u]);
  }

  // --- what the server says at the end (as the instructor) ----------------------------------------
  for (const p of [
    `/courses`,
    `/instructors/${C}`,
    `/students/${C}`,
    `/assignments/${C}`,
    `/assignment/${C}/ps2?list_only=true`,
    `/submissions/${C}/ps1`
  ]) {
    api[p] = await get(p);
  }

  return {
    options: opts,
    steps,
    homes,
    courseDir,
    submitTimestamps,
    snapshots,
    api,
    totalMs: Date.now() - t0,
    error,
    exchangeUrls
  };
}

/** Replace the body of the solution cell `gradeId` (as a student would, in the released notebook). */
export function answer(nbPath: string, gradeId: string, code: string): void {
  const nb = JSON.parse(readFileSync(nbPath, 'utf8')) as {
    cells: Array<{ source: string | string[]; metadata?: { nbgrader?: { grade_id?: string } } }>;
  };
  const cell = nb.cells.find(c => c.metadata?.nbgrader?.grade_id === gradeId);
  if (!cell) {
    throw new Error(`no cell ${gradeId} in ${nbPath}`);
  }
  cell.source = code.split('\n').map((l, i, all) => (i < all.length - 1 ? l + '\n' : l));
  writeFileSync(nbPath, JSON.stringify(nb, null, 1) + '\n');
}

/** The student's submission cache: <data dir>/nbgrader_cache/<course>/<student>+ps1+<timestamp>. */
export function cacheDirs(res: SemesterResult, student: string): string[] {
  const dir = join(
    res.homes[student],
    '.local',
    'share',
    'jupyter',
    'nbgrader_cache',
    res.options.courseId
  );
  try {
    return readdirSync(dir)
      .sort()
      .map(n => join(dir, n));
  } catch {
    return [];
  }
}

export function normaliserFor(res: SemesterResult): Normaliser {
  const u = res.options.users;
  const reps: Array<[string, string]> = [
    [res.options.workDir, '<WORK>'],
    ...res.exchangeUrls.map((url): [string, string] => [url, '<EXCHANGE>']),
    [res.options.courseId, '<COURSE>'],
    // runs may use different users (the admin is shared)
    [u.instructor, '<INSTRUCTOR>'],
    [u.students[0], '<STUDENT1>'],
    [u.students[1], '<STUDENT2>'],
    [u.dropped[0], '<DROPPED1>'],
    [u.dropped[1], '<DROPPED2>']
  ];
  // URL-quoted forms of the above show up in error lines
  reps.push([encodeURIComponent(res.options.courseId), '<COURSE>']);
  // the config files name the plugin; runs with either plugin compare equal otherwise
  reps.push([`from ${res.options.plugin ?? 'ngshare_exchange'} import`, 'from <PLUGIN> import']);
  return { replacements: reps };
}

/** Files that differ from run to run whatever the server: databases, logs, IPython state. */
export function volatile(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return (
    base === 'gradebook.db' ||
    base === '.nbgrader.log' ||
    rel === '.ipython' ||
    rel.startsWith('.ipython/') ||
    rel === '.cache' ||
    rel.startsWith('.cache/') ||
    rel.startsWith('.local/share/jupyter/runtime')
  );
}

/**
 * What nbgrader sees, normalised for timestamps, paths, URLs and the course id, so that two runs
 * (against two servers) can be compared with toEqual.
 */
export function comparable(res: SemesterResult): {
  steps: Array<{ id: string; code: number | null; output: string[] }>;
  trees: Record<string, Tree>;
  api: unknown;
} {
  const n = normaliserFor(res);
  const steps = res.steps
    .filter(s => s.exchange)
    .map(s => {
      const output = normalise(s.stdout + '\n' + s.stderr, n)
        .split('\n')
        .map(l => l.trimEnd())
        .filter(l => l !== '');
      // fetch_feedback walks the student's cache folders, and release_feedback the instructor's
      // feedback/<student> folders, in glob (file-system) order, which differs from run to run
      // whatever the server: compare their lines as a multiset
      if (s.id.startsWith('fetch_feedback') || s.id.startsWith('release_feedback')) {
        output.sort();
      }
      return { id: s.id, code: s.code, output };
    });
  const trees: Record<string, Tree> = {};
  for (const [user, home] of Object.entries(res.homes)) {
    const u = normalise(user, n);
    trees[u] = normaliseTree(home, n, volatile);
    if (Object.keys(trees[u]).length === 0) {
      throw new Error(`${home} is empty or gone: nothing to compare`);
    }
  }
  return { steps, trees, api: JSON.parse(normalise(JSON.stringify(res.api), n)) as unknown };
}
