/**
 * The non-API pages: health, version, the home page, static assets, the
 * debug dump and the browser OAuth callback.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServiceConfig } from '../../config/service-config';
import { badRequest, forbidden } from '../../errors';
import type { HubClient } from '../../hub/hub-client';
import type { Metrics } from '../../metrics';
import type { AdminOverview } from '../../services/admin-overview';
import type { DebugService } from '../../services/debug-service';
import type { Identity } from '../../services/identity';
import { PRODUCT, VERSION } from '../../version';
import { LOGIN_COOKIE, type Authenticator } from '../middleware/authenticate';
import { registerAdminPage } from './admin-page';
import { renderDumpPage, renderHomePage } from './pages-html';
import type { ApiContext, ApiRouter } from './route-kit';
import { literal } from './route-kit';

const ASSETS = path.join(__dirname, '..', '..', '..', 'assets');
const FAVICON = readFileSync(path.join(ASSETS, 'favicon.png'));
const MASONRY = readFileSync(path.join(ASSETS, 'masonry.min.js'), 'utf8');
const STATE_COOKIE = 'ngshare-oauth-state';
// The page that sent the user to log in, so the callback can return there (e.g. the admin page).
const RETURN_COOKIE = 'ngshare-oauth-return';

export interface PageDeps {
  config: ServiceConfig;
  /** Readiness: can the database and the storage be used right now? */
  ready: () => Promise<{ database: string; storage: string }>;
  auth: Authenticator;
  debug: DebugService;
  hub: HubClient | null;
  metrics: Metrics;
  /** The admin page (admin-page.ts); absent: no admin page. */
  admin?: AdminOverview;
}

