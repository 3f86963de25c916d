/**
 * The hot read path: many keep-alive connections asking for one course's assignment list, the
 * request every student's panel and `nbgrader list` make most, for a fixed time. Users rotate
 * over the course's students, so each token is looked up at the hub at least once (ngshare 0.6
 * looks it up on every request). Counts only answers with `"success": true`.
 */
import http from 'node:http';
import { percentile } from './semester';

export interface HotPathResult {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  failures: number;
}

export async function hotPath(
  base: string,
  path: string,
  users: readonly string[],
  connections: number,
  seconds: number
): Promise<HotPathResult> {
  const url = new URL(base + path);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const one = (user: string) =>
    new Promise<boolean>(resolve => {
      const req = http.get(url, { agent, headers: { Authorization: `token ${user}` } }, res => {
        let head = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (head.length < 40) {
            head += chunk;
          }
        });
        res.on('end', () => resolve(/^\{\s*"success":\s*true/.test(head)));
      });
      req.on('error', () => resolve(false));
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const ok = await one(users[next++ % users.length]);
        if (ok) {
          latencies.push(performance.now() - t0);
        } else {
          failures += 1;
        }
      }
    })
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    failures
  };
}
