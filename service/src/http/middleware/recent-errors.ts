/** The admin page's list of recent errors (services/recent-errors.ts) is filled here. */
import type { Middleware } from 'koa';
import type { RecentErrors } from '../../services/recent-errors';
import type { AppState } from '../app-state';

/**
 * Records every failed request (status >= 400), its path without the query string. Register it
 * outside the error envelope, so that it sees the final status and message.
 */
export function recordRecentErrors(errors: RecentErrors): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      if (ctx.status >= 400) {
        const body = ctx.body as { message?: unknown } | undefined;
        errors.add({
          time: new Date().toISOString(),
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          message:
            body && typeof body === 'object' && typeof body.message === 'string'
              ? body.message
              : '',
          user: ctx.state.user?.name ?? null,
          request_id: ctx.state.requestId ?? ''
        });
      }
    }
  };
}
