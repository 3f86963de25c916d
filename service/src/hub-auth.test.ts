/**
 * Hub mode: tokens resolved by a small stand-in JupyterHub on 127.0.0.1
 * (GET /hub/api/user, POST /hub/api/oauth2/token). Covers both header
 * schemes, JSON 401 on every route without a hint, the token cache and its
 * TTL, shared concurrent lookups, a slow/unreachable/failing hub (JSON 503,
 * other requests not stalled), the service-scope option, admins from the
 * configuration only, the login cookie and OAuth callback, and that tokens
 * never reach the log.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { HubClient } from './hub/hub-client';
import { itConformsToOpenApi } from './test-support/openapi';
import { startTestService, type TestService } from './test-support/harness';
import { b64, filesOf } from './test-support/client';
import { StandInHub } from './test-support/stand-in-hub';
import { returnPath } from './http/routes/page-routes';

const ALL_API_ROUTES: Array<[string, string]> = [
  ['GET', 'courses'],
  ['POST', 'course/C'],
  ['DELETE', 'course/C'],
  ['GET', 'instructor/C/u'],
  ['POST', 'instructor/C/u'],
  ['DELETE', 'instructor/C/u'],
  ['GET', 'instructors/C'],
  ['GET', 'student/C/u'],
  ['POST', 'student/C/u'],
  ['DELETE', 'student/C/u'],
  ['GET', 'students/C'],
  ['POST', 'students/C'],
  ['GET', 'assignments/C'],
  ['GET', 'assignment/C/a1'],
  ['POST', 'assignment/C/a1'],
  ['DELETE', 'assignment/C/a1'],
  ['GET', 'submissions/C/a1'],
  ['GET', 'submissions/C/a1/u'],
  ['POST', 'submission/C/a1'],
  ['GET', 'submission/C/a1/u'],
  ['GET', 'feedback/C/a1/u'],
  ['POST', 'feedback/C/a1/u'],
  ['GET', 'metrics']
];

describe('hub authentication', () => {
  const hub = new StandInHub();
  let svc: TestService;
  /** Every log line of every instance this file starts with `start()`. */
  const logLines: string[] = [];

  const newClient = (opts: Partial<ConstructorParameters<typeof HubClient>[0]> = {}) =>
    new HubClient({
      apiUrl: hub.url,
      timeoutMs: 2000,
      cacheTtlMs: 60_000,
      negativeTtlMs: 1000,
      ...opts
    });

  const start = async (opts: Parameters<typeof startTestService>[0] = {}) => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      }
    });
    return startTestService({
      hub: newClient(),
      admins: ['alice'],
      debug: true,
      logger: pino({ level: 'trace' }, sink),
      ...opts
    });
  };

  beforeAll(async () => {
    await hub.start();
    hub.tokens.set('tok-alice', { name: 'alice' });
    hub.tokens.set('tok-bob', { name: 'bob', admin: true }); // a hub admin, not an ngshare admin
    hub.tokens.set('tok-carol', { name: 'carol' });
    svc = await start();
    const as = (t: string) => ({ Authorization: `token ${t}` });
    await svc.request
      .post('/api/course/C')
      .set(as('tok-alice'))
      .type('form')
      .send('instructors=["carol"]')
      .expect(200);
    await svc.request
      .post('/api/assignment/C/a1')
      .set(as('tok-carol'))
      .type('form')
      .send({ files: filesOf([['a.txt', b64('a')]]) })
      .expect(200);
  });
  afterAll(async () => {
    await svc.close();
    await hub.stop();
  });

  it('accepts "Authorization: token X" and "Bearer X", and asks the hub with "token X"', async () => {
    for (const header of ['token tok-carol', 'Bearer tok-carol']) {
      const res = await svc.request.get('/api/courses').set('Authorization', header);
      expect({ header, status: res.status, body: res.body }).toEqual({
        header,
        status: 200,
        body: { success: true, courses: ['C'] }
      });
    }
    expect(
      hub.calls
        .filter(c => c.path === '/hub/api/user')
        .every(c => /^token \S+$/.test(c.authorization ?? ''))
    ).toBe(true);
  });

  it('ignores the user parameter in hub mode', async () => {
    const res = await svc.request
      .post('/api/course/X?user=alice')
      .set('Authorization', 'token tok-carol')
      .type('form')
      .send('user=alice');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ success: false, message: 'Permission denied (not admin)' });
  });

  it('takes admins from the configuration only (the hub admin flag does not count)', async () => {
    const bob = await svc.request.post('/api/course/B').set('Authorization', 'token tok-bob');
    expect(bob.body).toEqual({ success: false, message: 'Permission denied (not admin)' });
    const alice = await svc.request.get('/api/courses').set('Authorization', 'token tok-alice');
    expect(alice.body).toEqual({ success: true, courses: ['C'] });
  });

  describe.each([
    ['no Authorization header', undefined],
    ['an unknown token', 'token not-a-token'],
    ['an unknown Bearer token', 'Bearer not-a-token'],
    ['a Basic header', 'Basic YWxpY2U6cHc='],
    ['a bare scheme', 'token'],
    ['an empty header', '']
  ])('%s', (_label, header) => {
    it.each(ALL_API_ROUTES)(
      '%s %s is a JSON 401 that says nothing about the course',
      async (method, route) => {
        const send = async (course: string) => {
          let req = svc.request[method.toLowerCase() as 'get'](
            `/api/${route.replace('C', course)}`
          );
          if (header !== undefined) {
            req = req.set('Authorization', header);
          }
          return req;
        };
        const existing = await send('C');
        const missing = await send('no-such-course');
        expect(existing.status).toBe(401);
        expect(existing.body.success).toBe(false);
        expect(existing.body.message).toMatch(
          header
            ? /Invalid or expired JupyterHub token|Authentication required/
            : /Authentication required/
        );
        expect(existing.type).toBe('application/json');
        expect({ status: missing.status, body: missing.body }).toEqual({
          status: existing.status,
          body: existing.body
        });
      }
    );
  });

  it('authentication comes before any other check (a blank id is still a 401 without a token)', async () => {
    const res = await svc.request.post('/api/course/%20');
    expect(res.status).toBe(401);
    const ok = await svc.request.post('/api/course/%20').set('Authorization', 'token tok-alice');
    expect(ok.body).toEqual({ success: false, message: 'Course id must not be blank' });
  });

  it('pages send a browser without a login to the hub (302), and refuse a bad token with a JSON 401', async () => {
    for (const page of [
      '/api/',
      '/api/favicon.ico',
      '/api/masonry.min.js',
      '/api/initialize-Data6ase?action=dump'
    ]) {
      const res = await svc.request.get(page);
      expect({ page, status: res.status }).toEqual({ page, status: 302 });
      expect(res.headers.location).toMatch(
        /^\/hub\/api\/oauth2\/authorize\?client_id=service-ngshare&redirect_uri=/
      );
      const bad = await svc.request.get(page).set('Authorization', 'token nope');
      expect({ page, status: bad.status, body: bad.body }).toEqual({
        page,
        status: 401,
        body: { success: false, message: 'Invalid or expired JupyterHub token' }
      });
    }
    expect((await svc.request.get('/healthz')).status).toBe(200);
    expect((await svc.request.get('/api/version')).status).toBe(200);
  });

  it('caches a resolved token: the second request does not ask the hub', async () => {
    hub.tokens.set('tok-cache', { name: 'carol' });
    await svc.request.get('/api/courses').set('Authorization', 'token tok-cache').expect(200);
    await svc.request
      .get('/api/assignments/C')
      .set('Authorization', 'Bearer tok-cache')
      .expect(200);
    expect(hub.callsFor('tok-cache')).toBe(1);
  });

  it('asks again once the cache entry expired (TTL)', async () => {
    const short = await startTestService({ hub: newClient({ cacheTtlMs: 700 }) });
    try {
      hub.tokens.set('tok-ttl', { name: 'dave' });
      await short.request.get('/api/courses').set('Authorization', 'token tok-ttl').expect(200);
      await short.request.get('/api/courses').set('Authorization', 'token tok-ttl').expect(200);
      expect(hub.callsFor('tok-ttl')).toBe(1);
      await new Promise(resolve => setTimeout(resolve, 900));
      await short.request.get('/api/courses').set('Authorization', 'token tok-ttl').expect(200);
      expect(hub.callsFor('tok-ttl')).toBe(2);
      // A revoked token stops working once its entry expired
      hub.tokens.delete('tok-ttl');
      await new Promise(resolve => setTimeout(resolve, 900));
      await short.request.get('/api/courses').set('Authorization', 'token tok-ttl').expect(401);
    } finally {
      await short.close();
    }
  });

  it('concurrent requests with one new token share a single hub call', async () => {
    hub.tokens.set('tok-burst', { name: 'carol' });
    hub.behaviour.set('tok-burst', 150);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        svc.request.get('/api/courses').set('Authorization', 'token tok-burst')
      )
    );
    results.forEach(res => expect(res.status).toBe(200));
    expect(hub.callsFor('tok-burst')).toBe(1);
  });

  it('a hub that does not answer in time gives a JSON 503, and other requests are not stalled', async () => {
    const quick = await start({ hub: newClient({ timeoutMs: 1500 }) });
    try {
      hub.tokens.set('tok-hang', { name: 'carol' });
      hub.behaviour.set('tok-hang', 'hang');
      await quick.request.get('/api/courses').set('Authorization', 'token tok-carol').expect(200);
      const order: string[] = [];
      const started = Date.now();
      const slow = quick.request
        .get('/api/courses')
        .set('Authorization', 'token tok-hang')
        .then(res => {
          order.push('slow');
          return res;
        });
      // While that waits for the hub, a cached user is answered at once.
      await new Promise(resolve => setTimeout(resolve, 50));
      const t0 = Date.now();
      await quick.request
        .get('/api/courses?again=1')
        .set('Authorization', 'token tok-carol')
        .expect(200);
      order.push('cached');
      expect(Date.now() - t0).toBeLessThan(1000);
      const res = await slow;
      expect(order).toEqual(['cached', 'slow']);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        success: false,
        message: 'JupyterHub did not answer within 1500 ms; try again shortly'
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await quick.close();
    }
  });

  it('a hub that fails (500) gives a JSON 503 and is not remembered', async () => {
    hub.tokens.set('tok-flaky', { name: 'carol' });
    hub.behaviour.set('tok-flaky', 'fail');
    const res = await svc.request.get('/api/courses').set('Authorization', 'token tok-flaky');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      success: false,
      message: 'JupyterHub answered 500 when checking the token'
    });
    hub.behaviour.delete('tok-flaky');
    await svc.request.get('/api/courses').set('Authorization', 'token tok-flaky').expect(200);
  });

  it.each([
    [
      'html',
      'JupyterHub answered the token check with something other than a user; try again shortly'
    ],
    ['stall', 'JupyterHub did not finish its answer within 1500 ms; try again shortly']
  ] as const)(
    'a hub that answers 200 with %s is an outage (503), never a cached "invalid token"',
    async (behaviour, message) => {
      const quick = await start({ hub: newClient({ timeoutMs: 1500 }) });
      try {
        const token = `tok-${behaviour}`;
        hub.tokens.set(token, { name: 'carol' });
        hub.behaviour.set(token, behaviour);
        const res = await quick.request.get('/api/courses').set('Authorization', `token ${token}`);
        expect([res.status, res.body]).toEqual([503, { success: false, message }]);
        // the hub recovers: the very next request is let in (no refusal was remembered)
        hub.behaviour.delete(token);
        await quick.request.get('/api/courses').set('Authorization', `token ${token}`).expect(200);
      } finally {
        await quick.close();
      }
    }
  );

  it('an unreachable hub gives a JSON 503', async () => {
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    const down = await startTestService({
      hub: newClient({ apiUrl: `http://127.0.0.1:${port}/hub/api` })
    });
    try {
      const res = await down.request
        .post('/api/submission/C/a1')
        .set('Authorization', 'token anything');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        success: false,
        message: 'JupyterHub could not be reached to check the token; try again shortly'
      });
    } finally {
      await down.close();
    }
  });

  it('requireServiceScope: only tokens with access to this service', async () => {
    const strict = await startTestService({
      hub: newClient(),
      admins: ['alice'],
      requireServiceScope: true
    });
    try {
      hub.tokens.set('tok-scoped', {
        name: 'alice',
        scopes: ['access:services!service=ngshare', 'read:users']
      });
      hub.tokens.set('tok-all-services', { name: 'alice', scopes: ['access:services'] });
      hub.tokens.set('tok-other-service', {
        name: 'alice',
        scopes: ['access:services!service=other']
      });
      hub.tokens.set('tok-unscoped', { name: 'alice', scopes: [] });
      await strict.request.get('/api/courses').set('Authorization', 'token tok-scoped').expect(200);
      await strict.request
        .get('/api/courses')
        .set('Authorization', 'token tok-all-services')
        .expect(200);
      for (const t of ['tok-other-service', 'tok-unscoped']) {
        const res = await strict.request.get('/api/courses').set('Authorization', `token ${t}`);
        expect(res.status).toBe(403);
        expect(res.body).toEqual({
          success: false,
          message: 'This token lacks the "access:services!service=ngshare" scope'
        });
      }
      // Without the option the same token is fine
      await svc.request.get('/api/courses').set('Authorization', 'token tok-unscoped').expect(200);
    } finally {
      await strict.close();
    }
  });

  describe('browser login', () => {
    const sign = (value: string) =>
      createHmac('sha1', 'test-secret')
        .update(value)
        .digest('base64')
        .replace(/\/|\+|=/g, c => ({ '/': '_', '+': '-', '=': '' })[c]!);
    const loginCookie = (token: string) =>
      `ngshare-oauth-token=${token}; ngshare-oauth-token.sig=${sign(`ngshare-oauth-token=${token}`)}`;

    it('a signed login cookie works for GET requests only', async () => {
      await svc.request.get('/api/courses').set('Cookie', loginCookie('tok-carol')).expect(200);
      const post = await svc.request
        .post('/api/assignment/C/a2')
        .set('Cookie', loginCookie('tok-carol'))
        .type('form')
        .send('files=[]');
      expect(post.status).toBe(401);
      const forged = await svc.request
        .get('/api/courses')
        .set('Cookie', `ngshare-oauth-token=tok-carol; ngshare-oauth-token.sig=forged`);
      expect(forged.status).toBe(401);
    });

    it('OAuth: home → hub authorize → callback with code and state → cookie → home', async () => {
      hub.oauthCodes.set('code-123', 'tok-carol');
      const first = await svc.request.get('/api/');
      expect(first.status).toBe(302);
      const location = new URL(first.headers.location, 'http://hub.example');
      const state = location.searchParams.get('state')!;
      expect(location.searchParams.get('response_type')).toBe('code');
      const stateCookies = (first.headers['set-cookie'] as unknown as string[])
        .map(c => c.split(';')[0])
        .join('; ');

      const wrongState = await svc.request
        .get(`/api/oauth_callback?code=code-123&state=other`)
        .set('Cookie', stateCookies);
      expect(wrongState.status).toBe(400);
      expect(wrongState.body.success).toBe(false);

      const back = await svc.request
        .get(`/api/oauth_callback?code=code-123&state=${state}`)
        .set('Cookie', stateCookies);
      expect(back.status).toBe(302);
      // back to the page that started the login
      expect(back.headers.location).toBe('/api/');
      const exchange = hub.oauthRequests[hub.oauthRequests.length - 1];
      expect(Object.fromEntries(exchange)).toMatchObject({
        client_id: 'service-ngshare',
        client_secret: 'service-token',
        grant_type: 'authorization_code',
        code: 'code-123'
      });
      const cookies = (back.headers['set-cookie'] as unknown as string[])
        .map(c => c.split(';')[0])
        .filter(c => c.startsWith('ngshare-oauth-token'));
      const home = await svc.request.get('/api/').set('Cookie', cookies.join('; '));
      expect(home.status).toBe(200);
      expect(home.text.startsWith('<!doctype html>')).toBe(true);

      const noCode = await svc.request.get('/api/oauth_callback');
      expect(noCode.status).toBe(302);
      const refused = await svc.request
        .get(`/api/oauth_callback?code=unknown&state=${state}`)
        .set('Cookie', stateCookies);
      expect(refused.status).toBe(400);
    });

    const cookiesOf = (res: { headers: Record<string, unknown> }) =>
      (res.headers['set-cookie'] as string[]).map(c => c.split(';')[0]).join('; ');

    it('OAuth returns to the page that asked for the login (the admin page, with its query)', async () => {
      hub.oauthCodes.set('code-admin', 'tok-carol');
      const first = await svc.request.get('/api/admin?q=alice');
      expect(first.status).toBe(302);
      const state = new URL(first.headers.location, 'http://hub.example').searchParams.get('state');
      // a retried login (callback without a code) keeps the page to return to
      const retry = await svc.request.get('/api/oauth_callback').set('Cookie', cookiesOf(first));
      expect(retry.status).toBe(302);
      const retryState = new URL(retry.headers.location, 'http://hub.example').searchParams.get(
        'state'
      );
      expect(retryState).not.toBe(state);
      const cookies = `${cookiesOf(retry)}; ${cookiesOf(first)
        .split('; ')
        .filter(c => c.startsWith('ngshare-oauth-return'))
        .join('; ')}`;
      const back = await svc.request
        .get(`/api/oauth_callback?code=code-admin&state=${retryState}`)
        .set('Cookie', cookies);
      expect(back.status).toBe(302);
      expect(back.headers.location).toBe('/api/admin?q=alice');
    });

    it('a return cookie that points off the service falls back to the home page', async () => {
      hub.oauthCodes.set('code-evil', 'tok-carol');
      const first = await svc.request.get('/api/');
      const state = new URL(first.headers.location, 'http://hub.example').searchParams.get('state');
      const stateCookie = cookiesOf(first)
        .split('; ')
        .filter(c => c.startsWith('ngshare-oauth-state'))
        .join('; ');
      const evil = encodeURIComponent('//evil.example/api/');
      const forgedReturn = `ngshare-oauth-return=${evil}; ngshare-oauth-return.sig=${sign(`ngshare-oauth-return=${evil}`)}`;
      const back = await svc.request
        .get(`/api/oauth_callback?code=code-evil&state=${state}`)
        .set('Cookie', `${stateCookie}; ${forgedReturn}`);
      expect(back.status).toBe(302);
      expect(back.headers.location).toBe('/services/ngshare/');
    });
  });

  it.each([
    ['/api/admin?q=x', '/api/admin?q=x'],
    ['/api', '/api'],
    ['/api/', '/api/'],
    ['/apix/admin', undefined],
    ['//evil.example/api/', undefined],
    ['/api/\\evil', undefined],
    ['https://evil.example/api/', undefined],
    ['/api/oauth_callback?code=1', undefined],
    ['%E0%A4%A', undefined]
  ])('returnPath(%s) under /api is %s', (value, expected) => {
    const stored = value.startsWith('%') ? value : encodeURIComponent(value);
    expect(returnPath(stored, '/api')).toBe(expected);
    expect(returnPath(undefined, '/api')).toBeUndefined();
  });

  it('never writes a token to the log', async () => {
    const secrets = [
      'tok-alice',
      'tok-carol',
      'tok-hang',
      'tok-flaky',
      'not-a-token',
      'code-123',
      'service-token'
    ];
    // Requests of this file's main instance, plus a few that put tokens where they do not belong.
    await svc.request.get('/api/courses?token=tok-alice').set('Authorization', 'token tok-alice');
    await svc.request.get('/api/nowhere?code=code-123').set('Authorization', 'Bearer not-a-token');
    hub.behaviour.set('tok-flaky', 'fail');
    await svc.request.get('/api/courses').set('Authorization', 'token tok-flaky');
    hub.behaviour.delete('tok-flaky');
    const text = logLines.join('');
    expect(logLines.length).toBeGreaterThan(20);
    expect(text).toContain('"msg":"request"');
    for (const secret of secrets) {
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    }
  });
});

itConformsToOpenApi();