export function registerPageRoutes(router: ApiRouter, deps: PageDeps): void {
  const { config, auth } = deps;
  const p = literal(config.prefix);
  const health = (ctx: ApiContext) => {
    ctx.body = { success: true };
  };
  // Liveness: the process answers. Readiness (for load balancers and Kubernetes): the database
  // and the storage answer too; a replica that cannot reach them is taken out of rotation.
  router.get('/healthz', health);
  router.get(`${p}healthz`, health);
  const readiness = async (ctx: ApiContext) => {
    const checks = await deps.ready();
    const ok = checks.database === 'ok' && checks.storage === 'ok';
    ctx.status = ok ? 200 : 503;
    ctx.body = ok
      ? { success: true, ...checks }
      : {
          success: false,
          message: `Not ready: ${Object.entries(checks)
            .filter(([, v]) => v !== 'ok')
            .map(([k, v]) => `${k} ${v}`)
            .join('; ')}`,
          ...checks
        };
  };
  router.get('/readyz', readiness);
  router.get(`${p}readyz`, readiness);
  // No login needed; a caller that sends credentials also learns who it is (the extension's
  // start-up check uses this to show admin tools).
  router.get(`${p}version`, async ctx => {
    let who: { user: string; admin: boolean } | undefined;
    const vngshare = config.mode === 'vngshare';
    if (vngshare) {
      await ctx.state.params.load();
    }
    if (ctx.get('Authorization') || (vngshare && ctx.state.params.any('user') !== undefined)) {
      const user = await auth.identify(ctx, false).catch(() => undefined);
      if (user && user !== 'login') {
        who = { user: user.name, admin: user.isAdmin };
      }
    }
    ctx.body = { success: true, name: PRODUCT, version: VERSION, ...who };
  });

  /** Page routes: a browser without a login is sent through the hub's OAuth flow. */
  const page =
    (handler: (ctx: ApiContext, user: Identity) => Promise<void> | void) =>
    async (ctx: ApiContext) => {
      const user = await auth.identify(ctx, true);
      if (user === 'login') {
        redirectToLogin(ctx, config);
        return;
      }
      ctx.state.user = user;
      await ctx.state.params.load();
      await handler(ctx, user);
    };

  router.get(
    config.prefix === '/' ? '/' : `${p}`,
    page((ctx, user) => {
      ctx.type = 'html';
      ctx.body = renderHomePage({
        user,
        debug: config.debug,
        vngshare: config.mode === 'vngshare',
        version: VERSION
      });
    })
  );
  router.get(
    `${p}favicon.ico`,
    page(ctx => {
      ctx.type = 'image/png';
      ctx.body = FAVICON;
    })
  );
  router.get(
    `${p}masonry.min.js`,
    page(ctx => {
      ctx.type = 'application/javascript';
      ctx.body = MASONRY;
    })
  );
  router.get(
    `${p}initialize-Data6ase`,
    page(async (ctx, user) => {
      const action = deps.debug.authorize(user, ctx.state.params.any('action'));
      if (action === 'clear') {
        await deps.debug.clear();
        ctx.body = { success: true, message: 'done' };
      } else if (action === 'init') {
        await deps.debug.init();
        ctx.body = { success: true, message: 'done' };
      } else {
        const dump = await deps.debug.dump();
        if (ctx.state.params.any('human-readable') === 'true') {
          ctx.type = 'html';
          ctx.body = renderDumpPage(dump, config.mode === 'vngshare' ? user.name : null);
        } else {
          ctx.body = { success: true, ...dump };
        }
      }
    })
  );
  router.get(`${p}metrics`, async ctx => {
    const user = await auth.identify(ctx, false);
    if (user === 'login' || !user.isAdmin) {
      // the reason only with --debug, as for every other refusal (services/access.ts)
      throw forbidden(
        config.debug ? 'Permission denied (metrics are for admins)' : 'Permission denied'
      );
    }
    ctx.state.user = user;
    const { contentType, body } = await deps.metrics.render();
    ctx.type = contentType;
    ctx.body = body;
  });

  if (deps.admin) {
    registerAdminPage(router, {
      config,
      auth,
      overview: deps.admin,
      redirectToLogin: ctx => redirectToLogin(ctx, config)
    });
  }

  router.get(`${p}oauth_callback`, async ctx => {
    const hub = deps.hub;
    const settings = config.hub;
    if (!hub || !settings) {
      ctx.redirect(config.prefix);
      return;
    }
    const code = ctx.query.code;
    const state = ctx.query.state;
    const expected = ctx.cookies.get(STATE_COOKIE, { signed: true });
    if (typeof code !== 'string' || !code) {
      redirectToLogin(ctx, config, null);
      return;
    }
    if (!expected || state !== expected) {
      throw badRequest('OAuth state mismatch: start the login again from the service page');
    }
    const token = await hub.exchangeOAuthCode({
      client_id: settings.clientId,
      client_secret: settings.apiToken,
      grant_type: 'authorization_code',
      code,
      redirect_uri: settings.oauthCallbackUrl
    });
    if (!token) {
      throw badRequest('JupyterHub refused the login code; start the login again');
    }
    const back = returnPath(ctx.cookies.get(RETURN_COOKIE, { signed: true }), config.prefix);
    ctx.cookies.set(STATE_COOKIE, null, { path: config.prefix });
    ctx.cookies.set(RETURN_COOKIE, null, { path: config.prefix });
    ctx.cookies.set(LOGIN_COOKIE, token, {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      path: config.prefix,
      overwrite: true
    });
    ctx.redirect(back ?? settings.redirectUrl);
  });
}

/**
 * The stored page to return to after login, if it is a path of this service: anything else
 * (another origin, `//host`, a backslash trick, a forged value) falls back to the home page.
 */
export function returnPath(value: string | undefined, prefix: string): string | undefined {
  if (!value) {
    return undefined;
  }
  let path: string;
  try {
    path = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const safe =
    (path === prefix || path.startsWith(base)) &&
    !path.startsWith('//') &&
    !/[\\\s]/.test(path) &&
    !path.includes('/oauth_callback');
  return safe ? path : undefined;
}

/** `returnTo`: the page to come back to; null keeps the one already stored (a retried login). */
function redirectToLogin(
  ctx: ApiContext,
  config: ServiceConfig,
  returnTo: string | null = ctx.originalUrl
): void {
  const settings = config.hub;
  if (!settings) {
    throw badRequest('Missing argument user');
  }
  const state = randomBytes(16).toString('hex');
  const cookie = {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    path: config.prefix,
    overwrite: true
  } as const;
  ctx.cookies.set(STATE_COOKIE, state, cookie);
  if (returnTo !== null) {
    ctx.cookies.set(RETURN_COOKIE, encodeURIComponent(returnTo), cookie);
  }
  const query = new URLSearchParams({
    client_id: settings.clientId,
    redirect_uri: settings.oauthCallbackUrl,
    response_type: 'code',
    state
  });
  ctx.redirect(`${settings.baseUrl.replace(/\/?$/, '/')}hub/api/oauth2/authorize?${query}`);
}
