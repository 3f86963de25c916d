import type { Logger } from 'pino';
import type { Identity } from '../services/identity';
import type { RequestParams } from './request-params';

/** What middleware leaves on `ctx.state` for the routes. */
export interface AppState {
  requestId: string;
  log: Logger;
  params: RequestParams;
  user?: Identity;
}
