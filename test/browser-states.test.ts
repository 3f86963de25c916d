/**
 * Every state a student or instructor can meet, in plain words, at the right place, accessibly
 * (issue 12). Debian's Chromium (playwright-core) against the shared JupyterHub 5 + JupyterLab 4;
 * the browser runs in New York time (en-US), so local times are checked against a zone that is
 * not the machine's.
 *
 * - a stopped exchange ("ngshare-down": registered with the hub, nothing listening, the hub
 *   answers 503; harness/config/hub-config.d/60-ngshare-down.py) and a wrong service URL: one
 *   message in plain words, the same in the panels and the toast, the jargon behind "Details";
 * - course management restored with a wrong service URL says so instead of "Loading…";
 * - the first notification of a freshly loaded page finishes (no spinner left behind);
 * - a user who is not an ngshare administrator is not offered "Create course";
 * - timestamps in local time with the zone, relative time, the exchange's value in the tooltip;
 * - the release-feedback / collect summary goes when its assignment is re-released / unreleased;
 * - "feedback fetched" is readable in the dark theme (contrast >= 4.5:1).
 * Every state is checked with axe-core in the light and the dark theme (src/browser/a11y.ts).
 */
import { HubClient, loadHub, serviceCall, waitFor } from './harness';
import {
  AssignmentsPanel,
  BrowserHandle,
  InstructorPanel,
  LabPage,
  UserServer,
  launchBrowser,
  ms,
  notebook,
  prepareUsers,
  quietLab
} from './src/browser/lab';
import { checkAccessibility } from './src/browser/a11y';

const info = loadHub();
const hub = new HubClient(info);
const course = 'geo301';
const inst = 'prof-ng';
const eve = 'eve';
const olaf = 'olaf'; // has a JupyterHub account, is in no course, is no ngshare administrator
const PLUGIN = '@ngshare-ts/labextension:plugin';
const BROWSER = { timezoneId: 'America/New_York', locale: 'en-US' };

jest.setTimeout(240_000);

let tokens: Record<string, string>;
let browser: BrowserHandle;
const servers: Record<string, UserServer> = {};
const labs: LabPage[] = [];

const q = Buffer.from(notebook('# your answer\n', 'Rocks'));

async function open(user: string): Promise<LabPage> {
  const lab = await LabPage.open(browser.browser, info, user, BROWSER);
  labs.push(lab);
  return lab;
}

/** What the page shows of an element, with every kind of space as one plain space. */
async function shown(locator: import('playwright-core').Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The local time Chromium should show for an exchange timestamp (New York, en-US). */
function newYork(ts: string): string {
  const date = new Date(ts.replace(' ', 'T') + 'Z');
  return new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
    timeZone: 'America/New_York'
  })
    .format(date)
    .replace(/\s+/g, ' ');
}

beforeAll(async () => {
  const t0 = Date.now();
  const adminToken = await hub.createToken('admin', { note: 'browser-states' });
  const [tk] = await Promise.all([
    prepareUsers(hub, [inst, eve, olaf]),
    launchBrowser().then(b => (browser = b)),
    serviceCall(info, `course/${course}`, adminToken, { instructors: JSON.stringify([inst]) })
  ]);
  tokens = tk;
  for (const u of [inst, eve, olaf]) {
    servers[u] = new UserServer(info, u, tokens[u]);
    await quietLab(servers[u]);
  }
  await serviceCall(info, `students/${course}`, tokens[inst], {
    students: JSON.stringify([{ username: eve, first_name: 'Eve', last_name: 'Ito', email: '' }])
  });
  await servers[inst].writeFile(`${course}/release/ps1/q.ipynb`, q);
  await serviceCall(info, `assignment/${course}/ps1`, tokens[inst], {
    files: JSON.stringify([{ path: 'q.ipynb', content: q.toString('base64') }])
  });
  console.log(`[browser-states] setup (3 servers, course, release, Chromium): ${ms(t0)}`);
}, 300_000);

afterAll(async () => {
  for (const lab of labs) {
    await lab.close();
  }
  await browser?.close();
});

