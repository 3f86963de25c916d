/**
 * ngshare's `initialize-Data6ase` actions: clear, init (the upstream test
 * fixture) and dump. Without debug mode only admins may dump.
 */
import { badRequest, conflict, forbidden } from '../errors';
import { formatTimestamp } from '../domain/timestamps';
import { inMemoryFile, type UploadedFile } from '../domain/file-tree';
import type { BlobStorage } from '../storage/blob-storage';
import type { ServiceDeps } from './deps';
import type { Identity } from './identity';

export type DebugAction = 'clear' | 'init' | 'dump';
export type Dump = Record<string, Array<Record<string, unknown>>>;

export class DebugService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly blobs: BlobStorage,
    private readonly debug: boolean
  ) {}

  authorize(user: Identity, action: string | undefined): DebugAction {
    if (!this.debug) {
      if (action !== 'dump' || !user.isAdmin) {
        throw forbidden('Debug mode is off');
      }
      return 'dump';
    }
    if (action !== 'clear' && action !== 'init' && action !== 'dump') {
      throw badRequest('action should be clear, init, or dump');
    }
    return action;
  }

  async clear(): Promise<void> {
    await this.deps.store.transaction(tx => tx.clearAll());
    await this.blobs.clear();
  }

  /** Loads the fixture of ngshare's own test suite (reference §3.1). */
  async init(): Promise<void> {
    const { store, files, clock } = this.deps;
    if ((await store.allCourseIds()).length > 0) {
      throw conflict('The database already has data; clear it first');
    }
    const file = (path: string, digit: string): UploadedFile =>
      inMemoryFile(path, Buffer.from(digit.repeat(5)));
    const all = [0, 1, 2, 3, 4, 5].map(i => file(`file${i}`, String(i)));
    await store.ensureUsers(['kevin', 'abigail', 'lawrence', 'eric']);
    const c1 = await store.createCourse('course1');
    const c2 = await store.createCourse('course2');
    await store.addMember(c1.pk, 'kevin', 'instructor');
    await store.addMember(c1.pk, 'lawrence', 'student');
    await store.addMember(c2.pk, 'abigail', 'instructor');
    await store.addMember(c2.pk, 'eric', 'student');
    const release = async (coursePk: number, id: string, f: UploadedFile) =>
      files.storeWith(store, [f], async (tx, attach) => {
        const a = await tx.createAssignment(coursePk, id);
        await attach({ kind: 'assignment', pk: a.pk });
        return a;
      });
    const challenge = await release(c1.pk, 'challenge', all[2]);
    await release(c2.pk, 'assignment2a', all[0]);
    await release(c2.pk, 'assignment2b', all[1]);
    await files.storeWith(store, [all[3]], async (tx, attach) => {
      const s1 = await tx.createSubmission(challenge.pk, 'lawrence', '2020-01-01 00:00:00.000000');
      await attach({ kind: 'submission', pk: s1.pk });
    });
    await files.storeWith(store, [all[5]], async (tx, attach) => {
      const s1 = await tx.findSubmission(challenge.pk, 'lawrence', '2020-01-01 00:00:00.000000');
      await attach({ kind: 'feedback', pk: s1!.pk });
    });
    await files.storeWith(store, [all[4]], async (tx, attach) => {
      const s2 = await tx.createSubmission(challenge.pk, 'lawrence', formatTimestamp(clock.now()));
      await attach({ kind: 'submission', pk: s2.pk });
    });
  }

  /**
   * The dump in ngshare's table shapes (only non-empty tables, ngshare's
   * table order), built from this service's schema.
   */
  async dump(): Promise<Dump> {
    const t = await this.deps.store.dumpTables();
    const courseId = new Map(t.courses.map(c => [c.pk, c.id]));
    const blobs = new Map(t.blobs.map(b => [b.sha256, b]));
    const files: Array<Record<string, unknown>> = [];
    const links: Record<string, Array<Record<string, unknown>>> = {
      assignment_files_assoc_table: [],
      submission_files_assoc_table: [],
      feedback_files_assoc_table: []
    };
    const addFiles = (rows: Array<Record<string, unknown>>, owner: string, table: string) => {
      for (const row of rows) {
        const blob = blobs.get(row.blob_sha256);
        const id = files.length + 1;
        files.push({
          _id: id,
          filename: row.path,
          checksum: blob?.md5 ?? null,
          size: blob?.size === undefined ? null : Number(blob.size),
          actual_name: row.blob_sha256
        });
        links[table].push({ left_id: String(row[owner]), right_id: id });
      }
    };
    addFiles(t.assignment_files, 'assignment_pk', 'assignment_files_assoc_table');
    addFiles(t.submission_files, 'submission_pk', 'submission_files_assoc_table');
    addFiles(t.feedback_files, 'submission_pk', 'feedback_files_assoc_table');
    const assoc = (role: string) =>
      t.course_members
        .filter(m => m.role === role)
        .map(m => ({
          left_id: m.user_id,
          right_id: courseId.get(m.course_pk),
          first_name: m.first_name,
          last_name: m.last_name,
          email: m.email
        }));
    const dump: Dump = {
      users: t.users.map(u => ({ id: u.id })),
      courses: t.courses.map(c => ({ _id: c.pk, id: c.id })),
      assignments: t.assignments.map(a => ({
        _id: a.pk,
        id: a.id,
        course_id: a.course_pk,
        released: false,
        due: null
      })),
      submissions: t.submissions.map(s => ({
        _id: s.pk,
        assignment_id: s.assignment_pk,
        timestamp: s.timestamp,
        student_id: s.student_id
      })),
      files,
      instructor_assoc_table: assoc('instructor'),
      student_assoc_table: assoc('student'),
      ...links
    };
    return Object.fromEntries(Object.entries(dump).filter(([, rows]) => rows.length > 0));
  }
}
