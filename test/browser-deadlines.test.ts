/**
 * Deadlines in the browser (issue 14): Debian's Chromium (playwright-core) against the shared
 * JupyterHub 5 + JupyterLab 4 and the real service. Both browsers run in New York time (en-US),
 * not the machine's zone, so "local time" is checked for real.
 *
 * - the instructor sets a hard deadline in the panel (date-time input in local time);
 * - the student sees it in local time, "hard", with the time left;
 * - a submission after a soft deadline shows as late in the instructor's matrix (and to the
 *   student);
 * - past a hard deadline the exchange refuses a submission, and the student reads its words.
 * Every state is checked with axe-core in the light and the dark theme (src/browser/a11y.ts).
 */
import * as crypto from 'crypto';
import { HubClient, loadHub, serviceCall } from './harness';
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
const suffix = crypto.randomBytes(3).toString('hex');
const course = `law${suffix}`;
const inst = `prof-dl-${suffix}`;
const dora = `dora-${suffix}`;
const ZONE = 'America/New_York';
const BROWSER = { timezoneId: ZONE, locale: 'en-US' };

jest.setTimeout(240_000);

let tokens: Record<string, string>;
let browser: BrowserHandle;
const servers: Record<string, UserServer> = {};
let instLab: LabPage;
let doraLab: LabPage;
let panel: InstructorPanel;
let student: AssignmentsPanel;

const q = Buffer.from(notebook('# your answer\n', 'Contracts'));

/** What the page shows of an element, with every kind of space as one plain space. */
async function shown(locator: import('playwright-core').Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** A time `minutes` from now, on the minute (a datetime-local input has no seconds). */
function minutesFromNow(minutes: number): Date {
  const d = new Date(Date.now() + minutes * 60_000);
  d.setUTCSeconds(0, 0);
  return d;
}

/** What a datetime-local input in New York takes for an instant: "2026-12-05T12:00". */
function newYorkInput(d: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23'
    })
      .formatToParts(d)
      .map(p => [p.type, p.value])
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The local time Chromium shows (New York, en-US). */
function newYork(d: Date): string {
  return new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
    timeZone: ZONE
  })
    .format(d)
    .replace(/\s+/g, ' ');
}

const iso = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

/** Sets (or changes) a deadline through the Deadlines tab, as an instructor would. */
async function setDeadline(assignment: string, due: Date, hard: boolean): Promise<void> {
  const tab = await panel.show('Deadlines');
  const row = tab.locator(`tr[data-assignment="${assignment}"]`);
  const editor = tab.getByRole('region', { name: `Deadline of ${assignment}` });
  if (!(await editor.isVisible())) {
    await row
      .getByRole('button', { name: /^(Set a deadline for|Change the deadline of) / })
      .click();
  }
  await editor.getByLabel(`Due (your time zone, ${ZONE})`).fill(newYorkInput(due));
  const box = editor.getByRole('checkbox', { name: /Hard deadline/ });
  if ((await box.isChecked()) !== hard) {
    await box.click();
  }
  await editor.getByRole('button', { name: /^(Set|Save) deadline$/ }).click();
  await tab.locator(`tr[data-assignment="${assignment}"][data-deadline="${iso(due)}"]`).waitFor();
}

beforeAll(async () => {
  const t0 = Date.now();
  const adminToken = await hub.createToken('admin', { note: 'browser-deadlines' });
  const [tk] = await Promise.all([
    prepareUsers(hub, [inst, dora]),
    launchBrowser().then(b => (browser = b)),
    serviceCall(info, `course/${course}`, adminToken, { instructors: JSON.stringify([inst]) })
  ]);
  tokens = tk;
  for (const u of [inst, dora]) {
    servers[u] = new UserServer(info, u, tokens[u]);
    await quietLab(servers[u]);
  }
  await serviceCall(info, `students/${course}`, tokens[inst], {
    students: JSON.stringify([{ username: dora, first_name: 'Dora', last_name: 'Diaz', email: '' }])
  });
  for (const a of ['ps1', 'ps2']) {
    await serviceCall(info, `assignment/${course}/${a}`, tokens[inst], {
      files: JSON.stringify([{ path: 'q.ipynb', content: q.toString('base64') }])
    });
    // dora's copies (as Fetch writes them): both are under "Downloaded", ready to submit
    await servers[dora].writeFile(`${a}/q.ipynb`, q);
  }
  console.log(`[browser-deadlines] setup (2 servers, course, releases, Chromium): ${ms(t0)}`);
}, 300_000);

