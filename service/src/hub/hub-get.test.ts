/** The hub GET: keep-alive connections reused, oversized answers not kept, one deadline. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubGetError, HubGetter } from './hub-get';

describe('HubGetter', () => {
  let server: http.Server;
  let base: string;
  let connections = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/big') {
        res.end(Buffer.alloc(2 * 1024 * 1024, 0x61));
      } else if (req.url === '/stall') {
        res.writeHead(200);
        res.write('{"name":'); // and never the rest
      } else {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ name: 'alice', auth: req.headers.authorization }));
      }
    });
    server.on('connection', () => connections++);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  it('sends the headers, and asks again over the same connection', async () => {
    const getter = new HubGetter();
    const before = connections;
    for (let i = 0; i < 3; i++) {
      const answer = await getter.get(`${base}/user`, { Authorization: 'token t1' }, 2000);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body!.toString())).toEqual({ name: 'alice', auth: 'token t1' });
    }
    expect(connections - before).toBe(1);
  });

  it('does not keep an answer over 1 MiB', async () => {
    const answer = await new HubGetter().get(`${base}/big`, {}, 5000);
    expect(answer).toEqual({ status: 200, body: undefined });
  });

  it('gives up on an answer that does not finish, and on a hub that is not there', async () => {
    const getter = new HubGetter();
    await expect(getter.get(`${base}/stall`, {}, 300)).rejects.toEqual(
      new HubGetError('unfinished')
    );
    await expect(getter.get('http://127.0.0.1:1/user', {}, 2000)).rejects.toEqual(
      new HubGetError('unreachable')
    );
  });
});
