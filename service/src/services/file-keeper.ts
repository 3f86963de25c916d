/**
 * Moves uploaded trees into blob storage and back out, and collects
 * garbage. Order of an upload: outside the transaction, stage and publish
 * the bytes not stored already (temp file, fsync, stored name, folder
 * fsync), keeping the staged copy; inside it, upsert the blob rows (which
 * refreshes their touch time and, on PostgreSQL, locks them against the
 * collector), check that every file is still stored and publish again any
 * that is not, link them, commit. The collector deletes a row and its bytes
 * inside one transaction, only for blobs untouched for a grace period, so a
 * concurrent upload either sees the bytes gone and publishes them again, or
 * keeps the row alive. Bytes published for an upload that then fails get
 * an unreferenced blob row and go to the collector (disown); after a crash
 * in between, the start-up sweep finds them (removeStrays).
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { inMemoryFile, type UploadedFile } from '../domain/file-tree';
import { EncodedContent } from '../domain/encoded-content';
import { rememberMd5 } from '../domain/md5-memo';
import type { BlobStorage, BlobWriter, StagedBlob } from '../storage/blob-storage';
import type { ExchangeStore } from '../store/exchange-store';
import type { FileOwner, StoredFile } from '../store/types';

export interface FileEntry {
  path: string;
  checksum: string;
  /** The bytes, MIME base64 encoded for the answer: see json-stream.ts. */
  content?: EncodedContent;
}

/**
 * Files up to this size are encoded once and the encoding kept (by content hash, so it is
 * right on every replica and never stale) in a cache of ENCODING_CACHE_BYTES: every student
 * fetches the same release, often within minutes. Larger files are read and encoded each time.
 */
export const CACHED_ENCODING_FILE_BYTES = 2 * 1024 * 1024;
export const ENCODING_CACHE_BYTES = 32 * 1024 * 1024;

export class FileKeeper {
  private collecting = false;
  private readonly encodings = new LRUCache<string, Buffer>({
    maxSize: ENCODING_CACHE_BYTES,
    // lru-cache refuses a size of 0 (an empty file's encoding)
    sizeCalculation: encoded => Math.max(1, encoded.length)
  });
  /**
   * Hashes seen stored lately, so that the check before staging skips the storage round trip for
   * an unchanged notebook. Only a hint: the check inside the transaction always asks the storage
   * (another replica's collector may have removed the bytes) and publishes again if needed.
   */
  private readonly stored = new LRUCache<string, true>({ max: 100_000 });
  private running: Promise<number> | undefined;
  private again = false;
  /** What the next pass looks at: these hashes, or everything. */
  private readonly pending = new Set<string>();
  private everything = false;

  constructor(
    private readonly blobs: BlobStorage,
    private readonly logger: Logger,
    private readonly gcGraceMs: number
  ) {}

  /** Where the upload decoder writes contents too large to keep in memory. */
  readonly openWriter = (): Promise<BlobWriter> => this.blobs.createWriter();