test('a stopped exchange: one message in plain words, the same in panels and toast', async () => {
  await servers[eve].setSettings(PLUGIN, { serviceUrl: '/services/ngshare-down/' });
  const lab = await open(eve);
  try {
    const panel = new AssignmentsPanel(lab);
    await panel.open();
    const summary = 'The exchange is not available right now.';
    const alert = panel.root.getByRole('alert');
    await alert.getByText(summary).waitFor();
    // once, not once per section
    await expect(alert.count()).resolves.toBe(1);
    await expect(shown(alert.locator('.ngshare-ErrorAdvice'))).resolves.toBe(
      'Wait a few minutes and try again. If it stays unavailable, tell your instructor or JupyterHub administrator.'
    );
    // no jargon outside "Details"; the technical detail is one click away
    for (const text of await alert.locator('.ngshare-ErrorBody > p').allTextContents()) {
      expect(text).not.toMatch(/HTTP|JSON|503/);
    }
    const details = alert.locator('details');
    await expect(details.locator('pre').isVisible()).resolves.toBe(false);
    await details.getByText('Details', { exact: true }).click();
    await expect(shown(details.locator('pre'))).resolves.toMatch(
      /HTTP 503.*\/services\/ngshare-down\//
    );
    // the toast says the same, whole
    const toast = lab.toast(summary);
    await toast.waitFor();
    await expect(shown(toast.locator('.jp-toast-message'))).resolves.toBe(
      `${summary} Wait a few minutes and try again.`
    );
    await toast.getByRole('button', { name: 'Details' }).waitFor();
    await lab.shoot('student-service-down', 'student-service-down-dark');
    await checkAccessibility(lab, 'student: exchange stopped');
    const courses = await lab.openSidebar('ngshare-courses');
    const coursesAlert = courses.getByRole('alert');
    await coursesAlert.getByText(summary).waitFor();
    await expect(coursesAlert.count()).resolves.toBe(1);
    await checkAccessibility(lab, 'courses: exchange stopped');
    await lab.openSidebar('ngshare-assignments');
  } finally {
    await servers[eve].setSettings(PLUGIN, {});
  }
});

test('a wrong service URL: the panels and the toast name it the same way', async () => {
  await servers[eve].setSettings(PLUGIN, { serviceUrl: '/services/no-such-exchange/' });
  const lab = labs[0];
  try {
    await lab.reload();
    const summary = 'No exchange service answers at /services/no-such-exchange/.';
    const panel = new AssignmentsPanel(lab);
    await panel.open();
    await panel.root.getByRole('alert').getByText(summary).waitFor();
    const toast = lab.toast(summary);
    await toast.waitFor();
    expect(await shown(toast.locator('.jp-toast-message'))).toBe(summary);
    await lab.dismissToasts();
    const courses = await lab.openSidebar('ngshare-courses');
    await courses.getByRole('alert').getByText(summary).waitFor();
    await expect(shown(courses.getByRole('alert').locator('.ngshare-ErrorAdvice'))).resolves.toBe(
      'If you set "Service URL" in Settings > ngshare (nbgrader exchange), clear it to use the default. Otherwise ask your JupyterHub administrator to set up the exchange (ngshare).'
    );
    await checkAccessibility(lab, 'courses: wrong service URL');
    await lab.openSidebar('ngshare-assignments');
  } finally {
    await servers[eve].setSettings(PLUGIN, {});
  }
});

test('course management restored with a wrong service URL says so', async () => {
  const lab = await open(inst);
  const courses = await lab.openSidebar('ngshare-courses');
  await courses
    .locator(`li[data-course="${course}"]`)
    .getByRole('button', { name: 'Manage' })
    .click();
  const panel = new InstructorPanel(lab);
  await panel.row('ps1').waitFor();
  // JupyterLab saves the layout (with the open tab) a moment later: wait for it
  await waitFor(
    async () => {
      const r = await servers[inst].request('GET', 'lab/api/workspaces/default');
      const text = await r.text();
      return /layout-restorer:data/.test(text) && /ngshare-instructor/.test(text);
    },
    30_000,
    'the saved layout with the course management tab'
  );
  await servers[inst].setSettings(PLUGIN, { serviceUrl: '/services/no-such-exchange/' });
  try {
    await lab.reload();
    // the layout restorer reopens the tab; the start-up check's problem replaces the course view
    const alert = panel.root.getByRole('alert');

    await panel.root.locator('[data-problem="no-service"]').first().waitFor();
    await waitFor(async () => (await alert.count()) === 1, 30_000, 'one message in the tab');
    await alert.getByText('No exchange service answers at /services/no-such-exchange/.').waitFor();
    await expect(panel.root.getByRole('status').count()).resolves.toBe(0);
    await expect(
      panel.root.getByText(/Loading…|Course directory|No courses/).count()
    ).resolves.toBe(0);
    await expect(panel.root.getByRole('heading', { name: /Assignments of/ }).count()).resolves.toBe(
      0
    );
    await alert.getByRole('button', { name: 'Retry' }).waitFor();
    await lab.dismissToasts();
    await lab.shoot('instructor-connection-error');
    await checkAccessibility(lab, 'course management: wrong service URL');
  } finally {
    await servers[inst].setSettings(PLUGIN, {});
  }
  await lab.reload();
  await panel.root.getByRole('heading', { name: `Assignments of ${course}` }).waitFor();
  await panel.row('ps1').waitFor();
});

