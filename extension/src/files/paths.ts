/**
 * Path safety for everything the extension writes. Paths come from the service (file names inside
 * a release, submission or feedback set) and from ids (course, assignment, student, timestamp);
 * none of them may lead outside the folder the operation writes into.
 */

/** A path from the service or the user was refused. `path` is the offending value. */
export class UnsafePathError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string
  ) {
    super(`Refusing unsafe path ${JSON.stringify(path)}: ${reason}`);
    this.name = 'UnsafePathError';
  }
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Validates a relative path and returns it normalised (`a//b` -> `a/b`). Rejects empty paths,
 * absolute paths (`/x`, `C:x`, `\\server`), any `.` or `..` component, NUL and other control
 * characters, and backslashes (which some servers treat as separators).
 */
export function checkRelativePath(path: string): string {
  if (typeof path !== 'string' || path.length === 0) {
    throw new UnsafePathError(String(path), 'empty path');
  }
  if (CONTROL.test(path)) {
    throw new UnsafePathError(path, 'control character (e.g. NUL) in path');
  }
  if (path.includes('\\')) {
    throw new UnsafePathError(path, 'backslash in path');
  }
  if (path.startsWith('/')) {
    throw new UnsafePathError(path, 'absolute path');
  }
  if (/^[A-Za-z]:/.test(path)) {
    throw new UnsafePathError(path, 'drive-letter path');
  }
  const parts = path.split('/').filter(p => p.length > 0);
  if (parts.length === 0) {
    throw new UnsafePathError(path, 'empty path');
  }
  for (const part of parts) {
    if (part === '.' || part === '..') {
      throw new UnsafePathError(path, `"${part}" component`);
    }
    if (part.trim() !== part && part.trim() === '..') {
      throw new UnsafePathError(path, 'disguised ".." component');
    }
  }
  return parts.join('/');
}

/**
 * Validates one id used as a single folder name (course, assignment, student, timestamp): no `/`,
 * no backslash, not `.`/`..`, no control characters, not empty.
 */
export function checkSegment(name: string, what = 'name'): string {
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw new UnsafePathError(String(name), `empty ${what}`);
  }
  if (name.includes('/') || name.includes('\\')) {
    throw new UnsafePathError(name, `${what} contains a path separator`);
  }
  if (name === '.' || name === '..') {
    throw new UnsafePathError(name, `${what} is "${name}"`);
  }
  if (CONTROL.test(name)) {
    throw new UnsafePathError(name, `control character in ${what}`);
  }
  return name;
}

/** Joins path pieces with `/`, dropping empty pieces and stray slashes. */
export function joinPath(...parts: string[]): string {
  return parts
    .flatMap(p => p.split('/'))
    .filter(p => p.length > 0)
    .join('/');
}

/** The parent directory of a `/`-separated path ('' at the top). */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** The last component of a `/`-separated path. */
export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** True when `path` is `root` or lies below it (both normalised, `/`-separated). */
export function isInside(root: string, path: string): boolean {
  const r = joinPath(root);
  const p = joinPath(path);
  return r === '' || p === r || p.startsWith(r + '/');
}

/** Shell-style glob for one name: `*`, `?`, `[abc]`, `[!abc]`. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      re += '.*';
    } else if (c === '?') {
      re += '.';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
      } else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) {
          body = '^' + body.slice(1);
        }
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else {
      re += c.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/**
 * nbgrader-style ignore, applied to whole directories as well as files: a relative path is ignored
 * when any of its components matches any pattern (so `feedback` drops `feedback/<ts>/p1.html`
 * and `.ipynb_checkpoints` drops everything below it). Patterns containing `/` are matched against
 * the whole path.
 */
export function isIgnored(relPath: string, patterns: readonly string[]): boolean {
  const parts = relPath.split('/').filter(p => p);
  for (const pattern of patterns) {
    if (!pattern) {
      continue;
    }
    const re = globToRegExp(pattern);
    if (pattern.includes('/')) {
      if (re.test(parts.join('/'))) {
        return true;
      }
    } else if (parts.some(part => re.test(part))) {
      return true;
    }
  }
  return false;
}
