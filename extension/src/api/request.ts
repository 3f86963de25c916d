import { IEnvelope } from './types';
import { InvalidResponseError, NetworkError, ResponseError } from './errors';

/** Where and as whom requests go. */
export interface IRequestSettings {
  /** Absolute path or URL of the service API root, ending with `/` (e.g. `/services/ngshare/`). */
  baseUrl: string;
  /** Token sent as `Authorization: token <t>`; a function is read on every request. */
  token?: string | (() => string);
  /**
   * User name sent as the `user` parameter, as ngshare_exchange does. Only the standalone
   * (vngshare) development mode reads it; under JupyterHub the token decides who you are.
   */
  user?: string;
  /** Injectable for tests; defaults to `window.fetch`. */
  fetch?: typeof fetch;
}

export type Params = Record<string, string | undefined>;

export interface IRequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Query parameters; `undefined` values are left out (like Python requests does). */
  query?: Params;
  /** Form fields sent urlencoded in the body (POST / DELETE), as ngshare expects. */
  form?: Params;
  signal?: AbortSignal;
  /** Called while the answer arrives (bytes so far, Content-Length or 0 when unknown). */
  onDownloadProgress?: (loaded: number, total: number) => void;
  /** A successful `text/*` answer (a CSV export) resolves as `{ success: true, text }`. */
  asText?: boolean;
}

/** Reads the body as text, reporting progress when asked and the body is a stream. */
async function readBody(
  response: Response,
  onProgress?: (loaded: number, total: number) => void
): Promise<string> {
  if (!onProgress || !response.body || typeof response.body.getReader !== 'function') {
    return response.text();
  }
  const total = Number(response.headers?.get('content-length') ?? 0) || 0;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    loaded += value.length;
    text += decoder.decode(value, { stream: true });
    onProgress(loaded, total);
  }
  return text + decoder.decode();
}

/** Builds `<segment>/<segment>` with each segment percent-encoded (ids may contain spaces). */
export function endpoint(...segments: string[]): string {
  return segments.map(s => encodeURIComponent(s)).join('/');
}

function toSearchParams(params: Params): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) {
      out.append(key, value);
    }
  }
  return out;
}

/**
 * The one place that talks HTTP to the exchange service.
 *
 * Resolves with the parsed envelope when the service answers `{"success": true, ...}`.
 * Throws:
 * - `NetworkError` when no HTTP answer arrives;
 * - `InvalidResponseError` when the body is not JSON (login redirect, proxy error page, HTML 500);
 * - `ResponseError` when the envelope says `success: false` or the status is not 2xx; its
 *   `message` is the server's.
 */
export async function requestAPI<T extends object = Record<string, unknown>>(
  settings: IRequestSettings,
  path: string,
  options: IRequestOptions = {}
): Promise<T & IEnvelope> {
  const method = options.method ?? 'GET';
  const query: Params = { ...(options.query ?? {}) };
  const form: Params = { ...(options.form ?? {}) };
  if (settings.user) {
    if (method === 'GET') {
      query.user = query.user ?? settings.user;
    } else {
      form.user = form.user ?? settings.user;
    }
  }
  const base = settings.baseUrl.endsWith('/') ? settings.baseUrl : settings.baseUrl + '/';
  const qs = toSearchParams(query).toString();
  const url = base + path + (qs ? `?${qs}` : '');

  const headers: Record<string, string> = {
    Accept: options.asText ? 'text/csv, application/json' : 'application/json'
  };
  const token = typeof settings.token === 'function' ? settings.token() : settings.token;
  if (token) {
    headers['Authorization'] = `token ${token}`;
  }
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    init.body = toSearchParams(form).toString();
  }

  const doFetch = settings.fetch ?? ((input, i) => window.fetch(input, i));
  let response: Response;
  try {
    response = await doFetch(url, init);
  } catch (err) {
    if (options.signal?.aborted) {
      throw err;
    }
    throw new NetworkError(url, err);
  }

  const text = await readBody(response, options.onDownloadProgress).catch(() => '');
  if (options.asText && response.ok && /^text\//.test(response.headers.get('Content-Type') ?? '')) {
    return { success: true, text } as unknown as T & IEnvelope;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const isEnvelope = typeof body === 'object' && body !== null && 'success' in body;
  if (!isEnvelope) {
    // A redirect counts as "sent to log in" only when it ends on a login / OAuth page; JupyterHub
    // also redirects unknown /services/ URLs to its 404 page, which means "not found".
    const finalUrl = response.url || '';
    const redirected =
      (response.status >= 300 && response.status < 400) ||
      (response.status !== 404 &&
        (response.redirected || /^\s*</.test(text.slice(0, 200))) &&
        /\/login\b|oauth2\/authorize/.test(finalUrl));
    throw new InvalidResponseError(response.status, url, text.slice(0, 300), redirected);
  }
  const envelope = body as IEnvelope;
  if (!response.ok || envelope.success !== true) {
    throw new ResponseError(response.status, url, String(envelope.message ?? ''));
  }
  return envelope as T & IEnvelope;
}
