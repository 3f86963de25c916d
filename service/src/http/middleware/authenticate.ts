/**
 * Who is calling. Hub mode: a JupyterHub token from `Authorization: token …`
 * or `Bearer …`, or (GET only, for the service's own pages) the signed login
 * cookie set by `oauth_callback`. vngshare mode: the `user` argument.
 * Failures are JSON 401s that say nothing about the course asked for.
 */
import type { ParameterizedContext } from 'koa';
import { badRequest, forbidden, unauthorized } from '../../errors';
import type { HubClient } from '../../hub/hub-client';
import type { ServiceConfig } from '../../config/service-config';
import type { Identity } from '../../services/identity';
import type { AppState } from '../app-state';

export const LOGIN_COOKIE = 'ngshare-oauth-token';

export type AuthContext = ParameterizedContext<AppState>;

export interface Authenticator {
  /** Resolves the caller; `page` routes (home, static, debug) have looser defaults. */
  identify(ctx: AuthContext, page: boolean): Promise<Identity | 'login'>;
}

export class VngshareAuthenticator implements Authenticator {
  constructor(private readonly admins: ReadonlySet<string>) {}

  async identify(ctx: AuthContext, page: boolean): Promise<Identity> {
    // The identity is an argument, so the body is read first (test mode only).
    await ctx.state.params.load();
    // A blank user is no user (ngshare would act as the user "").
    const given = ctx.state.params.any('user');
    const name = given !== undefined && given !== '' ? given : page ? 'user' : undefined;
    if (name === undefined) {
      throw badRequest('Missing argument user');
    }
    return { name, isAdmin: this.admins.has(name) };
  }
}

export class HubAuthenticator implements Authenticator {
  constructor(
    private readonly hub: HubClient,
    private readonly admins: ReadonlySet<string>,
    private readonly config: ServiceConfig
  ) {}

  async identify(ctx: AuthContext, page: boolean): Promise<Identity | 'login'> {
    const token = this.tokenOf(ctx);
    if (token === undefined) {
      if (page && ctx.method === 'GET') {
        return 'login';
      }
      throw unauthorized(
        'Authentication required: send a JupyterHub API token as "Authorization: token <token>"'
      );
    }
    const user = await this.hub.userForToken(token);
    if (!user) {
      throw unauthorized('Invalid or expired JupyterHub token');
    }
    const settings = this.config.hub!;
    if (settings.requireServiceScope) {
      const needed = `access:services!service=${settings.serviceName}`;
      if (!user.scopes.includes(needed) && !user.scopes.includes('access:services')) {
        throw forbidden(`This token lacks the "${needed}" scope`);
      }
    }
    return { name: user.name, isAdmin: this.admins.has(user.name) };
  }

  private tokenOf(ctx: AuthContext): string | undefined {
    const header = ctx.get('Authorization');
    if (header) {
      const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header);
      return m ? m[1] : undefined;
    }
    // The cookie only for reads: a cross-site form cannot then act for the user.
    if (ctx.method === 'GET' || ctx.method === 'HEAD') {
      return ctx.cookies.get(LOGIN_COOKIE, { signed: true }) || undefined;
    }
    return undefined;
  }
}
