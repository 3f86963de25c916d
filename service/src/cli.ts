/**
 * The `ngshare` command: ngshare 0.6's flags and defaults, configuration
 * from JupyterHub's environment in hub mode, signals for a clean stop.
 * Precedence: defaults < environment < flags.
 */
import cluster from 'node:cluster';
import { createHmac, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { HubSettings, ServiceConfig } from './config/service-config';
import { validatePrefix } from './config/service-config';
import { runCopy } from './import/copy-command';
import { runImport } from './import/import-command';
import { demoUrls } from './demo';
import { createLogger } from './logging';
import { PromMetrics } from './metrics';
import { superviseWorkers, WORKER_ENV } from './cluster/supervisor';
import { ClusterWorkerMetrics } from './cluster/worker-metrics';
import { addS3Flags, s3SettingsOf, type S3Flags } from './config/s3-flags';
import { startService } from './server';
import { StorageUnavailable } from './storage/open-blob-storage';
import { VERSION } from './version';

export interface CliOptions extends S3Flags {
  database: string;
  storage: string;
  admins: string;
  debug: boolean;
  upgradeDb: boolean;
  jupyterhub_api_url?: string;
  prefix?: string;
  vngshare: boolean;
  host?: string;
  port?: number;
  demo: boolean;
  maxBodySize: number;
  maxBodyInFlight: number;
  requestTimeout: number;
  dbTimeout: number;
  authCacheTtl: number;
  hubTimeout: number;
  requireServiceScope: boolean;
  gcGrace: number;
  workers: number;
  groupSyncInterval: number;
  logLevel: string;
}

const positiveNumber = (what: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(`${what} must be a non-negative number.`);
  }
  return n;
};

/** Beyond this many processes a host is better served by more replicas than by one big pod. */
const MAX_WORKERS = 64;

const workerCount = (value: string) => {
  if (value === 'auto') {
    return availableParallelism();
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new InvalidArgumentError(`give a whole number from 1 to ${MAX_WORKERS}, or "auto".`);
  }
  return n;
};

const portNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  }
  return n;
};

export function buildProgram(): Command {
  const program = new Command('ngshare')
    .description(
      'ngshare exchange service for nbgrader (ngshare-ts): run as a JupyterHub service, ' +
        'or with --vngshare for a local trial'
    )
    .version(VERSION, '-V, --version')
    .option(
      '--database <url>',
      'database URL: sqlite:///rel.db, sqlite:////abs.db or postgresql://…',
      'sqlite:////srv/ngshare/ngshare.db'
    )
    .option(
      '--storage <where>',
      "folder for stored files, or s3://BUCKET[/PREFIX] (keys and region: the AWS SDK's default chain)",
      '/srv/ngshare/files/'
    );
  addS3Flags(program);
  return program
    .option('--admins <names>', 'comma-separated admin usernames', '')
    .option('--debug', 'detailed permission messages; lets anyone clear/init the database', false)
    .option('--no-upgrade-db', 'do not migrate the database at start')
    .option('--jupyterhub_api_url <url>', 'JupyterHub API URL (default: $JUPYTERHUB_API_URL)')
    .option('--prefix <prefix>', 'URL prefix (default: $JUPYTERHUB_SERVICE_PREFIX, else /api/)')
    .option('--vngshare', 'test mode: identity from a "user" parameter; NOT for production', false)
    .option(
      '--host <host>',
      'bind address (default: 127.0.0.1 in vngshare mode; in hub mode the IP of $JUPYTERHUB_SERVICE_URL, else 0.0.0.0)'
    )
    .addOption(
      new Option(
        '--port <port>',
        'bind port (default: 12121 in vngshare mode; in hub mode the port of $JUPYTERHUB_SERVICE_URL)'
      ).argParser(portNumber)
    )
    .option(
      '--demo',
      'vngshare mode: create a demo course (instructor "teacher", students "alice" and "bob")',
      false
    )
    .addOption(
      new Option('--max-body-size <MiB>', 'largest request body accepted, in MiB')
        .default(100)
        .argParser(positiveNumber('--max-body-size'))
    )
    .addOption(
      new Option(
        '--max-body-in-flight <MiB>',
        'request-body bytes received at once across all requests; beyond it new uploads get a 503'
      )
        .default(1024)
        .argParser(positiveNumber('--max-body-in-flight'))
    )
    .addOption(
      new Option(
        '--request-timeout <seconds>',
        'time a client has to send a whole request (a 408 after it); 0 waits forever'
      )
        .default(900)
        .argParser(positiveNumber('--request-timeout'))
    )
    .addOption(
      new Option(
        '--db-timeout <seconds>',
        'longest wait for a database connection or statement before a 503'
      )
        .default(30)
        .argParser(positiveNumber('--db-timeout'))
    )
    .addOption(
      new Option('--auth-cache-ttl <seconds>', 'how long a resolved hub token is remembered')
        .default(60)
        .argParser(positiveNumber('--auth-cache-ttl'))
    )
    .addOption(
      new Option('--hub-timeout <seconds>', 'how long to wait for JupyterHub when checking a token')
        .default(5)
        .argParser(positiveNumber('--hub-timeout'))
    )
    .option(
      '--require-service-scope',
      'refuse tokens without access:services!service=<name>',
      false
    )
    .addOption(
      new Option('--gc-grace <seconds>', 'keep unreferenced files this long before deleting them')
        .default(600)
        .argParser(positiveNumber('--gc-grace'))
    )
    .addOption(
      new Option(
        '--group-sync-interval <seconds>',
        'how often rosters that follow JupyterHub groups are synced; 0: only when asked'
      )
        .default(600)
        .argParser(positiveNumber('--group-sync-interval'))
    )
    .addOption(
      new Option(
        '--workers <n>',
        'processes serving requests on one port ("auto": one per CPU core); each is a stateless replica'
      )
        .default(1)
        .argParser(workerCount)
    )
    .addOption(
      new Option('--log-level <level>', 'log level')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info')
    )
    .addHelpText(
      'after',
      '\nTo import an ngshare 0.6 deployment: ngshare import --help' +
        '\nTo move this service to another database or storage: ngshare copy --help'
    )
    .configureHelp({ helpWidth: 100 })
    .showHelpAfterError(false)
    .allowExcessArguments(false);
}

