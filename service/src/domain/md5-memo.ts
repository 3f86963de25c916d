/**
 * md5 of contents already known by their sha256. The md5 (ngshare's `checksum`) is a function of
 * the bytes, and so of their sha256: an unchanged notebook that comes back in every submission,
 * or a release file just fetched, need not be hashed a second time. Filled from hashing and from
 * stored rows; a miss only costs the hashing it saves.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const known = new LRUCache<string, string>({ max: 50_000 });

/** Notes a pair read from a blob row or computed from the bytes. */
export function rememberMd5(sha256: string, md5: string): void {
  known.set(sha256, md5);
}

/** The md5 of `data`, whose sha256 is `sha256`. */
export function md5Of(sha256: string, data: Buffer): string {
  let md5 = known.get(sha256);
  if (md5 === undefined) {
    md5 = createHash('md5').update(data).digest('hex');
    known.set(sha256, md5);
  }
  return md5;
}