test('the first notification of a freshly loaded page finishes', async () => {
  // student: Fetch refused at once (the folder appeared after the list was loaded)
  const lab = labs[0];
  await lab.reload();
  const panel = new AssignmentsPanel(lab);
  await panel.open(course);
  const released = panel.item('Released', 'ps1');
  await released.waitFor();
  // every refresh of the reload done: one still listing the folders would see the copy written
  // below and move ps1 to Downloaded under the pointer
  await lab.settled();
  await expect(lab.page.locator('.Toastify__toast').count()).resolves.toBe(0);
  await servers[eve].writeFile('ps1/q.ipynb', q);
  await released.getByRole('button', { name: 'Fetch', exact: true }).click();
  await lab
    .toast('Could not fetch ps1. You already have a copy of the assignment in ps1')
    .waitFor();
  await lab.page.waitForTimeout(1000);
  await expect(lab.toast('Fetching ps1…').count()).resolves.toBe(0);
  // no toast left with a spinner (react-toastify keeps the first class name on update)
  await expect(lab.page.locator('.Toastify__toast .Toastify__spinner').count()).resolves.toBe(0);
  await servers[eve].deleteFile('ps1/q.ipynb');
  await servers[eve].deleteFile('ps1');

  // instructor: saving a student
  const instLab = labs[1];
  await instLab.reload();
  const ip = new InstructorPanel(instLab);
  await ip.row('ps1').waitFor();
  await expect(instLab.page.locator('.Toastify__toast').count()).resolves.toBe(0);
  const roster = await ip.show('Roster');
  await roster.getByRole('button', { name: 'Add student' }).click();
  const dialog = instLab.page.locator('.jp-Dialog');
  await dialog.getByRole('textbox', { name: 'User name' }).fill('zoe');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await instLab.toast('Saved student zoe.').waitFor();
  await instLab.page.waitForTimeout(1000);
  await expect(instLab.toast('Saving student zoe…').count()).resolves.toBe(0);
  await expect(instLab.page.locator('.Toastify__toast .Toastify__spinner').count()).resolves.toBe(
    0
  );
  await roster.locator('tr[data-username="zoe"]').waitFor();
  await ip.show('Assignments');
  await instLab.dismissToasts();
});

test('someone who is no ngshare administrator is not offered "Create course"', async () => {
  const lab = await open(olaf);
  const courses = await lab.openSidebar('ngshare-courses');
  await courses
    .getByText(
      'You are not a member of any course on the exchange. Ask your instructor to add olaf to the course.'
    )
    .waitFor();
  await courses.getByRole('button', { name: 'Refresh' }).waitFor();
  await expect(courses.getByRole('button', { name: 'Create course' }).count()).resolves.toBe(0);
  await expect(courses.getByRole('link', { name: 'Admin page' }).count()).resolves.toBe(0);
  await checkAccessibility(lab, 'courses: not in any course');
  const panel = new AssignmentsPanel(lab);
  await panel.open();
  await panel.root
    .getByText(
      'You are not enrolled in any course on the exchange. Ask your instructor to add olaf to the course.'
    )
    .waitFor();
  await checkAccessibility(lab, 'student: not in any course');
  await lab.close();
});

test('the accessibility check can fail: a critical violation in a panel is reported', async () => {
  const lab = labs[0];
  const panel = new AssignmentsPanel(lab);
  await panel.open();
  // an unnamed button (critical) put into the extension's panel
  await panel.root.evaluate(root => {
    const probe = document.createElement('div');
    probe.id = 'a11y-probe';
    probe.innerHTML = '<button type="button"></button>';
    root.prepend(probe);
  });
  try {
    await expect(checkAccessibility(lab, 'probe: injected violations')).rejects.toThrow(
      /light theme\]\ncritical button-name[\s\S]*dark theme\]\ncritical button-name/
    );
  } finally {
    await lab.page.locator('#a11y-probe').evaluate(el => el.remove());
  }
  await checkAccessibility(lab, 'student: after the probe');
});

/** Contrast of an element's text against what is behind it (WCAG formula). */
async function contrast(locator: import('playwright-core').Locator): Promise<number> {
  return locator.evaluate(el => {
    const parse = (c: string): number[] => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) {
        return [0, 0, 0, 0];
      }
      const p = m[1]
        .split(/[\s,/]+/)
        .filter(x => x)
        .map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top: number[], bottom: number[]): number[] => {
      const a = top[3];
      return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
    };
    // the backgrounds from the page down to the element, composited
    const chain: Element[] = [];
    for (let e: Element | null = el; e; e = e.parentElement) {
      chain.unshift(e);
    }
    let bg = [255, 255, 255, 1];
    for (const e of chain) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) {
        bg = over(c, bg);
      }
    }
    const fg = over(parse(getComputedStyle(el).color), bg);
    const lum = (c: number[]): number => {
      const [r, g, b] = c.slice(0, 3).map(v => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [l1, l2] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  });
}

