import { InvalidResponseError, NetworkError, ResponseError } from '../api';
import { FakeClient } from '../testutils/fake-client';
import { ConnectionModel } from './connection';

describe('ConnectionModel (start-up handshake)', () => {
  it('is fine with a service of the same version', async () => {
    const model = new ConnectionModel(new FakeClient());
    expect(await model.check()).toBeNull();
    expect(model.status).toBe('ok');
    expect(model.serverVersion).toBe('0.1.0');
  });

  it('names the fix when the service is unreachable', async () => {
    const client = new FakeClient();
    client.version = async () => {
      throw new NetworkError('/services/ngshare/version');
    };
    const problem = await new ConnectionModel(client).check();
    expect(problem?.kind).toBe('unreachable');
    expect(problem?.summary).toBe('The exchange is not available right now.');
    expect(problem?.action).toBe('Wait a few minutes and try again.');
    expect(problem?.detail).toContain('/services/ngshare/version');
  });

  it('asks to log in again when the token is refused', async () => {
    const client = new FakeClient();
    client.version = async () => {
      throw new InvalidResponseError(200, 'u', '<html>login', true);
    };
    const problem = await new ConnectionModel(client).check();
    expect(problem?.kind).toBe('login');
    expect(problem?.action).toMatch(/log in again/);
  });

  it('notices a refused token although the version endpoint needs no login', async () => {
    const client = new FakeClient();
    client.listCourses = async () => {
      throw new ResponseError(401, 'u', 'Invalid or expired JupyterHub token');
    };
    const problem = await new ConnectionModel(client).check();
    expect(problem?.kind).toBe('login');
    expect(problem?.summary).toBe('The exchange did not accept your login.');
    expect(problem?.detail).toMatch(/Invalid or expired JupyterHub token/);
  });

  it('leaves other course-list failures to the panels', async () => {
    const client = new FakeClient();
    client.listCourses = async () => {
      throw new ResponseError(500, 'u', 'database down');
    };
    expect(await new ConnectionModel(client).check()).toBeNull();
  });

  it('reports a version mismatch with the pip command that fixes it', async () => {
    const client = new FakeClient();
    client.version = async () => ({ version: '0.2.0', name: 'ngshare-ts' });
    const problem = await new ConnectionModel(client).check();
    expect(problem?.kind).toBe('version');
    expect(problem?.summary).toMatch(/ngshare-ts 0\.2\.0.*0\.1\.0/);
    expect(problem?.contact).toMatch(/install ngshare-ts 0\.1\.0/);
  });

  it('accepts an original ngshare without a version endpoint when its API answers', async () => {
    const client = new FakeClient();
    client.version = async () => {
      throw new InvalidResponseError(404, 'u', '<html>404', false);
    };
    const model = new ConnectionModel(client);
    expect(await model.check()).toBeNull();
    client.listCourses = async () => {
      throw new ResponseError(500, 'u', 'boom');
    };
    expect((await model.check())?.kind).toBe('server-error');
  });
});
