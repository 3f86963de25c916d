/**
 * Where file contents live. Contents are addressed by their SHA-256, so a
 * release fetched by a thousand students or an unchanged notebook submitted
 * again is stored once, and no string from a request ever becomes a path.
 * The interface is small so that a shared or object store can stand behind it.
 */
export interface BlobStorage {
  /** Opens a file in a staging area, written as an upload arrives; nothing is visible until `commit`. */
  createWriter(): Promise<BlobWriter>;
  read(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  remove(sha256: string): Promise<void>;
  /** Stored hashes whose bytes were written at least `ageMs` ago (for the start-up sweep). */
  listOlderThan(ageMs: number): AsyncIterable<string>;
  /** Throws unless bytes can be written and removed now (readiness). */
  check(): Promise<void>;
  /** Removes everything (debug `clear`). */
  clear(): Promise<void>;
  /**
   * Drops staged bytes older than `olderThanMs` that were never committed or
   * discarded (the process died mid-upload). Returns how many were removed.
   */
  removeStaleStaging(olderThanMs: number): Promise<number>;
}

export interface BlobWriter {
  write(chunk: Buffer): Promise<void>;
  /**
   * Ends the writing; the bytes will be stored as `sha256` (their hash, computed by the caller).
   * `soon`: the commit follows at once, so a store may keep what it needs for it open.
   */
  finish(sha256: string, soon?: boolean): Promise<StagedBlob>;
  /** Drops what was written (idempotent). */
  discard(): Promise<void>;
}

export interface StagedBlob {
  /**
   * Makes the staged bytes durable under their hash: fsync, then publish. The staged copy stays
   * until `discard`, so a commit may publish again (the collector removed the stored copy
   * between two checks); nothing happens after `discard`.
   */
  commit(): Promise<void>;
  /** Drops the staged copy (idempotent); what `commit` published stays. Always call it. */
  discard(): Promise<void>;
}
