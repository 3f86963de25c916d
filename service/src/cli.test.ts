import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildProgram, resolveConfig, type CliOptions } from './cli';
import { buildCopyProgram } from './import/copy-command';
import { buildImportProgram } from './import/import-command';

const defaults = (extra: Partial<CliOptions> = {}): CliOptions => ({
  ...(buildProgram().parse(['node', 'ngshare'], { from: 'node' }).opts() as CliOptions),
  ...extra
});

describe('ngshare command line', () => {
  it('documents its current --help output in docs/cli.md', () => {
    const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'cli.md'), 'utf8');
    expect(doc).toContain(buildProgram().helpInformation().trimEnd());
    expect(doc).toContain(buildImportProgram().helpInformation().trimEnd());
    expect(doc).toContain(buildCopyProgram().helpInformation().trimEnd());
  });

  it("keeps ngshare 0.6's defaults", () => {
    const opts = defaults();
    expect(opts.database).toBe('sqlite:////srv/ngshare/ngshare.db');
    expect(opts.storage).toBe('/srv/ngshare/files/');
    expect(opts.upgradeDb).toBe(true);
    expect(buildProgram().parse(['node', 'x', '--no-upgrade-db']).opts().upgradeDb).toBe(false);
  });

  it('takes the prefix from the flag, then JUPYTERHUB_SERVICE_PREFIX, then /api/', () => {
    const v = { vngshare: true };
    expect(resolveConfig(defaults(v), {}).config.prefix).toBe('/api/');
    expect(
      resolveConfig(defaults(v), { JUPYTERHUB_SERVICE_PREFIX: '/services/x/' }).config.prefix
    ).toBe('/services/x/');
    expect(
      resolveConfig(defaults({ ...v, prefix: '/p/' }), { JUPYTERHUB_SERVICE_PREFIX: '/s/' }).config
        .prefix
    ).toBe('/p/');
  });

  it.each([
    ['api/', 'API prefix should start and end with /'],
    ['/api', 'API prefix should start and end with /'],
    ['/healthz/', 'API prefix may not start with /healthz/']
  ])('rejects the prefix %s', (prefix, message) => {
    expect(() => resolveConfig(defaults({ vngshare: true, prefix }), {})).toThrow(message);
  });

  it('listens where JupyterHub says in hub mode, and honours --host', () => {
    const env = {
      JUPYTERHUB_API_URL: 'http://127.0.0.1:8081/hub/api',
      JUPYTERHUB_API_TOKEN: 'secret',
      JUPYTERHUB_SERVICE_URL: 'http://127.0.0.1:10101',
      JUPYTERHUB_SERVICE_PREFIX: '/services/ngshare/'
    };
    expect(resolveConfig(defaults(), env)).toMatchObject({ host: '127.0.0.1', port: 10101 });
    expect(
      resolveConfig(defaults(), { ...env, JUPYTERHUB_SERVICE_URL: 'http://ngshare.ns.svc:8080/' })
    ).toMatchObject({ host: '0.0.0.0', port: 8080 });
    expect(resolveConfig(defaults({ host: '::1' }), env)).toMatchObject({ host: '::1' });
    const { config } = resolveConfig(defaults({ admins: 'a,b,' }), env);
    expect(config.admins).toEqual(['a', 'b']);
    expect(config.hub).toMatchObject({ clientId: 'service-ngshare', serviceName: 'ngshare' });
    expect(JSON.stringify(config)).not.toContain('"cookieSecret":"secret"');
  });

  it('says what is missing in hub mode', () => {
    expect(() => resolveConfig(defaults(), {})).toThrow(/JUPYTERHUB_API_URL is not set/);
    expect(() => resolveConfig(defaults(), { JUPYTERHUB_API_URL: 'http://h/hub/api' })).toThrow(
      /JUPYTERHUB_API_TOKEN is not set/
    );
    expect(() =>
      resolveConfig(defaults(), {
        JUPYTERHUB_API_URL: 'http://h/hub/api',
        JUPYTERHUB_API_TOKEN: 't'
      })
    ).toThrow(/no port to listen on/);
  });
});
