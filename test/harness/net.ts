import * as net from 'net';

export const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));

/** `count` distinct free TCP ports on 127.0.0.1. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const srv = net.createServer();
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(srv);
      ports.push((srv.address() as net.AddressInfo).port);
    }
  } finally {
    await Promise.all(servers.map(s => new Promise<void>(r => s.close(() => r()))));
  }
  return ports;
}

/** true when something accepts TCP connections on 127.0.0.1:port */
export function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise(resolve => {
    const sock = net.connect({ port, host });
    const done = (open: boolean): void => {
      sock.destroy();
      resolve(open);
    };
    sock.setTimeout(1000, () => done(true));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Poll `check` until it returns true; throws (with `what`) after timeoutMs. Errors from check abort. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  intervalMs = 250
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) {
      return;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
}

function isStaleSocketError(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  // no instanceof: fetch's TypeError comes from Node's realm, not the jest sandbox's
  return (
    (err as Error | undefined)?.name === 'TypeError' &&
    (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE')
  );
}

/**
 * fetch() that retries once when a kept-alive connection was closed by the server just as it was
 * reused ("SocketError: other side closed"): the proxy drops idle connections after 5 s, and
 * undici may pick such a socket. The request never reached the server in that case.
 */
export async function fetchRetry(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (!isStaleSocketError(err)) {
      throw err;
    }
    await sleep(50);
    return fetch(url, init);
  }
}
