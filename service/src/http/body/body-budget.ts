/**
 * A cap on request-body bytes being received at once, across all requests:
 * beyond it new bodies are refused with a 503 and Retry-After instead of
 * being queued in memory or on disk. One request is always admitted, so a
 * single body up to the size limit gets through however low the cap.
 */
import createHttpError from 'http-errors';
import { describeLimit } from './limits';

export class BodyBudget {
  private inFlight = 0;

  constructor(readonly capBytes: number) {}

  /** Reserves `bytes`; the returned function gives them back (call it once). */
  take(bytes: number): () => void {
    if (this.inFlight > 0 && this.inFlight + bytes > this.capBytes) {
      throw createHttpError(
        503,
        `The service is receiving more uploads than it takes at once (${describeLimit(this.capBytes)}); try again in a few seconds`,
        { headers: { 'Retry-After': '5' }, expose: true }
      );
    }
    this.inFlight += bytes;
    let given = false;
    return () => {
      if (!given) {
        given = true;
        this.inFlight -= bytes;
      }
    };
  }

  get bytesInFlight(): number {
    return this.inFlight;
  }
}
