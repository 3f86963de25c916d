/**
 * The one place errors become responses: handled errors render ngshare's
 * `{"success": false, "message": …}` with their status; anything else is a
 * 500 with a generic message and is logged with the request id.
 */
import type { Middleware } from 'koa';
import { isHttpError } from '../../errors';
import type { AppState } from '../app-state';

export function errorEnvelope(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (isHttpError(err) && err.expose) {
        ctx.status = err.status;
        ctx.body = { success: false, message: err.message };
        if (err.headers) {
          ctx.set(err.headers);
        }
        return;
      }
      const status = isHttpError(err) ? err.status : 500;
      ctx.state.log.error({ err }, 'request failed');
      ctx.status = status;
      ctx.body = {
        success: false,
        message:
          status === 500
            ? 'Internal server error; the administrator can find details in the log'
            : String((err as Error).message)
      };
    }
  };
}
