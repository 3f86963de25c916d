/**
 * Helpers for tests: JupyterHub REST API (as the e2e-admin service) and requests to the ngshare
 * service through the proxy.
 */
import { HubInfo } from './connection';
import { fetchRetry, sleep } from './net';

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  /** parsed JSON body, or undefined when the body is not JSON */
  json: T;
}

async function toResult<T>(r: Response): Promise<HttpResult<T>> {
  const text = await r.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.headers, text, json: json as T };
}

export interface HubUser {
  name: string;
  admin: boolean;
  groups: string[];
  server: string | null;
  pending: string | null;
  servers?: Record<string, { ready: boolean; url: string; pending: string | null }>;
}

export interface TokenOptions {
  note?: string;
  expiresIn?: number;
  /** JupyterHub scopes, e.g. ['read:users:name!user', 'access:servers!user'] */
  scopes?: string[];
  /** JupyterHub roles, e.g. ['server'] to mimic a single-user server's token */
  roles?: string[];
}

export class HubClient {
  constructor(
    readonly info: HubInfo,
    private readonly token: string = info.adminToken
  ) {}

  /** A client acting with another token (e.g. a user's). */
  as(token: string): HubClient {
    return new HubClient(this.info, token);
  }

  /** Raw call to the hub REST API: path relative to /hub/api, e.g. '/users/alice'. */
  async api<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<HttpResult<T>> {
    const r = await fetchRetry(`${this.info.hubApiUrl}${apiPath}`, {
      method,
      headers: {
        Authorization: `token ${this.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    return toResult<T>(r);
  }

  private async ok<T>(
    method: string,
    apiPath: string,
    body?: unknown,
    okStatus = [200, 201]
  ): Promise<T> {
    const r = await this.api<T>(method, apiPath, body);
    if (!okStatus.includes(r.status)) {
      throw new Error(`${method} /hub/api${apiPath} -> ${r.status}: ${r.text}`);
    }
    return r.json;
  }

  async getUser(name: string): Promise<HubUser | null> {
    const r = await this.api<HubUser>('GET', `/users/${encodeURIComponent(name)}`);
    return r.status === 404 ? null : r.json;
  }

  /** Create a hub user (no-op if it exists). */
  async createUser(name: string, opts: { admin?: boolean } = {}): Promise<HubUser> {
    const existing = await this.getUser(name);
    if (existing) {
      return existing;
    }
    const user = await this.ok<HubUser>('POST', `/users/${encodeURIComponent(name)}`, {
      admin: opts.admin ?? false
    });
    return user;
  }

  /** Create an API token for a user (the user is created if needed). Returns the token string. */
  async createToken(user: string, opts: TokenOptions = {}): Promise<string> {
    await this.createUser(user);
    const body: Record<string, unknown> = { note: opts.note ?? 'ngshare-ts e2e' };
    if (opts.expiresIn) {
      body.expires_in = opts.expiresIn;
    }
    if (opts.scopes) {
      body.scopes = opts.scopes;
    }
    if (opts.roles) {
      body.roles = opts.roles;
    }
    const r = await this.ok<{ token: string }>(
      'POST',
      `/users/${encodeURIComponent(user)}/tokens`,
      body
    );
    return r.token;
  }

  /** Add users to a hub group, creating the group if needed (e.g. nbgrader-<course>). */
  async addToGroup(group: string, users: string[]): Promise<void> {
    for (const u of users) {
      await this.createUser(u);
    }
    const g = await this.api('GET', `/groups/${encodeURIComponent(group)}`);
    if (g.status === 404) {
      await this.ok('POST', `/groups/${encodeURIComponent(group)}`, { users });
    } else {
      await this.ok('POST', `/groups/${encodeURIComponent(group)}/users`, { users });
    }
  }

  /**
   * Start a user's default server (JupyterLab) and wait until it is ready.
   * Returns the server's URL path, e.g. /user/alice/.
   */
  async startServer(user: string, timeoutMs = 180_000): Promise<string> {
    await this.createUser(user);
    const r = await this.api('POST', `/users/${encodeURIComponent(user)}/server`);
    if (![201, 202, 400].includes(r.status)) {
      // 400 = already running
      throw new Error(`start server for ${user} -> ${r.status}: ${r.text}`);
    }
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const u = await this.getUser(user);
      const srv = u?.servers?.[''];
      if (srv?.ready) {
        return srv.url;
      }
      if (u && !u.pending && !srv) {
        throw new Error(`server of ${user} stopped while starting; see ${this.info.logFile}`);
      }
      await sleep(500);
    }
    throw new Error(`server of ${user} not ready after ${timeoutMs} ms; see ${this.info.logFile}`);
  }

  /** Stop a user's default server and wait until it is gone. */
  async stopServer(user: string, timeoutMs = 60_000): Promise<void> {
    const r = await this.api('DELETE', `/users/${encodeURIComponent(user)}/server`);
    if (![202, 204, 400].includes(r.status)) {
      throw new Error(`stop server for ${user} -> ${r.status}: ${r.text}`);
    }
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const u = await this.getUser(user);
      if (!u?.servers?.['']) {
        return;
      }
      await sleep(500);
    }
    throw new Error(`server of ${user} did not stop within ${timeoutMs} ms`);
  }

  /** Home folder (JupyterLab root) of a user's server. */
  homeOf(user: string): string {
    return `${this.info.homesDir}/${user}`;
  }
}

export interface ServiceRequest {
  method?: string;
  /** sent as `Authorization: token <t>` */
  token?: string;
  /** urlencoded form body */
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

/**
 * A request to the ngshare service through the hub's proxy:
 * `servicePath` is relative to /services/<name>/, e.g. 'courses' or 'course/c1'.
 */
export async function serviceRequest<T = Record<string, unknown>>(
  info: HubInfo,
  servicePath: string,
  req: ServiceRequest = {}
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (req.token) {
    headers.Authorization = `token ${req.token}`;
  }
  let body: string | undefined;
  if (req.form) {
    body = new URLSearchParams(req.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const r = await fetchRetry(`${info.serviceUrl}${servicePath}`, {
    method: req.method ?? 'GET',
    headers,
    body,
    redirect: 'manual'
  });
  return toResult<T>(r);
}

/** What the service answers: the `success` envelope plus the endpoint's fields. */
export type ServiceEnvelope = { success: boolean; message?: string; [k: string]: unknown };

/**
 * Set-up calls to the service as `token`: GET, or POST with `form`. Throws unless the answer is
 * `success: true`, so a broken set-up stops the test where it broke.
 */
export async function serviceCall(
  info: HubInfo,
  servicePath: string,
  token: string,
  form?: Record<string, string>
): Promise<ServiceEnvelope> {
  const r = await serviceRequest<ServiceEnvelope>(info, servicePath, {
    token,
    method: form ? 'POST' : 'GET',
    form
  });
  if (!r.json?.success) {
    throw new Error(`${servicePath} -> ${r.status}: ${r.text}`);
  }
  return r.json;
}