test('times are local with their zone; summaries go with what they describe; dark contrast', async () => {
  // eve submits (as ngshare_exchange would)
  const sub = await serviceCall(info, `submission/${course}/ps1`, tokens[eve], {
    files: JSON.stringify([{ path: 'q.ipynb', content: q.toString('base64') }])
  });
  const ts = String(sub.timestamp);
  const local = newYork(ts);
  expect(local).toMatch(/ (EST|EDT)$/);

  const lab = labs[0];
  const panel = new AssignmentsPanel(lab);
  await panel.open(course);
  await panel.refresh();
  const time = panel.submission('ps1', ts).locator('time');
  await time.waitFor();
  await expect(time.getAttribute('title')).resolves.toBe(`${ts} UTC`);
  expect(await shown(time)).toMatch(
    new RegExp(
      `^${local.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\((now|\\d+ seconds? ago|\\d+ minutes? ago)\\)$`
    )
  );
  expect(await shown(panel.root)).not.toContain(ts);

  // the instructor sees the same time; releases feedback; the summary says so
  const instLab = labs[1];
  const ip = new InstructorPanel(instLab);
  await ip.root.getByRole('button', { name: 'Refresh', exact: true }).first().click();
  const row = ip.row('ps1');
  const last = row.locator(`time[data-timestamp="${ts}"]`);
  await last.waitFor();
  expect(await shown(last)).toContain(local);
  await servers[inst].writeFile(
    `${course}/feedback/${eve}/ps1/q.html`,
    '<!DOCTYPE html><html><body><p>Good work.</p></body></html>\n'
  );
  await servers[inst].writeFile(`${course}/feedback/${eve}/ps1/timestamp.txt`, ts);
  await row.getByRole('button', { name: 'Release feedback', exact: true }).click();
  const summary = ip.root.getByRole('region', { name: 'Release feedback ps1' });
  const line = summary.locator('tr', { hasText: eve });
  await line.getByText('released', { exact: true }).waitFor();
  expect(await shown(line)).toContain(`1 file(s) for the submission of ${local}`);
  await instLab.dismissToasts();
  await checkAccessibility(instLab, 'course management: release feedback summary');

  // eve fetches it; "feedback fetched" is readable in both themes
  await panel.refresh();
  await panel.item('Submitted', 'ps1').getByRole('button', { name: 'Fetch feedback' }).click();
  const fetched = panel.submission('ps1', ts, 'fetched').locator('.ngshare-Feedback');
  await fetched.waitFor();
  await lab.openSidebar('ngshare-assignments');
  for (const dark of [false, true]) {
    await lab.theme(dark);
    const ratio = await contrast(fetched);
    console.log(
      `[browser-states] "feedback fetched" contrast, ${dark ? 'dark' : 'light'}: ${ratio.toFixed(2)}:1`
    );
    expect(ratio).toBeGreaterThanOrEqual(4.5);
  }
  await lab.theme(false);
  await lab.dismissToasts();
  await checkAccessibility(lab, 'student: feedback fetched');

  // re-release: the exchange deleted the feedback, so the summary goes
  await row.getByRole('button', { name: 'Re-release', exact: true }).click();
  const dialog = instLab.page.locator('.jp-Dialog');
  await dialog
    .getByRole('textbox', { name: /Type the assignment name "ps1" to confirm:/ })
    .fill('ps1');
  await dialog.getByRole('button', { name: 'Delete and re-release' }).click();
  await instLab.toast('Released ps1 (1 file).').waitFor();
  await summary.waitFor({ state: 'detached' });

  // a new summary, then unrelease: it goes too
  await row.getByRole('button', { name: 'Release feedback', exact: true }).click();
  await summary.waitFor();
  await row.getByRole('button', { name: 'Unrelease', exact: true }).click();
  await dialog
    .getByRole('textbox', { name: /Type the assignment name "ps1" to confirm:/ })
    .fill('ps1');
  await dialog.getByRole('button', { name: 'Delete on the exchange' }).click();
  await instLab.toast('Unreleased ps1.').waitFor();
  await summary.waitFor({ state: 'detached' });
  await row.getByText('not released').waitFor();
  await instLab.dismissToasts();
  await checkAccessibility(instLab, 'course management: assignment not released');
});
