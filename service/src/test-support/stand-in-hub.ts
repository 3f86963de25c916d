/**
 * A small stand-in for JupyterHub's API on 127.0.0.1: GET /hub/api/user
 * resolves `Authorization: token X` from a token table (or, with
 * `nameIsToken`, answers every token with a user of that name, as in
 * reference §2.5 A), POST /hub/api/oauth2/token exchanges OAuth codes,
 * GET /hub/api/ gives a version without a token.
 * Per-token behaviour simulates a slow, hanging or failing hub.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HubUserSpec {
  name: string;
  admin?: boolean;
  scopes?: string[];
}

export class StandInHub {
  /** What GET /hub/api/ says. */
  static readonly VERSION = '5.3.0-stand-in';
  /** Every token names the user of the same name (reference §2.5 A). */
  nameIsToken = false;
  readonly tokens = new Map<string, HubUserSpec>();
  readonly calls: Array<{ path: string; authorization?: string; token?: string }> = [];
  /**
   * Per token: 'hang' never answers, a number delays, 'fail' answers 500, 'html' answers 200
   * with an HTML page, 'stall' sends 200 and half a body, then nothing.
   */
  readonly behaviour = new Map<string, 'hang' | 'fail' | 'html' | 'stall' | number>();
  /** Every token lookup answers after this many ms (a hub under load), for the benchmarks. */
  delayMs = 0;
  /** Hub groups and their members, readable with `groupReader`'s token (read:groups). */
  readonly groups = new Map<string, string[]>();
  groupReader = 'service-token';
  readonly oauthCodes = new Map<string, string>();
  readonly oauthRequests: URLSearchParams[] = [];
  private server!: Server;
  private hanging: Array<() => void> = [];
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hub/api`;
  }

  async stop(): Promise<void> {
    this.hanging.forEach(release => release());
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }

  callsFor(token: string): number {
    return this.calls.filter(c => c.path === '/hub/api/user' && c.token === token).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const authorization = req.headers.authorization;
    const token = /^token (.*)$/.exec(authorization ?? '')?.[1];
    this.calls.push({ path: req.url ?? '', authorization, token });
    if (req.method === 'POST' && req.url === '/hub/api/oauth2/token') {
      let body = '';
      for await (const chunk of req) {
        body += chunk;
      }
      const form = new URLSearchParams(body);
      this.oauthRequests.push(form);
      const access = this.oauthCodes.get(form.get('code') ?? '');
      res.writeHead(access ? 200 : 400, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify(
          access ? { access_token: access, token_type: 'Bearer' } : { error: 'invalid_grant' }
        )
      );
      return;
    }
    if (req.method === 'GET' && req.url === '/hub/api/') {
      // the API root answers without a token, as JupyterHub's does
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ version: StandInHub.VERSION }));
      return;
    }
    const group = /^\/hub\/api\/groups\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && group) {
      const name = decodeURIComponent(group[1]);
      const users = this.groups.get(name);
      if (token !== this.groupReader) {
        res.writeHead(403, { 'Content-Type': 'application/json' });
        res.end('{"status": 403, "message": "Action is not authorized with current scopes"}');
      } else if (!users) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(`{"status": 404, "message": "No such group: ${name}"}`);
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'group', name, users, properties: {} }));
      }
      return;
    }
    if (req.method !== 'GET' || req.url !== '/hub/api/user') {
      res.writeHead(404).end();
      return;
    }
    const behaviour = token === undefined ? undefined : this.behaviour.get(token);
    if (this.delayMs > 0) {
      await new Promise(resolve => setTimeout(resolve, this.delayMs));
    }
    if (behaviour === 'hang') {
      await new Promise<void>(resolve => this.hanging.push(resolve));
      res.destroy();
      return;
    }
    if (typeof behaviour === 'number') {
      await new Promise(resolve => setTimeout(resolve, behaviour));
    }
    if (behaviour === 'html') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>Sign in</body></html>');
      return;
    }
    if (behaviour === 'stall') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"kind": "user", "na');
      await new Promise<void>(resolve => this.hanging.push(resolve));
      res.destroy();
      return;
    }
    if (behaviour === 'fail') {
      res.writeHead(500, { 'Content-Type': 'text/html' }).end('<h1>500</h1>');
      return;
    }
    const user =
      token === undefined
        ? undefined
        : (this.tokens.get(token) ?? (this.nameIsToken && token ? { name: token } : undefined));
    if (!user) {
      res
        .writeHead(403, { 'Content-Type': 'application/json' })
        .end('{"status": 403, "message": "Forbidden"}');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'user', admin: false, scopes: [], ...user }));
  }
}
