import type { Logger } from 'pino';
import type { MicrosecondClock } from '../domain/timestamps';
import type { ExchangeStore } from '../store/exchange-store';
import type { Access } from './access';
import type { FileKeeper } from './file-keeper';
import type { HistoryLog } from './history-log';

/** What every domain service is built from. */
export interface ServiceDeps {
  store: ExchangeStore;
  access: Access;
  files: FileKeeper;
  clock: MicrosecondClock;
  /** The course history: see history-log.ts. */
  history: HistoryLog;
  logger: Logger;
}
