/**
 * Request id and one access-log line per request. Logged URLs carry no
 * query string (tokens and `user=` stay out of the log).
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Metrics } from '../../metrics';
import type { AppState } from '../app-state';

const REQUEST_ID = /^[\w.-]{1,128}$/;

export function requestLog(logger: Logger, metrics: Metrics): Middleware<AppState> {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const status = ctx.status;
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      metrics.observe(ctx.method, String(route), status, ms / 1000);
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      ctx.state.log[level](
        {
          method: ctx.method,
          path: ctx.path,
          status,
          ms: Math.round(ms * 10) / 10,
          user: ctx.state.user?.name
        },
        'request'
      );
    }
  };
}
