/**
 * Issue 4, parts 1 and 2 (and issue 15): a whole nbgrader semester with the real client tools
 * (nbgrader 0.9 + ngshare_exchange 0.5.3, from test/.cache/venv-nbgrader), with real hub-issued
 * tokens, run four times at once, each with its own home folders:
 *   - against ngshare-ts (/services/ngshare, through the shared hub's proxy);
 *   - against the original ngshare 0.6 (/services/ngshare-orig, registered by
 *     harness/config/hub-config.d/50-ngshare-orig.py);
 *   - "switch": against ngshare 0.6 until the students have submitted, then the admin's move:
 *     `ngshare import` of the original's database, ngshare-ts started on it, every
 *     nbgrader_config.py repointed, and the rest of the semester against ngshare-ts;
 *   - "plugin": with this repository's plugin, ngshare_ts_exchange (a clean
 *     `pip install nbgrader <wheel>` in test/.cache/venv-exchange, made by setup-exchange.sh),
 *     against ngshare-ts on PostgreSQL + S3 with no storage folder (/services/ngshare-scale,
 *     harness/config/hub-config.d/70-ngshare-scale.py) when the run has both servers, else
 *     against /services/ngshare.
 * Each run is checked on its own, then what nbgrader saw is compared across the runs.
 *
 * Every step's output and the file trees are written to test/artifacts/nbgrader-semester-*.json.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubClient, HubInfo, loadHub, waitFor } from './harness';
import { ARTIFACTS_DIR, CACHE_DIR, TEST_DIR } from './harness/paths';
import { s3ClientFor } from './harness/scale-backend';
import {
  SemesterOptions,
  SemesterResult,
  SemesterUsers,
  cacheDirs,
  comparable,
  errorLines,
  normaliserFor,
  runSemester
} from './src/nbgrader/semester';
import { SwitchedServer, importAndStart } from './src/nbgrader/switch';
import { Tree, normalise, subtree, without } from './src/nbgrader/tree';

const VENV_BIN = join(CACHE_DIR, 'venv-nbgrader', 'bin');
/** nbgrader + ngshare-ts-exchange, installed as the docs tell admins (scripts/setup-exchange.sh) */
const PLUGIN_VENV_BIN = join(CACHE_DIR, 'venv-exchange', 'bin');
const ORIG_SERVICE = 'ngshare-orig';
/** ngshare's submission timestamps: UTC wall-clock time, microseconds, no zone suffix */
const TS_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/;

let hub: HubInfo;
let users: SemesterUsers;
/** users of the third run, which switches from ngshare 0.6 to ngshare-ts mid-semester */
let switchUsers: SemesterUsers;
/** users of the fourth run, with this repository's plugin */
let pluginUsers: SemesterUsers;
let switched: SwitchedServer | undefined;
const tokens: Record<string, string> = {};
const suffix = Date.now().toString(36);
const courseId = `sem101-${suffix}`;
/** both semesters run at the same time (separate servers, homes and data); tests await them */
const runs: Record<string, Promise<SemesterResult>> = {};

function stepOutput(res: SemesterResult, id: string): string {
  const s = res.steps.find(x => x.id === id);
  if (!s) {
    throw new Error(`no step ${id}`);
  }
  return s.stdout + '\n' + s.stderr;
}

function dump(res: SemesterResult): void {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  writeFileSync(
    join(ARTIFACTS_DIR, `nbgrader-semester-${res.options.label}.json`),
    JSON.stringify({ ...res, options: { ...res.options, tokens: undefined } }, null, 1)
  );
}

/** Waits (60 s at most) for a hub service's /healthz to answer 200. */
async function healthy(service: string, what: string): Promise<void> {
  await waitFor(
    async () => {
      const r = await fetch(`${hub.hubUrl}/services/${service}/healthz`).catch(() => null);
      return r?.status === 200;
    },
    60_000,
    `${service} (${what}) healthy`
  );
}

