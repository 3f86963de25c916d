/**
 * Imports an ngshare 0.6 deployment (database + storage folder) into this
 * service: courses, rosters with names, assignments, submissions with their
 * timestamps, and every released, submitted and feedback file. Refuses a
 * non-empty target unless forced; with force it adds only what is missing, so
 * running it twice changes nothing the second time. Reads the source database
 * once, in one transaction, so a live ngshare 0.6 gives a consistent copy of
 * one moment. Ends by verifying counts and the MD5 of every imported file read
 * back from the new storage.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { canonicalToMicros, formatTimestamp, parseFeedbackTimestamp } from '../domain/timestamps';
import { inMemoryFile, type UploadedFile } from '../domain/file-tree';
import type { FileKeeper } from '../services/file-keeper';
import type { BlobStorage } from '../storage/blob-storage';
import type { ExchangeStore } from '../store/exchange-store';
import type { FileOwner } from '../store/types';
import type { FileLink, Ngshare06Reader, Ngshare06Snapshot, SourceFile } from './ngshare06-reader';

export interface ImportReport {
  courses: number;
  instructors: number;
  students: number;
  assignments: number;
  submissions: number;
  files: number;
  skipped: string[];
  verifiedFiles: number;
}

export interface ImportOptions {
  force: boolean;
  logger: Logger;
}

export async function importNgshare06(
  source: Ngshare06Reader,
  target: ExchangeStore,
  keeper: FileKeeper,
  blobs: BlobStorage,
  opts: ImportOptions
): Promise<ImportReport> {
  await source.check();
  const snap = await source.snapshot();
  const existing = await target.allCourseIds();
  if (existing.length > 0 && !opts.force) {
    throw new Error(
      `the target already has ${existing.length} course(s); pass --force to add what is missing`
    );
  }
  const report: ImportReport = {
    courses: 0,
    instructors: 0,
    students: 0,
    assignments: 0,
    submissions: 0,
    files: 0,
    skipped: [],
    verifiedFiles: 0
  };
  const { logger } = opts;

  await target.ensureUsers(snap.users);

  // Courses: source _id → target pk.
  const coursePk = new Map<number, number>();
  const courseByName = new Map<string, number>();
  for (const course of snap.courses) {
    const found = await target.findCourse(course.id);
    const row = found ?? (await target.createCourse(course.id));
    report.courses += found ? 0 : 1;
    coursePk.set(course._id, row.pk);
    courseByName.set(course.id, row.pk);
  }

  // Rosters: instructors first (ngshare forbids being both; instructor wins).
  for (const role of ['instructor', 'student'] as const) {
    for (const m of role === 'instructor' ? snap.instructors : snap.students) {
      const pk = courseByName.get(m.course);
      if (pk === undefined) {
        report.skipped.push(`${role} ${m.user} of unknown course ${m.course}`);
        continue;
      }
      if (await target.findMember(pk, m.user)) {
        continue;
      }
      await target.ensureUsers([m.user]);
      await target.addMember(pk, m.user, role, m);
      report[role === 'instructor' ? 'instructors' : 'students'] += 1;
    }
  }

  const filesByOwner = (link: FileLink) => {
    const map = new Map<number, SourceFile[]>();
    for (const f of snap.files[link]) {
      const list = map.get(f.owner) ?? [];
      list.push(f);
      map.set(f.owner, list);
    }
    return map;
  };
  const load = async (files: SourceFile[] | undefined): Promise<UploadedFile[]> =>
    Promise.all(
      (files ?? []).map(async f => {
        const file = inMemoryFile(f.filename, await source.read(f.actual_name));
        if (f.checksum && file.md5 !== f.checksum) {
          throw new Error(`stored file "${f.actual_name}" does not match its checksum`);
        }
        return file;
      })
    );
  const importOwner = async (
    files: SourceFile[] | undefined,
    create: (tx: ExchangeStore) => Promise<FileOwner>
  ) => {
    const uploaded = await load(files);
    await keeper.storeWith(target, uploaded, async (tx, attach) => attach(await create(tx)));
    report.files += uploaded.length;
  };

  // Assignments with their released files.
  const releaseFiles = filesByOwner('assignment');
  const assignmentPk = new Map<number, number>();
  for (const a of snap.assignments) {
    const pk = coursePk.get(a.course_id);
    if (pk === undefined) {
      report.skipped.push(`assignment ${a.id} of unknown course ${a.course_id}`);
      continue;
    }
    const found = await target.findAssignment(pk, a.id);
    if (found) {
      assignmentPk.set(a._id, found.pk);
      continue;
    }
    await importOwner(releaseFiles.get(a._id), async tx => {
      const row = await tx.createAssignment(pk, a.id);
      assignmentPk.set(a._id, row.pk);
      return { kind: 'assignment', pk: row.pk };
    });
    report.assignments += 1;
  }

  // Submissions, then their feedback.
  const submittedFiles = filesByOwner('submission');
  const feedbackFiles = filesByOwner('feedback');
  const used = new Set<string>();
  // ngshare 0.6 keeps no time for feedback: it counts as arrived when it was imported
  const importedAt = formatTimestamp(BigInt(Date.now()) * 1000n);
  for (const s of snap.submissions) {
    const pk = assignmentPk.get(s.assignment_id);
    const canonical = s.timestamp ? parseFeedbackTimestamp(String(s.timestamp)) : undefined;
    if (pk === undefined || canonical === undefined) {
      report.skipped.push(`submission ${s._id} (unknown assignment or unreadable timestamp)`);
      continue;
    }
    let timestamp = canonical;
    // ngshare could store the same timestamp twice for one student; keep both, 1 µs apart.
    while (used.has(`${pk}\u0000${s.student_id}\u0000${timestamp}`)) {
      timestamp = formatTimestamp(canonicalToMicros(timestamp)! + 1n);
    }
    used.add(`${pk}\u0000${s.student_id}\u0000${timestamp}`);
    if (await target.findSubmission(pk, s.student_id, timestamp)) {
      continue;
    }
    if (timestamp !== canonical) {
      logger.warn({ submission: s._id, timestamp }, 'duplicate timestamp moved by 1 µs');
    }
    let submissionPk = 0;
    await importOwner(submittedFiles.get(s._id), async tx => {
      await tx.ensureUsers([s.student_id]);
      submissionPk = (await tx.createSubmission(pk, s.student_id, timestamp)).pk;
      return { kind: 'submission', pk: submissionPk };
    });
    const feedback = feedbackFiles.get(s._id);
    if (feedback?.length) {
      await importOwner(feedback, async tx => {
        await tx.setFeedbackTime(submissionPk, importedAt);
        return { kind: 'feedback', pk: submissionPk };
      });
    }
    report.submissions += 1;
  }

  report.verifiedFiles = await verify(snap, target, blobs);
  await verifyCounts(snap, target, report);
  logger.info({ ...report, skipped: report.skipped.length }, 'import finished');
  return report;
}

/** Re-reads every imported file from the new storage and compares MD5s with the source's. */
async function verify(
  snap: Ngshare06Snapshot,
  target: ExchangeStore,
  blobs: BlobStorage
): Promise<number> {
  let verified = 0;
  const expected = new Map<string, number>();
  for (const link of ['assignment', 'submission', 'feedback'] as const) {
    for (const f of snap.files[link]) {
      expected.set(f.checksum, (expected.get(f.checksum) ?? 0) + 1);
    }
  }
  const stored = await target.knownBlobMd5s();
  for (const [sha256, md5] of stored) {
    if (!expected.has(md5)) {
      continue;
    }
    const data = await blobs.read(sha256);
    if (createHash('md5').update(data).digest('hex') !== md5) {
      throw new Error(`verification failed: stored bytes for ${sha256} do not match MD5 ${md5}`);
    }
    verified += expected.get(md5)!;
  }
  const storedMd5s = new Set(stored.values());
  const missing = [...expected.keys()].filter(md5 => !storedMd5s.has(md5));
  if (missing.length > 0) {
    throw new Error(`verification failed: ${missing.length} file(s) missing after import`);
  }
  return verified;
}

/** Every source row must have a counterpart (fewer only by what was reported as skipped). */
async function verifyCounts(
  snap: Ngshare06Snapshot,
  target: ExchangeStore,
  report: ImportReport
): Promise<void> {
  const from = snap.counts;
  const to = await target.countRows();
  const pairs: Array<[string, number, number]> = [
    ['courses', from.courses, to.courses],
    ['instructors', from.instructors, to.instructors],
    ['students', from.students, to.students],
    ['assignments', from.assignments, to.assignments],
    ['submissions', from.submissions, to.submissions],
    ['files', from.files, to.files]
  ];
  const short = pairs.filter(([, a, b]) => b + report.skipped.length < a);
  if (short.length > 0) {
    throw new Error(
      'verification failed: ' +
        short.map(([n, a, b]) => `${n}: ${a} in the source, ${b} here`).join('; ')
    );
  }
}