  /**
   * Runs `write` inside a transaction with the files' bytes in place;
   * `write` receives an `attach(owner)` that links the files to a row it
   * made. Staged files that are not needed (bytes already stored) are
   * dropped unsynced. Every staged blob of `files` is settled on return.
   */
  async storeWith<T>(
    store: ExchangeStore,
    files: readonly UploadedFile[],
    write: (tx: ExchangeStore, attach: (owner: FileOwner) => Promise<void>) => Promise<T>
  ): Promise<T> {
    const unique = new Map<string, UploadedFile>();
    for (const f of files) {
      // prefer a copy that is staged already
      if (!unique.has(f.sha256) || (f.staged && !unique.get(f.sha256)!.staged)) {
        unique.set(f.sha256, f);
      }
    }
    const staged = new Map<string, StagedBlob>();
    const published: UploadedFile[] = [];
    for (const f of unique.values()) {
      if (f.staged) {
        staged.set(f.sha256, f.staged);
      }
    }
    try {
      // In-memory bytes already stored (an unchanged notebook, a fetched release) are not written;
      // new bytes are synced and published here, outside the transaction, so that concurrent
      // uploads write their files side by side and the transaction, which on SQLite holds the one
      // writer, does no file work but a check. A few at a time.
      await inParallel([...unique.values()], async file => {
        if (this.stored.has(file.sha256) || (await this.blobs.has(file.sha256))) {
          return;
        }
        if (file.data) {
          staged.set(file.sha256, await this.stage(file.sha256, file.data));
        }
        await staged.get(file.sha256)?.commit();
        published.push(file);
      });
      return await store.transaction(tx =>
        write(tx, async owner => {
          const rows = files.map(f => ({
            path: f.path,
            md5: f.md5,
            sha256: f.sha256,
            size: f.size
          }));
          // The upsert refreshes each blob row's touch time (and locks it on PostgreSQL): from
          // here the collector leaves the bytes alone, and a collection that committed before
          // has removed them already, so `has` below sees the truth.
          await tx.attachFiles(owner, rows, Date.now());
          await inParallel([...unique.values()], async file => {
            if (await this.blobs.has(file.sha256)) {
              this.stored.set(file.sha256, true);
              return;
            }
            // Collected since they were published or found above: publish them again.
            let blob = staged.get(file.sha256);
            if (!blob) {
              blob = await this.stage(file.sha256, file.data!);
              staged.set(file.sha256, blob);
            }
            await blob.commit();
          });
        })
      );
    } catch (err) {
      await this.disown(store, published);
      throw err;
    } finally {
      const settle = [...staged.values(), ...files.map(f => f.staged)];
      await Promise.all(settle.map(blob => blob?.discard()));
    }
  }

  /**
   * Bytes published for an upload that then failed: give them a blob row (touched now, so that an
   * upload in flight that found them keeps them for the grace period) and leave them to the
   * collector, whose row lock orders their deletion against reuse. Rows that exist are kept.
   */
  private async disown(store: ExchangeStore, files: readonly UploadedFile[]): Promise<void> {
    try {
      const now = Date.now();
      for (const f of files) {
        await store.adoptStrayBlob({ sha256: f.sha256, md5: f.md5, size: f.size }, now);
      }
    } catch (err) {
      // the database failed too: the start-up sweep (removeStrays) finds them
      this.logger.warn({ err }, 'could not record the files of a failed upload for collection');
    }
  }

  private async stage(sha256: string, data: Buffer): Promise<StagedBlob> {
    const writer = await this.blobs.createWriter();
    try {
      await writer.write(data);
      return await writer.finish(sha256, true);
    } catch (err) {
      await writer.discard();
      throw err;
    }
  }

  /**
   * The wire form of stored files, reading contents unless `listOnly`. `keep`: the encodings are
   * worth keeping (a release, which every student fetches); a submission or feedback is read
   * once or twice, and keeping it would only push the releases out of the cache.
   */
  async render(
    files: readonly StoredFile[],
    listOnly: boolean,
    keep = false
  ): Promise<FileEntry[]> {
    if (listOnly) {
      return files.map(f => ({ path: f.path, checksum: f.md5 }));
    }
    const contents = new Map<string, Promise<EncodedContent>>();
    for (const f of files) {
      rememberMd5(f.sha256, f.md5);
      if (!contents.has(f.sha256)) {
        contents.set(f.sha256, this.encoded(f.sha256, keep));
      }
    }
    return Promise.all(
      files.map(async f => ({
        path: f.path,
        checksum: f.md5,
        content: await contents.get(f.sha256)!
      }))
    );
  }

  private async encoded(sha256: string, keep: boolean): Promise<EncodedContent> {
    const kept = this.encodings.get(sha256);
    if (kept) {
      return EncodedContent.reuse(kept);
    }
    const data = await this.blobs.read(sha256);
    if (!keep || data.length > CACHED_ENCODING_FILE_BYTES) {
      return EncodedContent.lazy(data);
    }
    const content = EncodedContent.eager(data);
    this.encodings.set(sha256, content.encoded!);
    return content;
  }