beforeAll(async () => {
  hub = loadHub();
  // the cached set-up step (a no-op when scripts/setup-e2e.sh already ran it)
  execFileSync('bash', [join(TEST_DIR, 'scripts', 'setup-nbgrader.sh')], { stdio: 'inherit' });
  execFileSync('bash', [join(TEST_DIR, 'scripts', 'setup-exchange.sh')], { stdio: 'inherit' });
  users = {
    admin: hub.ngshareAdmins[0],
    instructor: `nbg-instructor-${suffix}`,
    students: [`nbg-student1-${suffix}`, `nbg-student2-${suffix}`],
    dropped: [`nbg-student3-${suffix}`, `nbg-student4-${suffix}`]
  };
  // what a single-user server gets as JUPYTERHUB_API_TOKEN
  const client = new HubClient(hub);
  switchUsers = {
    admin: hub.ngshareAdmins[0],
    instructor: `nbgx-instructor-${suffix}`,
    students: [`nbgx-student1-${suffix}`, `nbgx-student2-${suffix}`],
    dropped: [`nbgx-student3-${suffix}`, `nbgx-student4-${suffix}`]
  };
  pluginUsers = {
    admin: hub.ngshareAdmins[0],
    instructor: `nbgp-instructor-${suffix}`,
    students: [`nbgp-student1-${suffix}`, `nbgp-student2-${suffix}`],
    dropped: [`nbgp-student3-${suffix}`, `nbgp-student4-${suffix}`]
  };
  for (const us of [users, switchUsers, pluginUsers]) {
    for (const u of [us.admin, us.instructor, ...us.students, us.dropped[0]]) {
      tokens[u] ??= await client.createToken(u, { roles: ['server'], note: 'nbgrader semester' });
    }
  }
  await healthy(ORIG_SERVICE, 'harness/config/hub-config.d/50-ngshare-orig.py');
  const start = (
    label: string,
    service: string,
    more: Partial<SemesterOptions> = {}
  ): Promise<SemesterResult> => {
    const opts: SemesterOptions = {
      label,
      exchangeUrl: `${hub.hubUrl}/services/${service}`,
      users,
      tokens,
      workDir: join(hub.workDir, 'nbgrader', label),
      venvBin: VENV_BIN,
      courseId,
      ...more
    };
    return runSemester(opts).then(res => {
      dump(res);
      console.log(`${label}: ${res.steps.length} commands in ${res.totalMs} ms`);
      return res;
    });
  };
  runs['ngshare-ts'] = start('ngshare-ts', hub.serviceName);
  runs['ngshare-0.6'] = start('ngshare-0.6', ORIG_SERVICE);
  if (hub.scaleServiceName) {
    await healthy(hub.scaleServiceName, 'PostgreSQL + S3, 70-ngshare-scale.py');
  }
  runs['plugin'] = start('ngshare-ts-exchange', hub.scaleServiceName ?? hub.serviceName, {
    users: pluginUsers,
    courseId: `${courseId}p`,
    venvBin: PLUGIN_VENV_BIN,
    plugin: 'ngshare_ts_exchange'
  });
  // the administrator moves from 0.6 to ngshare-ts after the students' submissions: import the
  // original's database, start ngshare-ts on it, repoint every nbgrader_config.py, carry on
  runs['switch'] = start('switch', ORIG_SERVICE, {
    users: switchUsers,
    courseId: `${courseId}x`,
    switchServer: {
      afterStep: 'submit s1 #2',
      to: async () => {
        switched = await importAndStart({
          ngshareBin: join(hub.venvBin, 'ngshare'),
          python: hub.python,
          fromDbFile: join(hub.workDir, 'ngshare-orig', 'ngshare.db'),
          fromStorage: join(hub.workDir, 'ngshare-orig', 'files'),
          workDir: join(hub.workDir, 'nbgrader', 'switch-server'),
          hubApiUrl: hub.hubApiUrl,
          apiToken: hub.adminToken,
          admins: hub.ngshareAdmins
        });
        return switched.url;
      }
    }
  });
  // nothing awaits a run that fails before its test: keep node from reporting it as unhandled
  for (const p of Object.values(runs)) {
    p.catch(() => undefined);
  }
}, 600_000);

afterAll(async () => {
  await switched?.stop();
});

/**
 * What each plugin says when the exchange refuses (normalised as in comparable()): ngshare_exchange
 * repeats the service's words, ngshare_ts_exchange names the cause (issue 15, item 3).
 */
