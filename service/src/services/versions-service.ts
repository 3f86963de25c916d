/**
 * Versions of a released assignment (issue 14, item 2): an instructor publishes new files for an
 * assignment that students already have, and nothing is deleted: submissions and feedback stay,
 * each submission keeps the version it was made against, a v1 fetch answers the newest version.
 * Every version's files stay fetchable, so a student's lab can tell what changed and offer it
 * beside their own edits. The destructive way (DELETE, then release) is unchanged.
 */
import { treeFacts } from '../domain/history';
import { badRequest, conflict, notFound } from '../errors';
import type { FilesArgument } from '../domain/file-tree';
import { formatTimestamp } from '../domain/timestamps';
import type { ExchangeStore } from '../store/exchange-store';
import type { AssignmentRow, StoredFile } from '../store/types';
import type { ServiceDeps } from './deps';
import type { FileEntry } from './file-keeper';
import { historyEvent } from './history-log';
import type { Identity } from './identity';

export interface VersionChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

export interface VersionEntry extends VersionChanges {
  version: number;
  /** UTC; null for a version 1 released before versions were kept. */
  released_at: string | null;
  released_by: string | null;
  /** Each file's md5, as the v1 routes call it `checksum`. */
  files: Array<{ path: string; checksum: string }>;
  /** The tree checksum (see domain/history.ts). */
  checksum: string;
}

/** What changed from one set of files to the next, by path, sorted. */
export function versionChanges(
  before: ReadonlyArray<{ path: string; sha256: string }>,
  after: ReadonlyArray<{ path: string; sha256: string }>
): VersionChanges {
  const old = new Map(before.map(f => [f.path, f.sha256]));
  const now = new Map(after.map(f => [f.path, f.sha256]));
  const sort = (list: string[]) => list.sort();
  return {
    added: sort([...now.keys()].filter(p => !old.has(p))),
    changed: sort([...now.keys()].filter(p => old.has(p) && old.get(p) !== now.get(p))),
    removed: sort([...old.keys()].filter(p => !now.has(p)))
  };
}

/** A version as `fetchedVersions` matches it; `checksum` filled in when first needed. */
interface VersionCandidate {
  number: number;
  released_at: string | null;
  checksum: string | null;
  pk?: number;
}