afterAll(async () => {
  await instLab?.close();
  await doraLab?.close();
  await browser?.close();
});

test('the instructor sets a hard deadline in the panel, in local time', async () => {
  instLab = await LabPage.open(browser.browser, info, inst, BROWSER);
  const courses = await instLab.openSidebar('ngshare-courses');
  await courses
    .locator(`li[data-course="${course}"]`)
    .getByRole('button', { name: 'Manage' })
    .click();
  panel = new InstructorPanel(instLab);
  await panel.row('ps1').waitFor();

  const due = minutesFromNow(2 * 24 * 60 + 3 * 60 + 2); // a little over 2 days 3 hours
  await setDeadline('ps1', due, true);
  const tab = panel.root.getByRole('tabpanel');
  const row = tab.locator('tr[data-assignment="ps1"]');
  expect(await shown(row.locator('td').nth(0))).toBe(newYork(due));
  expect(await shown(row.locator('td').nth(1))).toBe('hard');
  await tab.getByText(`Times are shown in your time zone (${ZONE}).`, { exact: false }).waitFor();
  // the exchange keeps it in UTC
  const listed = await serviceCall(info, `v2/deadlines/${course}`, tokens[inst]);
  expect(listed.deadlines).toEqual([
    { assignment_id: 'ps1', due: iso(due), hard: true, released: true, extensions: [] }
  ]);
  await instLab.dismissToasts();
  await instLab.shoot('instructor-deadline-set');
  await checkAccessibility(instLab, 'course management: deadline editor');
  // and the Assignments tab shows it too
  await panel.show('Assignments');
  expect(await shown(panel.row('ps1').locator(`td[data-deadline="${iso(due)}"]`))).toBe(
    `${newYork(due)} (hard)`
  );
});

test('the student sees the deadline in local time, hard, with the time left', async () => {
  doraLab = await LabPage.open(browser.browser, info, dora, BROWSER);
  student = new AssignmentsPanel(doraLab);
  await student.open(course);
  const deadline = student
    .item('Downloaded', 'ps1')
    .getByRole('group', { name: 'Deadline of ps1' });
  await deadline.waitFor();
  const [dueLine, leftLine] = await deadline.locator('p').allTextContents();
  const listed = await serviceCall(info, `v2/deadlines/${course}`, tokens[dora]);
  const due = new Date(String((listed.deadlines as { due: string }[])[0].due));
  expect(dueLine.replace(/\s+/g, ' ').trim()).toBe(
    `Due ${newYork(due)} (hard deadline: later submissions are refused)`
  );
  expect(leftLine).toMatch(/^2 days (2|3) hours left$/);
  await expect(deadline.getAttribute('data-state')).resolves.toBe('open');
  // ps2 has none
  await expect(
    student.item('Downloaded', 'ps2').getByRole('group', { name: 'Deadline of ps2' }).count()
  ).resolves.toBe(0);
  await doraLab.dismissToasts();
  await doraLab.shoot('student-deadline');
  await checkAccessibility(doraLab, 'student: deadline with time left');
});

