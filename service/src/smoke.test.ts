import { backends, filesJson, startTestService, type TestService } from './test-support/harness';

describe.each(backends())('smoke on %s, %s storage', (engine, storage) => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ engine, storage });
  });
  afterAll(() => svc.close());

  it('creates a course, releases, submits and collects', async () => {
    await svc.request
      .post('/api/course/c1')
      .type('form')
      .send({ user: 'root', instructors: '["kim"]' })
      .expect(200);
    await svc.request
      .post('/api/student/c1/sam')
      .type('form')
      .send({ user: 'kim', first_name: 'S', last_name: 'A', email: '' })
      .expect(200);
    await svc.request
      .post('/api/assignment/c1/a1')
      .type('form')
      .send({ user: 'kim', files: filesJson({ 'a.ipynb': '{}' }) })
      .expect(200);
    const submit = await svc.request
      .post('/api/submission/c1/a1')
      .type('form')
      .send({ user: 'sam', files: filesJson({ 'a.ipynb': 'done' }) })
      .expect(200);
    expect(submit.body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    const got = await svc.request
      .get('/api/submission/c1/a1/sam')
      .query({ user: 'kim' })
      .expect(200);
    expect(Buffer.from(got.body.files[0].content, 'base64').toString()).toBe('done');
    expect(got.body.timestamp).toBe(submit.body.timestamp);
  });
});