const REFUSALS: Record<string, Record<string, string>> = {
  ngshare_exchange: {
    'fetch_assignment by removed student': 'returned failure: ',
    'submit by removed student': 'Failed to submit.',
    'list --inbound by student': 'returned failure: Permission denied',
    'collect by student': 'Failed to list submissions.'
  },
  ngshare_ts_exchange: {
    'fetch_assignment by removed student':
      "Cannot fetch ps1 from course '<COURSE>': you (<DROPPED1>) are not a member of course '<COURSE>' (the exchange answered: Permission denied)",
    'submit by removed student':
      "Cannot submit ps1 to course '<COURSE>': you (<DROPPED1>) are not a member of course '<COURSE>' (the exchange answered: Permission denied)",
    'list --inbound by student':
      "Cannot list the submissions of ps2 in course '<COURSE>': you (<STUDENT2>) are not an instructor of course '<COURSE>' (the exchange answered: Permission denied)",
    'collect by student':
      "Cannot collect ps1 of course '<COURSE>': you (<STUDENT2>) are not an instructor of course '<COURSE>' (the exchange answered: Permission denied)"
  }
};

/** How many objects the test S3 server (NGSHARE_TEST_S3_URL) holds under a prefix. */
async function countObjects(bucket: string, prefix: string): Promise<number> {
  const client = s3ClientFor(process.env.NGSHARE_TEST_S3_URL!);
  try {
    let count = 0;
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })
      );
      count += page.KeyCount ?? 0;
      token = page.NextContinuationToken;
    } while (token);
    return count;
  } finally {
    client.destroy();
  }
}

/** The API answers with every `files` list in path order. */
function byPath(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(byPath) as Array<{ path?: unknown } | null>;
    const path = (i: { path?: unknown } | null): unknown => i?.path;
    return items.every(i => typeof path(i) === 'string')
      ? items.sort((x, y) => String(path(x)).localeCompare(String(path(y))))
      : items;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, byPath(v)]));
  }
  return value;
}

