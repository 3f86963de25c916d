/** What a worker and the primary say to each other over the cluster's IPC channel. */
export const METRICS_REQUEST = 'ngshare:metrics-request';
export const METRICS_REPLY = 'ngshare:metrics-reply';

export type MetricsMessage =
  | { type: typeof METRICS_REQUEST; id: number }
  | { type: typeof METRICS_REPLY; id: number; body?: string; error?: string };
