/** Small helpers every router shares: prefix-safe paths and the success envelope. */
import { jsonAnswer } from '../body/json-stream';
import type Router from '@koa/router';
import { hasControlCharacters, isBlankId, isTooLongId, MAX_ID_BYTES } from '../../domain/ids';
import { badRequest } from '../../errors';
import type { ParameterizedContext } from 'koa';
import type { Identity } from '../../services/identity';
import type { AppState } from '../app-state';
import type { Authenticator } from '../middleware/authenticate';

export type ApiRouter = Router<AppState>;
export type ApiContext = ParameterizedContext<AppState, Router.RouterParamContext<AppState>>;

/** The prefix is literal text, not a pattern: escape path-to-regexp's special characters. */
export function literal(prefix: string): string {
  return prefix.replace(/[:()[\]{}*+?\\]/g, c => `\\${c}`);
}

/** `list_only` is true only for the exact string "true", as in ngshare. */
export const isListOnly = (value: string | undefined): boolean => value === 'true';

/**
 * Path segments are percent-decoded like Tornado does it: no `+` → space
 * (@koa/router's own decoding turns `p+q` into `p q`). A malformed escape
 * leaves the segment as it came.
 */
export function decodePathSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const PARAM_LABEL: Record<string, string> = {
  course_id: 'Course id',
  assignment_id: 'Assignment id',
  user_id: 'User id'
};

/**
 * Blank ids and ids with control characters are refused; ngshare would
 * create such rows (and PostgreSQL cannot store NUL at all).
 */
function refuseBadIds(ctx: ApiContext): void {
  for (const [name, value] of Object.entries(ctx.params ?? {})) {
    if (typeof value !== 'string') {
      continue;
    }
    if (isBlankId(value)) {
      throw badRequest(`${PARAM_LABEL[name] ?? name} must not be blank`);
    }
    if (hasControlCharacters(value)) {
      throw badRequest(`${PARAM_LABEL[name] ?? name} must not contain control characters`);
    }
    if (isTooLongId(value)) {
      throw badRequest(`${PARAM_LABEL[name] ?? name} is too long (at most ${MAX_ID_BYTES} bytes)`);
    }
  }
}

/** Re-decodes `ctx.params` from the raw captures, in route order. */
function redecodeParams(ctx: ApiContext): void {
  const captures = (ctx as { captures?: string[] }).captures ?? [];
  Object.keys(ctx.params ?? {}).forEach((name, i) => {
    if (typeof captures[i] === 'string') {
      ctx.params[name] = decodePathSegment(captures[i]);
    }
  });
}

/** An answer that is not the JSON envelope (a CSV export): returned by a handler as is. */
export class RawAnswer {
  constructor(
    readonly type: string,
    readonly body: string
  ) {}
}

export const csvAnswer = (text: string): RawAnswer =>
  new RawAnswer('text/csv; charset=utf-8', text);

export interface ApiOptions {
  /**
   * An upload route: its handler loads the body itself, after the permission
   * checks (see `FilesArgument`), and `files` is decoded as it arrives.
   */
  upload?: boolean;
}

/**
 * Wraps a handler that returns the endpoint's fields: authenticates first
 * (from headers in hub mode, so a refused caller's body is never read), then
 * reads the body unless the route defers that, then answers
 * `{"success": true, …fields}`.
 */
export function api(
  auth: Authenticator,
  handler: (ctx: ApiContext, user: Identity) => Promise<Record<string, unknown> | RawAnswer | void>,
  options: ApiOptions = {}
) {
  return async (ctx: ApiContext): Promise<void> => {
    redecodeParams(ctx);
    ctx.state.params.streamFiles = options.upload === true;
    const user = await auth.identify(ctx, false);
    if (user === 'login') {
      throw new Error('unreachable: API routes never ask for a browser login');
    }
    ctx.state.user = user;
    refuseBadIds(ctx);
    if (!options.upload) {
      await ctx.state.params.load();
    }
    const fields = await handler(ctx, user);
    if (fields instanceof RawAnswer) {
      ctx.type = fields.type;
      ctx.body = fields.body;
      return;
    }
    const answer = { success: true, ...(fields ?? {}) };
    const streamed = jsonAnswer(answer);
    if (streamed) {
      ctx.type = 'application/json; charset=utf-8';
      ctx.length = streamed.length;
      ctx.body = streamed.stream;
    } else {
      ctx.body = answer;
    }
  };
}
