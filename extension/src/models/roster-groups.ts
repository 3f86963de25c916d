/**
 * Rosters that follow JupyterHub groups (ngshare-ts's v2/groups, issue 14): reading which groups
 * a course follows, and the wire form of a sync's changes. An exchange without the v2 routes
 * (ngshare 0.6) simply cannot follow groups: `undefined`, and the Roster view offers nothing.
 */
import { INgshareClient, IRosterSyncChanges } from '../api';
import type { IRosterChanges, IRosterGroups } from '../tokens';
import { v2Unsupported } from './deadlines';

export function toRosterChanges(c: IRosterSyncChanges): IRosterChanges {
  return {
    addedStudents: c.added_students ?? [],
    removedStudents: c.removed_students ?? [],
    addedInstructors: c.added_instructors ?? [],
    removedInstructors: c.removed_instructors ?? [],
    skipped: c.skipped ?? []
  };
}

/** The groups a course follows; null when kept by hand; undefined without v2 routes. */
export async function loadRosterGroups(
  client: INgshareClient,
  course: string
): Promise<IRosterGroups | null | undefined> {
  try {
    const r = await client.getRosterGroups(course);
    return r
      ? {
          studentGroup: r.student_group,
          instructorGroup: r.instructor_group,
          syncedAt: r.synced_at,
          lastChanges: r.last_changes ? toRosterChanges(r.last_changes) : null
        }
      : null;
  } catch (err) {
    if (v2Unsupported(err)) {
      return undefined;
    }
    throw err;
  }
}

/** "2 added, 1 removed" style counts of one sync, for a toast. */
export function changeCounts(c: IRosterChanges): { added: number; removed: number } {
  return {
    added: c.addedStudents.length + c.addedInstructors.length,
    removed: c.removedStudents.length + c.removedInstructors.length
  };
}
