/**
 * createApp(deps): the Koa application, fully wired but not listening.
 * Middleware order: request id + access log → error envelope → arguments
 * (query now, body when a route loads it) → routes → ngshare's 404/405 fallbacks.
 */
import Router from '@koa/router';
import Koa from 'koa';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ServiceConfig } from './config/service-config';
import { MicrosecondClock } from './domain/timestamps';
import { methodNotAllowed } from './errors';
import type { AppState } from './http/app-state';
import {
  HubAuthenticator,
  VngshareAuthenticator,
  type Authenticator
} from './http/middleware/authenticate';
import { errorEnvelope } from './http/middleware/envelope';
import { recordRecentErrors } from './http/middleware/recent-errors';
import { requestLog } from './http/middleware/request-log';
import { BodyBudget } from './http/body/body-budget';
import { readBody } from './http/body/read-body';
import { parseQuery, RequestParams } from './http/request-params';
import { registerApiRoutes } from './http/routes/api-routes';
import { registerPageRoutes } from './http/routes/page-routes';
import { registerV2Routes } from './http/routes/v2-routes';
import { HubClient } from './hub/hub-client';
import { noMetrics, type Metrics } from './metrics';
import { Access } from './services/access';
import { AdminOverview } from './services/admin-overview';
import { AssignmentsService } from './services/assignments-service';
import { CoursesService } from './services/courses-service';
import { DeadlinesService } from './services/deadlines-service';
import { DebugService } from './services/debug-service';
import type { ServiceDeps } from './services/deps';
import { FeedbackService } from './services/feedback-service';
import { GroupRosterService } from './services/group-roster-service';
import { HistoryLog } from './services/history-log';
import { HistoryService } from './services/history-service';
import { VersionsService } from './services/versions-service';
import { FileKeeper } from './services/file-keeper';
import { RecentErrors } from './services/recent-errors';
import { RosterService } from './services/roster-service';
import { SubmissionsService } from './services/submissions-service';
import type { BlobStorage } from './storage/blob-storage';
import { AdminQueries } from './store/admin-queries';
import { ExchangeStore } from './store/exchange-store';

export interface AppDeps {
  config: ServiceConfig;
  knex: Knex;
  /** Reads only, beside `knex` (a SQLite file's reader pool: createReadKnex). */
  readKnex?: Knex;
  blobs: BlobStorage;
  logger: Logger;
  metrics?: Metrics;
  /** Injected in tests; built from `config.hub` otherwise. */
  hub?: HubClient;
}

export interface ExchangeApp {
  app: Koa<AppState>;
  files: FileKeeper;
  store: ExchangeStore;
  /** Rosters that follow hub groups: the server runs `syncAll` periodically. */
  groups: GroupRosterService;
  /** Queued read events: closed (flushed) before the pool goes. */
  history: HistoryLog;
}

/** Each check answers "ok" or why not, within `timeoutMs`. */
async function readiness(knex: Knex, blobs: BlobStorage, timeoutMs: number) {
  const probe = async (check: () => Promise<unknown>) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        check(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${timeoutMs} ms`)),
            timeoutMs
          );
        })
      ]);
      return 'ok';
    } catch (err) {
      return `unavailable (${(err as Error).message.split('\n')[0].slice(0, 200)})`;
    } finally {
      clearTimeout(timer);
    }
  };
  const [database, storage] = await Promise.all([
    probe(() => knex.raw('select 1')),
    probe(() => blobs.check())
  ]);
  return { database, storage };
}

export function createApp(deps: AppDeps): ExchangeApp {
  const { config, logger } = deps;
  const metrics = deps.metrics ?? noMetrics;
  const store = new ExchangeStore(deps.readKnex ?? deps.knex, deps.knex);
  const files = new FileKeeper(deps.blobs, logger, config.gcGraceMs);
  const history = new HistoryLog(store, logger);
  const serviceDeps: ServiceDeps = {
    store,
    access: new Access(config.debug),
    files,
    clock: new MicrosecondClock(),
    logger,
    history
  };
  const admins = new Set(config.admins);
  const hub =
    deps.hub ??
    (config.hub
      ? new HubClient({
          apiUrl: config.hub.apiUrl,
          timeoutMs: config.hub.timeoutMs,
          cacheTtlMs: config.hub.cacheTtlMs,
          negativeTtlMs: Math.min(config.hub.cacheTtlMs, 5000),
          serviceToken: config.hub.apiToken
        })
      : null);
  const auth: Authenticator =
    config.mode === 'vngshare' || !hub
      ? new VngshareAuthenticator(admins)
      : new HubAuthenticator(hub, admins, config);

  const recentErrors = new RecentErrors();
  const router = new Router<AppState>({ strict: true, sensitive: true });
  const ready = () => readiness(deps.knex, deps.blobs, config.readyTimeoutMs ?? 5000);
  registerPageRoutes(router, {
    config,
    ready,
    auth,
    debug: new DebugService(serviceDeps, deps.blobs, config.debug),
    hub,
    metrics,
    admin: new AdminOverview({
      queries: new AdminQueries(deps.knex),
      ready,
      errors: recentErrors,
      mode: config.mode,
      debug: config.debug,
      admins: config.admins,
      hub: config.mode === 'vngshare' ? null : hub
    })
  });
  const deadlines = new DeadlinesService(serviceDeps);
  const feedback = new FeedbackService(serviceDeps);
  registerApiRoutes(router, config.prefix, auth, {
    courses: new CoursesService(serviceDeps),
    roster: new RosterService(serviceDeps),
    assignments: new AssignmentsService(serviceDeps),
    submissions: new SubmissionsService(serviceDeps, deadlines),
    feedback
  });
  const groups = new GroupRosterService(serviceDeps, hub);
  registerV2Routes(router, config.prefix, auth, {
    deadlines,
    feedback,
    groups,
    history: new HistoryService(serviceDeps),
    versions: new VersionsService(serviceDeps)
  });

  const app = new Koa<AppState>({ keys: [config.cookieSecret], proxy: true });
  app.silent = true; // errors are logged once, by the envelope middleware
  app.use(requestLog(logger, metrics));
  app.use(recordRecentErrors(recentErrors)); // the admin page's recent errors
  app.use(errorEnvelope());
  const budget = new BodyBudget(config.maxBodyBytesInFlight);
  app.use(async (ctx, next) => {
    // The body is read later, by the route, once the caller may send it.
    const params = new RequestParams(
      parseQuery(ctx.querystring),
      streamFiles =>
        readBody(ctx.req, {
          limit: config.maxBodyBytes,
          budget,
          streamFiles,
          openWriter: files.openWriter
        }),
      files.openWriter
    );
    ctx.state.params = params;
    try {
      await next();
    } finally {
      await params.dispose();
    }
  });
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true, methodNotAllowed: () => methodNotAllowed() }));
  // ngshare's catch-all only implements GET: other methods on unknown paths are 405.
  app.use(async ctx => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      throw methodNotAllowed();
    }
    ctx.status = 404;
    ctx.type = 'html';
    ctx.body = '<h1>404 Not Found</h1>\n';
  });
  return { app, files, store, groups, history };
}
