/**
 * Resolves JupyterHub tokens to users with `GET {api}/user`. Results are
 * cached by a hash of the token (the token itself is never stored or
 * logged), concurrent lookups of one token share one request, and a hub
 * that is slow or down yields an error, never a false success.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { serviceUnavailable } from '../errors';
import { HubGetError, HubGetter, type HubAnswer } from './hub-get';

export interface HubUser {
  name: string;
  admin: boolean;
  scopes: string[];
}

export interface HubClientOptions {
  apiUrl: string;
  timeoutMs: number;
  cacheTtlMs: number;
  /** How long a refused token stays refused without asking the hub again. */
  negativeTtlMs: number;
  /** The service's own token ($JUPYTERHUB_API_TOKEN), for reading hub groups. */
  serviceToken?: string;
  fetchImpl?: typeof fetch;
}

type Lookup = HubUser | null;

export class HubClient {
  private readonly cache: LRUCache<string, { value: Lookup }>;
  private readonly inflight = new Map<string, Promise<Lookup>>();
  private readonly fetchImpl: typeof fetch;
  private readonly getter = new HubGetter();

  constructor(private readonly options: HubClientOptions) {
    this.cache = new LRUCache({ max: 10000, ttl: Math.max(options.cacheTtlMs, 1) });
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  /** The user the token belongs to, or null if the hub refuses it. */
  async userForToken(token: string): Promise<HubUser | null> {
    const key = createHash('sha256').update(token).digest('hex');
    const cached = this.options.cacheTtlMs > 0 ? this.cache.get(key) : undefined;
    if (cached) {
      return cached.value;
    }
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.ask(token).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const value = await pending;
    if (this.options.cacheTtlMs > 0) {
      const ttl = value ? this.options.cacheTtlMs : this.options.negativeTtlMs;
      if (ttl > 0) {
        this.cache.set(key, { value }, { ttl });
      }
    }
    return value;
  }

  /**
   * Members of a hub group (GET {api}/groups/<name>, which needs the `read:groups` scope on the
   * service's token), or null when the hub has no such group.
   */
  async groupMembers(group: string): Promise<string[] | null> {
    if (!this.options.serviceToken) {
      throw serviceUnavailable('ngshare has no JupyterHub API token to read hub groups with');
    }
    const response = await this.request(`${this.base()}/groups/${encodeURIComponent(group)}`, {
      headers: { Authorization: `token ${this.options.serviceToken}` }
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw serviceUnavailable(
        `JupyterHub refused to show the group ${group} (${response.status}): give the ngshare service the read:groups scope (docs/admin/jupyterhub-managed-service.md)`
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw serviceUnavailable(
        `JupyterHub answered ${response.status} when asked for group ${group}`
      );
    }
    const body = (await response.json().catch(() => undefined)) as { users?: unknown } | undefined;
    if (!Array.isArray(body?.users) || body.users.some(u => typeof u !== 'string')) {
      throw serviceUnavailable(`JupyterHub's answer for group ${group} was not a group`);
    }
    return body.users as string[];
  }

  /** Exchanges an OAuth code for a token (browser login to the service's pages). */
  async exchangeOAuthCode(params: Record<string, string>): Promise<string | null> {
    const response = await this.request(`${this.base()}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString()
    });
    if (!response.ok) {
      return null;
    }
    const body = (await response.json()) as { access_token?: unknown };
    return typeof body.access_token === 'string' ? body.access_token : null;
  }

  /** The hub API this client asks. */
  get apiUrl(): string {
    return this.options.apiUrl;
  }

  /**
   * For the admin page: whether the hub's API answers (its root needs no token) and its version.
   * Never throws; a hub that is down is `ok: false` with the reason.
   */
  async status(): Promise<{ ok: boolean; ms?: number; detail: string }> {
    const t0 = performance.now();
    try {
      const response = await this.fetchImpl(`${this.base()}/`, {
        signal: AbortSignal.timeout(this.options.timeoutMs)
      });
      const ms = Math.round(performance.now() - t0);
      if (!response.ok) {
        await response.body?.cancel();
        return { ok: false, ms, detail: `HTTP ${response.status}` };
      }
      const body = (await response.json().catch(() => ({}))) as { version?: unknown } | null;
      const version = body?.version;
      return {
        ok: true,
        ms,
        detail: typeof version === 'string' ? `JupyterHub ${version}` : 'answers'
      };
    } catch (err) {
      const e = err as Error & { cause?: { message?: unknown } };
      return {
        ok: false,
        detail:
          e.name === 'TimeoutError'
            ? `no answer within ${this.options.timeoutMs} ms`
            : `unreachable (${typeof e.cause?.message === 'string' ? e.cause.message : e.message})`
      };
    }
  }

  private base(): string {
    return this.options.apiUrl.replace(/\/+$/, '');
  }

  private async ask(token: string): Promise<Lookup> {
    let answer: HubAnswer;
    try {
      answer = await this.getter.get(
        `${this.base()}/user`,
        { Authorization: `token ${token}` },
        this.options.timeoutMs
      );
    } catch (err) {
      const reason = err instanceof HubGetError ? err.reason : 'unreachable';
      throw serviceUnavailable(
        reason === 'no-answer'
          ? `JupyterHub did not answer within ${this.options.timeoutMs} ms; try again shortly`
          : reason === 'unfinished'
            ? `JupyterHub did not finish its answer within ${this.options.timeoutMs} ms; try again shortly`
            : 'JupyterHub could not be reached to check the token; try again shortly'
      );
    }
    const { status } = answer;
    if (status === 401 || status === 403 || status === 404) {
      return null;
    }
    if (status < 200 || status > 299) {
      throw serviceUnavailable(`JupyterHub answered ${status} when checking the token`);
    }
    // A 200 that is not the user model (a proxy's HTML page, a body cut off) is an outage, not a
    // refusal: a 503 that is never cached, so the token works once the hub does.
    let body: Record<string, unknown> | undefined;
    try {
      body = answer.body && (JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>);
    } catch {
      body = undefined;
    }
    if (typeof body?.name !== 'string') {
      throw serviceUnavailable(
        'JupyterHub answered the token check with something other than a user; try again shortly'
      );
    }
    return {
      name: body.name,
      admin: body.admin === true,
      scopes: Array.isArray(body.scopes) ? body.scopes.filter(s => typeof s === 'string') : []
    };
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(url, {
        ...init,
        signal: AbortSignal.timeout(this.options.timeoutMs)
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      throw serviceUnavailable(
        timedOut
          ? `JupyterHub did not answer within ${this.options.timeoutMs} ms; try again shortly`
          : 'JupyterHub could not be reached to check the token; try again shortly'
      );
    }
  }
}
