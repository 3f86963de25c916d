/**
 * The one place errors become responses: handled errors render ngshare's
 * `{"success": false, "message": …}` with their status; outages (database
 * unreachable, disk full) their 503/507; anything else is a 500 with a
 * generic message. Both are logged with the request id.
 */
import type { Middleware } from 'koa';
import { classifyOutage, isHttpError } from '../../errors';
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
      const outage = isHttpError(err) ? undefined : classifyOutage(err);
      if (outage) {
        ctx.state.log.error({ err }, 'request failed: outage');
        ctx.status = outage.status;
        ctx.body = { success: false, message: outage.message };
        ctx.set(outage.headers ?? {});
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
