import {
  InvalidResponseError,
  NetworkError,
  NgshareClient,
  ResponseError,
  defaultServiceUrl,
  isAuthError,
  requestAPI,
  resolveServiceUrl
} from './index';

interface ICall {
  url: string;
  init: RequestInit;
}

function stubFetch(
  respond: (call: ICall) => { status?: number; body: string; redirected?: boolean; url?: string }
): { fetch: typeof fetch; calls: ICall[] } {
  const calls: ICall[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const call = { url: String(input), init: init ?? {} };
    calls.push(call);
    const r = respond(call);
    const status = r.status ?? 200;
    return {
      ok: status >= 200 && status < 300,
      status,
      redirected: !!r.redirected,
      url: r.url ?? call.url,
      text: async () => r.body
    } as Response;
  };
  return { fetch: fn as typeof fetch, calls };
}

const ok = (extra: object = {}): string => JSON.stringify({ success: true, ...extra });

describe('requestAPI', () => {
  it('sends the page token as "Authorization: token" and parses the envelope', async () => {
    const { fetch, calls } = stubFetch(() => ({ body: ok({ courses: ['c1'] }) }));
    const r = await requestAPI<{ courses: string[] }>(
      { baseUrl: '/services/ngshare/', token: () => 'abc', fetch },
      'courses'
    );
    expect(r.courses).toEqual(['c1']);
    expect(calls[0].url).toBe('/services/ngshare/courses');
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe('token abc');
    expect(calls[0].init.method).toBe('GET');
    expect(calls[0].init.body).toBeUndefined();
  });

  it('leaves the Authorization header out when there is no token', async () => {
    const { fetch, calls } = stubFetch(() => ({ body: ok() }));
    await requestAPI({ baseUrl: '/s/', token: '', fetch }, 'courses');
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('sends urlencoded form bodies, with the user field in vngshare mode', async () => {
    const { fetch, calls } = stubFetch(() => ({ body: ok({ timestamp: 'ts' }) }));
    const client = new NgshareClient({ baseUrl: '/s', user: 'bob', fetch });
    const ts = await client.submit('course 1', 'ps/1', [{ path: 'a.ipynb', content: 'YQ==' }]);
    expect(ts).toBe('ts');
    // ids are percent-encoded per segment
    expect(calls[0].url).toBe('/s/submission/course%201/ps%2F1');
    expect(calls[0].init.method).toBe('POST');
    expect((calls[0].init.headers as Record<string, string>)['Content-Type']).toMatch(
      /^application\/x-www-form-urlencoded/
    );
    const body = new URLSearchParams(String(calls[0].init.body));
    expect(JSON.parse(body.get('files')!)).toEqual([{ path: 'a.ipynb', content: 'YQ==' }]);
    expect(body.get('user')).toBe('bob');
  });

  it('puts GET parameters in the query; list_only is the exact string "true"', async () => {
    const { fetch, calls } = stubFetch(() => ({ body: ok({ files: [], timestamp: 't' }) }));
    const client = new NgshareClient({ baseUrl: '/s/', fetch });
    await client.getFeedback('c', 'a', 'alice', '2026-01-01 10:00:00.000001', true);
    const url = new URL(calls[0].url, 'http://x');
    expect(url.pathname).toBe('/s/feedback/c/a/alice');
    expect(url.searchParams.get('timestamp')).toBe('2026-01-01 10:00:00.000001');
    expect(url.searchParams.get('list_only')).toBe('true');
  });

  it('turns success:false into a ResponseError carrying the server message and status', async () => {
    const { fetch } = stubFetch(() => ({
      status: 404,
      body: JSON.stringify({ success: false, message: 'Course not found' })
    }));
    const err = await requestAPI({ baseUrl: '/s/', fetch }, 'assignments/x').catch(e => e);
    expect(err).toBeInstanceOf(ResponseError);
    expect(err.message).toBe('Course not found');
    expect(err.status).toBe(404);
    expect(err.isNotFound).toBe(true);
  });

  it('treats success:false even with HTTP 200 as an error', async () => {
    const { fetch } = stubFetch(() => ({
      body: JSON.stringify({ success: false, message: 'no' })
    }));
    await expect(requestAPI({ baseUrl: '/s/', fetch }, 'x')).rejects.toThrow('no');
  });

  it('turns a non-JSON answer into InvalidResponseError', async () => {
    const { fetch } = stubFetch(() => ({
      status: 500,
      body: '<html>500: Internal Server Error</html>'
    }));
    const err = await requestAPI({ baseUrl: '/s/', fetch }, 'x').catch(e => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.status).toBe(500);
    expect(err.redirected).toBe(false);
  });

  it('flags a redirect to a login page as an auth problem', async () => {
    const { fetch } = stubFetch(() => ({
      status: 200,
      body: '<html>login</html>',
      redirected: true,
      url: 'http://hub/hub/login?next=x'
    }));
    const err = await requestAPI({ baseUrl: '/s/', fetch }, 'x').catch(e => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.redirected).toBe(true);
    expect(isAuthError(err)).toBe(true);
  });

  it('does not mistake the hub 404 page (reached by a redirect) for a login page', async () => {
    const { fetch } = stubFetch(() => ({
      status: 404,
      body: '<html>404 : Not Found</html>',
      redirected: true,
      url: 'http://hub/hub/error/404?url=%2Fservices%2Fnope%2Fversion'
    }));
    const err = await requestAPI({ baseUrl: '/services/nope/', fetch }, 'version').catch(e => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.redirected).toBe(false);
    expect(err.status).toBe(404);
    expect(isAuthError(err)).toBe(false);
  });

  it('reports download progress from a streamed body', async () => {
    const body = ok({ files: [{ path: 'a', checksum: 'x', content: 'YQ==\n' }] });
    const bytes = new TextEncoder().encode(body);
    const chunks = [bytes.slice(0, 10), bytes.slice(10)];
    const fetch = (async () =>
      ({
        ok: true,
        status: 200,
        redirected: false,
        url: '/s/assignment/c/a',
        headers: { get: (h: string) => (h === 'content-length' ? String(bytes.length) : null) },
        body: {
          getReader: () => ({
            read: async () =>
              chunks.length
                ? { done: false, value: chunks.shift()! }
                : { done: true, value: undefined }
          })
        }
      }) as unknown as Response) as typeof window.fetch;
    const seen: [number, number][] = [];
    const files = await new NgshareClient({ baseUrl: '/s/', fetch }).getAssignment(
      'c',
      'a',
      false,
      (loaded, total) => seen.push([loaded, total])
    );
    expect(files[0].path).toBe('a');
    expect(seen).toEqual([
      [10, bytes.length],
      [bytes.length, bytes.length]
    ]);
  });

  it('turns a rejected fetch into NetworkError', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof window.fetch;
    const err = await requestAPI({ baseUrl: '/s/', fetch }, 'x').catch(e => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toContain('/s/x');
  });

  it('does not count "Permission denied" as a login problem', () => {
    expect(isAuthError(new ResponseError(403, 'u', 'Permission denied'))).toBe(false);
    expect(isAuthError(new InvalidResponseError(403, 'u', '<html>', false))).toBe(true);
  });
});

describe('NgshareClient', () => {
  it('maps every endpoint to ngshare paths and methods', async () => {
    const { fetch, calls } = stubFetch(() => ({
      body: ok({
        courses: [],
        instructors: [],
        students: [],
        assignments: [],
        files: [],
        submissions: [],
        status: [],
        timestamp: 't',
        version: '0.1.0',
        username: 'u'
      })
    }));
    const c = new NgshareClient({ baseUrl: '/s/', fetch });
    const person = { first_name: 'A', last_name: 'B', email: 'e' };
    await c.version();
    await c.listCourses();
    await c.createCourse('c', ['i1']);
    await c.deleteCourse('c');
    await c.listInstructors('c');
    await c.getInstructor('c', 'i');
    await c.addInstructor('c', 'i', person);
    await c.removeInstructor('c', 'i');
    await c.listStudents('c');
    await c.getStudent('c', 's');
    await c.addStudent('c', 's', person);
    await c.addStudents('c', [{ username: 's', ...person }]);
    await c.removeStudent('c', 's');
    await c.listAssignments('c');
    await c.getAssignment('c', 'a');
    await c.releaseAssignment('c', 'a', []);
    await c.deleteAssignment('c', 'a');
    await c.listSubmissions('c', 'a');
    await c.listStudentSubmissions('c', 'a', 's');
    await c.submit('c', 'a', []);
    await c.getSubmission('c', 'a', 's', { timestamp: 't' });
    await c.releaseFeedback('c', 'a', 's', 't', []);
    await c.getFeedback('c', 'a', 's', 't');
    const summary = calls.map(x => `${x.init.method} ${x.url.split('?')[0]}`);
    expect(summary).toEqual([
      'GET /s/version',
      'GET /s/courses',
      'POST /s/course/c',
      'DELETE /s/course/c',
      'GET /s/instructors/c',
      'GET /s/instructor/c/i',
      'POST /s/instructor/c/i',
      'DELETE /s/instructor/c/i',
      'GET /s/students/c',
      'GET /s/student/c/s',
      'POST /s/student/c/s',
      'POST /s/students/c',
      'DELETE /s/student/c/s',
      'GET /s/assignments/c',
      'GET /s/assignment/c/a',
      'POST /s/assignment/c/a',
      'DELETE /s/assignment/c/a',
      'GET /s/submissions/c/a',
      'GET /s/submissions/c/a/s',
      'POST /s/submission/c/a',
      'GET /s/submission/c/a/s',
      'POST /s/feedback/c/a/s',
      'GET /s/feedback/c/a/s'
    ]);
    const createBody = new URLSearchParams(String(calls[2].init.body));
    expect(createBody.get('instructors')).toBe('["i1"]');
    const addBody = new URLSearchParams(String(calls[6].init.body));
    expect([addBody.get('first_name'), addBody.get('last_name'), addBody.get('email')]).toEqual([
      'A',
      'B',
      'e'
    ]);
    const fbBody = new URLSearchParams(String(calls[21].init.body));
    expect(fbBody.get('timestamp')).toBe('t');
    expect(fbBody.get('files')).toBe('[]');
  });
});

describe('service URL', () => {
  it('is derived from the hub prefix', () => {
    expect(defaultServiceUrl('/hub/')).toBe('/services/ngshare/');
    expect(defaultServiceUrl('/jupyter/hub/')).toBe('/jupyter/services/ngshare/');
    expect(defaultServiceUrl('/jupyter/hub')).toBe('/jupyter/services/ngshare/');
    expect(defaultServiceUrl(undefined)).toBe('/services/ngshare/');
  });

  it('prefers the setting, adding a trailing slash', () => {
    expect(resolveServiceUrl('  http://x:8080/api ', '/hub/')).toBe('http://x:8080/api/');
    expect(resolveServiceUrl('', '/a/hub/')).toBe('/a/services/ngshare/');
  });
});