export interface ResolvedStart {
  config: ServiceConfig;
  host: string;
  port: number;
}

/** Turns flags plus environment into the service configuration; throws one clear Error. */
export function resolveConfig(opts: CliOptions, env: NodeJS.ProcessEnv): ResolvedStart {
  const prefix = validatePrefix(opts.prefix ?? env.JUPYTERHUB_SERVICE_PREFIX ?? '/api/');
  const admins = opts.admins.split(',').filter(name => name !== '');
  const base = {
    prefix,
    debug: opts.debug,
    admins,
    maxBodyBytes: Math.floor(opts.maxBodySize * 1024 * 1024),
    maxBodyBytesInFlight: Math.floor(opts.maxBodyInFlight * 1024 * 1024),
    gcGraceMs: opts.gcGrace * 1000,
    version: VERSION
  };
  if (opts.vngshare) {
    return {
      config: {
        ...base,
        mode: 'vngshare',
        hub: null,
        cookieSecret: env.NGSHARE_COOKIE_SECRET ?? randomBytes(32).toString('hex')
      },
      host: opts.host ?? '127.0.0.1',
      port: opts.port ?? 12121
    };
  }
  const apiUrl = opts.jupyterhub_api_url ?? env.JUPYTERHUB_API_URL;
  const apiToken = env.JUPYTERHUB_API_TOKEN;
  if (!apiUrl) {
    throw new Error(
      'JUPYTERHUB_API_URL is not set: run ngshare as a JupyterHub service, pass --jupyterhub_api_url, or use --vngshare to try it out'
    );
  }
  if (!apiToken) {
    throw new Error('JUPYTERHUB_API_TOKEN is not set: JupyterHub gives it to its services');
  }
  const serviceName = env.JUPYTERHUB_SERVICE_NAME ?? 'ngshare';
  let host = opts.host;
  let port = opts.port;
  if (env.JUPYTERHUB_SERVICE_URL) {
    const url = new URL(env.JUPYTERHUB_SERVICE_URL);
    host ??= /^[\d.]+$|^\[.*\]$|^localhost$/.test(url.hostname)
      ? url.hostname.replace(/^\[|\]$/g, '')
      : '0.0.0.0';
    if (port === undefined && url.port) {
      port = Number(url.port);
    }
  }
  if (port === undefined) {
    throw new Error(
      'no port to listen on: set JUPYTERHUB_SERVICE_URL with an explicit port (JupyterHub does this for managed services) or pass --port'
    );
  }
  const hubBase = env.JUPYTERHUB_BASE_URL ?? '/';
  const hub: HubSettings = {
    apiUrl,
    apiToken,
    clientId: env.JUPYTERHUB_CLIENT_ID ?? `service-${serviceName}`,
    serviceName,
    baseUrl: hubBase,
    oauthCallbackUrl: env.JUPYTERHUB_OAUTH_CALLBACK_URL ?? `${prefix}oauth_callback`,
    redirectUrl: env.JUPYTERHUB_SERVICE_REDIRECT_URL ?? prefix,
    requireServiceScope: opts.requireServiceScope,
    timeoutMs: opts.hubTimeout * 1000,
    cacheTtlMs: opts.authCacheTtl * 1000
  };
  return {
    config: {
      ...base,
      mode: 'hub',
      hub,
      // Stable across restarts and replicas, so browser logins survive both.
      cookieSecret:
        env.NGSHARE_COOKIE_SECRET ??
        createHmac('sha256', apiToken).update('ngshare-login-cookie').digest('hex')
    },
    host: host ?? '0.0.0.0',
    port
  };
}

