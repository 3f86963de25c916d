/** GET <prefix>version: open to all; names the caller when credentials come with it. */
import { HubClient } from './hub/hub-client';
import { startTestService, type TestService } from './test-support/harness';
import { StandInHub } from './test-support/stand-in-hub';

describe('version endpoint', () => {
  const hub = new StandInHub();
  let hubMode: TestService;
  let trial: TestService;

  beforeAll(async () => {
    await hub.start();
    hub.tokens.set('t-ann', { name: 'ann' });
    hub.tokens.set('t-root', { name: 'root' });
    hubMode = await startTestService({
      hub: new HubClient({ apiUrl: hub.url, timeoutMs: 2000, cacheTtlMs: 0, negativeTtlMs: 0 }),
      admins: ['root']
    });
    trial = await startTestService({ admins: ['root'] });
  });
  afterAll(async () => {
    await hubMode.close();
    await trial.close();
    await hub.stop();
  });

  const base = { success: true, name: 'ngshare-ts', version: '0.1.0' };

  it('answers without credentials', async () => {
    expect((await hubMode.request.get('/api/version')).body).toEqual(base);
  });

  it('names the token owner and whether they are an admin', async () => {
    const ann = await hubMode.request.get('/api/version').set('Authorization', 'token t-ann');
    expect(ann.body).toEqual({ ...base, user: 'ann', admin: false });
    const root = await hubMode.request.get('/api/version').set('Authorization', 'Bearer t-root');
    expect(root.body).toEqual({ ...base, user: 'root', admin: true });
  });

  it('still answers, without a user, for a refused token', async () => {
    const bad = await hubMode.request.get('/api/version').set('Authorization', 'token nope');
    expect(bad.status).toBe(200);
    expect(bad.body).toEqual(base);
  });

  it('uses the user parameter in vngshare mode', async () => {
    expect((await trial.request.get('/api/version').query({ user: 'root' })).body).toEqual({
      ...base,
      user: 'root',
      admin: true
    });
  });
});
