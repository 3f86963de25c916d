/**
 * BlobStorage on a local (or network-mounted) folder:
 * `<root>/blobs/ab/cdef…` with atomic writes: temp file, fsync, rename.
 */
import { randomUUID } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { BlobStorage, StagedBlob } from './blob-storage';

const HASH = /^[0-9a-f]{64}$/;

export class LocalBlobStorage implements BlobStorage {
  private readonly blobDir: string;
  private readonly tmpDir: string;

  constructor(readonly root: string) {
    this.blobDir = path.join(root, 'blobs');
    this.tmpDir = path.join(root, 'tmp');
  }

  async init(): Promise<void> {
    await fs.mkdir(this.blobDir, { recursive: true });
    await fs.mkdir(this.tmpDir, { recursive: true });
  }

  private pathFor(sha256: string): string {
    if (!HASH.test(sha256)) {
      throw new Error(`not a sha256 hash: ${sha256}`);
    }
    return path.join(this.blobDir, sha256.slice(0, 2), sha256.slice(2));
  }

  async stage(sha256: string, data: Buffer): Promise<StagedBlob> {
    const target = this.pathFor(sha256);
    const temp = path.join(this.tmpDir, `${randomUUID()}.part`);
    await fs.mkdir(this.tmpDir, { recursive: true });
    const handle = await fs.open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    let done = false;
    return {
      commit: async () => {
        if (done) {
          return;
        }
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.rename(temp, target);
        done = true;
        // Make the rename itself durable before the database commit refers to it.
        const dir = await fs.open(path.dirname(target), 'r');
        try {
          await dir.sync();
        } finally {
          await dir.close();
        }
      },
      discard: async () => {
        if (!done) {
          done = true;
          await fs.rm(temp, { force: true });
        }
      }
    };
  }

  async read(sha256: string): Promise<Buffer> {
    return fs.readFile(this.pathFor(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await fs.access(this.pathFor(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async remove(sha256: string): Promise<void> {
    await fs.rm(this.pathFor(sha256), { force: true });
  }

  async *listOlderThan(ageMs: number): AsyncIterable<string> {
    let prefixes: string[];
    try {
      prefixes = await fs.readdir(this.blobDir);
    } catch {
      return;
    }
    const cutoff = Date.now() - ageMs;
    for (const prefix of prefixes) {
      for (const rest of await fs.readdir(path.join(this.blobDir, prefix))) {
        const stats = await fs.stat(path.join(this.blobDir, prefix, rest)).catch(() => undefined);
        if (stats && stats.mtimeMs <= cutoff) {
          yield prefix + rest;
        }
      }
    }
  }

  async removeStaleStaging(olderThanMs: number): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.tmpDir);
    } catch {
      return 0;
    }
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.tmpDir, name);
      try {
        if (name.endsWith('.part') && (await fs.stat(file)).mtimeMs <= cutoff) {
          await fs.rm(file, { force: true });
          removed += 1;
        }
      } catch {
        // gone already (another replica swept it)
      }
    }
    return removed;
  }

  async clear(): Promise<void> {
    await fs.rm(this.root, { recursive: true, force: true });
    await this.init();
  }
}
