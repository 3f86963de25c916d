/**
 * One GET to the hub API over node:http(s) with keep-alive connections: the token check runs
 * for every new token, and fetch's web streams cost several times the CPU of a plain request
 * for an answer of a few hundred bytes. One deadline covers the whole exchange. Idle
 * keep-alive sockets are unreferenced by node:http, so they never hold the process open.
 */
import http from 'node:http';
import https from 'node:https';

/** Larger answers are not a user model: read no further. */
const MAX_ANSWER_BYTES = 1024 * 1024;

export interface HubAnswer {
  status: number;
  /** the body, or undefined when it was larger than MAX_ANSWER_BYTES */
  body: Buffer | undefined;
}

/** Why no answer came: no connection, no headers in time, or no complete body in time. */
export class HubGetError extends Error {
  constructor(readonly reason: 'unreachable' | 'no-answer' | 'unfinished') {
    super(`hub request failed: ${reason}`);
  }
}

export class HubGetter {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 32 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 32 })
  };

  get(url: string, headers: Record<string, string>, timeoutMs: number): Promise<HubAnswer> {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    const agent = target.protocol === 'https:' ? this.agents['https:'] : this.agents['http:'];
    return new Promise((resolve, reject) => {
      let answered = false;
      const fail = (reason: HubGetError['reason']) => {
        clearTimeout(deadline);
        request.destroy();
        reject(new HubGetError(reason));
      };
      const deadline = setTimeout(() => fail(answered ? 'unfinished' : 'no-answer'), timeoutMs);
      const request = lib.get(target, { agent, headers }, response => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) {
            chunks.push(chunk);
          }
        });
        response.on('end', () => {
          clearTimeout(deadline);
          resolve({
            status: response.statusCode ?? 0,
            body: size <= MAX_ANSWER_BYTES ? Buffer.concat(chunks) : undefined
          });
        });
        response.on('error', () => fail('unfinished'));
        response.on('aborted', () => fail('unfinished'));
      });
      request.on('error', () => fail(answered ? 'unfinished' : 'unreachable'));
    });
  }
}
