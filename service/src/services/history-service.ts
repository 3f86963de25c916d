/**
 * Reading a course's history (issue 14, item 3): instructors and admins see all of a course,
 * a student what they did and what concerns them; admins also every course at once (deleted
 * ones included). Receipts: a student's submissions with each file's size and checksums, read
 * from the submissions themselves, so they hold for submissions older than the history too.
 */
import { stringify } from 'csv-stringify/sync';
import { HISTORY_ACTIONS, isHistoryAction, treeFacts } from '../domain/history';
import { canonicalToIso } from '../domain/deadlines';
import { badRequest } from '../errors';
import type { HistoryFilter, HistoryRow } from '../store/types';
import type { ServiceDeps } from './deps';
import type { Identity } from './identity';

export const DEFAULT_HISTORY_PAGE = 500;
export const MAX_HISTORY_PAGE = 5000;

/** The query arguments of a history read, as they came. */
export interface HistoryQuery {
  assignment_id?: string;
  user_id?: string;
  action?: string;
  before?: string;
  limit?: string;
}

export interface HistoryPage {
  events: HistoryRow[];
  /** Pass as `before` for the next (older) page; null when this one is the last. */
  next_before: number | null;
}

export interface Receipt {
  assignment_id: string;
  timestamp: string;
  /** The assignment's version that was current when the submission arrived. */
  version: number;
  files: Array<{ path: string; size: number; md5: string; sha256: string }>;
  bytes: number;
  checksum: string;
}

export const CSV_COLUMNS = [
  'id',
  'at',
  'course_id',
  'actor',
  'action',
  'assignment_id',
  'student_id',
  'timestamp',
  'files',
  'bytes',
  'checksum',
  'detail'
] as const;

export class HistoryService {
  constructor(private readonly deps: ServiceDeps) {}

  /** One page, newest first. `courseId` undefined: every course (admins only). */
  async page(
    user: Identity,
    courseId: string | undefined,
    query: HistoryQuery
  ): Promise<HistoryPage> {
    const filter = await this.filterFor(user, courseId, query);
    await this.deps.history.flush(); // this replica's queued reads are part of the answer
    const rows = await this.deps.store.listHistory({ ...filter, limit: filter.limit + 1 });
    const events = rows.slice(0, filter.limit);
    return {
      events,
      next_before: rows.length > filter.limit ? events[events.length - 1].id : null
    };
  }

  /** Every matching event as CSV, newest first, read a page at a time. */
  async csv(user: Identity, courseId: string | undefined, query: HistoryQuery): Promise<string> {
    const filter = await this.filterFor(user, courseId, { ...query, limit: undefined });
    await this.deps.history.flush();
    const chunks = [stringify([[...CSV_COLUMNS]])];
    for (let beforeId = filter.beforeId; ;) {
      const rows = await this.deps.store.listHistory({
        ...filter,
        beforeId,
        limit: MAX_HISTORY_PAGE
      });
      // a leading = + - @ is quoted away: spreadsheets would run it as a formula
      chunks.push(stringify(rows.map(csvRecord), { escape_formulas: true }));
      if (rows.length < MAX_HISTORY_PAGE) {
        return chunks.join('');
      }
      beforeId = rows[rows.length - 1].id;
    }
  }

  /** A student's own receipts (an instructor or admin may name the student). */
  async receipts(
    user: Identity,
    courseId: string,
    studentRaw: string | undefined
  ): Promise<Receipt[]> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    const studentId = studentRaw ?? user.name;
    await access.requireInstructorOrSelf(store, course, user, studentId);
    if (studentRaw !== undefined) {
      await access.member(store, course, studentId);
    }
    return (await store.submissionsWithFiles(course.pk, studentId)).map(s => {
      const facts = treeFacts(s.files);
      return {
        assignment_id: s.assignment_id,
        timestamp: s.timestamp,
        version: s.version,
        files: s.files.map(f => ({ path: f.path, size: f.size, md5: f.md5, sha256: f.sha256 })),
        bytes: facts.bytes,
        checksum: facts.checksum
      };
    });
  }

  private async filterFor(
    user: Identity,
    courseId: string | undefined,
    query: HistoryQuery
  ): Promise<HistoryFilter> {
    const { store, access } = this.deps;
    const filter: HistoryFilter = {
      courseId,
      assignment_id: query.assignment_id,
      student_id: query.user_id,
      limit: parseLimit(query.limit),
      beforeId: parseBefore(query.before)
    };
    if (query.action !== undefined) {
      if (!isHistoryAction(query.action)) {
        throw badRequest(`Unknown action "${query.action}": one of ${HISTORY_ACTIONS.join(', ')}`);
      }
      filter.action = query.action;
    }
    if (courseId === undefined) {
      access.requireAdmin(user);
      return filter;
    }
    if (user.isAdmin) {
      return filter; // a deleted course's history included
    }
    const course = await access.course(store, courseId, user);
    const member = await access.memberOf(store, course, user.name);
    if (member?.role === 'instructor') {
      return filter;
    }
    if (!member) {
      throw access.denied('not related to course');
    }
    if (query.user_id !== undefined && query.user_id !== user.name) {
      throw access.denied('students see only their own history');
    }
    return { ...filter, student_id: undefined, concerning: user.name };
  }
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) {
    return DEFAULT_HISTORY_PAGE;
  }
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_HISTORY_PAGE)) {
    throw badRequest(`limit must be a whole number from 1 to ${MAX_HISTORY_PAGE}`);
  }
  return n;
}

function parseBefore(raw: string | undefined): number | undefined {
  if (raw === undefined) {
    return undefined;
  }
  if (!/^[1-9]\d{0,15}$/.test(raw)) {
    throw badRequest('before must be an event id (a positive whole number)');
  }
  return Number(raw);
}

const csvRecord = (e: HistoryRow): unknown[] => [
  e.id,
  canonicalToIso(e.at),
  e.course_id,
  e.actor,
  e.action,
  e.assignment_id ?? '',
  e.student_id ?? '',
  e.timestamp ?? '',
  e.files ?? '',
  e.bytes ?? '',
  e.checksum ?? '',
  e.detail ? JSON.stringify(e.detail) : ''
];