/** vngshare's warning, once per service (not once per worker). */
function printBanner(opts: CliOptions, resolved: ResolvedStart): void {
  if (resolved.config.mode === 'vngshare') {
    process.stderr.write(
      [
        '*'.repeat(72),
        'Starting vngshare (Vserver-like Notebook Grader Share): TEST MODE.',
        'Anyone who can reach this port can act as any user. DO NOT USE IN PRODUCTION.',
        `Database: ${opts.database}   Storage: ${opts.storage}   Admins: ${resolved.config.admins.join(',') || '(none)'}`,
        ...(opts.demo
          ? demoUrls(
              `http://${resolved.host}:${resolved.port}${resolved.config.prefix}`,
              resolved.config.admins
            )
          : [
              `Please go to http://${resolved.host}:${resolved.port}${resolved.config.prefix}?user=user`
            ]),
        '*'.repeat(72),
        ''
      ].join('\n')
    );
  }
}

export async function main(argv: string[]): Promise<void> {
  if (argv[2] === 'import') {
    process.exit(await runImport(argv.slice(3)));
  }
  if (argv[2] === 'copy') {
    process.exit(await runCopy(argv.slice(3)));
  }
  const program = buildProgram();
  program.exitOverride(err => {
    process.exit(err.exitCode);
  });
  program.parse(argv);
  const opts = program.opts<CliOptions>();
  let resolved: ResolvedStart;
  try {
    resolved = resolveConfig(opts, process.env);
  } catch (err) {
    process.stderr.write(`ngshare: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const logger = createLogger(opts.logLevel);
  const role = cluster.isWorker ? process.env[WORKER_ENV] : undefined;
  if (!cluster.isWorker) {
    printBanner(opts, resolved);
  }
  if (opts.workers > 1 && cluster.isPrimary) {
    // every worker must sign and read the same login cookies
    await superviseWorkers({
      workers: opts.workers,
      logger,
      env: { NGSHARE_COOKIE_SECRET: resolved.config.cookieSecret }
    });
    return;
  }
  let service: Awaited<ReturnType<typeof startService>>;
  try {
    service = await startService({
      config: resolved.config,
      databaseUrl: opts.database,
      storage: opts.storage,
      s3: s3SettingsOf(opts),
      upgradeDb: opts.upgradeDb,
      host: resolved.host,
      port: resolved.port,
      logger,
      metrics: cluster.isWorker ? new ClusterWorkerMetrics() : new PromMetrics(),
      // with --workers only the first worker seeds, so the demo course is made once
      demo:
        opts.demo && resolved.config.mode === 'vngshare' && (!cluster.isWorker || role === 'first'),
      requestTimeoutMs: opts.requestTimeout * 1000,
      dbTimeoutMs: opts.dbTimeout * 1000,
      gcIntervalMs: 10 * 60 * 1000,
      groupSyncIntervalMs: opts.groupSyncInterval * 1000
    });
  } catch (err) {
    // A storage that cannot be used is a set-up mistake: its one line says what to fix.
    logger.fatal(
      err instanceof StorageUnavailable ? { reason: err.message } : { err },
      'could not start'
    );
    process.stderr.write(`ngshare: could not start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    service.close().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      err => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      }
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (require.main === module) {
  void main(process.argv);
}
