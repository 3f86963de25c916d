/** Prometheus metrics over one prom-client registry, and a no-op twin for tests. */
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Metrics {
  observe(method: string, route: string, status: number, seconds: number): void;
  render(): Promise<{ contentType: string; body: string }>;
}

export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(defaults = true) {
    if (defaults) {
      collectDefaultMetrics({ register: this.registry, prefix: 'ngshare_' });
    }
    this.duration = new Histogram({
      name: 'ngshare_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry]
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.duration.observe({ method, route, status: String(status) }, seconds);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

export const noMetrics: Metrics = {
  observe: () => undefined,
  render: async () => ({ contentType: 'text/plain', body: '' })
};
