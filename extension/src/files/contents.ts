import type { Contents } from '@jupyterlab/services';
import { stripBase64, decodedSize } from './base64';
import {
  basename,
  checkRelativePath,
  dirname,
  isIgnored,
  joinPath,
  UnsafePathError
} from './paths';

/** The part of JupyterLab's contents manager the bridge uses (injectable for tests). */
export interface IContentsLike {
  get(path: string, options?: Contents.IFetchOptions): Promise<Contents.IModel>;
  save(path: string, options?: Partial<Contents.IModel>): Promise<Contents.IModel>;
  delete(path: string): Promise<void>;
}

/** One local file found by `listTree`. `path` is relative to the listed directory. */
export interface ILocalFile {
  path: string;
  size: number;
  type: string;
}

/** A file to write: path relative to the destination, base64 content (line breaks allowed). */
export interface IFileToWrite {
  path: string;
  content: string;
}

/** Directories created during one operation: path -> the request that creates it. */
export type DirCache = Map<string, Promise<void>>;

export interface ITransferProgress {
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  path: string;
}

export interface IWriteOptions {
  /** Skip files that already exist (nbgrader's "replace missing files" mode). */
  noClobber?: boolean;
  /** Skip files matching these patterns (applied to every path component). */
  ignore?: readonly string[];
  onProgress?: (progress: ITransferProgress) => void;
  /** Directories made (or being made); shared across calls of one operation to save requests. */
  created?: DirCache;
}

export interface IWriteResult {
  written: string[];
  skippedExisting: string[];
  skippedIgnored: string[];
}

/** True when a contents-manager error is the server's 404. */
export function isNotFound(err: unknown): boolean {
  const e = err as { response?: { status?: number }; status?: number } | null;
  return e?.response?.status === 404 || e?.status === 404;
}

/**
 * Bridge to Jupyter Server's contents API: byte-exact base64 reads and writes, directory creation,
 * recursive listing. Every write goes through `writeTree`/`writeFile`, which refuse paths that
 * would leave the destination folder.
 */
export class ContentsBridge {
  constructor(private readonly _contents: IContentsLike) {}

  /**
   * True if something (file or directory) exists at `path`. Asks for the parent's listing rather
   * than the path itself, so the usual "does not exist yet" answer is not an HTTP 404 (which the
   * browser would log as an error).
   */
  async exists(path: string): Promise<boolean> {
    const norm = joinPath(path);
    if (norm === '') {
      return true;
    }
    const items = await this.listDir(dirname(norm));
    const name = basename(norm);
    return items !== null && items.some(i => i.name === name);
  }

  /** Directory listing, or `null` if the directory does not exist. */
  async listDir(path: string): Promise<Contents.IModel[] | null> {
    try {
      const model = await this._contents.get(path, { content: true });
      if (model.type !== 'directory') {
        return null;
      }
      return (model.content as Contents.IModel[]) ?? [];
    } catch (err) {
      if (isNotFound(err)) {
        return null;
      }
      throw err;
    }
  }

  /** Names of the sub-directories of `path` (empty when it does not exist), sorted. */
  async listSubdirs(path: string): Promise<string[]> {
    const items = (await this.listDir(path)) ?? [];
    return items
      .filter(i => i.type === 'directory')
      .map(i => i.name)
      .sort();
  }

