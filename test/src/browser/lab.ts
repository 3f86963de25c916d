/**
 * Page objects for the browser tests: Debian's Chromium driven by playwright-core, users logged in
 * through the hub's login form, files checked through Jupyter Server's contents API.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser, BrowserContext, Locator, Page, chromium } from 'playwright-core';
import { HubClient, HubInfo, ROOT_DIR, fetchRetry } from '../../harness';

/**
 * Where the browser tests write their screenshots: test/artifacts/screenshots (git-ignored), so a
 * test run never changes tracked files. `npm run screenshots` points this at docs/screenshots to
 * refresh the guides' pictures (NGSHARE_E2E_SCREENSHOT_DIR).
 */
export const SCREENSHOT_DIR = path.resolve(
  process.env.NGSHARE_E2E_SCREENSHOT_DIR ?? path.join(ROOT_DIR, 'test', 'artifacts', 'screenshots')
);
const CHROMIUM = process.env.NGSHARE_E2E_CHROMIUM ?? '/usr/bin/chromium';
/** Timeout of every wait on a locator (the machine is shared and slow). */
export const UI_TIMEOUT = 60_000;

export interface BrowserHandle {
  browser: Browser;
  profileDir: string;
  close(): Promise<void>;
}

/** One Chromium per test file, with a fresh profile. */
export async function launchBrowser(): Promise<BrowserHandle> {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngshare-e2e-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ],
    // playwright gives every launch a fresh temporary profile (user-data dir) and removes it
    // on close; downloads of the test go to our own folder
    downloadsPath: profileDir
  });
  return {
    browser,
    profileDir,
    async close() {
      await browser.close().catch(() => undefined);
      fs.rmSync(profileDir, { recursive: true, force: true });
    }
  };
}

export function md5(data: Buffer | string): string {
  return crypto.createHash('md5').update(data).digest('hex');
}

/** Jupyter Server REST calls for one user (contents API, settings API) with a hub token. */
export class UserServer {
  constructor(
    readonly info: HubInfo,
    readonly user: string,
    readonly token: string
  ) {}

  private url(p: string): string {
    return `${this.info.hubUrl}/user/${encodeURIComponent(this.user)}/${p}`;
  }

