// File-tree snapshots (relative path -> MD5) and output normalisation for the nbgrader semester.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export type Tree = Record<string, string>;

export function md5(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

/** Every regular file under `dir` (recursively), keyed by its '/'-separated relative path. */
export function snapshot(dir: string, opts: { exclude?: (rel: string) => boolean } = {}): Tree {
  const out: Tree = {};
  if (!existsSync(dir)) {
    return out;
  }
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const rel = relative(dir, full).split('\\').join('/');
      if (opts.exclude?.(rel)) {
        continue;
      }
      const st = statSync(full);
      if (st.isDirectory()) {
        walk(full);
      } else if (st.isFile()) {
        out[rel] = md5(readFileSync(full));
      }
    }
  };
  walk(dir);
  return out;
}

/** Keep only the entries under `prefix/`, with the prefix removed. */
export function subtree(tree: Tree, prefix: string): Tree {
  const out: Tree = {};
  const p = prefix.endsWith('/') ? prefix : prefix + '/';
  for (const [k, v] of Object.entries(tree)) {
    if (k.startsWith(p)) {
      out[k.slice(p.length)] = v;
    }
  }
  return out;
}

export function without(tree: Tree, drop: (rel: string) => boolean): Tree {
  const out: Tree = {};
  for (const [k, v] of Object.entries(tree)) {
    if (!drop(k)) {
      out[k] = v;
    }
  }
  return out;
}

/**
 * nbgrader / ngshare timestamps: `2026-11-25 20:23:41.695594`, optionally followed by ` UTC`
 * (and the ISO `T` form, which shows up in some log lines).
 */
export const TIMESTAMP_RE =
  /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?: ?(?:UTC|\+00:00|Z))?/g;

export interface Normaliser {
  /** literal string -> placeholder, applied longest first */
  replacements: Array<[string, string]>;
}

export function normalise(text: string, n: Normaliser): string {
  let out = text;
  const reps = [...n.replacements].sort((a, b) => b[0].length - a[0].length);
  for (const [from, to] of reps) {
    if (from) {
      out = out.split(from).join(to);
    }
  }
  out = out.replace(TIMESTAMP_RE, '<TS>');
  return out;
}

/** Normalise both the paths and (for text files) the content hash of a tree. */
export function normaliseTree(
  dir: string,
  n: Normaliser,
  exclude?: (rel: string) => boolean
): Tree {
  const raw = snapshot(dir, { exclude });
  const out: Tree = {};
  for (const rel of Object.keys(raw)) {
    const buf = readFileSync(join(dir, rel));
    const text = isText(buf) ? normalise(buf.toString('utf8'), n) : null;
    out[normalise(rel, n)] = text === null ? raw[rel] : md5(text);
  }
  return out;
}

function isText(buf: Buffer): boolean {
  if (buf.includes(0)) {
    return false;
  }
  return Buffer.from(buf.toString('utf8'), 'utf8').equals(buf);
}
