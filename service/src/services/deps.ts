import type { Logger } from 'pino';
import type { MicrosecondClock } from '../domain/timestamps';
import type { ExchangeStore } from '../store/exchange-store';
import type { Access } from './access';
import type { FileKeeper } from './file-keeper';

/** What every domain service is built from. */
export interface ServiceDeps {
  store: ExchangeStore;
  access: Access;
  files: FileKeeper;
  clock: MicrosecondClock;
  logger: Logger;
}