test('a submission after a soft deadline shows as late in the instructor’s matrix', async () => {
  const due = minutesFromNow(-3 * 60); // three hours ago
  await setDeadline('ps2', due, false);

  // the soft deadline has passed: the student is told, and may still submit
  await student.refresh();
  const deadline = student
    .item('Downloaded', 'ps2')
    .getByRole('group', { name: 'Deadline of ps2' });
  await student.item('Downloaded', 'ps2').locator('[role="group"][data-state="passed"]').waitFor();
  expect(await shown(deadline)).toContain('(soft deadline: later submissions are marked late)');
  expect(await shown(deadline)).toMatch(
    /Passed 3 hours( \d+ minutes?)? ago: a submission now counts as late\./
  );
  const ts = await student.submit('ps2');
  const line = student.item('Submitted', 'ps2').locator(`li[data-timestamp="${ts}"]`);
  await student
    .item('Submitted', 'ps2')
    .locator(`li[data-timestamp="${ts}"][data-late="true"]`)
    .waitFor();
  expect(await shown(line.locator('.ngshare-Badge'))).toMatch(/^late by 3 hours( \d+ minutes?)?$/);
  await doraLab.dismissToasts();
  await checkAccessibility(doraLab, 'student: late submission');

  const matrix = await panel.show('Submissions');
  // the panel lists submissions as of its last refresh (dora's is newer)
  await panel.root.getByRole('button', { name: 'Refresh', exact: true }).first().click();
  const cell = matrix.locator(`tr[data-student="${dora}"] td[data-late="true"]`);
  await cell.waitFor();
  const badge = cell.locator('.ngshare-Badge');
  expect(await shown(badge)).toMatch(/^late by 3 hours( \d+ minutes?)?$/);
  // the words are in the cell's accessible name, not in a colour only
  const button = cell.getByRole('button');
  expect(await button.getAttribute('aria-label')).toMatch(
    new RegExp(`^${dora}, ps2: submitted, late by 3 hours( \\d+ minutes?)?$`)
  );
  await button.click();
  const history = matrix.getByRole('region', { name: `History of ${dora}` });
  await history.locator(`time[data-timestamp="${ts}"]`).waitFor();
  expect(await shown(history.locator('li'))).toMatch(/late by 3 hours/);
  await instLab.dismissToasts();
  await instLab.shoot('instructor-late-matrix');
  await checkAccessibility(instLab, 'course management: late submission in the matrix');
});

test('past a hard deadline the exchange refuses a submission, in its own words', async () => {
  const due = minutesFromNow(-60);
  await setDeadline('ps1', due, true);

  await student.refresh();
  const deadline = student
    .item('Downloaded', 'ps1')
    .getByRole('group', { name: 'Deadline of ps1' });
  await student.item('Downloaded', 'ps1').locator('[role="group"][data-state="closed"]').waitFor();
  expect(await shown(deadline)).toMatch(
    /Closed (1 hour|\d+ minutes)( \d+ minutes?)? ago: the exchange no longer accepts submissions\./
  );
  await student
    .item('Downloaded', 'ps1')
    .getByRole('button', { name: 'Submit', exact: true })
    .click();
  const dialog = doraLab.page.locator('.jp-Dialog');
  await dialog.getByRole('table', { name: 'Files to submit' }).waitFor();
  await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  const words = `Submissions to ps1 closed at its hard deadline, ${iso(due)} (UTC).`;
  const toast = doraLab.toast(words);
  await toast.waitFor();
  expect(await shown(toast.locator('.jp-toast-message'))).toBe(
    `Could not submit ps1. The exchange says: ${words}`
  );
  await toast.getByRole('button', { name: 'Details' }).click();
  const details = doraLab.page.locator('.jp-Dialog');
  await details.getByText('If you need more time, ask your instructor for an extension.').waitFor();
  await doraLab.shoot('student-deadline-closed');
  await checkAccessibility(doraLab, 'student: submission refused at a hard deadline', {
    themes: 'current'
  });
  await details.getByRole('button', { name: 'Close' }).click();
  await details.waitFor({ state: 'detached' });
  // nothing was submitted
  const subs = await serviceCall(info, `submissions/${course}/ps1/${dora}`, tokens[dora]);
  expect(subs.submissions).toEqual([]);
  await checkAccessibility(doraLab, 'student: deadline closed');
});
