/**
 * ngshare-ts as a JupyterHub 5 managed service, started through the pip launcher, reached through
 * the hub's proxy at /services/ngshare/ (the shared hub from globalSetup).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fetchRetry, HubClient, HubInfo, loadHub, ROOT_DIR, serviceRequest } from './harness';

interface Envelope {
  success: boolean;
  message?: string;
  courses?: string[];
  version?: string;
  name?: string;
}

const rootVersion = (
  JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string }
).version;

let info: HubInfo;
let hub: HubClient;

beforeAll(() => {
  info = loadHub();
  hub = new HubClient(info);
});

describe('the shared JupyterHub', () => {
  test('is a JupyterHub 5.x', () => {
    expect(info.hubVersion).toMatch(/^5\./);
  });

  test('tracks the Node process itself as the managed service (the launcher exec()s)', () => {
    expect(info.servicePid).toBeGreaterThan(0);
    const cmdline = fs.readFileSync(`/proc/${info.servicePid}/cmdline`, 'utf8').split('\0');
    expect(path.basename(fs.readlinkSync(`/proc/${info.servicePid}/exe`))).toMatch(/^node/);
    // with the launcher's memory settings (docs/performance.md, "Memory")
    expect(cmdline[1]).toBe('--max-semi-space-size=8');
    expect(cmdline[2]).toMatch(/ngshare_ts\/_service\/service\/lib\/cli\.js$/);
    expect(cmdline).toEqual(expect.arrayContaining(['--admins', 'admin']));
    const environ = fs.readFileSync(`/proc/${info.servicePid}/environ`, 'utf8').split('\0');
    expect(environ).toEqual(
      expect.arrayContaining(['MALLOC_ARENA_MAX=2', 'MALLOC_MMAP_THRESHOLD_=131072'])
    );
  });
});

describe('ngshare through the proxy at /services/ngshare/', () => {
  test('healthz answers without a token', async () => {
    const r = await serviceRequest<Envelope>(info, 'healthz');
    expect(r.status).toBe(200);
    expect(r.json.success).toBe(true);
  });

  test('version reports ngshare-ts with the single project version', async () => {
    const r = await serviceRequest<Envelope>(info, 'version');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ success: true, name: 'ngshare-ts', version: rootVersion });
  });

  test('a bad token gets a JSON 401', async () => {
    const r = await serviceRequest<Envelope>(info, 'courses', { token: 'not-a-real-token-123456' });
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type') ?? '').toMatch(/json/);
    expect(r.json.success).toBe(false);
    expect(typeof r.json.message).toBe('string');
  });

  test('no token at all gets a JSON 401 (no redirect, no HTML)', async () => {
    const r = await serviceRequest<Envelope>(info, 'course/no-token', { method: 'POST' });
    expect(r.status).toBe(401);
    expect(r.json.success).toBe(false);
  });

  test('an admin user token from the hub REST API is accepted; admins may create courses', async () => {
    const token = await hub.createToken('admin');
    const before = await serviceRequest<Envelope>(info, 'courses', { token });
    expect(before.status).toBe(200);
    expect(before.json.success).toBe(true);

    const created = await serviceRequest<Envelope>(info, 'course/hub-e2e-101', {
      method: 'POST',
      token
    });
    expect(created.json).toEqual({ success: true });
    const after = await serviceRequest<Envelope>(info, 'courses', { token });
    expect(after.json.courses).toContain('hub-e2e-101');
  });

  test('a non-admin token maps to that user: 403 "Permission denied" for course creation', async () => {
    const token = await hub.createToken('alice');
    const r = await serviceRequest<Envelope>(info, 'course/alice-course', {
      method: 'POST',
      token
    });
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ success: false, message: 'Permission denied' });
  });

  test('the identity is the token owner: an instructor sees their course, others do not', async () => {
    const admin = await hub.createToken('admin');
    const bobToken = await hub.createToken('bob');
    const carolToken = await hub.createToken('carol');
    expect(
      (await serviceRequest<Envelope>(info, 'course/hub-e2e-bob', { method: 'POST', token: admin }))
        .json.success
    ).toBe(true);
    const added = await serviceRequest<Envelope>(info, 'instructor/hub-e2e-bob/bob', {
      method: 'POST',
      token: admin,
      form: { first_name: 'Bob', last_name: 'B', email: 'bob@example.org' }
    });
    expect(added.json).toEqual({ success: true });

    const bob = await serviceRequest<Envelope>(info, 'courses', { token: bobToken });
    expect(bob.json).toEqual({ success: true, courses: ['hub-e2e-bob'] });
    const carol = await serviceRequest<Envelope>(info, 'courses', { token: carolToken });
    expect(carol.json).toEqual({ success: true, courses: [] });
  });

  test('a single-user-server style token (role "server", as ngshare_exchange sends) is accepted', async () => {
    await hub.createUser('dave');
    const token = await hub.createToken('dave', { roles: ['server'] });
    const r = await serviceRequest<Envelope>(info, 'courses', { token });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ success: true, courses: [] });
  });

  test('"Authorization: Bearer" works as well as "token"', async () => {
    const token = await hub.createToken('admin');
    const r = await serviceRequest<Envelope>(info, 'courses', {
      headers: { Authorization: `Bearer ${token}` }
    });
    expect(r.status).toBe(200);
    expect(r.json.success).toBe(true);
  });
});

describe('JupyterLab from the same pip install', () => {
  test('jupyter labextension list shows @ngshare-ts/labextension enabled', () => {
    // the list goes to stderr on some versions: capture both streams
    const both = execFileSync(
      'sh',
      ['-c', `"${path.join(info.venvBin, 'jupyter')}" labextension list 2>&1`],
      {
        encoding: 'utf8',
        env: { ...process.env, JUPYTER_CONFIG_DIR: path.join(info.workDir, 'jupyter-config') }
      }
    );
    expect(both).toMatch(
      /@ngshare-ts\/labextension v\d+\.\d+\.\d+ .*enabled.*OK.*\(python, ngshare-ts\)/
    );
  });

  test("a user's JupyterLab starts under the hub and loads the prebuilt extension", async () => {
    const url = await hub.startServer('erin');
    expect(url).toBe('/user/erin/');
    expect(fs.existsSync(hub.homeOf('erin'))).toBe(true);
    const token = await hub.createToken('erin');
    const lab = await fetchRetry(`${info.hubUrl}/user/erin/lab`, {
      headers: { Authorization: `token ${token}` }
    });
    expect(lab.status).toBe(200);
    const html = await lab.text();
    expect(html).toContain('@ngshare-ts/labextension');
    await hub.stopServer('erin');
  });
});

describe('rosters that follow hub groups, against the real hub', () => {
  test("a course follows nbgrader-<course> and formgrade-<course> through the service's read:groups role", async () => {
    const admin = await hub.createToken('admin');
    const course = 'hubgroups101';
    await hub.addToGroup(`nbgrader-${course}`, ['hg-sam', 'hg-ann']);
    await hub.addToGroup(`formgrade-${course}`, ['hg-tina']);
    const created = await serviceRequest<Envelope>(info, `course/${course}`, {
      method: 'POST',
      token: admin
    });
    expect(created.json.success).toBe(true);
    const followed = await serviceRequest<{ success: boolean; changes: Record<string, string[]> }>(
      info,
      `v2/groups/${course}`,
      { method: 'POST', token: admin }
    );
    expect(followed.status).toBe(200);
    expect(followed.json.changes).toEqual({
      added_students: ['hg-ann', 'hg-sam'],
      removed_students: [],
      added_instructors: ['hg-tina'],
      removed_instructors: [],
      skipped: []
    });
    // the hub group changes; a sync by the new instructor follows it
    await hub.addToGroup(`nbgrader-${course}`, ['hg-zoe']);
    const tina = await hub.createToken('hg-tina');
    const synced = await serviceRequest<{ success: boolean; changes: Record<string, string[]> }>(
      info,
      `v2/groups/${course}/sync`,
      { method: 'POST', token: tina }
    );
    expect(synced.json.changes.added_students).toEqual(['hg-zoe']);
    const students = await serviceRequest<{ students: Array<{ username: string }> }>(
      info,
      `students/${course}`,
      { token: tina }
    );
    expect(students.json.students.map(s => s.username).sort()).toEqual([
      'hg-ann',
      'hg-sam',
      'hg-zoe'
    ]);
  });
});
