import { InvalidResponseError, NetworkError, ResponseError, isAuthError } from '../api';
import { AlreadyFetchedError } from '../models/assignments';
import {
  TOAST_LIMIT,
  describeProblem,
  problemKind,
  problemText,
  toastText,
  versionProblem
} from './problems';

const URL = '/services/ngshare/courses';
const proxy503 = new InvalidResponseError(
  503,
  URL,
  '<html><h1>503 : Service Unavailable</h1>',
  false
);

describe('the error vocabulary', () => {
  it.each([
    ['no HTTP answer', new NetworkError(URL, new TypeError('Failed to fetch')), 'unreachable'],
    ['the hub answers 503 for a stopped service', proxy503, 'unreachable'],
    ['502 from the proxy', new InvalidResponseError(502, URL, 'Bad Gateway', false), 'unreachable'],
    [
      'a 404 page instead of the service',
      new InvalidResponseError(404, URL, '<html>', false),
      'no-service'
    ],
    ['504 from the proxy', new InvalidResponseError(504, URL, '', false), 'timeout'],
    ['a fetch timeout', new DOMException('signal timed out', 'TimeoutError'), 'timeout'],
    ['an aborted request', new DOMException('aborted', 'AbortError'), 'timeout'],
    [
      '401 from the service',
      new ResponseError(401, URL, 'Invalid or expired JupyterHub token'),
      'login'
    ],
    ['sent to the login page', new InvalidResponseError(200, URL, '<html>login', true), 'login'],
    ['403 HTML', new InvalidResponseError(403, URL, '<html>', false), 'login'],
    [
      '403 Permission denied',
      new ResponseError(403, URL, 'Permission denied (not course instructor)'),
      'permission'
    ],
    [
      '403 past a hard deadline',
      new ResponseError(
        403,
        URL,
        'Submissions to ps1 closed at its hard deadline, 2026-12-05T17:00:00Z (UTC)'
      ),
      'closed'
    ],
    ['404 with a message', new ResponseError(404, URL, 'Assignment not found'), 'not-found'],
    ['409', new ResponseError(409, URL, 'Assignment already exists'), 'conflict'],
    ['413 JSON', new ResponseError(413, URL, 'Request body too large'), 'too-large'],
    ['413 HTML from a proxy', new InvalidResponseError(413, URL, '<html>', false), 'too-large'],
    ['500 JSON', new ResponseError(500, URL, 'database is locked'), 'server-error'],
    ['500 HTML', new InvalidResponseError(500, URL, '<html>Internal', false), 'server-error'],
    ['200 that is not JSON', new InvalidResponseError(200, URL, 'garbage', false), 'bad-answer'],
    ['JSON that does not parse', new SyntaxError('Unexpected token < in JSON'), 'bad-answer'],
    ['400 with a message', new ResponseError(400, URL, 'Invalid timestamp'), 'refused'],
    ['a check of the extension', new AlreadyFetchedError('ps1'), 'local'],
    ['anything thrown', 'oops', 'local']
  ])('%s -> %s', (_, err, kind) => {
    expect(problemKind(err)).toBe(kind);
    const p = describeProblem(err);
    expect(p.kind).toBe(kind);
    expect(p.summary).not.toBe('');
  });

  it('says a stopped service in plain words, with the jargon only in the detail', () => {
    const p = describeProblem(proxy503);
    expect(p.summary).toBe('The exchange is not available right now.');
    expect(p.action).toBe('Wait a few minutes and try again.');
    expect(p.contact).toBe(
      'If it stays unavailable, tell your instructor or JupyterHub administrator.'
    );
    expect(problemText(p)).not.toMatch(/HTTP|JSON|503/);
    expect(p.detail).toContain('HTTP 503');
    expect(p.detail).toContain(`URL: ${URL}`);
    expect(p.detail).toContain('503 : Service Unavailable');
  });

  it('names the URL that has no service, and the setting that may be wrong', () => {
    const err = new InvalidResponseError(
      404,
      '/services/no-such-exchange/courses?user=x',
      '<html>',
      false
    );
    const p = describeProblem(err);
    expect(p.summary).toBe('No exchange service answers at /services/no-such-exchange/.');
    expect(p.action).toMatch(/"Service URL"/);
    expect(p.contact).toMatch(/JupyterHub administrator/);
  });

  it('asks students and instructors different people', () => {
    const err = new ResponseError(403, URL, 'Permission denied');
    expect(describeProblem(err).contact).toBe('Ask your instructor to add you to the course.');
    expect(describeProblem(err, { audience: 'instructor' }).contact).toBe(
      'Ask an ngshare administrator to make you an instructor of the course.'
    );
  });

  it("quotes the exchange's own words when it refuses", () => {
    expect(describeProblem(new ResponseError(404, URL, 'Assignment not found')).summary).toBe(
      'The exchange says: Assignment not found.'
    );
    expect(describeProblem(new ResponseError(400, URL, 'Invalid timestamp.')).summary).toBe(
      'The exchange says: Invalid timestamp.'
    );
  });

  it("shows the exchange's words when a hard deadline refuses a submission", () => {
    const err = new ResponseError(
      403,
      URL,
      'Submissions to ps1 closed at its hard deadline, 2026-12-05T17:00:00Z (UTC)'
    );
    const p = describeProblem(err);
    expect(p.summary).toBe(
      'The exchange says: Submissions to ps1 closed at its hard deadline, 2026-12-05T17:00:00Z (UTC).'
    );
    expect(p.action).toBe(
      'Its hard deadline has passed, so the exchange no longer accepts submissions.'
    );
    expect(p.contact).toBe('If you need more time, ask your instructor for an extension.');
    expect(toastText('Could not submit ps1.', p)).toBe(`Could not submit ps1. ${p.summary}`);
    // a refusal of this one submission, not a login problem
    expect(isAuthError(err)).toBe(false);
  });

  it("keeps the extension's own messages as they are", () => {
    const p = describeProblem(new AlreadyFetchedError('ps1'));
    expect(p.summary).toBe('You already have a copy of the assignment in ps1');
    expect(p.detail).toContain('AlreadyFetchedError');
    expect(describeProblem(new Error('No course selected.')).detail).toBe('');
  });

  it('fits every service problem into a toast with its title, and adds the fix when it fits', () => {
    const errors = [
      proxy503,
      new NetworkError(URL),
      new InvalidResponseError(404, '/services/no-such-exchange/courses', '', false),
      new InvalidResponseError(504, URL, '', false),
      new ResponseError(401, URL, 'x'),
      new ResponseError(403, URL, 'Permission denied'),
      new ResponseError(413, URL, 'x'),
      new ResponseError(500, URL, 'x'),
      new InvalidResponseError(200, URL, 'x', false)
    ];
    for (const err of errors) {
      for (const audience of ['student', 'instructor'] as const) {
        const p = describeProblem(err, { audience });
        const text = toastText('Could not fetch the feedback for ps10.', p);
        expect(text.length).toBeLessThanOrEqual(TOAST_LIMIT);
        expect(text).toContain(p.summary);
      }
    }
    const down = describeProblem(proxy503);
    expect(toastText('Could not fetch ps1.', down)).toBe(
      'Could not fetch ps1. The exchange is not available right now. Wait a few minutes and try again.'
    );
    // the start-up check has no title: the sentence itself
    expect(toastText('', describeProblem(new ResponseError(401, URL, 'x')))).toBe(
      'The exchange did not accept your login. Log out of JupyterHub (File > Log Out) and log in again.'
    );
  });

  it('drops the fix from a toast rather than cutting a sentence', () => {
    const p = describeProblem(new InvalidResponseError(404, '/services/x/', '', false));
    const title = 'Could not release feedback for an-assignment-with-a-rather-long-name.';
    const text = toastText(title, p);
    expect(text).toBe(`${title} ${p.summary}`);
  });

  it('describes a version mismatch with the fix for the administrator', () => {
    const p = versionProblem(
      { __: (m: string, ...a: unknown[]) => m.replace(/%(\d)/g, (_, n) => String(a[+n - 1])) },
      '/services/ngshare/',
      'ngshare-ts',
      '0.2.0',
      '0.1.0'
    );
    expect(p.kind).toBe('version');
    expect(p.summary).toBe('The exchange runs ngshare-ts 0.2.0, but this extension is 0.1.0.');
    expect(p.contact).toMatch(/install ngshare-ts 0\.1\.0/);
    expect(p.detail).toContain('git+https://github.com/ngshare-ts/ngshare-ts@v0.1.0');
  });
});
