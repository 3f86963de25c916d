/**
 * A small vngshare-mode client for the suites: requests as a named user
 * (`user` in the query for GET/DELETE, in the form body for POST), the
 * envelope assertions, and a seeded course most suites start from.
 */
import type { Response } from 'supertest';
import type { TestService } from './harness';

export type Form = Record<string, string>;

export interface Client {
  get(url: string, user?: string, query?: Form): Promise<Response>;
  post(url: string, user?: string, form?: Form): Promise<Response>;
  del(url: string, user?: string, query?: Form): Promise<Response>;
}

const withUser = (values: Form | undefined, user: string | undefined): Form =>
  user === undefined ? { ...(values ?? {}) } : { ...(values ?? {}), user };

const join = (url: string, query: Form) => {
  const text = new URLSearchParams(query).toString();
  return text ? `${url}${url.includes('?') ? '&' : '?'}${text}` : url;
};

export function client(svc: TestService): Client {
  return {
    get: async (url, user, query) => svc.request.get(join(url, withUser(query, user))),
    post: async (url, user, form) =>
      svc.request
        .post(url)
        .type('form')
        .send(new URLSearchParams(withUser(form, user)).toString()),
    del: async (url, user, query) => svc.request.delete(join(url, withUser(query, user)))
  };
}

/** The response is exactly `{"success": false, "message"}` with this status. */
export function expectError(res: Response, status: number, message: string, label = ''): void {
  expect({ label, status: res.status, body: res.body }).toEqual({
    label,
    status,
    body: { success: false, message }
  });
}

/** The response is a 200 success; returns the body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
export function expectOk(res: Response, label = ''): Record<string, any> {
  expect({
    label,
    status: res.status,
    success: res.body?.success,
    message: res.body?.message
  }).toEqual({
    label,
    status: 200,
    success: true,
    message: res.body?.message
  });
  return res.body;
}

export const filesOf = (entries: Array<[string, string]>): string =>
  JSON.stringify(entries.map(([path, content]) => ({ path, content })));

export const b64 = (data: string | Buffer): string =>
  (typeof data === 'string' ? Buffer.from(data) : data).toString('base64');

export interface SeededCourse {
  course: string;
  assignment: string;
  /** stu's submission timestamp (it has feedback). */
  timestamp: string;
}

/**
 * Course `course`: instructors ins and ins2 (created by admin root), students
 * stu and stu2, assignment a1 released by ins, one submission by stu with
 * feedback. Users `out` (no course) and `root` (admin) are not members.
 */
export async function seedCourse(api: Client, course: string): Promise<SeededCourse> {
  expectOk(await api.post(`/api/course/${course}`, 'root', { instructors: '["ins", "ins2"]' }));
  for (const s of ['stu', 'stu2']) {
    expectOk(
      await api.post(`/api/student/${course}/${s}`, 'ins', {
        first_name: `${s}-first`,
        last_name: `${s}-last`,
        email: `${s}@example.org`
      })
    );
  }
  expectOk(
    await api.post(`/api/assignment/${course}/a1`, 'ins', {
      files: filesOf([['a1.ipynb', b64('{"cells": []}')]])
    })
  );
  const submitted = expectOk(
    await api.post(`/api/submission/${course}/a1`, 'stu', {
      files: filesOf([['a1.ipynb', b64('{"cells": [1]}')]])
    })
  );
  expectOk(
    await api.post(`/api/feedback/${course}/a1/stu`, 'ins', {
      timestamp: submitted.timestamp,
      files: filesOf([['a1.html', b64('<p>good</p>')]])
    })
  );
  return { course, assignment: 'a1', timestamp: submitted.timestamp };
}
