/**
 * `--workers N`: the primary process forks N copies of the service that share one listening
 * socket (Node's cluster module hands connections out round-robin). Each worker is an ordinary
 * stateless replica: its own database connection, the same storage, nothing kept in memory that
 * another needs. The primary only supervises: it starts the first worker alone (so one process
 * migrates the database and seeds the demo), then the rest; it replaces a worker that dies, gives
 * up when they keep dying, forwards SIGTERM/SIGINT so each finishes the requests it holds, and
 * answers the workers' requests for metrics summed over all of them.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Logger } from 'pino';
import { METRICS_REPLY, METRICS_REQUEST, type MetricsMessage } from './messages';

/** Set in every worker's environment: `first` for the one that migrates and seeds. */
export const WORKER_ENV = 'NGSHARE_WORKER';

/** More deaths than this within RESTART_WINDOW_MS: the fault is not transient, stop. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 1000;
const STOP_TIMEOUT_MS = 15_000;

export interface SupervisorOptions {
  workers: number;
  logger: Logger;
  /** Extra environment for the workers (a vngshare cookie secret they must share). */
  env: NodeJS.ProcessEnv;
}

export async function superviseWorkers(opts: SupervisorOptions): Promise<void> {
  const { logger } = opts;
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  const deaths: number[] = [];

  cluster.on('message', (worker: Worker, message: MetricsMessage) => {
    if (message?.type !== METRICS_REQUEST) {
      return;
    }
    aggregator.clusterMetrics().then(
      body => worker.send({ type: METRICS_REPLY, id: message.id, body }),
      (err: Error) => worker.send({ type: METRICS_REPLY, id: message.id, error: err.message })
    );
  });

  const fork = (role: 'first' | 'more'): Worker =>
    cluster.fork({ ...opts.env, [WORKER_ENV]: role });

  const stopAll = (signal: string, code: number) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, 'stopping workers');
    setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    if (alive.length === 0) {
      process.exit(code);
    }
    let left = alive.length;
    for (const w of alive) {
      w.once('exit', () => {
        left -= 1;
        if (left === 0) {
          process.exit(code);
        }
      });
      w.process.kill('SIGTERM');
    }
  };
  process.once('SIGTERM', () => stopAll('SIGTERM', 0));
  process.once('SIGINT', () => stopAll('SIGINT', 0));

  // The first worker alone: if it cannot start (bad database, storage), neither could the rest.
  const first = fork('first');
  const started = await new Promise<boolean>(resolve => {
    first.once('listening', () => resolve(true));
    first.once('exit', () => resolve(false));
  });
  if (!started) {
    logger.fatal('the first worker could not start; see its message above');
    process.exit(1);
  }
  for (let i = 1; i < opts.workers; i++) {
    fork('more');
  }

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      return;
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths.length > 0 && deaths[0] < now - RESTART_WINDOW_MS) {
      deaths.shift();
    }
    if (deaths.length > MAX_RESTARTS) {
      logger.fatal({ deaths: deaths.length }, 'workers keep dying: stopping');
      stopAll('worker deaths', 1);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'worker died; starting another');
    setTimeout(() => {
      if (!stopping) {
        fork('more');
      }
    }, RESTART_DELAY_MS).unref();
  });
  logger.info({ workers: opts.workers }, 'workers started');
}