  /**
   * Deletes blobs that no row references any more; safe to call at any time. With `among`, looks
   * only at those hashes (what a replacement just unlinked), so a busy course does not pay a
   * scan of every stored blob per upload; without, at every blob (the periodic sweep).
   */
  async collectGarbage(store: ExchangeStore, among?: Iterable<string>): Promise<number> {
    if (among) {
      for (const sha256 of among) {
        this.pending.add(sha256);
      }
    } else {
      this.everything = true;
    }
    if (!this.everything && this.pending.size === 0) {
      return 0;
    }
    if (this.collecting) {
      // A pass is running and may have listed its candidates already: run once more after it.
      this.again = true;
      return 0;
    }
    this.collecting = true;
    this.running = (async () => {
      let removed = 0;
      try {
        do {
          this.again = false;
          const only = this.everything ? undefined : [...this.pending];
          this.everything = false;
          this.pending.clear();
          removed += await this.collect(store, only);
        } while (this.again);
      } finally {
        this.collecting = false;
      }
      return removed;
    })();
    return this.running;
  }

  /** Resolves when no collection is running (call before closing the database). */
  async idle(): Promise<void> {
    await this.running;
  }

  private async collect(store: ExchangeStore, only?: readonly string[]): Promise<number> {
    let removed = 0;
    try {
      const cutoff = Date.now() - this.gcGraceMs;
      for (let from = 0; ; from += 100) {
        let candidates: string[];
        if (only) {
          if (from >= only.length) {
            break;
          }
          candidates = await store.unreferencedBlobs(cutoff, 100, only.slice(from, from + 100));
        } else {
          candidates = await store.unreferencedBlobs(cutoff, 100);
          if (candidates.length === 0) {
            break;
          }
        }
        for (const sha256 of candidates) {
          const gone = await store.transaction(async tx => {
            if (!(await tx.deleteBlobIfStale(sha256, cutoff))) {
              return false;
            }
            this.stored.delete(sha256);
            await this.blobs.remove(sha256);
            return true;
          });
          removed += gone ? 1 : 0;
        }
        if (!only && candidates.length < 100) {
          break;
        }
      }
    } catch (err) {
      this.logger.error({ err }, 'garbage collection failed');
    }
    if (removed > 0) {
      this.logger.info({ removed }, 'removed unreferenced files');
    }
    return removed;
  }

  /**
   * Deals with what a crash left behind: staged uploads, and stored bytes
   * without a blob row (a crash between rename and commit). Both only when
   * older than the grace period, so another replica's upload in flight is left
   * alone. Rowless bytes are not deleted here: they get a row marked long
   * untouched and go through the collector, whose row lock orders the deletion
   * against any upload that reuses the same bytes meanwhile. Returns how many
   * files were removed.
   */
  async removeStrays(store: ExchangeStore): Promise<number> {
    const known = await store.knownBlobs();
    const removed = await this.blobs.removeStaleStaging(this.gcGraceMs);
    let adopted = 0;
    for await (const sha256 of this.blobs.listOlderThan(this.gcGraceMs)) {
      if (known.has(sha256)) {
        continue;
      }
      const data = await this.blobs.read(sha256).catch(() => undefined);
      if (data) {
        const { md5, size } = inMemoryFile('', data);
        await store.adoptStrayBlob({ sha256, md5, size });
        adopted += 1;
      }
    }
    return removed + (adopted > 0 ? await this.collectGarbage(store) : 0);
  }
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight. Stops taking
 * new items after a failure, waits for the calls in flight, then rethrows
 * (so that the caller's cleanup sees everything that was staged).
 */
async function inParallel<T>(
  items: readonly T[],
  fn: (item: T) => Promise<void>,
  limit = 8
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      try {
        await fn(items[next++]);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(limit, items.length) }, worker)
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    throw failure.reason;
  }
}
