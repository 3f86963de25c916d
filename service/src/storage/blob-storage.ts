/**
 * Where file contents live. Contents are addressed by their SHA-256, so a
 * release fetched by a thousand students or an unchanged notebook submitted
 * again is stored once, and no string from a request ever becomes a path.
 * The interface is small so that a shared or object store can stand behind it.
 */
export interface BlobStorage {
  /** Writes bytes to a staging area; nothing is visible until `commit`. */
  stage(sha256: string, data: Buffer): Promise<StagedBlob>;
  read(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  remove(sha256: string): Promise<void>;
  /** Stored hashes whose bytes were written at least `ageMs` ago (for the start-up sweep). */
  listOlderThan(ageMs: number): AsyncIterable<string>;
  /** Removes everything (debug `clear`). */
  clear(): Promise<void>;
  /**
   * Drops staged bytes older than `olderThanMs` that were never committed or
   * discarded (the process died mid-upload). Returns how many were removed.
   */
  removeStaleStaging(olderThanMs: number): Promise<number>;
}

export interface StagedBlob {
  /** Makes the staged bytes durable under their hash (idempotent). */
  commit(): Promise<void>;
  /** Drops the staged bytes if `commit` was not called. */
  discard(): Promise<void>;
}
