/**
 * BlobStorage on a local (or network-mounted) folder:
 * `<root>/blobs/ab/cdef…` with atomic writes: temp file, fsync, hard link (or a synced copy
 * renamed into place), fsync of the folder.
 */
import { randomUUID } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { BlobStorage, BlobWriter } from './blob-storage';

const HASH = /^[0-9a-f]{64}$/;
/** link(2) errors that mean "this file system has no hard links here", not a failure. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

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

  async createWriter(): Promise<BlobWriter> {
    const temp = path.join(this.tmpDir, `${randomUUID()}.part`);
    let handle: fs.FileHandle | undefined = await this.openStaging(temp);
    let state: 'writing' | 'staged' | 'done' = 'writing';
    const close = async () => {
      const h = handle;
      handle = undefined;
      await h?.close();
    };
    const discard = async () => {
      if (state !== 'done') {
        state = 'done';
        await close().catch(() => undefined);
        await unlinkIfThere(temp);
      }
    };
    return {
      write: async chunk => {
        await handle!.write(chunk);
      },
      finish: async (sha256, soon = false) => {
        const target = this.pathFor(sha256);
        if (!soon) {
          await close(); // a streamed file may wait a while for its commit: no open handle meanwhile
        }
        state = 'staged';
        let synced: Promise<void> | undefined;
        // fsync only what is published (once): bytes stored already are dropped unsynced
        const sync = () =>
          (synced ??= (async () => {
            if (handle) {
              await handle.sync();
              await close();
              return;
            }
            const file = await fs.open(temp, 'r+');
            try {
              await file.sync();
            } finally {
              await file.close();
            }
          })());
        return {
          commit: async () => {
            if (state === 'done') {
              return;
            }
            await sync();
            await this.publish(temp, target);
            // Make the new name itself durable before the database commit refers to it.
            const dir = await fs.open(path.dirname(target), 'r');
            try {
              await dir.sync();
            } finally {
              await dir.close();
            }
          },
          discard
        };
      },
      discard
    };
  }

  /** A new staging file; the folder is made again if something removed it. */
  private async openStaging(temp: string): Promise<fs.FileHandle> {
    const open = () => fs.open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
    try {
      return await open();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw err;
      }
      await fs.mkdir(this.tmpDir, { recursive: true });
      return open();
    }
  }

  /**
   * Gives the synced `temp` its stored name while keeping it staged, so that a commit can publish
   * again if the collector removed the stored copy meanwhile: a hard link, or, where the file
   * system has none (some network shares), a synced copy renamed into place. The hash's folder
   * is made when the link finds it missing, not checked for every file.
   */
  private async publish(temp: string, target: string): Promise<void> {
    const link = async () => {
      try {
        await fs.link(temp, target);
        return 'linked';
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (code === 'EEXIST') {
          return 'linked'; // the same bytes, by their hash
        }
        if (code === 'ENOENT' || NO_HARD_LINKS.has(code)) {
          return code;
        }
        throw err;
      }
    };
    let outcome = await link();
    if (outcome === 'ENOENT') {
      await fs.mkdir(path.dirname(target), { recursive: true });
      outcome = await link();
    }
    if (outcome === 'linked') {
      return;
    }
    if (outcome === 'ENOENT') {
      throw Object.assign(new Error(`staged file vanished: ${temp}`), { code: 'ENOENT' });
    }
    const copy = `${temp}.${randomUUID()}.copy`;
    try {
      await fs.copyFile(temp, copy);
      const file = await fs.open(copy, 'r+');
      try {
        await file.sync();
      } finally {
        await file.close();
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(copy, target);
    } finally {
      await unlinkIfThere(copy);
    }
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

  async check(): Promise<void> {
    const probe = path.join(this.tmpDir, `ready-${randomUUID()}.probe`);
    await fs.writeFile(probe, 'ok');
    await fs.rm(probe, { force: true });
  }

  async clear(): Promise<void> {
    await fs.rm(this.root, { recursive: true, force: true });
    await this.init();
  }
}

async function unlinkIfThere(file: string): Promise<void> {
  try {
    await fs.unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw err;
    }
  }
}
