/** Public helpers of the e2e harness: import from './harness' in test files. */
export { loadHub } from './connection';
export type { HubInfo } from './connection';
export { HubClient, serviceCall, serviceRequest } from './hub-client';
export type {
  HttpResult,
  HubUser,
  ServiceEnvelope,
  ServiceRequest,
  TokenOptions
} from './hub-client';
export { startHub, stopHub, pidsMatching, proxyCommand } from './hub';
export type { RunningHub, StartHubOptions } from './hub';
export { fetchRetry, freePorts, isPortOpen, sleep, waitFor } from './net';
export * from './paths';
