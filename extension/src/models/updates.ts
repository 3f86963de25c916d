/**
 * Newer versions of a downloaded assignment (issue 14, item 2, the student's side). The exchange
 * says which version each assignment is at and which one this student fetched; "Get update"
 * brings the copy up to date the way nbgrader's fetch restores files: what is missing is written,
 * and nothing the student changed is ever replaced: the new file goes beside theirs.
 */
import type { INgshareClient, IVersionListRecord } from '../api';
import type { IUpdateNotice, IUpdatePlan } from '../tokens';
import { v2Unsupported } from './deadlines';

/** `dir/ps1.ipynb`, 3 → `dir/ps1 (version 3).ipynb` (the extension kept, so Jupyter opens it). */
export function besideName(path: string, version: number): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  const stemEnd = dot > slash + 1 ? dot : path.length;
  return `${path.slice(0, stemEnd)} (version ${version})${path.slice(stemEnd)}`;
}

/**
 * Assignments whose current version is newer than the one this student fetched. An exchange
 * without versions (ngshare, or a failure) gives none: the notice is a hint, never an error.
 */
export async function loadUpdateNotices(
  client: INgshareClient,
  course: string
): Promise<Map<string, IUpdateNotice>> {
  try {
    const notices = new Map<string, IUpdateNotice>();
    for (const a of await client.courseVersions(course)) {
      // version 1 is what every fetch got; only a published version can be newer
      if (a.current > 1 && (a.fetched === null || a.fetched < a.current)) {
        notices.set(a.assignment_id, { current: a.current, fetched: a.fetched });
      }
    }
    return notices;
  } catch (err) {
    if (!v2Unsupported(err)) {
      console.warn('ngshare: could not tell whether assignments have newer versions', err);
    }
    return new Map();
  }
}

/**
 * Decides file by file. `local` maps each path the decision needs to the md5 of the local file,
 * or null when it is not there. Without a known fetched version, every local file that differs
 * from the new one counts as the student's own.
 */
export function planUpdate(
  target: { course: string; assignment: string; path: string },
  list: IVersionListRecord,
  local: ReadonlyMap<string, string | null>
): IUpdatePlan {
  const newest = list.versions.find(v => v.version === list.current);
  if (!newest) {
    throw new Error(`The exchange did not list version ${list.current}`);
  }
  const base = list.versions.find(v => v.version === list.fetched) ?? null;
  const fetchedSum = new Map((base?.files ?? []).map(f => [f.path, f.checksum]));
  const plan: IUpdatePlan = {
    ...target,
    from: base ? base.version : null,
    to: newest.version,
    restore: [],
    replace: [],
    beside: [],
    kept: [],
    same: 0
  };
  for (const file of newest.files) {
    const mine = local.get(file.path) ?? null;
    if (mine === null) {
      plan.restore.push(file.path);
    } else if (mine === file.checksum) {
      plan.same += 1;
    } else if (fetchedSum.get(file.path) === mine) {
      plan.replace.push(file.path);
    } else {
      const copy = besideName(file.path, newest.version);
      if (local.get(copy) !== file.checksum) {
        plan.beside.push({ path: file.path, copy });
      } else {
        plan.same += 1; // an earlier update already put this version beside it
      }
    }
  }
  const now = new Set(newest.files.map(f => f.path));
  plan.kept = [...fetchedSum.keys()].filter(p => !now.has(p) && (local.get(p) ?? null) !== null);
  return plan;
}

/** Every path `planUpdate` looks at: the new files, their beside names, the fetched files. */
export function pathsToCompare(list: IVersionListRecord): string[] {
  const paths = new Set<string>();
  for (const v of list.versions) {
    if (v.version === list.current) {
      for (const f of v.files) {
        paths.add(f.path);
        paths.add(besideName(f.path, v.version));
      }
    } else if (v.version === list.fetched) {
      v.files.forEach(f => paths.add(f.path));
    }
  }
  return [...paths].sort();
}

/** True when the plan changes nothing in the copy (it only records the fetch). */
export function isNoOp(plan: IUpdatePlan): boolean {
  return plan.restore.length + plan.replace.length + plan.beside.length === 0;
}
