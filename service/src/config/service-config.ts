/** The resolved configuration the app is built from (see cli.ts for its sources). */
export interface HubSettings {
  apiUrl: string;
  apiToken: string;
  clientId: string;
  serviceName: string;
  /** Browser-facing hub base URL, e.g. `/` or `/jhub/`. */
  baseUrl: string;
  oauthCallbackUrl: string;
  redirectUrl: string;
  /** Require the token to carry `access:services!service=<name>`. */
  requireServiceScope: boolean;
  timeoutMs: number;
  cacheTtlMs: number;
}

export interface ServiceConfig {
  prefix: string;
  debug: boolean;
  admins: string[];
  /** `vngshare`: identity from a `user` parameter (testing only). */
  mode: 'hub' | 'vngshare';
  hub: HubSettings | null;
  maxBodyBytes: number;
  /** Request-body bytes received at once across all requests before new ones get a 503. */
  maxBodyBytesInFlight: number;
  /** Unreferenced files younger than this are kept (protects uploads in flight). */
  gcGraceMs: number;
  /** How long `/readyz` waits for the database and the storage (default 5 s). */
  readyTimeoutMs?: number;
  /** Signs the browser login cookie; stable across restarts and replicas. */
  cookieSecret: string;
  version: string;
}

/** Validates a URL prefix exactly as ngshare does, with its messages. */
export function validatePrefix(prefix: string): string {
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) {
    throw new Error('API prefix should start and end with /');
  }
  if (prefix.startsWith('/healthz/')) {
    throw new Error('API prefix may not start with /healthz/');
  }
  return prefix;
}