/** Everything that must hold within one run, whichever server and plugin it was. */
function checkSemester(res: SemesterResult): void {
  const { courseDir, homes, snapshots: snap } = res;
  const users = res.options.users;
  const C = res.options.courseId;
  const [s1, s2] = users.students;
  const I = users.instructor;

  // 1. every command exits 0 and reports no error, except the two that must fail
  expect(res.error).toBeUndefined();
  const failedSteps = res.steps.filter(
    s => !s.expectFailure && (s.code !== 0 || errorLines(s).length > 0)
  );
  const bad = failedSteps.map(s => `${s.id} (exit ${s.code}):\n${s.stdout}\n${s.stderr}`);
  if (bad.length > 0) {
    // CI shows a console line in full where a long diff is cut: name the step and its error first
    const first = failedSteps[0];
    // and what the servers logged of it: errors and 5xx answers in the shared hub's log
    const serverErrors = readFileSync(hub.logFile, 'utf8')
      .split('\n')
      .filter(l => /Traceback|Error|"status":5\d\d| 5\d\d (GET|POST|DELETE) /.test(l))
      .slice(-5);
    console.log(
      `[${res.options.label}] ${bad.length} step(s) failed, first "${first.id}" ` +
        `(exit ${first.code}): ${errorLines(first).slice(0, 3).join(' | ')}\n` +
        `last server errors in ${hub.logFile}:\n${serverErrors.join('\n')}`
    );
  }
  expect(bad).toEqual([]);
  const plugin = res.options.plugin ?? 'ngshare_exchange';
  const noNames = res.steps.find(s => s.id === 'add_instructor-no-names');
  if (plugin === 'ngshare_exchange') {
    // ngshare_exchange drops missing names; both servers then ask for them
    expect(noNames?.code).not.toBe(0);
    expect(stepOutput(res, 'add_instructor-no-names')).toContain('Please supply first name');
  } else {
    // ngshare_ts_exchange sends empty names, as the ngshare docs' examples expect to work
    expect(noNames?.code).toBe(0);
    expect(stepOutput(res, 'add_instructor-no-names')).toContain(
      `Successfully added ${I} as an instructor to ${C}`
    );
  }
  // refused or impossible operations: a non-zero exit or an error line, and the right message
  const failed = (id: string, message: string): void => {
    const step = res.steps.find(s => s.id === id);
    expect({
      id,
      failed: step !== undefined && (step.code !== 0 || errorLines(step).length > 0)
    }).toEqual({
      id,
      failed: true
    });
    expect(normalise(stepOutput(res, id), normaliserFor(res))).toContain(message);
  };
  failed(
    'fetch_assignment s1 again',
    'You already have a copy of the assignment in this directory'
  );
  for (const [id, message] of Object.entries(REFUSALS[plugin])) {
    failed(id, message);
  }
  expect(stepOutput(res, 'list by removed student')).not.toContain(C);
  const again = res.steps.find(s => s.id === 'release_assignment ps1 again');
  expect(again?.code).not.toBe(0);
  expect(stepOutput(res, 'release_assignment ps1 again')).toContain(
    `Destination already exists, add --force to overwrite: ${C} ps1`
  );

  // 2. roster as the server has it: names from the CSV, dropped students gone
  const students = (res.api[`/students/${C}`] as { body: { students: unknown[] } }).body.students;
  expect(students).toEqual([
    { username: s1, first_name: 'Alice', last_name: 'Adams', email: 'alice@example.edu' },
    { username: s2, first_name: 'Bob', last_name: 'Brown', email: 'bob@example.edu' }
  ]);
  const instructors = (res.api[`/instructors/${C}`] as { body: { instructors: unknown[] } }).body
    .instructors;
  expect(instructors).toEqual([
    { username: I, first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.edu' }
  ]);
  // the gradebook got the CSV students and lost the removed ones
  const bin = res.options.venvBin;
  const gb = execFileSync(join(bin, 'nbgrader'), ['db', 'student', 'list'], {
    cwd: courseDir,
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: homes[I], USER: I }
  }).toString();
  expect(gb).toMatch(new RegExp(`${s1} \\(Adams, Alice\\)`));
  expect(gb).toMatch(new RegExp(`${s2} \\(Brown, Bob\\)`));
  expect(gb).not.toContain(users.dropped[0]);
  expect(gb).not.toContain(users.dropped[1]);

  // 3. release -> fetch: byte-identical trees (nested and binary files included)
  const released = subtree(snap['instructor:release'], 'ps1');
  expect(Object.keys(released).sort()).toEqual([
    'data/values.csv',
    'images/figure.png',
    'problem1.ipynb',
    'problem2.ipynb'
  ]);
  expect(snap['s1:fetched']).toEqual(released);
  expect(snap['s2:fetched']).toEqual(released);
  // --replace restored the deleted folder, byte for byte
  expect(snap['s2:replaced']).toEqual(released);
  expect(cacheDirs(res, users.dropped[0])).toEqual([]);
  expect(stepOutput(res, 'list s1')).toContain(`${C} ps1\n`);
  expect(stepOutput(res, 'list s1')).toContain(`${C} ps2\n`);
  expect(stepOutput(res, 'list s1 after fetch')).toContain(`${C} ps1 (already downloaded)`);

  // 4. submission timestamps: server-generated, UTC microsecond format, increasing
  const ts1 = res.submitTimestamps[s1];
  const ts2 = res.submitTimestamps[s2];
  expect(ts1).toHaveLength(2);
  expect(ts2).toHaveLength(1);
  for (const t of [...ts1, ...ts2]) {
    expect(t).toMatch(TS_RE);
  }
  expect(ts1[0] < ts2[0] && ts2[0] < ts1[1]).toBe(true);

  // 5. the students' caches: one folder per submission, with timestamp.txt
  const c1 = cacheDirs(res, s1);
  expect(c1.map(d => d.slice(d.lastIndexOf('/') + 1))).toEqual(ts1.map(t => `${s1}+ps1+${t}`));
  for (const [i, d] of c1.entries()) {
    expect(readFileSync(join(d, 'timestamp.txt'), 'utf8')).toBe(ts1[i]);
  }

  // 6. collect: latest submission per student, byte-identical, timestamp.txt = submit's timestamp
  const check = (tree: Tree, student: string, work: Tree, ts: string): void => {
    const got = subtree(tree, `${student}/ps1`);
    expect(without(got, r => r === 'timestamp.txt')).toEqual(work);
    expect(
      readFileSync(join(courseDir, 'submitted', student, 'ps1', 'timestamp.txt'), 'utf8')
    ).toBe(ts);
  };
  const sub1 = snap['instructor:submitted#1'];
  expect(without(subtree(sub1, `${s1}/ps1`), r => r === 'timestamp.txt')).toEqual(
    snap['submit s1 #1:work']
  );
  expect(without(subtree(sub1, `${s2}/ps1`), r => r === 'timestamp.txt')).toEqual(
    snap['submit s2:work']
  );
  const sub2 = snap['instructor:submitted#2'];
  check(sub2, s1, snap['submit s1 #2:work'], ts1[1]);
  check(sub2, s2, snap['submit s2:work'], ts2[0]);
  expect(snap['submit s1 #2:work']['notes.txt']).toBeDefined();
  expect(stepOutput(res, 'collect #1')).toContain(`Collecting submission: ${s1} ps1`);
  expect(stepOutput(res, 'collect without --update')).toContain(
    `Submission already exists, use --update to update: ${s1} ps1`
  );
  expect(stepOutput(res, 'collect --update')).toContain(`Updating submission: ${s1} ps1`);
  expect(stepOutput(res, 'collect --update')).toContain(
    `No newer submission to collect: ${s2} ps1`
  );
  expect(readFileSync(join(courseDir, 'autograded', s1, 'ps1', 'timestamp.txt'), 'utf8')).toBe(
    ts1[1]
  );

  // autograde ran on the collected (latest) versions: s1's second attempt solves both problems,
  // s2's problem 1 is wrong
  const grades = readFileSync(join(courseDir, 'grades.csv'), 'utf8');
  const score = (student: string): string[] => {
    const head = grades.split('\n')[0].split(',');
    const row = grades.split('\n').find(l => {
      const c = l.split(',');
      return c[head.indexOf('assignment')] === 'ps1' && c[head.indexOf('student_id')] === student;
    });
    const cells = row?.split(',') ?? [];
    return ['raw_score', 'max_score'].map(k => cells[head.indexOf(k)]);
  };
  expect(score(s1).map(Number)).toEqual([5, 5]);
  expect(score(s2).map(Number)).toEqual([2, 5]);

  // 7. listings
  const inbound2 = stepOutput(res, 'list --inbound #2');
  for (const [s, t] of [
    [s1, ts1[0]],
    [s2, ts2[0]],
    [s1, ts1[1]]
  ]) {
    expect(inbound2).toContain(`${C} ${s} ps1 ${t}`);
  }
  const cached = stepOutput(res, 'list --cached s1');
  expect(cached).toContain(`${C} ${s1} ps1 ${ts1[0]} (no feedback available)`);
  expect(cached).toContain(`${C} ${s1} ps1 ${ts1[1]} (no feedback available)`);
  const before = stepOutput(res, 'list --cached s1 before fetch_feedback');
  expect(before).toContain(`${C} ${s1} ps1 ${ts1[1]} (feedback ready to be fetched)`);
  const after = stepOutput(res, 'list --cached s1 after fetch_feedback');
  expect(after).toContain(`${C} ${s1} ps1 ${ts1[1]} (feedback already fetched)`);
  expect(after).toContain(`${C} ${s1} ps1 ${ts1[0]} (no feedback available)`);

  // 8. feedback: byte-identical HTML under feedback/<submission timestamp>/, only for the
  //    collected (latest) submission
  const fb = snap['instructor:feedback'];
  for (const [s, t] of [
    [s1, ts1[1]],
    [s2, ts2[0]]
  ]) {
    const mine = subtree(fb, `${s}/ps1`);
    expect(
      Object.keys(mine)
        .filter(f => f.endsWith('.html'))
        .sort()
    ).toEqual(['problem1.html', 'problem2.html']);
    expect(readFileSync(join(courseDir, 'feedback', s, 'ps1', 'timestamp.txt'), 'utf8')).toBe(t);
    const home = subtree(snap[`home:${s}`], 'ps1/feedback');
    expect(home).toEqual({
      [`${t}/problem1.html`]: mine['problem1.html'],
      [`${t}/problem2.html`]: mine['problem2.html']
    });
  }

  // 9. unrelease: ps1 is gone for students and from the server, ps2 stays
  const afterRemove = stepOutput(res, 'list s2 after unrelease');
  expect(afterRemove).toContain(`${C} ps2`);
  expect(afterRemove).not.toContain(`${C} ps1`);
  expect((res.api[`/assignments/${C}`] as { body: unknown }).body).toEqual({
    success: true,
    assignments: ['ps2']
  });
  expect(existsSync(join(homes[s1], 'ps1'))).toBe(true); // local copies stay
}

