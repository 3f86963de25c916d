/**
 * Collect at scale from the browser (issue 6's closing measurement): N students (default 200) each
 * submitted 3 notebooks of about 200 KB; the instructor clicks Collect in Course management and the
 * test times it until the summary lists everyone. Opt-in, because it moves about 120 MB through
 * the service and the contents API: NGSHARE_E2E_COLLECT_SCALE=1 (NGSHARE_E2E_COLLECT_STUDENTS=N).
 */
import * as crypto from 'crypto';
import { HubClient, loadHub, serviceCall } from './harness';
import {
  BrowserHandle,
  InstructorPanel,
  LabPage,
  UserServer,
  launchBrowser,
  md5,
  ms,
  notebook,
  quietLab
} from './src/browser/lab';

const enabled = process.env.NGSHARE_E2E_COLLECT_SCALE === '1';
const N = Number(process.env.NGSHARE_E2E_COLLECT_STUDENTS ?? 200);
const NB_BYTES = 200 * 1024;
const describeScale = enabled ? describe : describe.skip;

jest.setTimeout(900_000);

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    })
  );
  return out;
}

/** A valid notebook of about `bytes` bytes whose content is unique to `seed`. */
function bigNotebook(seed: string, bytes: number): Buffer {
  const filler = crypto
    .createHash('sha256')
    .update(seed)
    .digest('hex')
    .repeat(Math.ceil(bytes / 64))
    .slice(0, bytes - 1000);
  const lines = filler.match(/.{1,100}/g) ?? [];
  return Buffer.from(notebook(`# ${seed}\n` + lines.map(l => `# ${l}`).join('\n') + '\n', seed));
}

describeScale(`collect ${N} submissions of 3 x 200 KB from the browser`, () => {
  const info = loadHub();
  const hub = new HubClient(info);
  const sfx = Math.random().toString(36).slice(2, 7);
  const course = `scale-${sfx}`;
  const inst = `scaleprof-${sfx}`;
  const students = Array.from({ length: N }, (_, i) => `s${String(i).padStart(3, '0')}-${sfx}`);
  let browser: BrowserHandle;
  let instToken: string;

  const api = (path: string, token: string, form?: Record<string, string>) =>
    serviceCall(info, path, token, form);

  beforeAll(async () => {
    const t0 = Date.now();
    const startInst = hub.startServer(inst);
    browser = await launchBrowser();
    const admin = await hub.createToken('admin', { note: 'collect-scale' });
    instToken = await hub.createToken(inst, { note: 'collect-scale' });
    await api(`course/${course}`, admin, { instructors: JSON.stringify([inst]) });
    await api(`students/${course}`, instToken, {
      students: JSON.stringify(
        students.map(s => ({ username: s, first_name: 'S', last_name: s, email: '' }))
      )
    });
    const release = ['p1', 'p2', 'p3'].map(p => ({
      path: `${p}.ipynb`,
      content: Buffer.from(notebook('# answer\n', p)).toString('base64')
    }));
    await api(`assignment/${course}/ps1`, instToken, { files: JSON.stringify(release) });
    await mapLimit(students, 6, async s => {
      const token = await hub.createToken(s, { note: 'collect-scale', expiresIn: 3600 });
      const files = ['p1', 'p2', 'p3'].map(p => ({
        path: `${p}.ipynb`,
        content: bigNotebook(`${s}/${p}`, NB_BYTES).toString('base64')
      }));
      await api(`submission/${course}/ps1`, token, { files: JSON.stringify(files) });
    });
    await startInst;
    await quietLab(new UserServer(info, inst, instToken));
    console.log(`[collect-scale] ${N} submissions of 3 x 200 KB prepared in ${ms(t0)}`);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('Collect writes every latest submission; time from click to summary', async () => {
    const lab = await LabPage.open(browser.browser, info, inst);
    const courses = await lab.openSidebar('ngshare-courses');
    await courses
      .locator(`li[data-course="${course}"]`)
      .getByRole('button', { name: 'Manage' })
      .click();
    const panel = new InstructorPanel(lab);
    await panel.show('Assignments');
    const row = panel.row('ps1');
    await row.locator('td', { hasText: new RegExp(`^${N} \\(${N}\\)$`) }).waitFor();
    const t0 = Date.now();
    await row.getByRole('button', { name: 'Collect', exact: true }).click();
    const summary = panel.root.getByRole('region', { name: 'Collect ps1' });
    await summary.getByText(`collected: ${N}`).waitFor({ timeout: 600_000 });
    const collectMs = Date.now() - t0;
    console.log(
      `[collect-scale] Collect of ${N} submissions (3 x 200 KB notebooks each, ${(
        (N * 3 * NB_BYTES) /
        1024 /
        1024
      ).toFixed(0)} MB) from the browser: ${(collectMs / 1000).toFixed(1)} s`
    );
    const server = new UserServer(info, inst, instToken);
    for (const s of [students[0], students[Math.floor(N / 2)], students[N - 1]]) {
      const latest = await api(`submission/${course}/ps1/${s}`, instToken);
      for (const f of latest.files as { path: string; checksum: string }[]) {
        const local = await server.readFile(`${course}/submitted/${s}/ps1/${f.path}`);
        expect(local && md5(local)).toBe(f.checksum);
      }
      const ts = await server.readFile(`${course}/submitted/${s}/ps1/timestamp.txt`);
      expect(ts?.toString().trim()).toBe(latest.timestamp);
    }
    const r = await server.request('GET', `api/contents/${course}/submitted?content=1`);
    const listing = (await r.json()) as { content: { name: string }[] };
    expect(listing.content.map(c => c.name).sort()).toEqual([...students].sort());
    await lab.close();
  });
});