export class VersionsService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Every version, oldest first, with what each changed; members of the course may look. */
  async list(
    user: Identity,
    courseId: string,
    assignmentId: string
  ): Promise<{ current: number; fetched: number | null; versions: VersionEntry[] }> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireMember(store, course, user);
    const assignment = await access.assignment(store, course, assignmentId);
    const trees = await this.trees(store, assignment);
    const versions = trees.map(({ row, files }, i) => ({
      version: row.number,
      released_at: row.released_at,
      released_by: row.released_by,
      files: files.map(f => ({ path: f.path, checksum: f.md5 })),
      checksum: treeFacts(files).checksum,
      ...versionChanges(i === 0 ? [] : trees[i - 1].files, files)
    }));
    const fetched = await this.fetchedVersions(course.id, user.name, [
      {
        assignmentId,
        versions: versions.map(v => ({
          number: v.version,
          released_at: v.released_at,
          checksum: v.checksum
        }))
      }
    ]);
    return {
      current: versions[versions.length - 1].version,
      fetched: fetched.get(assignmentId) ?? null,
      versions
    };
  }

  /**
   * Each assignment of a course with its current version and the newest version the caller
   * fetched since it was last released (null: never, or before the exchange kept a history), so
   * a student's lab can say that a newer version exists in one request.
   */
  async course(
    user: Identity,
    courseId: string
  ): Promise<{
    assignments: Array<{ assignment_id: string; current: number; fetched: number | null }>;
  }> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireMember(store, course, user);
    const [ids, rows] = await Promise.all([
      store.assignmentIds(course.pk),
      store.courseVersions(course.pk)
    ]);
    const byAssignment = new Map<string, VersionCandidate[]>();
    for (const row of rows) {
      const list = byAssignment.get(row.assignment_id) ?? [];
      list.push({ number: row.number, released_at: row.released_at, checksum: null, pk: row.pk });
      byAssignment.set(row.assignment_id, list);
    }
    const fetched = await this.fetchedVersions(
      course.id,
      user.name,
      ids.map(id => ({ assignmentId: id, versions: byAssignment.get(id) ?? [] }))
    );
    return {
      assignments: ids.map(id => {
        const versions = byAssignment.get(id);
        return {
          assignment_id: id,
          current: versions ? versions[versions.length - 1].number : 1,
          fetched: fetched.get(id) ?? null
        };
      })
    };
  }

  /**
   * The newest version each assignment's fetch events (by `actor`, after the latest release)
   * name. A version fetch says its number; a v1 fetch (nbgrader's) is matched by its tree
   * checksum to the newest version with those files released by then. `versions` [] means only
   * the implicit version 1. Checksums of stored versions are read only when a v1 fetch needs them.
   */
  private async fetchedVersions(
    courseId: string,
    actor: string,
    assignments: Array<{ assignmentId: string; versions: VersionCandidate[] }>
  ): Promise<Map<string, number>> {
    const { store, history } = this.deps;
    await history.flush(); // this replica's queued fetches count
    const wanted = new Map(assignments.map(a => [a.assignmentId, a.versions]));
    const since = new Map<
      string,
      Array<{ at: string; checksum: string | null; version: unknown }>
    >();
    for (const e of await store.fetchesAndReleases(courseId, actor)) {
      if (e.assignment_id === null || !wanted.has(e.assignment_id)) {
        continue;
      }
      if (e.action === 'release') {
        since.set(e.assignment_id, []); // a re-release starts the versions over
      } else {
        const list = since.get(e.assignment_id) ?? [];
        list.push({ at: e.at, checksum: e.checksum, version: e.detail?.version });
        since.set(e.assignment_id, list);
      }
    }
    const result = new Map<string, number>();
    for (const [assignmentId, fetches] of since) {
      const versions = wanted.get(assignmentId) ?? [];
      let newest = 0;
      for (const f of fetches) {
        let number = typeof f.version === 'number' ? f.version : 0;
        if (number === 0 && versions.length === 0) {
          number = 1;
        } else if (number === 0) {
          for (const v of versions) {
            if (v.checksum === null && v.pk !== undefined) {
              v.checksum = treeFacts(await store.listFiles({ kind: 'version', pk: v.pk })).checksum;
            }
            if (v.checksum === f.checksum && (v.released_at === null || v.released_at <= f.at)) {
              number = Math.max(number, v.number);
            }
          }
        }
        newest = Math.max(newest, number);
      }
      if (newest > 0) {
        result.set(assignmentId, newest);
      }
    }
    return result;
  }

  /** One version's files (`list_only`: names and md5s). */
  async fetch(
    user: Identity,
    courseId: string,
    assignmentId: string,
    versionRaw: string,
    listOnly: boolean
  ): Promise<{ version: number; files: FileEntry[] }> {
    const { store, access, files } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireMember(store, course, user);
    const assignment = await access.assignment(store, course, assignmentId);
    const number = parseVersion(versionRaw);
    const tree = (await this.trees(store, assignment)).find(t => t.row.number === number);
    if (!tree) {
      throw notFound('Version not found');
    }
    const answer = await files.render(tree.files, listOnly, true);
    if (!listOnly) {
      this.deps.history.later(
        historyEvent(this.deps.clock, course.id, user.name, 'fetch', {
          assignment_id: assignmentId,
          ...treeFacts(tree.files),
          detail: { version: number }
        })
      );
      // written before answering: the lab asks next which version this student has (any replica)
      await this.deps.history.flush();
    }
    return { version: number, files: answer };
  }

  /** Publishes `files` as the next version; refuses a set identical to the current one. */
  async publish(
    user: Identity,
    courseId: string,
    assignmentId: string,
    filesArg: FilesArgument
  ): Promise<{ version: number } & VersionChanges> {
    const { store, access, files, clock, history } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    const assignment = await access.assignment(store, course, assignmentId);
    const tree = await filesArg();
    return files.storeWith(store, tree, async (tx, attach) => {
      // one publication at a time per assignment, and not into an unreleased one
      if (!(await tx.lockRow('assignments', assignment.pk, 'update'))) {
        throw notFound('Assignment not found');
      }
      const rows = await tx.listVersions(assignment.pk);
      if (rows.length === 0) {
        // version 1 gets its row and its own copy of the files only now
        const first = await tx.createVersion(assignment.pk, 1, null, null);
        await tx.copyAssignmentFilesTo(assignment.pk, first.pk);
      }
      const current = await tx.listFiles({ kind: 'assignment', pk: assignment.pk });
      const changes = versionChanges(current, tree);
      const previous = rows.length === 0 ? 1 : rows[rows.length - 1].number;
      if (!changes.added.length && !changes.changed.length && !changes.removed.length) {
        throw conflict(`These files are the same as version ${previous}: nothing to publish`);
      }
      const number = previous + 1;
      const version = await tx.createVersion(
        assignment.pk,
        number,
        formatTimestamp(clock.now()),
        user.name
      );
      await attach({ kind: 'version', pk: version.pk });
      await tx.detachFiles({ kind: 'assignment', pk: assignment.pk });
      await attach({ kind: 'assignment', pk: assignment.pk });
      await history.write(tx, [
        historyEvent(clock, course.id, user.name, 'version', {
          assignment_id: assignmentId,
          ...treeFacts(tree),
          detail: { version: number, ...changes }
        })
      ]);
      return { version: number, ...changes };
    });
  }

  /** Each version with its files, oldest first; the implicit version 1 when none is stored. */
  private async trees(
    store: ExchangeStore,
    assignment: AssignmentRow
  ): Promise<
    Array<{
      row: { number: number; released_at: string | null; released_by: string | null };
      files: StoredFile[];
    }>
  > {
    const rows = await store.listVersions(assignment.pk);
    if (rows.length === 0) {
      return [
        {
          row: { number: 1, released_at: null, released_by: null },
          files: await store.listFiles({ kind: 'assignment', pk: assignment.pk })
        }
      ];
    }
    return Promise.all(
      rows.map(async row => ({
        row,
        files: await store.listFiles({ kind: 'version', pk: row.pk })
      }))
    );
  }
}

function parseVersion(raw: string): number {
  if (!/^[1-9]\d{0,8}$/.test(raw)) {
    throw badRequest('Version must be a whole number from 1');
  }
  return Number(raw);
}
