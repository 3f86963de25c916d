import type { Contents } from '@jupyterlab/services';
import type { IContentsLike } from '../files';

interface INode {
  type: 'directory' | 'file';
  bytes?: Uint8Array;
}

function notFound(path: string): Error {
  const err = new Error(`No such file or directory: ${path}`) as Error & {
    response: { status: number };
  };
  err.response = { status: 404 };
  return err;
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/**
 * In-memory stand-in for Jupyter Server's contents API with its rules: a file or directory can
 * only be created inside an existing directory; PUT of an existing directory is a no-op; hidden
 * names are not listed; reads as base64 return the exact bytes.
 */
export class MemoryContents implements IContentsLike {
  readonly nodes = new Map<string, INode>([['', { type: 'directory' }]]);
  readonly saves: string[] = [];
  /**
   * Imitates Jupyter Server's check-then-mkdir: a directory PUT that races with another PUT of the
   * same new directory fails with "File exists".
   */
  racyMkdir = false;

  private static norm(path: string): string {
    return path
      .split('/')
      .filter(p => p)
      .join('/');
  }

  private parentOf(path: string): string {
    const i = path.lastIndexOf('/');
    return i < 0 ? '' : path.slice(0, i);
  }

  /** Test helper: creates a file (and its parents) directly. */
  put(path: string, content: string | Uint8Array): void {
    const p = MemoryContents.norm(path);
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!this.nodes.has(dir)) {
        this.nodes.set(dir, { type: 'directory' });
      }
    }
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    this.nodes.set(p, { type: 'file', bytes });
  }

  /** Test helper: bytes of a file, or undefined. */
  bytes(path: string): Uint8Array | undefined {
    return this.nodes.get(MemoryContents.norm(path))?.bytes;
  }

  text(path: string): string | undefined {
    const b = this.bytes(path);
    return b === undefined ? undefined : new TextDecoder().decode(b);
  }

  files(): string[] {
    return [...this.nodes.entries()]
      .filter(([, n]) => n.type === 'file')
      .map(([p]) => p)
      .sort();
  }

  async get(path: string, options: Contents.IFetchOptions = {}): Promise<Contents.IModel> {
    const p = MemoryContents.norm(path);
    const node = this.nodes.get(p);
    if (!node) {
      throw notFound(p);
    }
    const name = p.slice(p.lastIndexOf('/') + 1);
    const base = {
      name,
      path: p,
      created: '',
      last_modified: '',
      writable: true,
      mimetype: '',
      size: node.bytes?.length ?? null
    };
    if (node.type === 'directory') {
      const content =
        options.content === false
          ? null
          : [...this.nodes.entries()]
              .filter(([q]) => q !== p && this.parentOf(q) === p)
              .filter(([q]) => !q.slice(q.lastIndexOf('/') + 1).startsWith('.'))
              .map(([q, n]) => ({
                name: q.slice(q.lastIndexOf('/') + 1),
                path: q,
                type:
                  n.type === 'directory' ? 'directory' : q.endsWith('.ipynb') ? 'notebook' : 'file',
                size: n.bytes?.length ?? null,
                created: '',
                last_modified: '',
                writable: true,
                mimetype: '',
                content: null,
                format: null
              }));
      return { ...base, type: 'directory', content, format: 'json' } as Contents.IModel;
    }
    if (options.content === false) {
      return { ...base, type: 'file', content: null, format: null } as Contents.IModel;
    }
    if (options.format === 'text') {
      return {
        ...base,
        type: 'file',
        format: 'text',
        content: new TextDecoder().decode(node.bytes)
      } as Contents.IModel;
    }
    // Jupyter Server sends base64 with line breaks every 76 characters.
    const content = (b64(node.bytes!).match(/.{1,76}/g) ?? []).join('\n');
    return { ...base, type: 'file', format: 'base64', content } as Contents.IModel;
  }

  async save(path: string, options: Partial<Contents.IModel> = {}): Promise<Contents.IModel> {
    const p = MemoryContents.norm(path);
    if (
      !this.nodes.has(this.parentOf(p)) ||
      this.nodes.get(this.parentOf(p))?.type !== 'directory'
    ) {
      throw notFound(this.parentOf(p));
    }
    this.saves.push(p);
    if (options.type === 'directory' && this.racyMkdir && !this.nodes.has(p)) {
      await new Promise(r => setTimeout(r, 1));
      if (this.nodes.has(p)) {
        throw new Error(`Unexpected error while saving file: ${p} [Errno 17] File exists`);
      }
    }
    if (options.type === 'directory') {
      const existing = this.nodes.get(p);
      if (existing && existing.type !== 'directory') {
        throw new Error(`${p} is not a directory`);
      }
      this.nodes.set(p, { type: 'directory' });
    } else if (options.format === 'base64') {
      this.nodes.set(p, {
        type: 'file',
        bytes: new Uint8Array(Buffer.from(String(options.content), 'base64'))
      });
    } else {
      this.nodes.set(p, { type: 'file', bytes: new TextEncoder().encode(String(options.content)) });
    }
    return this.get(p, { content: false });
  }

  async delete(path: string): Promise<void> {
    const p = MemoryContents.norm(path);
    if (!this.nodes.has(p)) {
      throw notFound(p);
    }
    for (const key of [...this.nodes.keys()]) {
      if (key === p || key.startsWith(p + '/')) {
        this.nodes.delete(key);
      }
    }
  }
}
