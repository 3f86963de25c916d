/**
 * What a course's history records (issue 14, item 3) and the checksum that settles a dispute.
 * A tree's checksum is the sha256 of `sha256sum`'s own output for its files in byte order of
 * their paths, so anyone can recompute it from the files alone:
 *
 *     cd <assignment folder> && find . -type f -printf '%P\n' | LC_ALL=C sort \
 *       | xargs -d '\n' sha256sum | sha256sum
 */
import { createHash } from 'node:crypto';

export const HISTORY_ACTIONS = [
  'course_create',
  'course_delete',
  'release',
  'version',
  'unrelease',
  'fetch',
  'submit',
  'collect',
  'feedback_upload',
  'feedback_fetch',
  'roster_add',
  'roster_remove',
  'deadline_set',
  'deadline_clear',
  'extension_set',
  'extension_revoke',
  'groups_follow',
  'groups_unfollow'
] as const;

export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export const isHistoryAction = (text: string): text is HistoryAction =>
  (HISTORY_ACTIONS as readonly string[]).includes(text);

/** One event as it is stored and answered (canonical UTC timestamps). */
export interface HistoryEvent {
  course_id: string;
  at: string;
  actor: string;
  action: HistoryAction;
  assignment_id?: string | null;
  student_id?: string | null;
  /** The submission the event concerns. */
  timestamp?: string | null;
  files?: number | null;
  bytes?: number | null;
  checksum?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface TreeFacts {
  files: number;
  bytes: number;
  checksum: string;
}

/** Files, total bytes and checksum of a tree: see the module comment. */
export function treeFacts(
  files: ReadonlyArray<{ path: string; sha256: string; size: number }>
): TreeFacts {
  const sorted = [...files].sort((a, b) =>
    Buffer.compare(Buffer.from(a.path), Buffer.from(b.path))
  );
  const hash = createHash('sha256');
  let bytes = 0;
  for (const f of sorted) {
    hash.update(`${f.sha256}  ${f.path}\n`);
    bytes += f.size;
  }
  return { files: files.length, bytes, checksum: hash.digest('hex') };
}