  /**
   * Every file below `dir`, recursively, relative to `dir`, sorted by path. Ignored paths are
   * returned separately so the UI can say what was left out. Hidden files are never listed by
   * the server (allow_hidden is off by default).
   */
  async listTree(
    dir: string,
    ignore: readonly string[] = []
  ): Promise<{ files: ILocalFile[]; ignored: string[] }> {
    const files: ILocalFile[] = [];
    const ignored: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      const items = await this.listDir(joinPath(dir, rel));
      if (items === null) {
        if (rel === '') {
          throw new Error(`Folder not found: ${dir}`);
        }
        return;
      }
      for (const item of items) {
        const childRel = joinPath(rel, item.name);
        if (isIgnored(childRel, ignore)) {
          ignored.push(item.type === 'directory' ? childRel + '/' : childRel);
          continue;
        }
        if (item.type === 'directory') {
          await walk(childRel);
        } else {
          files.push({ path: childRel, size: Number(item.size ?? 0), type: item.type });
        }
      }
    };
    await walk('');
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { files, ignored };
  }

  /** Reads a file's exact bytes as base64 (no line breaks), whatever its type (.ipynb too). */
  async readBase64(path: string): Promise<string> {
    const model = await this._contents.get(path, { type: 'file', format: 'base64', content: true });
    if (model.format !== 'base64') {
      throw new Error(`The server did not return ${path} as base64`);
    }
    return stripBase64(String(model.content ?? ''));
  }

  /** Reads a text file. */
  async readText(path: string): Promise<string> {
    const model = await this._contents.get(path, { type: 'file', format: 'text', content: true });
    return String(model.content ?? '');
  }

  /**
   * Creates `path` and its parents. PUT of an existing directory is a no-op on Jupyter Server, but
   * two PUTs of the same new directory at once can fail there ("File exists"), so concurrent
   * callers sharing `created` wait for the one request in flight, and a failed PUT counts as done
   * when the directory exists afterwards.
   */
  async ensureDir(path: string, created: DirCache = new Map()): Promise<void> {
    const parts = joinPath(path)
      .split('/')
      .filter(p => p);
    let current = '';
    for (const part of parts) {
      current = joinPath(current, part);
      let pending = created.get(current);
      if (!pending) {
        pending = this._mkdir(current);
        created.set(current, pending);
        pending.catch(() => created.delete(current));
      }
      await pending;
    }
  }

  private async _mkdir(path: string): Promise<void> {
    try {
      await this._contents.save(path, { type: 'directory' });
    } catch (err) {
      if (!(await this.exists(path).catch(() => false))) {
        throw err;
      }
    }
  }

  /** Writes one base64 file at `root/rel` after checking `rel`. */
  async writeFile(root: string, rel: string, content: string, created?: DirCache): Promise<string> {
    const safe = checkRelativePath(rel);
    const target = joinPath(root, safe);
    await this.ensureDir(dirname(target), created);
    await this._contents.save(target, {
      type: 'file',
      format: 'base64',
      content: stripBase64(content)
    });
    return target;
  }

  /** Writes a text file at `root/rel` (used for timestamp.txt). */
  async writeText(root: string, rel: string, text: string, created?: DirCache): Promise<string> {
    const safe = checkRelativePath(rel);
    const target = joinPath(root, safe);
    await this.ensureDir(dirname(target), created);
    await this._contents.save(target, { type: 'file', format: 'text', content: text });
    return target;
  }

  async delete(path: string): Promise<void> {
    await this._contents.delete(path);
  }

  /**
   * Writes a whole tree under `root`. All paths are checked before anything is written: one unsafe
   * path aborts the operation with `UnsafePathError` and nothing is written.
   */
  async writeTree(
    root: string,
    files: readonly IFileToWrite[],
    options: IWriteOptions = {}
  ): Promise<IWriteResult> {
    const checked = files.map(f => {
      try {
        return { path: checkRelativePath(f.path), content: f.content };
      } catch (err) {
        if (err instanceof UnsafePathError) {
          throw err;
        }
        throw new UnsafePathError(String(f.path), 'invalid path');
      }
    });
    const result: IWriteResult = { written: [], skippedExisting: [], skippedIgnored: [] };
    const created: DirCache = options.created ?? new Map();
    const bytesTotal = checked.reduce((n, f) => n + decodedSize(f.content), 0);
    let bytesDone = 0;
    let done = 0;
    for (const file of checked) {
      const size = decodedSize(file.content);
      if (options.ignore && isIgnored(file.path, options.ignore)) {
        result.skippedIgnored.push(file.path);
      } else if (options.noClobber && (await this.exists(joinPath(root, file.path)))) {
        result.skippedExisting.push(file.path);
      } else {
        await this.writeFile(root, file.path, file.content, created);
        result.written.push(file.path);
      }
      done += 1;
      bytesDone += size;
      options.onProgress?.({ done, total: checked.length, bytesDone, bytesTotal, path: file.path });
    }
    if (checked.length === 0) {
      await this.ensureDir(root, created);
    }
    return result;
  }
}