  async request(method: string, p: string, body?: unknown): Promise<Response> {
    return fetchRetry(this.url(p), {
      method,
      headers: {
        Authorization: `token ${this.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  private static encode(p: string): string {
    return p.split('/').map(encodeURIComponent).join('/');
  }

  /** Writes a file (creating its parent folders) through the contents API. */
  async writeFile(p: string, data: Buffer | string): Promise<void> {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const r = await this.request('GET', `api/contents/${UserServer.encode(dir)}?content=0`);
      if (r.status === 404) {
        const c = await this.request('PUT', `api/contents/${UserServer.encode(dir)}`, {
          type: 'directory'
        });
        if (c.status >= 300) {
          throw new Error(`mkdir ${dir} -> ${c.status}: ${await c.text()}`);
        }
      } else {
        await r.arrayBuffer();
      }
    }
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    const r = await this.request('PUT', `api/contents/${UserServer.encode(p)}`, {
      type: 'file',
      format: 'base64',
      content: buf.toString('base64')
    });
    if (r.status >= 300) {
      throw new Error(`PUT ${p} -> ${r.status}: ${await r.text()}`);
    }
    await r.arrayBuffer();
  }

  /** The bytes of a file, or null when it does not exist. */
  async readFile(p: string): Promise<Buffer | null> {
    const r = await this.request(
      'GET',
      `api/contents/${UserServer.encode(p)}?type=file&format=base64&content=1`
    );
    if (r.status === 404) {
      await r.arrayBuffer();
      return null;
    }
    if (r.status !== 200) {
      throw new Error(`GET ${p} -> ${r.status}: ${await r.text()}`);
    }
    const j = (await r.json()) as { content: string };
    return Buffer.from(j.content, 'base64');
  }

  /** Every file below a folder (relative paths), hidden files included when the server lists them. */
  async listTree(dir: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      const full = rel ? `${dir}/${rel}` : dir;
      const r = await this.request('GET', `api/contents/${UserServer.encode(full)}?content=1`);
      if (r.status !== 200) {
        throw new Error(`list ${full} -> ${r.status}: ${await r.text()}`);
      }
      const j = (await r.json()) as { content: { name: string; type: string }[] };
      for (const e of j.content) {
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.type === 'directory') {
          await walk(child);
        } else {
          out.push(child);
        }
      }
    };
    await walk('');
    return out.sort();
  }

  async deleteFile(p: string): Promise<void> {
    const r = await this.request('DELETE', `api/contents/${UserServer.encode(p)}`);
    if (r.status !== 204) {
      throw new Error(`DELETE ${p} -> ${r.status}: ${await r.text()}`);
    }
  }

  /** Replaces the user's settings of a JupyterLab plugin (what the Settings Editor saves). */
  async setSettings(plugin: string, values: Record<string, unknown>): Promise<void> {
    const r = await this.request('PUT', `lab/api/settings/${plugin}`, {
      raw: JSON.stringify(values)
    });
    if (r.status !== 204 && r.status !== 200) {
      throw new Error(`settings ${plugin} -> ${r.status}: ${await r.text()}`);
    }
    await r.arrayBuffer();
  }
}

/** A user's JupyterLab in its own browser context (cookies), logged in through the hub's form. */
export class LabPage {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly user: string,
    readonly info: HubInfo
  ) {}

  /** `options`: the browser's time zone and locale (default: the machine's). */
  static async open(
    browser: Browser,
    info: HubInfo,
    user: string,
    options: { timezoneId?: string; locale?: string } = {}
  ): Promise<LabPage> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      deviceScaleFactor: 1,
      ...options
    });
    context.setDefaultTimeout(UI_TIMEOUT);
    context.setDefaultNavigationTimeout(UI_TIMEOUT * 2);
    const page = await context.newPage();
    const lab = new LabPage(context, page, user, info);
    await lab.login();
    return lab;
  }

  /** The hub's login form (DummyAuthenticator), then the user's JupyterLab. */
  async login(): Promise<void> {
    const { page, info } = this;
    await page.goto(`${info.hubUrl}/hub/login`);
    await page.locator('#username_input').fill(this.user);
    await page.locator('#password_input').fill(info.password || 'any-password');
    await Promise.all([
      page.waitForURL(/\/hub\/(home|spawn|user)/),
      page.locator('#login_submit').click()
    ]);
    await this.gotoLab();
  }

  async gotoLab(): Promise<void> {
    await this.page.goto(`${this.info.hubUrl}/user/${encodeURIComponent(this.user)}/lab`);
    await this.waitForLab();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForLab();
  }

  async waitForLab(): Promise<void> {
    await this.page.locator('#jp-main-dock-panel').waitFor();
    await this.page.locator('[data-id="ngshare-assignments"]').waitFor();
  }

  /** Opens a left sidebar panel by its tab (clicking an active tab would close it). */
  async openSidebar(id: 'ngshare-assignments' | 'ngshare-courses'): Promise<Locator> {
    const tab = this.page.locator(`.jp-SideBar [data-id="${id}"]`).first();
    const panel = this.page.locator(`#${id}`);
    // the layout restorer may still be opening panels: click only when it stays closed
    for (let i = 0; i < 5; i++) {
      try {
        await panel.waitFor({ state: 'visible', timeout: i === 0 ? 1000 : 5000 });
        return panel;
      } catch {
        if (!(await panel.isVisible())) {
          await tab.click();
        }
      }
    }
    await panel.waitFor({ state: 'visible' });
    return panel;
  }

  /** Runs a command from the main menu: ngshare → <label>. */
  async menu(menu: string, item: string): Promise<void> {
    const { page } = this;
    await page.locator('#jp-menu-panel .lm-MenuBar-itemLabel', { hasText: menu }).first().click();
    await page.locator('.lm-Menu:visible .lm-Menu-itemLabel', { hasText: item }).first().click();
  }

  async theme(dark: boolean): Promise<void> {
    const { page } = this;
    const name = dark ? 'JupyterLab Dark' : 'JupyterLab Light';
    if ((await page.locator('body').getAttribute('data-jp-theme-name')) === name) {
      return;
    }
    await page.locator('#jp-menu-panel .lm-MenuBar-itemLabel', { hasText: 'Settings' }).click();
    await page.locator('.lm-Menu:visible .lm-Menu-itemLabel', { hasText: /^Theme$/ }).hover();
    await page
      .locator('.lm-Menu:visible .lm-Menu-itemLabel', { hasText: new RegExp(`^${name}$`) })
      .click();
    await page.locator(`body[data-jp-theme-name="${name}"]`).waitFor({ state: 'attached' });
    // the theme's CSS is applied once the variables change
    await page.waitForFunction(
      d =>
        getComputedStyle(document.body).getPropertyValue('--jp-layout-color0').trim() !== '' &&
        document.body.dataset.jpThemeLight === (d ? 'false' : 'true'),
      dark
    );
  }

  /** Screenshot `name.png`; with `darkName`, also the same view in the dark theme. */
  async shoot(name: string, darkName?: string): Promise<void> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await this.settled();
    await this.page.screenshot({
      path: path.join(SCREENSHOT_DIR, `${name}.png`),
      animations: 'disabled'
    });
    if (darkName) {
      await this.theme(true);
      await this.settled();
      await this.page.screenshot({
        path: path.join(SCREENSHOT_DIR, `${darkName}.png`),
        animations: 'disabled'
      });
      await this.theme(false);
    }
  }

  /** No panel section is loading (showing a view refreshed by a theme change, say). */
  async settled(): Promise<void> {
    await this.page.waitForFunction(
      () => document.querySelectorAll('.ngshare-Section[aria-busy="true"]').length === 0
    );
  }

  /** A JupyterLab toast containing the text. */
  toast(text: string | RegExp): Locator {
    return this.page.locator('.Toastify__toast', { hasText: text });
  }

  /** Closes every toast (so screenshots show the view) and waits until they are gone. */
  async dismissToasts(): Promise<void> {
    const closes = this.page.locator('.Toastify__toast .jp-Notification-Toast-Close');
    for (let i = 0; i < 10 && (await closes.count()) > 0; i++) {
      await closes
        .first()
        .click({ timeout: 2000 })
        .catch(() => undefined);
    }
    await this.page
      .locator('.Toastify__toast')
      .first()
      .waitFor({ state: 'detached', timeout: 5000 })
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

/** The Assignments panel (student). */
export class AssignmentsPanel {
  readonly root: Locator;
  constructor(readonly lab: LabPage) {
    this.root = lab.page.locator('#ngshare-assignments');
  }

  async open(course?: string): Promise<void> {
    await this.lab.openSidebar('ngshare-assignments');
    if (course) {
      const select = this.root.getByRole('combobox', { name: 'Course' });
      await select.locator(`option[value="${course}"]`).waitFor({ state: 'attached' });
      if ((await select.inputValue()) !== course) {
        await select.selectOption(course);
      }
    }
  }

  section(name: 'Released' | 'Downloaded' | 'Submitted'): Locator {
    return this.root.getByRole('region', { name: `${name} assignments` });
  }

  item(section: 'Released' | 'Downloaded' | 'Submitted', assignment: string): Locator {
    return this.section(section).locator(`li[data-assignment="${assignment}"]`);
  }

  async refresh(): Promise<void> {
    await this.root.getByRole('button', { name: 'Refresh', exact: true }).first().click();
  }

  submission(assignment: string, timestamp?: string, feedback?: string): Locator {
    let sel = 'li[data-timestamp]';
    if (timestamp) {
      sel = `li[data-timestamp="${timestamp}"]`;
    }
    if (feedback) {
      sel += `[data-feedback="${feedback}"]`;
    }
    return this.item('Submitted', assignment).locator(sel);
  }

  /** Submit through the dialog; returns the server timestamp of the new submission line. */
  async submit(
    assignment: string,
    again = false,
    beforeConfirm?: () => Promise<void>
  ): Promise<string> {
    const before = await this.submission(assignment)
      .evaluateAll(els => els.map(e => e.getAttribute('data-timestamp') ?? ''))
      .catch(() => [] as string[]);
    await this.item('Downloaded', assignment)
      .getByRole('button', { name: 'Submit', exact: true })
      .click();
    const dialog = this.lab.page.locator('.jp-Dialog');
    await dialog.getByRole('table', { name: 'Files to submit' }).waitFor();
    if (beforeConfirm) {
      await beforeConfirm();
    }
    await dialog
      .getByRole('button', { name: again ? 'Submit again' : 'Submit', exact: true })
      .click();
    await dialog.waitFor({ state: 'detached' });
    await this.lab.toast(`Submitted ${assignment} at `).waitFor();
    const lines = this.submission(assignment);
    await this.lab.page.waitForFunction(([n, sel]) => document.querySelectorAll(sel).length > n, [
      before.length,
      `#ngshare-assignments li[data-assignment="${assignment}"] li[data-timestamp]`
    ] as const);
    const all = await lines.evaluateAll(els =>
      els.map(e => e.getAttribute('data-timestamp') ?? '')
    );
    const added = all.filter(t => !before.includes(t));
    if (added.length !== 1) {
      throw new Error(`expected one new submission line, got ${JSON.stringify(all)}`);
    }
    return added[0];
  }
}

export type InstructorTab = 'Assignments' | 'Deadlines' | 'Submissions' | 'Roster' | 'History';

/** Course management (instructor), main area. */
export class InstructorPanel {
  readonly root: Locator;
  constructor(readonly lab: LabPage) {
    this.root = lab.page.getByRole('region', { name: 'Course management' });
  }

  tab(name: InstructorTab): Locator {
    return this.root.getByRole('tab', { name, exact: true });
  }

  async show(name: InstructorTab): Promise<Locator> {
    await this.tab(name).click();
    const panel = this.root.getByRole('tabpanel');
    await panel.waitFor();
    return panel;
  }

  row(assignment: string): Locator {
    return this.root
      .getByRole('table', { name: 'Assignments' })
      .locator(`tr[data-assignment="${assignment}"]`);
  }
}

/** Creates users' tokens and servers in parallel; returns the tokens by user. */
export async function prepareUsers(
  hub: HubClient,
  users: string[],
  opts: { start?: boolean } = {}
): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  await Promise.all(
    users.map(async u => {
      tokens[u] = await hub.createToken(u, { note: 'browser e2e' });
      if (opts.start !== false) {
        await hub.startServer(u);
      }
    })
  );
  return tokens;
}

/** Settings every browser test user gets before the first page load (no news toast). */
export async function quietLab(server: UserServer): Promise<void> {
  await server.setSettings('@jupyterlab/apputils-extension:notification', {
    fetchNews: 'false',
    checkForUpdates: false
  });
}

/** A minimal valid notebook with one code cell. */
export function notebook(source: string, markdown = 'Problem'): string {
  return (
    JSON.stringify(
      {
        cells: [
          { cell_type: 'markdown', id: 'md-1', metadata: {}, source: [`# ${markdown}`] },
          {
            cell_type: 'code',
            id: 'code-1',
            execution_count: null,
            metadata: {},
            outputs: [],
            source: [source]
          }
        ],
        metadata: {
          kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' },
          language_info: { name: 'python' }
        },
        nbformat: 4,
        nbformat_minor: 5
      },
      null,
      1
    ) + '\n'
  );
}

/** Bytes 0..255 in a seeded pseudo-random order (a "binary file" that is not UTF-8). */
export function binaryBytes(n: number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = i < 256 ? i : x & 0xff;
  }
  return b;
}

export function ms(t0: number): string {
  return `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}
