/**
 * Metrics in a worker: requests are counted in the worker's own registry, and `/metrics`
 * (answered by whichever worker took the connection) asks the primary for the sum over all
 * workers, so a scrape sees the whole service, not one process picked at random.
 */
import { AggregatorRegistry, Registry } from 'prom-client';
import { serviceUnavailable } from '../errors';
import { PromMetrics, type Metrics } from '../metrics';
import { METRICS_REPLY, METRICS_REQUEST, type MetricsMessage } from './messages';

const REPLY_TIMEOUT_MS = 10_000;

export class ClusterWorkerMetrics implements Metrics {
  private readonly local = new PromMetrics();
  private nextId = 0;
  private readonly waiting = new Map<number, (reply: MetricsMessage) => void>();

  constructor() {
    // constructing an AggregatorRegistry installs prom-client's reply to the primary's poll
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([this.local.registry]);
    process.on('message', (message: MetricsMessage) => {
      if (message?.type === METRICS_REPLY) {
        this.waiting.get(message.id)?.(message);
        this.waiting.delete(message.id);
      }
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.local.observe(method, route, status, seconds);
  }

  render(): Promise<{ contentType: string; body: string }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(serviceUnavailable('Metrics unavailable: the primary process did not answer'));
      }, REPLY_TIMEOUT_MS);
      this.waiting.set(id, reply => {
        clearTimeout(timer);
        if (reply.type === METRICS_REPLY && reply.body !== undefined) {
          resolve({ contentType: Registry.PROMETHEUS_CONTENT_TYPE, body: reply.body });
        } else {
          reject(
            serviceUnavailable(
              `Metrics unavailable: ${(reply as { error?: string }).error ?? 'no answer'}`
            )
          );
        }
      });
      process.send!({ type: METRICS_REQUEST, id } satisfies MetricsMessage);
    });
  }
}
