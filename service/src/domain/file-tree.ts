/**
 * The "encoded directory tree" of the ngshare API: a JSON list of
 * `{path, content}` objects. Every entry is validated and decoded before
 * anything is stored, so a bad upload changes nothing.
 */
import { createHash } from 'node:crypto';
import { badRequest } from '../errors';
import { decodeBase64Lenient } from './base64';
import { hasLoneSurrogate } from './ids';

export interface UploadedFile {
  path: string;
  data: Buffer;
  md5: string;
  sha256: string;
}

// Control characters (NUL included) never belong in a file name a client writes.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
// `\x`, `\\server\share`, `C:\x`, `C:x`: rooted or drive-relative on Windows.
const WINDOWS_ROOTED = /^(?:\\|[A-Za-z]:)/;

/**
 * ngshare's rule: non-empty, no leading or trailing `/`, no `.` or `..`
 * component (inner `//` is tolerated and kept verbatim). Stricter where the
 * original is unsafe: no control characters, no `.`/`..` components when
 * split on backslashes either, no leading backslash or drive letter (a Windows
 * client would climb out with them), and no lone surrogates (no UTF-8 form).
 */
export function isLegalPath(path: string): boolean {
  if (
    path.length === 0 ||
    CONTROL_CHARS.test(path) ||
    WINDOWS_ROOTED.test(path) ||
    hasLoneSurrogate(path)
  ) {
    return false;
  }
  const parts = path.split('/');
  if (parts[0] === '' || parts[parts.length - 1] === '') {
    return false;
  }
  return !path.split(/[/\\]/).some(part => part === '.' || part === '..');
}

export const FILES_FORMAT_MESSAGE =
  'Files must be a JSON list of objects with string "path" and "content" fields';

/** Parses and validates a `files` argument in ngshare's order of checks. */
export function parseFileTree(raw: string | undefined): UploadedFile[] {
  if (raw === undefined) {
    throw badRequest('Please supply files');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest('Files cannot be JSON decoded');
  }
  // ngshare iterates the value, so `{}` is an empty tree there; no client sends it.
  if (!Array.isArray(parsed)) {
    throw badRequest(FILES_FORMAT_MESSAGE);
  }
  // One entry at a time, as ngshare does: path, then content. Only after
  // every entry passed is anything stored.
  return parsed.map(entry => {
    const { path, content } = (entry ?? {}) as { path?: unknown; content?: unknown };
    if (typeof entry !== 'object' || entry === null || typeof path !== 'string') {
      throw badRequest(FILES_FORMAT_MESSAGE);
    }
    if (!isLegalPath(path)) {
      throw badRequest('Illegal path');
    }
    if (typeof content !== 'string') {
      throw badRequest(FILES_FORMAT_MESSAGE);
    }
    const data = decodeBase64Lenient(content);
    if (data === undefined) {
      throw badRequest('Content cannot be base64 decoded');
    }
    return {
      path,
      data,
      md5: createHash('md5').update(data).digest('hex'),
      sha256: createHash('sha256').update(data).digest('hex')
    };
  });
}
