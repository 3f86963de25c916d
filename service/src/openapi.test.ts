/**
 * docs/openapi.yaml: a valid OpenAPI 3.0 document that documents exactly
 * the routes the service serves, and whose schemas accept real responses of
 * every operation (each suite file also checks all of its own responses with
 * itConformsToOpenApi()). The checker itself is shown to reject bad answers.
 */
import OpenAPISchemaValidator from 'openapi-schema-validator';
import type Router from '@koa/router';
import { checkResponse, loadSpec, type OpenApiDoc } from './test-support/openapi';
import { recordedResponses, type RecordedResponse } from './test-support/response-recorder';
import { engines, startTestService, type TestService } from './test-support/harness';
import { b64, client, expectOk, filesOf, seedCourse } from './test-support/client';
import { HubClient } from './hub/hub-client';
import { StandInHub } from './test-support/stand-in-hub';

const spec: OpenApiDoc = loadSpec();
/** Parameter names may differ (docs say student_id where the router says user_id). */
const anyNames = (p: string) => p.replace(/\{\w+\}/g, '{}');
const METHODS = ['get', 'post', 'delete', 'put', 'patch'];

/** `/api/course/:course_id` → `/course/{course_id}` */
const toSpecPath = (routerPath: string, prefix: string) =>
  routerPath === '/healthz' || routerPath === '/readyz'
    ? routerPath
    : '/' +
      routerPath
        .slice(prefix.length)
        .replace(/:(\w+)/g, '{$1}')
        .replace(/\\/g, '');

describe('docs/openapi.yaml', () => {
  it('is a valid OpenAPI 3.0 document', () => {
    const { errors } = new OpenAPISchemaValidator({ version: 3 }).validate(spec as never);
    expect(errors).toEqual([]);
    expect(spec.openapi).toMatch(/^3\.0\./);
  });

  it('every $ref resolves', () => {
    const refs = JSON.stringify(spec).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const pointer = /"\$ref":"#\/([^"]+)"/.exec(ref)![1].split('/');
      let node: unknown = spec;
      for (const part of pointer) {
        node = (node as Record<string, unknown>)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      }
      expect({ ref, resolves: node !== undefined }).toEqual({ ref, resolves: true });
    }
  });

  it('documents exactly the routes and methods the service serves', async () => {
    const svc = await startTestService();
    try {
      const dispatch = svc.exchange.app.middleware.find(m => (m as { router?: Router }).router) as
        { router: Router } | undefined;
      const served = new Set<string>();
      for (const layer of dispatch!.router.stack) {
        for (const method of layer.methods.filter(m => m !== 'HEAD')) {
          served.add(
            `${method.toLowerCase()} ${anyNames(toSpecPath(layer.path as string, '/api/'))}`
          );
        }
      }
      const documented = new Set<string>();
      for (const [p, item] of Object.entries(spec.paths)) {
        for (const method of METHODS.filter(m => m in item)) {
          documented.add(`${method} ${anyNames(p)}`);
        }
      }
      expect([...served].sort()).toEqual([...documented].sort());
    } finally {
      await svc.close();
    }
  });

  it('every API operation documents its parameters, the error envelope and 401/503 for hub mode', () => {
    for (const [p, item] of Object.entries(spec.paths)) {
      for (const method of METHODS.filter(m => m in item)) {
        const op = item[method] as { responses: Record<string, unknown>; operationId?: string };
        expect({ op: `${method} ${p}`, id: typeof op.operationId }).toEqual({
          op: `${method} ${p}`,
          id: 'string'
        });
        if (!['/healthz', '/readyz', '/version', '/oauth_callback'].includes(p)) {
          expect({
            op: `${method} ${p}`,
            has401: '401' in op.responses,
            has503: '503' in op.responses
          }).toEqual({
            op: `${method} ${p}`,
            has401: true,
            has503: true
          });
        }
        const pathParams = [...p.matchAll(/\{(\w+)\}/g)].map(m => m[1]);
        const declared = [
          ...((spec.paths[p] as { parameters?: Array<{ $ref?: string; name?: string }> })
            .parameters ?? []),
          ...((op as { parameters?: Array<{ $ref?: string; name?: string }> }).parameters ?? [])
        ].map(x => x.name ?? x.$ref!.split('/').pop());
        for (const name of pathParams) {
          expect({ op: `${method} ${p}`, declared: declared.includes(name) }).toEqual({
            op: `${method} ${p}`,
            declared: true
          });
        }
      }
    }
  });

  describe('the response checker rejects what the description does not allow', () => {
    const response = (
      r: Partial<Omit<RecordedResponse, 'body'>> & { body?: unknown }
    ): RecordedResponse => ({
      method: 'GET',
      url: '/api/courses',
      prefix: '/api/',
      status: 200,
      contentType: 'application/json; charset=utf-8',
      ...r,
      body: Buffer.from(
        typeof r.body === 'string'
          ? r.body
          : JSON.stringify(r.body ?? { success: true, courses: [] })
      )
    });

    it('accepts a correct answer', () => {
      expect(checkResponse(spec, response({}))).toEqual([]);
    });

    it.each([
      ['a missing field', response({ body: { success: true } })],
      ['an extra field', response({ body: { success: true, courses: [], extra: 1 } })],
      ['a wrong type', response({ body: { success: true, courses: 'c1' } })],
      [
        'an error with a success flag',
        response({ status: 404, body: { success: true, message: 'x' } })
      ],
      ['an undocumented status', response({ status: 409, body: { success: false, message: 'x' } })],
      ['an undocumented path', response({ url: '/api/nothing/here', body: { success: true } })],
      [
        'a bad timestamp',
        response({
          url: '/api/submission/c/a',
          method: 'POST',
          body: { success: true, timestamp: '2020-01-01T00:00:00Z' }
        })
      ],
      [
        'a non-MIME content',
        response({
          url: '/api/assignment/c/a',
          body: {
            success: true,
            files: [{ path: 'a', checksum: 'd41d8cd98f00b204e9800998ecf8427e', content: 'YQ==' }]
          }
        })
      ],
      ['a non-JSON body', response({ body: '<html>' })],
      ['an undocumented content type', response({ contentType: 'text/plain' })]
    ])('refuses %s', (_label, r) => {
      expect(checkResponse(spec, r).length).toBeGreaterThan(0);
    });
  });
});

