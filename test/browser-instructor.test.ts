/**
 * Instructor flow in a real browser (issue 6): an administrator creates the course in the Courses
 * panel; the instructor builds the roster from a CSV, releases from <course>/release/ps1/, two
 * students submit through the student panel (one twice), the instructor collects (files checked
 * byte for byte through the contents API), releases feedback, and a student opens it.
 * Screenshots for docs/instructor-guide.md go to test/artifacts/screenshots/
 * (`npm run screenshots` writes them to docs/screenshots/).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { HubClient, loadHub, serviceCall, serviceRequest, type ServiceEnvelope } from './harness';
import {
  AssignmentsPanel,
  BrowserHandle,
  InstructorPanel,
  LabPage,
  UserServer,
  binaryBytes,
  launchBrowser,
  md5,
  ms,
  notebook,
  prepareUsers,
  quietLab
} from './src/browser/lab';
import { checkAccessibility } from './src/browser/a11y';

const info = loadHub();
const hub = new HubClient(info);
// Every jest run has its own hub and ngshare database, so names unique among the test files are
// enough; fixed names keep the screenshots in docs/ stable from run to run.
const course = 'chem201';
const admin = 'admin';
const inst = 'mcurie';
const sa = 'ana';
const sb = 'bo';
const sc = 'cy'; // enrolled, never submits
const sd = 'di'; // removed by the second import

jest.setTimeout(240_000);

type Tree = { path: string; checksum: string; content: string }[];

const release: Record<string, Buffer> = {
  'p1.ipynb': Buffer.from(notebook('# your code here\n', 'Titration')),
  'p2.ipynb': Buffer.from(notebook('# and here\n', 'Kinetics')),
  'data/spectrum.bin': binaryBytes(3000, 11),
  'data/sub/readme.txt': Buffer.from('Use the spectrum in data/.\n')
};

let tokens: Record<string, string>;
let browser: BrowserHandle;
let instLab: LabPage;
let instServer: UserServer;
let panel: InstructorPanel;
const timestamps: Record<string, string[]> = {};

const api = (path: string, token: string) => serviceCall(info, path, token);

beforeAll(async () => {
  const t0 = Date.now();
  const [t] = await Promise.all([
    prepareUsers(hub, [admin, inst, sa, sb, sc, sd], { start: false }).then(async tk => {
      await Promise.all([admin, inst, sa, sb].map(u => hub.startServer(u)));
      return tk;
    }),
    launchBrowser().then(b => (browser = b))
  ]);
  tokens = t;
  instServer = new UserServer(info, inst, tokens[inst]);
  await Promise.all([admin, inst, sa, sb].map(u => quietLab(new UserServer(info, u, tokens[u]))));
  // nbgrader generate_assignment's output, in the instructor's home
  for (const [p, b] of Object.entries(release)) {
    await instServer.writeFile(`${course}/release/ps1/${p}`, b);
  }
  console.log(`[browser-instructor] setup (4 servers, release folder, Chromium): ${ms(t0)}`);
}, 300_000);

afterAll(async () => {
  await instLab?.close();
  await browser?.close();
});

test('an administrator creates the course in the Courses panel', async () => {
  const lab = await LabPage.open(browser.browser, info, admin);
  try {
    const courses = await lab.openSidebar('ngshare-courses');
    await courses
      .getByText('Administrator')
      .first()
      .or(courses.getByText('You are not a member'))
      .first()
      .waitFor();
    await courses.getByRole('button', { name: 'Create course' }).click();
    const dialog = lab.page.locator('.jp-Dialog');
    await dialog.getByRole('textbox', { name: 'Course id' }).fill(course);
    await dialog
      .getByRole('textbox', { name: 'Instructors (user names, comma-separated)' })
      .fill(inst);
    await lab.shoot('instructor-create-course');
    await checkAccessibility(lab, 'admin: create course dialog', { themes: 'current' });
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await courses.locator(`li[data-course="${course}"]`).waitFor();
    const r = await api(`instructors/${course}`, tokens[admin]);
    expect((r.instructors as { username: string }[]).map(i => i.username)).toEqual([inst]);

    // The "Admin page" link opens the service's admin page in a new tab: the hub's OAuth login
    // runs on the way and must land on that page (not the service's home page).
    const [adminTab] = await Promise.all([
      lab.context.waitForEvent('page'),
      courses.getByRole('link', { name: 'Admin page' }).click()
    ]);
    await adminTab.getByRole('heading', { name: 'ngshare admin' }).waitFor();
    expect(new URL(adminTab.url()).pathname).toMatch(/\/services\/ngshare\/admin$/);
    await expect(adminTab.getByText(course).first().isVisible()).resolves.toBe(true);
    await adminTab.close();
  } finally {
    await lab.close();
  }
});

test('the instructor builds the roster from a CSV (preview, results, update, removal)', async () => {
  instLab = await LabPage.open(browser.browser, info, inst);
  const courses = await instLab.openSidebar('ngshare-courses');
  const item = courses.locator(`li[data-course="${course}"]`);
  await item.getByText('Instructor', { exact: true }).waitFor();
  await instLab.dismissToasts();
  await instLab.shoot('instructor-courses');
  await checkAccessibility(instLab, 'instructor: courses');
  await item.getByRole('button', { name: 'Manage' }).click();
  panel = new InstructorPanel(instLab);
  await panel.root.waitFor();
  const roster = await panel.show('Roster');
  const csv = roster.getByRole('textbox', { name: 'CSV text' });
  await csv.fill(
    [
      'student_id,first_name,last_name,email',
      `${sa},Ana,Silva,ana@example.org`,
      `${sb},Bo,Berg,bo@example.org`,
      `${sc},Cy,Chen,`,
      `${sd},Di,Diaz,di@example.org`,
      `${sb},Bo,Again,dup@example.org`,
      `${inst},Marie,Curie,`
    ].join('\n')
  );
  await roster.getByRole('button', { name: 'Preview import' }).click();
  const preview = roster.getByRole('table', { name: 'Import preview' });
  await preview.waitFor();
  const rowOf = (table: typeof preview, user: string, change: string) =>
    table
      .locator('tr', { has: instLab.page.getByRole('cell', { name: user, exact: true }) })
      .filter({
        has: instLab.page.getByRole('cell', { name: change, exact: true })
      });
  for (const u of [sa, sb, sc, sd]) {
    await expect(rowOf(preview, u, 'add').count()).resolves.toBe(1);
  }
  await expect(rowOf(preview, sb, 'invalid').count()).resolves.toBe(1);
  await expect(rowOf(preview, inst, 'invalid').count()).resolves.toBe(1);
  await instLab.shoot('instructor-roster-import-preview');
  await checkAccessibility(instLab, 'instructor: roster import preview');
  await roster.getByRole('button', { name: 'Import', exact: true }).click();
  const results = roster.getByRole('table', { name: 'Import results' });
  await results.waitFor();
  for (const u of [sa, sb, sc, sd]) {
    await results.locator('tr', { hasText: u }).getByText('ok').waitFor();
  }
  await instLab.shoot('instructor-roster-import-results');
  await checkAccessibility(instLab, 'instructor: roster import results');
  let students = (await api(`students/${course}`, tokens[inst])).students as {
    username: string;
    email: string;
  }[];
  expect(students.map(s => s.username).sort()).toEqual([sa, sb, sc, sd].sort());

  // second import: sa's e-mail changes, sd is no longer in the CSV and gets removed
  await csv.fill(
    [
      'student_id,first_name,last_name,email',
      `${sa},Ana,Silva,ana.silva@example.org`,
      `${sb},Bo,Berg,bo@example.org`,
      `${sc},Cy,Chen,`
    ].join('\n')
  );
  await roster.getByRole('checkbox', { name: 'Remove students who are not in the CSV' }).check();
  await roster.getByRole('button', { name: 'Preview import' }).click();
  await expect(rowOf(preview, sa, 'update').count()).resolves.toBe(1);
  await expect(rowOf(preview, sd, 'remove').count()).resolves.toBe(1);
  await preview.getByText('2 rows unchanged').waitFor();
  await roster.getByRole('button', { name: 'Import', exact: true }).click();
  const confirm = instLab.page.locator('.jp-Dialog');
  await confirm.getByText(`The import removes these students from the course: ${sd}`).waitFor();
  await confirm.getByRole('button', { name: 'Import and remove' }).click();
  await results.locator('tr', { hasText: sd }).getByText('ok').waitFor();
  students = (await api(`students/${course}`, tokens[inst])).students as typeof students;
  expect(students.map(s => s.username).sort()).toEqual([sa, sb, sc].sort());
  expect(students.find(s => s.username === sa)?.email).toBe('ana.silva@example.org');
  const table = roster.getByRole('table', { name: 'Students' });
  await table.locator(`tr[data-username="${sc}"]`).waitFor();
  await table.locator(`tr[data-username="${sd}"]`).waitFor({ state: 'detached' });
  await instLab.dismissToasts();
  await instLab.shoot('instructor-roster');
  await checkAccessibility(instLab, 'instructor: roster');
});

test('the instructor releases ps1 from release/ps1/', async () => {
  await panel.show('Assignments');
  const row = panel.row('ps1');
  await row.getByText('not released').waitFor();
  await row.getByRole('button', { name: 'Release', exact: true }).click();
  await row.getByText('released', { exact: true }).waitFor();
  const r = await serviceRequest<ServiceEnvelope>(info, `assignment/${course}/ps1?list_only=true`, {
    token: tokens[sa]
  });
  const files = r.json.files as Tree;
  expect(Object.fromEntries(files.map(f => [f.path, f.checksum]))).toEqual(
    Object.fromEntries(Object.entries(release).map(([p, b]) => [p, md5(b)]))
  );
  await instLab.dismissToasts();
});

test('two students fetch and submit through the student panel (one twice)', async () => {
  for (const [user, times] of [
    [sa, 2],
    [sb, 1]
  ] as const) {
    const lab = await LabPage.open(browser.browser, info, user);
    try {
      const p = new AssignmentsPanel(lab);
      await p.open(course);
      await p.item('Released', 'ps1').getByRole('button', { name: 'Fetch', exact: true }).click();
      await p.item('Downloaded', 'ps1').waitFor();
      const server = new UserServer(info, user, tokens[user]);
      timestamps[user] = [];
      for (let i = 1; i <= times; i++) {
        // the student's work, saved as the editor would
        await server.writeFile(
          'ps1/p1.ipynb',
          notebook(`answer = ${i * 10}  # ${user}, attempt ${i}\n`, 'Titration')
        );
        if (i === 2) {
          await server.writeFile('ps1/extra/plot.bin', binaryBytes(777, 3));
        }
        timestamps[user].push(await p.submit('ps1', i > 1));
      }
    } finally {
      await lab.close();
    }
  }
  const all = (await api(`submissions/${course}/ps1`, tokens[inst])).submissions as {
    student_id: string;
    timestamp: string;
  }[];
  expect(all.filter(s => s.student_id === sa).map(s => s.timestamp)).toEqual(timestamps[sa]);
  expect(all.filter(s => s.student_id === sb).map(s => s.timestamp)).toEqual(timestamps[sb]);
});

test('the instructor sees the matrix, collects (byte for byte) and releases feedback', async () => {
  await panel.root.getByRole('button', { name: 'Refresh', exact: true }).first().click();
  const matrix = await panel.show('Submissions');
  const cell = (u: string) => matrix.locator(`tr[data-student="${u}"] td[data-state]`).first();
  await matrix.getByRole('button', { name: `${sa}, ps1: submitted 2 times` }).waitFor();
  await expect(cell(sa).getAttribute('data-state')).resolves.toBe('resubmitted');
  await expect(cell(sb).getAttribute('data-state')).resolves.toBe('submitted');
  await expect(cell(sc).getAttribute('data-state')).resolves.toBe('none');
  await matrix.getByRole('region', { name: 'Not submitted' }).getByText(sc).waitFor();
  await matrix.getByRole('button', { name: `${sa}, ps1: submitted 2 times` }).click();
  const history = matrix.getByRole('region', { name: `History of ${sa}` });
  for (const ts of timestamps[sa]) {
    // local time with its zone; the exchange's value in the tooltip
    await history.locator(`time[data-timestamp="${ts}"][title="${ts} UTC"]`).waitFor();
  }
  await instLab.dismissToasts();
  await instLab.shoot('instructor-submissions-matrix');
  await checkAccessibility(instLab, 'instructor: submissions matrix and history');

  // Collect all
  await panel.show('Assignments');
  const row = panel.row('ps1');
  const t0 = Date.now();
  await row.getByRole('button', { name: 'Collect', exact: true }).click();
  const summary = panel.root.getByRole('region', { name: 'Collect ps1' });
  await summary.getByRole('table').waitFor();
  const collectMs = Date.now() - t0;
  for (const u of [sa, sb]) {
    await summary.locator('tr', { hasText: u }).getByText('collected').waitFor();
  }
  console.log(
    `[browser-instructor] collect of ps1 (2 students, latest of 3 submissions): ${(collectMs / 1000).toFixed(2)} s from the click to the summary`
  );
  for (const u of [sa, sb]) {
    const latest = await api(`submission/${course}/ps1/${u}`, tokens[inst]);
    expect(latest.timestamp).toBe(timestamps[u][timestamps[u].length - 1]);
    const dir = `${course}/submitted/${u}/ps1`;
    const files = latest.files as Tree;
    expect(await instServer.listTree(dir)).toEqual(
      [...files.map(f => f.path), 'timestamp.txt'].sort()
    );
    for (const f of files) {
      const local = await instServer.readFile(`${dir}/${f.path}`);
      expect(local && md5(local)).toBe(md5(Buffer.from(f.content, 'base64')));
      expect(local && md5(local)).toBe(f.checksum);
    }
    const ts = (await instServer.readFile(`${dir}/timestamp.txt`))?.toString();
    expect(ts?.trim()).toBe(latest.timestamp);
  }
  // the second submission of sa (with its extra file) is what was collected
  expect(
    (await instServer.readFile(`${course}/submitted/${sa}/ps1/p1.ipynb`))?.toString()
  ).toContain('attempt 2');
  expect(
    md5((await instServer.readFile(`${course}/submitted/${sa}/ps1/extra/plot.bin`)) ?? '')
  ).toBe(md5(binaryBytes(777, 3)));
  await instLab.dismissToasts();
  await instLab.shoot('instructor-collect-summary');
  await checkAccessibility(instLab, 'instructor: collect summary');

  // Collect again: nothing newer, everyone skipped
  await row.getByRole('button', { name: 'Collect', exact: true }).click();
  for (const u of [sa, sb]) {
    await summary.locator('tr', { hasText: u }).getByText('skipped').waitFor();
  }

  // nbgrader generate_feedback's output: feedback/<student>/ps1/*.html + timestamp.txt
  const html: Record<string, Buffer> = {};
  for (const u of [sa, sb]) {
    html[u] = Buffer.from(
      `<!DOCTYPE html><html><body><h1>ps1 feedback</h1><p>${u}: 8/10, see question 2.</p></body></html>\n`
    );
    await instServer.writeFile(`${course}/feedback/${u}/ps1/p1.html`, html[u]);
    const ts = await instServer.readFile(`${course}/submitted/${u}/ps1/timestamp.txt`);
    await instServer.writeFile(`${course}/feedback/${u}/ps1/timestamp.txt`, ts ?? '');
  }
  await row.getByRole('button', { name: 'Release feedback', exact: true }).click();
  const fb = panel.root.getByRole('region', { name: 'Release feedback ps1' });
  for (const u of [sa, sb]) {
    await fb.locator('tr', { hasText: u }).getByText('released').waitFor();
  }
  for (const u of [sa, sb]) {
    const latest = timestamps[u][timestamps[u].length - 1];
    const r = await serviceRequest<ServiceEnvelope>(
      info,
      `feedback/${course}/ps1/${u}?timestamp=${encodeURIComponent(latest)}`,
      { token: tokens[u] }
    );
    const files = r.json.files as Tree;
    expect(files.map(f => [f.path, f.checksum])).toEqual([['p1.html', md5(html[u])]]);
  }
  await instLab.dismissToasts();
  await instLab.shoot('instructor-release-feedback');
  await checkAccessibility(instLab, 'instructor: release feedback summary');
  await instLab.theme(true);
  await instLab.shoot('instructor-dark');
  await instLab.theme(false);

  // the assignments table with its counts
  await panel.root.getByRole('button', { name: 'Refresh', exact: true }).first().click();
  // students submitted (submissions), last submission, feedback released
  await row.locator('td', { hasText: /^2 \(3\)$/ }).waitFor();
  const last = [...timestamps[sa], ...timestamps[sb]].sort().pop() ?? '';
  await row.locator(`time[data-timestamp="${last}"]`).waitFor();
  await row.locator('td', { hasText: /^2$/ }).waitFor();
  await fb.getByRole('button', { name: 'Dismiss' }).click();
  await fb.waitFor({ state: 'detached' });
  await instLab.dismissToasts();
  await instLab.shoot('instructor-assignments');
  await checkAccessibility(instLab, 'instructor: assignments');
});

test('a student sees the feedback and opens it', async () => {
  const lab = await LabPage.open(browser.browser, info, sa);
  try {
    const p = new AssignmentsPanel(lab);
    await p.open(course);
    const latest = timestamps[sa][1];
    await p.submission('ps1', timestamps[sa][0], 'none').waitFor();
    await p.submission('ps1', latest, 'available').waitFor();
    await p.item('Submitted', 'ps1').getByRole('button', { name: 'Fetch feedback' }).click();
    await p.submission('ps1', latest, 'fetched').waitFor();
    await lab.page
      .frameLocator('.jp-HTMLViewer:visible iframe')
      .getByText(`${sa}: 8/10, see question 2.`)
      .waitFor();
    const server = new UserServer(info, sa, tokens[sa]);
    const got = await server.readFile(`ps1/feedback/${latest}/p1.html`);
    expect(got?.toString()).toContain(`${sa}: 8/10`);
  } finally {
    await lab.close();
  }
});

test('re-release asks to type the assignment name and states what is deleted', async () => {
  const row = panel.row('ps1');
  await row.getByRole('button', { name: 'Re-release', exact: true }).click();
  const dialog = instLab.page.locator('.jp-Dialog');
  const box = dialog.getByRole('textbox', { name: /Type the assignment name "ps1" to confirm:/ });
  await box.waitFor();
  await expect(dialog.textContent()).resolves.toMatch(/3 submission\(s\) from 2 student\(s\)/);
  const confirm = dialog.getByRole('button', { name: 'Delete and re-release' });
  await box.fill('ps');
  await instLab.shoot('instructor-rerelease-confirm');
  await checkAccessibility(instLab, 'instructor: re-release confirmation', { themes: 'current' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  expect(confirm).toBeTruthy();
  // nothing was deleted
  const all = (await api(`submissions/${course}/ps1`, tokens[inst])).submissions as unknown[];
  expect(all).toHaveLength(3);
});

test('the instructor makes the roster follow a JupyterHub group, syncs it and stops', async () => {
  // the hub admin keeps nbgrader's group for the course; the instructor follows it from the panel
  const group = `nbgrader-${course}`;
  await hub.addToGroup(group, [sa, sb, 'eli']);
  const roster = await panel.show('Roster');
  const box = roster.getByRole('region', { name: 'JupyterHub groups' });
  await box.getByText('Students are kept by hand.').waitFor();
  await expect(box.getByRole('textbox', { name: 'Student group' }).inputValue()).resolves.toBe(
    group
  );
  await box.getByRole('button', { name: 'Follow hub group' }).click();
  const dialog = instLab.page.locator('.jp-Dialog');
  await dialog.getByRole('button', { name: 'Follow' }).click();
  await box.getByText(`Students follow the hub group ${group}.`).waitFor();
  const students = roster.getByRole('table', { name: 'Students' });
  await students.locator('tr[data-username="eli"]').waitFor();
  // cy was on the roster but is not in the group: removed (submissions would stay)
  await students.locator(`tr[data-username="${sc}"]`).waitFor({ state: 'detached' });
  expect(await box.locator('[data-hub-groups-synced]').textContent()).toMatch(/added, \d+ removed/);
  await instLab.dismissToasts();
  await instLab.shoot('instructor-roster-groups');
  await checkAccessibility(instLab, 'instructor: roster following a hub group');

  // the group grows on the hub; Sync now follows
  await hub.addToGroup(group, ['fay']);
  await box.getByRole('button', { name: 'Sync now' }).click();
  await students.locator('tr[data-username="fay"]').waitFor();
  const listed = (await api(`students/${course}`, tokens[inst])).students as Array<{
    username: string;
  }>;
  expect(listed.map(s => s.username).sort()).toEqual([sa, sb, 'eli', 'fay'].sort());

  await box.getByRole('button', { name: 'Stop following' }).click();
  await box.getByText('Students are kept by hand.').waitFor();
  expect(((await api(`students/${course}`, tokens[inst])).students as unknown[]).length).toBe(4); // the roster stays
});

test('an administrator makes the instructors follow formgrade-<course> from the panel', async () => {
  const group = `formgrade-${course}`;
  await hub.addToGroup(group, [inst, 'gus']);
  const lab = await LabPage.open(browser.browser, info, admin);
  try {
    const courses = await lab.openSidebar('ngshare-courses');
    const item = courses.locator(`li[data-course="${course}"]`);
    await item.getByRole('button', { name: 'Manage' }).click();
    const adminPanel = new InstructorPanel(lab);
    await adminPanel.root.waitFor();
    const roster = await adminPanel.show('Roster');
    const box = roster.getByRole('region', { name: 'JupyterHub groups' });
    await box.getByText('Students are kept by hand.').waitFor();
    await box.getByRole('checkbox', { name: /Instructors follow too/ }).check();
    await expect(box.getByRole('textbox', { name: 'Instructor group' }).inputValue()).resolves.toBe(
      group
    );
    // students stay by hand: only the instructors follow
    await box.getByRole('textbox', { name: 'Student group' }).fill('');
    await lab.dismissToasts();
    await lab.shoot('admin-roster-instructor-group');
    await checkAccessibility(lab, 'admin: instructors follow a hub group', { themes: 'current' });
    await box.getByRole('button', { name: 'Follow hub group' }).click();
    const dialog = lab.page.locator('.jp-Dialog');
    await dialog
      .getByText(
        `The instructors of ${course} become the members of the JupyterHub group ${group}.`
      )
      .waitFor();
    await dialog.getByRole('button', { name: 'Follow' }).click();
    await box.getByText(`Instructors follow the hub group ${group}.`).waitFor();
    await roster
      .getByRole('table', { name: 'Instructors' })
      .locator('tr[data-username="gus"]')
      .waitFor();
    const listed = (await api(`instructors/${course}`, tokens[admin])).instructors as Array<{
      username: string;
    }>;
    expect(listed.map(i => i.username).sort()).toEqual([inst, 'gus'].sort());
    const groups = (await api(`v2/groups/${course}`, tokens[admin])).groups as {
      student_group: string | null;
      instructor_group: string | null;
    };
    expect(groups).toMatchObject({ student_group: null, instructor_group: group });
    await box.getByRole('button', { name: 'Stop following' }).click();
    await box.getByText('Students are kept by hand.').waitFor();
  } finally {
    await lab.close();
  }
  // the students' roster was left alone
  const students = (await api(`students/${course}`, tokens[inst])).students as unknown[];
  expect(students.length).toBe(4);
});

test('the instructor reads the course history, filters it and exports it as CSV', async () => {
  await panel.root.getByRole('button', { name: 'Refresh', exact: true }).first().click();
  const view = await panel.show('History');
  const table = view.getByRole('table', { name: 'Course history' });
  const rows = table.locator('tbody tr');
  await rows.first().waitFor();
  // what this file did, in words: the releases, the submissions, the collection, the group sync
  for (const action of ['release', 'submit', 'collect', 'feedback_upload', 'roster_add']) {
    await table.locator(`tr[data-action="${action}"]`).first().waitFor();
  }
  const submits = table.locator('tr[data-action="submit"]');
  await expect(submits.count()).resolves.toBe(3);
  await table
    .locator('tr[data-action="roster_add"]', { hasText: `via hub group nbgrader-${course}` })
    .first()
    .waitFor();
  // the table agrees with the exchange's record
  const record = (await api(`v2/history/${course}?action=submit`, tokens[inst])).events as Array<{
    actor: string;
    checksum: string;
  }>;
  expect(record.map(e => e.actor).sort()).toEqual([sa, sa, sb].sort());
  await submits.locator(`code[title="${record[0].checksum}"]`).first().waitFor();
  // the text filter answers as you type
  await view.getByRole('searchbox', { name: 'Filter events' }).fill(sb);
  await expect(table.locator('tr[data-action="submit"]').count()).resolves.toBe(1);
  await instLab.dismissToasts();
  await view.getByRole('searchbox', { name: 'Filter events' }).fill('');
  await table.locator('tr[data-action="release"]').first().waitFor();
  await instLab.shoot('instructor-history');
  await checkAccessibility(instLab, 'instructor: course history');

  // one action, from the exchange; the CSV export is that, as a download
  await view.getByRole('combobox', { name: 'Action' }).selectOption('submit');
  await table
    .locator('tbody tr:not([data-action="submit"])')
    .first()
    .waitFor({ state: 'detached' });
  await expect(rows.count()).resolves.toBe(3);
  const [download] = await Promise.all([
    instLab.page.waitForEvent('download'),
    view.getByRole('button', { name: 'Export CSV' }).click()
  ]);
  expect(download.suggestedFilename()).toBe(`ngshare-history-${course}-submit.csv`);
  const csv = fs
    .readFileSync((await download.path())!, 'utf8')
    .trimEnd()
    .split('\n');
  expect(csv[0]).toBe(
    'id,at,course_id,actor,action,assignment_id,student_id,timestamp,files,bytes,checksum,detail'
  );
  expect(csv.slice(1).map(line => line.split(',')[4])).toEqual(['submit', 'submit', 'submit']);
  await view.getByRole('combobox', { name: 'Action' }).selectOption('');
});

test("a student's receipt holds the checksum of the files the instructor collected", async () => {
  const latest = timestamps[sb][timestamps[sb].length - 1];
  const receipts = (await api(`v2/receipts/${course}`, tokens[sb])).receipts as Array<{
    timestamp: string;
    checksum: string;
    files: Array<{ path: string }>;
  }>;
  const receipt = receipts.find(r => r.timestamp === latest)!;
  // recomputed from the collected copy alone, as the guide tells a student to do
  const lines: string[] = [];
  for (const { path: p } of [...receipt.files].sort((a, b) =>
    Buffer.compare(Buffer.from(a.path), Buffer.from(b.path))
  )) {
    const bytes = await instServer.readFile(`${course}/submitted/${sb}/ps1/${p}`);
    lines.push(`${sha256(bytes!)}  ${p}\n`);
  }
  expect(receipt.checksum).toBe(sha256(lines.join('')));

  const lab = await LabPage.open(browser.browser, info, sb);
  try {
    const p = new AssignmentsPanel(lab);
    await p.open(course);
    await p.submission('ps1', latest).getByRole('button', { name: 'Receipt' }).click();
    const dialog = lab.page.locator('.jp-Dialog');
    await dialog.locator(`code[data-checksum="${receipt.checksum}"]`).waitFor();
    await dialog.getByText("find . -type f -printf '%P\\n'", { exact: false }).waitFor();
    await lab.dismissToasts();
    await lab.shoot('student-receipt');
    await checkAccessibility(lab, 'student: submission receipt', { themes: 'current' });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  } finally {
    await lab.close();
  }
});

function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

test('the instructor publishes a new version without deleting any submission', async () => {
  const before = (await api(`submissions/${course}/ps1`, tokens[inst])).submissions as unknown[];
  const fixed = Buffer.from(notebook('# your code here (typo fixed)\n', 'Titration'));
  await instServer.writeFile(`${course}/release/ps1/p1.ipynb`, fixed);
  await panel.show('Assignments');
  await panel.row('ps1').getByRole('button', { name: 'New version', exact: true }).click();
  const dialog = instLab.page.locator('.jp-Dialog');
  await dialog.getByText('Every submission and all feedback stay').waitFor();
  await instLab.dismissToasts();
  await instLab.shoot('instructor-new-version');
  await checkAccessibility(instLab, 'instructor: new version confirmation', { themes: 'current' });
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await instLab.page
    .getByText('Published ps1 version 2: 0 added, 1 changed, 0 removed.')
    .first()
    .waitFor();
  const versions = await api(`v2/versions/${course}/ps1`, tokens[inst]);
  expect(versions.current).toBe(2);
  expect((versions.versions as Array<{ changed: string[] }>)[1].changed).toEqual(['p1.ipynb']);
  // nothing deleted; a fetch now gets the new notebook
  expect((await api(`submissions/${course}/ps1`, tokens[inst])).submissions).toEqual(before);
  const fetched = (await api(`assignment/${course}/ps1`, tokens[sa])).files as Tree;
  const p1 = fetched.find(f => f.path === 'p1.ipynb')!;
  expect(Buffer.from(p1.content, 'base64').equals(fixed)).toBe(true);
});

test('a student is told of the new version and gets it beside their own edits', async () => {
  const server = new UserServer(info, sb, tokens[sb]);
  const mine = await server.readFile('ps1/p1.ipynb');
  expect(mine?.toString()).toContain('attempt 1'); // bo's edit of version 1
  await server.deleteFile('ps1/data/sub/readme.txt'); // lost here: the update brings it back
  const fixed = await instServer.readFile(`${course}/release/ps1/p1.ipynb`);
  const lab = await LabPage.open(browser.browser, info, sb);
  try {
    const p = new AssignmentsPanel(lab);
    await p.open(course);
    const item = p.item('Downloaded', 'ps1');
    await item.getByText('Version 2 is available (you have version 1).').waitFor();
    await item.getByRole('button', { name: 'Get update', exact: true }).click();
    const dialog = lab.page.locator('.jp-Dialog');
    await dialog.getByText('Get version 2 of ps1?').waitFor();
    const list = (name: string) =>
      dialog.getByRole('list', { name }).getByRole('listitem').allTextContents();
    await expect(list('New or missing here: downloaded')).resolves.toEqual(['data/sub/readme.txt']);
    await expect(
      list('Changed by you and by the instructor: the new version is saved beside yours')
    ).resolves.toEqual(['p1.ipynb → p1 (version 2).ipynb']);
    await dialog.getByText('2 files are already up to date.').waitFor();
    await lab.dismissToasts();
    await lab.shoot('student-update');
    await checkAccessibility(lab, 'student: get update dialog', { themes: 'current' });
    await dialog.getByRole('button', { name: 'Get update', exact: true }).click();
    await lab.toast('Updated ps1 to version 2 (2 files written).').waitFor();
    await item.getByText('Version 2 is available', { exact: false }).waitFor({ state: 'detached' });
  } finally {
    await lab.close();
  }
  // bo's notebook is untouched; the new one sits beside it; the lost file is back
  expect((await server.readFile('ps1/p1.ipynb'))?.equals(mine!)).toBe(true);
  expect((await server.readFile('ps1/p1 (version 2).ipynb'))?.equals(fixed!)).toBe(true);
  expect((await server.readFile('ps1/data/sub/readme.txt'))?.toString()).toBe(
    'Use the spectrum in data/.\n'
  );
  const versions = (await api(`v2/versions/${course}`, tokens[sb])).assignments;
  expect(versions).toEqual([{ assignment_id: 'ps1', current: 2, fetched: 2 }]);
});