describe('nbgrader semester with the real tools', () => {
  test('against ngshare-ts (/services/ngshare)', async () => {
    checkSemester(await runs['ngshare-ts']);
  }, 900_000);

  test('against the original ngshare 0.6 (/services/ngshare-orig)', async () => {
    checkSemester(await runs['ngshare-0.6']);
  }, 900_000);

  test('switching from ngshare 0.6 to ngshare-ts mid-semester (import, repoint the URL)', async () => {
    const res = await runs['switch'];
    expect(res.exchangeUrls).toHaveLength(2);
    expect(switched?.importOutput).toMatch(/files verified by MD5/);
    checkSemester(res);
  }, 900_000);

  const scaleNote =
    process.env.NGSHARE_TEST_PG_URL && process.env.NGSHARE_TEST_S3_URL ? ' on PostgreSQL + S3' : '';
  test(`against ngshare-ts${scaleNote} with this repository's plugin (ngshare_ts_exchange)`, async () => {
    const res = await runs['plugin'];
    if (scaleNote) {
      // the deployment with no shared filesystem: the run went to ngshare-scale
      expect(hub.scaleServiceName).toBe('ngshare-scale');
      expect(res.options.exchangeUrl).toBe(`${hub.hubUrl}/services/ngshare-scale`);
      expect(hub.scaleStorage).toMatch(/^s3:\/\//);
      expect(hub.scaleDatabase).toMatch(/^postgres(ql)?:\/\//);
      // the semester's files are objects in the bucket
      const [bucket, ...prefix] = hub.scaleStorage!.slice('s3://'.length).split('/');
      expect(await countObjects(bucket, prefix.join('/'))).toBeGreaterThan(10);
    }
    // the plugin's own console script did the roster steps
    expect(res.steps.find(s => s.id === 'create_course')?.argv[0]).toBe(
      'ngshare-course-management'
    );
    expect(existsSync(join(PLUGIN_VENV_BIN, 'ngshare-course-management'))).toBe(true);
    checkSemester(res);
  }, 900_000);

  test('ngshare-ts gives the same semester with either plugin: files, server state, listings, exits', async () => {
    const a = comparable(await runs['ngshare-ts']);
    const p = comparable(await runs['plugin']);
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    writeFileSync(
      join(ARTIFACTS_DIR, 'nbgrader-semester-compare-plugins.json'),
      JSON.stringify({ ngshare_exchange: a, ngshare_ts_exchange: p }, null, 1)
    );
    expect(p.steps.map(s => s.id)).toEqual(a.steps.map(s => s.id));
    // where the plugins differ by design: the refusals' words (checked per plugin above) and
    // add_instructor without names, which ngshare_ts_exchange accepts
    const differs = new Set([...Object.keys(REFUSALS.ngshare_exchange), 'add_instructor-no-names']);
    const listing = (out: string[]): string[] => out.filter(l => !l.includes('| WARNING]'));
    for (const [i, s] of p.steps.entries()) {
      const o = a.steps[i];
      if (differs.has(s.id)) {
        continue;
      }
      expect({ id: s.id, code: s.code }).toEqual({ id: o.id, code: o.code });
      if (s.id.startsWith('list')) {
        // what nbgrader list prints is what the Assignments panel and formgrader read
        expect({ id: s.id, output: listing(s.output) }).toEqual({
          id: o.id,
          output: listing(o.output)
        });
      }
    }
    for (const id of Object.keys(REFUSALS.ngshare_exchange)) {
      expect({ id, code: p.steps.find(s => s.id === id)?.code }).not.toEqual({ id, code: 0 });
    }
    expect(p.trees).toEqual(a.trees);
    // each plugin uploads a folder's files in its own walk order; the server keeps that order
    expect(byPath(p.api)).toEqual(byPath(a.api));
  }, 900_000);

  test('nbgrader sees the same thing from both servers', async () => {
    const a = comparable(await runs['ngshare-ts']);
    const b = comparable(await runs['ngshare-0.6']);
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    writeFileSync(
      join(ARTIFACTS_DIR, 'nbgrader-semester-compare.json'),
      JSON.stringify({ 'ngshare-ts': a, 'ngshare-0.6': b }, null, 1)
    );
    // step by step, so that a difference names the command
    expect(a.steps.map(s => s.id)).toEqual(b.steps.map(s => s.id));
    for (const [i, s] of a.steps.entries()) {
      expect(s).toEqual(b.steps[i]);
    }
    expect(a.trees).toEqual(b.trees);
    expect(a.api).toEqual(b.api);
  }, 900_000);

  test('nbgrader sees the same thing after the switch as on either server alone', async () => {
    const a = comparable(await runs['ngshare-ts']);
    const c = comparable(await runs['switch']);
    expect(c.steps.map(x => x.id)).toEqual(a.steps.map(x => x.id));
    for (const [i, x] of c.steps.entries()) {
      expect(x).toEqual(a.steps[i]);
    }
    expect(c.trees).toEqual(a.trees);
    expect(c.api).toEqual(a.api);
  }, 900_000);
});
