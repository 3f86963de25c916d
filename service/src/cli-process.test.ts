/**
 * The real `ngshare` command: prefix validation as in ngshare's
 * test_api_prefix (test 28: a bad prefix is a non-zero exit with the
 * message, before any database work), bad flags, and the vngshare banner.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { ensureBuilt, freePort, runCli, startCli } from './test-support/cli-process';

describe('ngshare command line', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'ngshare-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const dbArgs = (name: string) => [
    '--database',
    `sqlite:///${path.join(dir, `${name}.db`)}`,
    '--storage',
    path.join(dir, `${name}-files`)
  ];

  it.each([
    ['api/', 'API prefix should start and end with /'],
    ['/api', 'API prefix should start and end with /'],
    ['/healthz/', 'API prefix may not start with /healthz/'],
    ['/healthz/x/', 'API prefix may not start with /healthz/']
  ])(
    '--prefix %s exits non-zero with "%s", before touching the database',
    async (prefix, message) => {
      const run = runCli(['--vngshare', '--port', '0', '--prefix', prefix, ...dbArgs('prefix')]);
      const code = await run.exited;
      expect(code).not.toBe(0);
      expect(run.stderr()).toContain(message);
      expect(run.stderr().trim().split('\n')).toHaveLength(1);
      expect(existsSync(path.join(dir, 'prefix.db'))).toBe(false);
    }
  );

  it('validates $JUPYTERHUB_SERVICE_PREFIX the same way', async () => {
    const run = runCli(['--vngshare', '--port', '0', ...dbArgs('envprefix')], {
      JUPYTERHUB_SERVICE_PREFIX: 'services/ngshare/'
    });
    expect(await run.exited).not.toBe(0);
    expect(run.stderr()).toContain('API prefix should start and end with /');
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--no-such-flag']],
    [['--max-body-size', '-1']]
  ])('a bad flag %j is one clear line and a non-zero exit', async args => {
    const run = runCli(['--vngshare', ...args, ...dbArgs('badflag')]);
    expect(await run.exited).not.toBe(0);
    const lines = run.stderr().trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(run.stderr()).toMatch(/error|must|port/i);
  });

  it('--help exits 0 and lists the ngshare 0.6 flags', async () => {
    const run = runCli(['--help']);
    expect(await run.exited).toBe(0);
    for (const flag of [
      '--database',
      '--storage',
      '--admins',
      '--debug',
      '--no-upgrade-db',
      '--jupyterhub_api_url',
      '--prefix',
      '--vngshare',
      '--host',
      '--port'
    ]) {
      expect(run.stdout()).toContain(flag);
    }
  });

  it('--vngshare warns loudly, binds 127.0.0.1, serves a valid --prefix and stops on SIGTERM', async () => {
    const port = await freePort();
    const run = await startCli([
      '--vngshare',
      '--port',
      String(port),
      '--prefix',
      '/services/ngshare/',
      '--admins',
      'root',
      ...dbArgs('banner')
    ]);
    try {
      expect(run.stderr()).toContain('DO NOT USE IN PRODUCTION');
      expect(run.stdout()).toContain(`"url":"http://127.0.0.1:${port}/services/ngshare/"`);
      const res = await supertest(`http://127.0.0.1:${port}`).get(
        '/services/ngshare/courses?user=root'
      );
      expect(res.body).toEqual({ success: true, courses: [] });
    } finally {
      run.proc.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
  });
});
