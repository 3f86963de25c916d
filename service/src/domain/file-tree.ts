/**
 * The "encoded directory tree" of the ngshare API: a JSON list of
 * `{path, content}` objects. Every entry is validated and decoded before
 * anything is stored, so a bad upload changes nothing (the streaming
 * decoder is in file-tree-decoder.ts).
 */
import { createHash } from 'node:crypto';
import type { StagedBlob } from '../storage/blob-storage';
import { hasLoneSurrogate } from './ids';

/** A decoded file: small contents in memory, large ones already staged by the decoder. */
export interface UploadedFile {
  path: string;
  md5: string;
  sha256: string;
  size: number;
  data?: Buffer;
  staged?: StagedBlob;
}

/**
 * The `files` argument, read from the request only when called: services
 * call it after their permission checks, so a refused upload is never read.
 * Throws the argument's 400s ("Please supply files", …).
 */
export type FilesArgument = () => Promise<UploadedFile[]>;

/** A file whose contents are in memory (demo data, imports, debug `init`). */
export function inMemoryFile(path: string, data: Buffer): UploadedFile {
  return {
    path,
    data,
    size: data.length,
    md5: createHash('md5').update(data).digest('hex'),
    sha256: createHash('sha256').update(data).digest('hex')
  };
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