describe.each(engines())('every documented operation answers as described on %s', engine => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ engine, debug: true, admins: ['root'] });
  });
  afterAll(() => svc.close());

  it('exercises every operation with a success and checks the answers', async () => {
    const api = client(svc);
    recordedResponses.length = 0;
    const s = await seedCourse(api, 'c1');
    const calls = [
      api.get('/api/courses', 'ins'),
      api.get('/api/instructor/c1/ins', 'stu'),
      api.post('/api/instructor/c1/ins', 'ins', { first_name: 'I', last_name: 'N', email: 'i@x' }),
      api.get('/api/instructors/c1', 'stu'),
      api.get('/api/student/c1/stu', 'stu'),
      api.post('/api/students/c1', 'ins', {
        students: JSON.stringify([
          { username: 'b1', first_name: '', last_name: '', email: '' },
          { username: 'ins2', first_name: '', last_name: '', email: '' }
        ])
      }),
      api.get('/api/students/c1', 'ins'),
      api.get('/api/assignments/c1', 'stu'),
      api.get('/api/assignment/c1/a1', 'stu'),
      api.get('/api/assignment/c1/a1', 'stu', { list_only: 'true' }),
      api.get('/api/submissions/c1/a1', 'ins'),
      api.get('/api/submissions/c1/a1/stu', 'stu'),
      api.get('/api/submission/c1/a1/stu', 'ins'),
      api.get('/api/feedback/c1/a1/stu', 'stu', { timestamp: s.timestamp }),
      api.get('/api/', 'stu'),
      api.get('/api/favicon.ico', 'stu'),
      api.get('/api/masonry.min.js', 'stu'),
      api.get('/api/initialize-Data6ase', 'root', { action: 'dump' }),
      api.get('/api/initialize-Data6ase', 'root', { action: 'dump', 'human-readable': 'true' }),
      api.get('/api/metrics', 'root'),
      api.get('/api/admin', 'root'),
      api.get('/api/admin', 'root', { format: 'json', q: 'c1' }),
      api.get('/api/healthz'),
      api.get('/healthz'),
      api.get('/api/readyz'),
      api.get('/readyz'),
      api.get('/api/version'),
      api.get('/api/oauth_callback')
    ];
    for (const call of calls) {
      const res = await call;
      expect(res.status).toBeLessThan(400);
    }
    expectOk(await api.post('/api/submission/c1/a1', 'stu', { files: filesOf([['x', b64('x')]]) }));
    expectOk(await api.get('/api/v2/feedback/c1', 'stu'));
    expectOk(await api.get('/api/v2/feedback/c1/a1/stu', 'stu'));
    expectOk(
      await api.post('/api/feedback/c1/a1/stu', 'ins', { timestamp: s.timestamp, files: '[]' })
    );
    expectOk(
      await api.post('/api/student/c1/stu3', 'ins', { first_name: '', last_name: '', email: '' })
    );
    expectOk(await api.del('/api/student/c1/stu3', 'ins'));
    expectOk(await api.post('/api/assignment/c1/a2', 'ins', { files: '[]' }));
    expectOk(await api.del('/api/assignment/c1/a2', 'ins'));
    expectOk(await api.del('/api/instructor/c1/ins2', 'root'));
    expectOk(await api.post('/api/v2/deadline/c1/a1', 'ins', { due: '2099-01-01T00:00Z' }));
    expectOk(await api.post('/api/v2/extension/c1/a1/stu', 'ins', { due: '2099-02-01T00:00Z' }));
    expectOk(await api.get('/api/v2/deadlines/c1', 'stu'));
    expectOk(await api.get('/api/v2/deadline/c1/a1', 'ins'));
    expectOk(await api.del('/api/v2/extension/c1/a1/stu', 'ins'));
    expectOk(await api.del('/api/v2/deadline/c1/a1', 'ins'));
    expectOk(await api.get('/api/v2/history/c1', 'ins', { limit: '2' }));
    expect((await api.get('/api/v2/history/c1', 'ins', { format: 'csv' })).status).toBe(200);
    expectOk(await api.get('/api/v2/history', 'root', { action: 'submit' }));
    expectOk(await api.get('/api/v2/receipts/c1', 'stu'));
    expectOk(
      await api.post('/api/v2/versions/c1/a1', 'ins', {
        files: JSON.stringify([{ path: 'v2.ipynb', content: 'e30=' }])
      })
    );
    expectOk(await api.get('/api/v2/versions/c1/a1', 'stu'));
    expectOk(await api.get('/api/v2/versions/c1', 'stu'));
    expectOk(await api.get('/api/v2/versions/c1/a1/2', 'stu'));
    expectOk(await api.post('/api/course/c2', 'root'));
    expectOk(await api.del('/api/course/c2', 'root'));
    expectOk(await api.get('/api/initialize-Data6ase', 'x', { action: 'clear' }));
    expectOk(await api.get('/api/initialize-Data6ase', 'x', { action: 'init' }));
    // rosters from hub groups answer only in hub mode: a second service against a stand-in hub
    const hub = new StandInHub();
    await hub.start();
    hub.nameIsToken = true;
    hub.groups.set('nbgrader-g1', ['sam']);
    const hubSvc = await startTestService({
      engine,
      admins: ['root'],
      hub: new HubClient({
        apiUrl: hub.url,
        timeoutMs: 2000,
        cacheTtlMs: 60_000,
        negativeTtlMs: 0,
        serviceToken: 'service-token'
      })
    });
    try {
      const root = { Authorization: 'token root' };
      await hubSvc.request.post('/api/course/g1').set(root).expect(200);
      await hubSvc.request.post('/api/v2/groups/g1').set(root).expect(200);
      await hubSvc.request.get('/api/v2/groups/g1').set(root).expect(200);
      await hubSvc.request.post('/api/v2/groups/g1/sync').set(root).expect(200);
      await hubSvc.request.delete('/api/v2/groups/g1').set(root).expect(200);
    } finally {
      await hubSvc.close();
      await hub.stop();
    }

    const problems = recordedResponses.flatMap(r => checkResponse(spec, r));
    expect(problems).toEqual([]);
    // Every documented operation got at least one successful (2xx/3xx) answer
    const seen = new Set<string>();
    for (const r of recordedResponses) {
      if (r.status < 400) {
        const { matchSpecPath } = await import('./test-support/openapi');
        seen.add(`${r.method.toLowerCase()} ${matchSpecPath(spec, r.url.split('?')[0], r.prefix)}`);
      }
    }
    const documented = Object.entries(spec.paths).flatMap(([p, item]) =>
      METHODS.filter(m => m in item).map(m => `${m} ${p}`)
    );
    expect(documented.filter(op => !seen.has(op))).toEqual([]);
  });
});
