/**
 * Student flow in a real browser (issue 5): Debian's Chromium (playwright-core) against the shared
 * JupyterHub 5 + JupyterLab 4 with ngshare-ts as a managed service. The instructor side is done
 * with the REST API here (browser-instructor.test.ts drives the instructor panel).
 * Screenshots for docs/student-guide.md, light and dark theme, go to test/artifacts/screenshots/
 * (`npm run screenshots` writes them to docs/screenshots/).
 */
import { HubClient, loadHub, serviceCall, waitFor } from './harness';
import {
  AssignmentsPanel,
  BrowserHandle,
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
const course = 'bio101';
const instructor = 'prof-lin';
const stu1 = 'ada';
const stu2 = 'ben';

/** The release of ps1: nested folders, a binary file, notebooks. */
const release: Record<string, Buffer> = {
  'p1.ipynb': Buffer.from(notebook('# write your answer below\n', 'Problem 1')),
  'data/raw/measurements.csv': Buffer.from('id,value\n1,3.5\n2,4.25\n'),
  'data/image.bin': binaryBytes(5000),
  'docs/extra/p2.ipynb': Buffer.from(notebook('x = 1\n', 'Problem 2'))
};
const ps2Release: Record<string, Buffer> = { 'q.ipynb': Buffer.from(notebook('q = 0\n', 'Q')) };

function filesField(files: Record<string, Buffer>): string {
  return JSON.stringify(
    Object.entries(files).map(([p, b]) => ({ path: p, content: b.toString('base64') }))
  );
}

let tokens: Record<string, string>;
let browser: BrowserHandle;
let lab1: LabPage;
let lab2: LabPage;
let server1: UserServer;
let adminToken: string;
let tokenRevokedAt = 0;
let submitted = '';

const api = (path: string, token: string, form?: Record<string, string>) =>
  serviceCall(info, path, token, form);

beforeAll(async () => {
  const t0 = Date.now();
  const [, tk] = await Promise.all([
    (async () => {
      adminToken = await hub.createToken('admin', { note: 'browser-student' });
      // the course, as ngshare-course-management would create it
      await api(`course/${course}`, adminToken, { instructors: JSON.stringify([instructor]) });
    })(),
    prepareUsers(hub, [stu1, stu2, instructor], { start: false }).then(async t => {
      await Promise.all([hub.startServer(stu1), hub.startServer(stu2)]);
      return t;
    }),
    launchBrowser().then(b => (browser = b))
  ]);
  tokens = tk;
  server1 = new UserServer(info, stu1, tokens[stu1]);
  await Promise.all([quietLab(server1), quietLab(new UserServer(info, stu2, tokens[stu2]))]);
  await api(`students/${course}`, tokens[instructor], {
    students: JSON.stringify([
      { username: stu1, first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.org' },
      { username: stu2, first_name: 'Ben', last_name: 'Franklin', email: 'ben@example.org' }
    ])
  });
  await api(`assignment/${course}/ps1`, tokens[instructor], { files: filesField(release) });
  console.log(`[browser-student] setup (2 servers, course, release, Chromium): ${ms(t0)}`);
}, 300_000);

afterAll(async () => {
  await lab1?.close();
  await lab2?.close();
  await browser?.close();
});

test('another student opens JupyterLab; then their login token is revoked on the hub', async () => {
  lab2 = await LabPage.open(browser.browser, info, stu2);
  const panel = new AssignmentsPanel(lab2);
  await panel.open(course);
  await panel.item('Released', 'ps1').waitFor();
  // The browser's OAuth token (the page token the extension sends) is revoked; the service may
  // remember a resolved token for a while, so the refusal is checked at the end of the file.
  const list = await hub.api<{
    api_tokens: { id: string; oauth_client?: string; note?: string }[];
  }>('GET', `/users/${stu2}/tokens`);
  const oauth = list.json.api_tokens.filter(t => t.oauth_client && /user\//i.test(t.oauth_client));
  expect(oauth.length).toBeGreaterThan(0);
  for (const t of oauth) {
    const d = await hub.api('DELETE', `/users/${stu2}/tokens/${t.id}`);
    expect(d.status).toBe(204);
  }
  tokenRevokedAt = Date.now();
});

test('student flow: fetch, edit, save, submit, feedback', async () => {
  const t0 = Date.now();
  lab1 = await LabPage.open(browser.browser, info, stu1);
  const tLab = Date.now();
  const panel = new AssignmentsPanel(lab1);
  await panel.open(course);

  // Released
  const released = panel.item('Released', 'ps1');
  await released.waitFor();
  await panel.section('Submitted').getByText('There are no submitted assignments.').waitFor();
  await panel.section('Downloaded').getByText('There are no downloaded assignments.').waitFor();
  await lab1.dismissToasts();
  const shotMs: number[] = [];
  const shoot = async (name: string, dark: string): Promise<void> => {
    const s = Date.now();
    await lab1.shoot(name, dark);
    shotMs.push(Date.now() - s);
  };
  await shoot('student-assignments-released', 'student-assignments-dark');
  await checkAccessibility(lab1, 'student: released assignment');

  // Fetch: byte-exact through the contents API
  await released.getByRole('button', { name: 'Fetch', exact: true }).click();
  const downloaded = panel.item('Downloaded', 'ps1');
  await downloaded.waitFor();
  await lab1.toast(/Fetched ps1 into ps1 \(4 files\)/).waitFor();
  await expect(released.count()).resolves.toBe(0);
  for (const [p, bytes] of Object.entries(release)) {
    const got = await server1.readFile(`ps1/${p}`);
    expect(got && md5(got)).toBe(md5(bytes));
  }
  expect(await server1.listTree('ps1')).toEqual(Object.keys(release).sort());
  await downloaded.getByRole('button', { name: 'p1.ipynb' }).waitFor();
  await downloaded.getByRole('button', { name: 'docs/extra/p2.ipynb' }).waitFor();
  await lab1.dismissToasts();
  await shoot('student-fetched', 'student-fetched-dark');
  await checkAccessibility(lab1, 'student: downloaded assignment');

  // Edit and save a notebook opened from the panel
  await downloaded.getByRole('button', { name: 'p1.ipynb' }).click();
  const nb = lab1.page.locator('.jp-NotebookPanel:visible');
  const editor = nb.locator('.jp-CodeCell .cm-content').first();
  await editor.click();
  await lab1.page.keyboard.press('Control+End');
  await lab1.page.keyboard.type('answer = 42');
  await lab1.page.keyboard.press('Control+s');
  await waitFor(
    async () => ((await server1.readFile('ps1/p1.ipynb')) ?? '').toString().includes('answer = 42'),
    30_000,
    'the saved notebook'
  );
  // an unsaved change: Submit must save it first
  await lab1.page.keyboard.press('Enter');
  await lab1.page.keyboard.type('# checked twice');
  await lab1.page.locator('#jp-main-dock-panel .lm-TabBar-tab.jp-mod-dirty').first().waitFor();

  // Submit: the dialog lists files and sizes
  await downloaded.getByRole('button', { name: 'Submit', exact: true }).click();
  const dialog = lab1.page.locator('.jp-Dialog');
  const table = dialog.getByRole('table', { name: 'Files to submit' });
  await table.waitFor();
  for (const p of Object.keys(release)) {
    await table.getByText(p, { exact: true }).waitFor();
  }
  await shoot('student-submit-dialog', '');
  await checkAccessibility(lab1, 'student: submit dialog', { themes: 'current' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  await lab1.theme(true);
  submitted = await panel.submit('ps1', false, async () => {
    await lab1.shoot('student-submit-dialog-dark');
    await checkAccessibility(lab1, 'student: submit dialog (dark)', { themes: 'current' });
  });
  await lab1.theme(false);
  const server = await api(`submissions/${course}/ps1/${stu1}`, tokens[stu1]);
  expect(server.submissions).toEqual([{ student_id: stu1, timestamp: submitted }]);
  const line = panel.submission('ps1', submitted, 'none');
  await line.getByText('no feedback yet').waitFor();
  await lab1.dismissToasts();
  await shoot('student-submitted', 'student-submitted-dark');
  await checkAccessibility(lab1, 'student: submitted, no feedback yet');
  const tSubmitted = Date.now();

  // The instructor collects (API, as ngshare_exchange does) and releases feedback
  const collected = await api(`submission/${course}/ps1/${stu1}`, tokens[instructor]);
  expect(collected.timestamp).toBe(submitted);
  const files = collected.files as { path: string; content: string; checksum: string }[];
  expect(files.map(f => f.path).sort()).toEqual(Object.keys(release).sort());
  const nbText = Buffer.from(files.find(f => f.path === 'p1.ipynb')!.content, 'base64').toString();
  expect(nbText).toContain('answer = 42');
  expect(nbText).toContain('# checked twice');
  const bin = files.find(f => f.path === 'data/image.bin')!;
  expect(md5(Buffer.from(bin.content, 'base64'))).toBe(md5(release['data/image.bin']));
  const html = Buffer.from(
    `<!DOCTYPE html><html><body><h1>Feedback for ${stu1}</h1><p id="score">Score: 9/10. Well done.</p></body></html>\n`
  );
  await api(`feedback/${course}/ps1/${stu1}`, tokens[instructor], {
    timestamp: submitted,
    files: JSON.stringify([{ path: 'p1.html', content: html.toString('base64') }])
  });

  // The student sees it, fetches it, and it opens
  await panel.refresh();
  const available = panel.submission('ps1', submitted, 'available');
  await available.getByText('feedback available to fetch').waitFor();
  // ngshare-ts says when it arrived (v2/feedback), in the student's time zone
  const newFeedback = panel.item('Submitted', 'ps1').locator('[data-new-feedback]');
  await newFeedback.getByText('New feedback').waitFor();
  expect(await newFeedback.locator('time').getAttribute('data-timestamp')).toMatch(
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/
  );
  await shoot('student-feedback-available', 'student-feedback-available-dark');
  await checkAccessibility(lab1, 'student: feedback available');
  await panel.item('Submitted', 'ps1').getByRole('button', { name: 'Fetch feedback' }).click();
  await panel.submission('ps1', submitted, 'fetched').getByText('feedback fetched').waitFor();
  expect(await newFeedback.count()).toBe(0); // fetched: nothing new any more
  const fbPath = `ps1/feedback/${submitted}/p1.html`;
  expect(md5((await server1.readFile(fbPath)) ?? '')).toBe(md5(html));
  const tab = lab1.page.locator(
    '.jp-MainAreaWidget .lm-TabBar-tab, #jp-main-dock-panel .lm-TabBar-tab',
    {
      hasText: 'p1.html'
    }
  );
  await tab.first().waitFor();
  await lab1.page
    .frameLocator('.jp-HTMLViewer:visible iframe')
    .getByText('Score: 9/10. Well done.')
    .waitFor();
  await panel
    .submission('ps1', submitted, 'fetched')
    .getByRole('button', { name: 'View feedback p1.html' })
    .waitFor();
  const tDone = Date.now();
  await lab1.dismissToasts();
  await shoot('student-feedback', 'student-feedback-dark');
  await lab1.openSidebar('ngshare-assignments');
  await checkAccessibility(lab1, 'student: feedback fetched');
  const shots = shotMs.reduce((a, b) => a + b, 0);
  console.log(
    `[browser-student] student flow: ${((tDone - t0) / 1000).toFixed(1)} s from the login form to ` +
      `opened feedback (login + lab load ${((tLab - t0) / 1000).toFixed(1)} s, until submitted ` +
      `${((tSubmitted - t0) / 1000).toFixed(1)} s; ${(shots / 1000).toFixed(1)} s of it taking ` +
      `screenshots, so ${((tDone - t0 - shots) / 1000).toFixed(1)} s without them)`
  );

  // Courses panel
  const courses = await lab1.openSidebar('ngshare-courses');
  const item = courses.locator(`li[data-course="${course}"]`);
  await item.getByText('Student', { exact: true }).waitFor();
  await shoot('student-courses', 'student-courses-dark');
  await checkAccessibility(lab1, 'student: courses');
});

test('restore missing files brings back only what is missing', async () => {
  const panel = new AssignmentsPanel(lab1);
  await panel.open(course);
  await server1.deleteFile('ps1/data/image.bin');
  const edited = await server1.readFile('ps1/p1.ipynb');
  await panel
    .item('Downloaded', 'ps1')
    .getByRole('button', { name: 'Restore missing files' })
    .click();
  await lab1.page.locator('.jp-Dialog').getByRole('button', { name: 'Restore' }).click();
  await lab1.toast('Restored 1 missing file of ps1.').waitFor();
  expect(md5((await server1.readFile('ps1/data/image.bin')) ?? '')).toBe(
    md5(release['data/image.bin'])
  );
  expect(md5((await server1.readFile('ps1/p1.ipynb')) ?? '')).toBe(md5(edited ?? ''));
});

test('fetching again refuses to overwrite an existing copy', async () => {
  const panel = new AssignmentsPanel(lab1);
  await panel.open(course);
  await api(`assignment/${course}/ps2`, tokens[instructor], { files: filesField(ps2Release) });
  await panel.refresh();
  const item = panel.item('Released', 'ps2');
  await item.waitFor();
  // meanwhile a folder ps2/ appears (another tab, a terminal, a colleague's copy)
  const mine = Buffer.from(notebook('my own work\n', 'Mine'));
  await server1.writeFile('ps2/q.ipynb', mine);
  await item.getByRole('button', { name: 'Fetch', exact: true }).click();
  await lab1
    .toast('Could not fetch ps2. You already have a copy of the assignment in ps2')
    .waitFor();
  expect(md5((await server1.readFile('ps2/q.ipynb')) ?? '')).toBe(md5(mine));
  // the refusal refreshes the panel: the copy is listed under Downloaded, no Fetch button left
  await panel.item('Downloaded', 'ps2').waitFor();
  await item.waitFor({ state: 'detached' });
  await lab1.dismissToasts();
});

test('a wrong service URL setting gives one clear message', async () => {
  await server1.setSettings('@ngshare-ts/labextension:plugin', {
    serviceUrl: '/services/no-such-exchange/'
  });
  try {
    await lab1.reload();
    const panel = new AssignmentsPanel(lab1);
    await panel.open();
    const alert = panel.root.getByRole('alert');
    const summary = 'No exchange service answers at /services/no-such-exchange/.';
    await alert.getByText(summary).waitFor();
    await expect(alert.count()).resolves.toBe(1);
    await alert.getByRole('button', { name: 'Retry' }).waitFor();
    // the toast says the same, and is not cut off
    const toast = lab1.toast(summary);
    await toast.waitFor();
    expect(await toast.locator('.jp-toast-message').textContent()).not.toContain('…');
    await lab1.shoot('student-connection-error', 'student-connection-error-dark');
    await checkAccessibility(lab1, 'student: wrong service URL');
  } finally {
    await server1.setSettings('@ngshare-ts/labextension:plugin', {});
  }
  await lab1.reload();
  const panel = new AssignmentsPanel(lab1);
  await panel.open(course);
  await panel.submission('ps1', submitted, 'fetched').waitFor();
  await expect(panel.root.getByRole('alert').count()).resolves.toBe(0);
});

test('a refused login token gives one clear message; logging in again fixes it', async () => {
  expect(tokenRevokedAt).toBeGreaterThan(0);
  const panel = new AssignmentsPanel(lab2);
  // The service remembers a resolved token for up to a minute (--auth-cache-ttl 60): check again
  // until it asks the hub, which refuses the revoked token.
  const message = lab2.toast(/did not accept your login/);
  await waitFor(
    async () => {
      await lab2.menu('ngshare', 'Check the ngshare exchange connection');
      const ok = lab2.toast(/Connected to the exchange/);
      await message.or(ok).first().waitFor();
      if (await message.count()) {
        return true;
      }
      await lab2.dismissToasts();
      return false;
    },
    120_000,
    'the service to refuse the revoked token',
    3000
  );
  console.log(
    `[browser-student] revoked token refused ${((Date.now() - tokenRevokedAt) / 1000).toFixed(1)} s after revocation`
  );
  // the toast shows the start; the panel shows the whole sentence with the fix
  await panel.open();
  const refused = panel.root.getByRole('alert');
  await refused.getByText('The exchange did not accept your login.').waitFor();
  await refused.getByText(/^Log out of JupyterHub \(File > Log Out\) and log in again\./).waitFor();
  await lab2.shoot('student-login-refused', 'student-login-refused-dark');
  await checkAccessibility(lab2, 'student: login refused');
  // A reload alone keeps the revoked token while the single-user server still accepts its
  // cookie (it caches the hub's answer); logging out of JupyterHub and in again, as the message
  // says next, gives the page a new token.
  await lab2.reload();
  await panel.open();
  await panel.root
    .getByRole('alert')
    .or(panel.root.locator(`option[value="${course}"]`))
    .first()
    .waitFor({ state: 'attached' });
  const afterReload = await panel.root.getByRole('alert').count();
  console.log(
    `[browser-student] after a reload the login is ${afterReload ? 'still refused' : 'accepted again'}`
  );
  await lab2.page.goto(`${info.hubUrl}/hub/logout`);
  await lab2.login();
  await panel.open(course);
  await panel.item('Released', 'ps1').waitFor();
  await expect(panel.root.getByRole('alert').count()).resolves.toBe(0);
});
