/**
 * What the admin page shows (read-only): every course with its size and activity, members,
 * assignments and submissions, the storage used, the health of the database and the hub, the
 * version, and the recent failed requests. Reads only; nothing here changes data.
 */
import type { AdminQueries, CourseOverview } from '../store/admin-queries';
import type { RecentError, RecentErrors } from './recent-errors';
import { PRODUCT, VERSION } from '../version';

export type { CourseOverview } from '../store/admin-queries';

export interface Health {
  ok: boolean;
  /** Round trip in milliseconds, when it answered. */
  ms?: number;
  detail: string;
}

export interface AdminOverviewData {
  product: string;
  version: string;
  node: string;
  uptime_s: number;
  mode: string;
  debug: boolean;
  admins: string[];
  database: Health & { engine: string };
  hub: Health & { url: string | null };
  /** The file storage: whether it answers (as /readyz checks it), and what it holds. */
  storage: Health & { blobs: number; bytes: number; files: number };
  totals: { courses: number; users: number; assignments: number; submissions: number };
  search: string;
  courses: CourseOverview[];
  recent_errors: RecentError[];
}

export interface AdminOverviewOptions {
  queries: AdminQueries;
  /** The readiness probe of /readyz (database and storage, each 'ok' or why not, with a timeout). */
  ready: () => Promise<{ database: string; storage: string }>;
  errors: RecentErrors;
  mode: string;
  debug: boolean;
  admins: readonly string[];
  /** The hub in hub mode (its API root answers without a token); null in vngshare mode. */
  hub: { readonly apiUrl: string; status(): Promise<Health> } | null;
}

export class AdminOverview {
  private readonly started = Date.now();

  constructor(private readonly opts: AdminOverviewOptions) {}

  async collect(search = ''): Promise<AdminOverviewData> {
    const { queries } = this.opts;
    const [[checks, ms], hub] = await Promise.all([this.readiness(), this.hubHealth()]);
    const probe = (answer: string): Health =>
      answer === 'ok' ? { ok: true, ms, detail: 'answers' } : { ok: false, detail: answer };
    const database = { engine: queries.engine(), ...probe(checks.database) };
    let totals = { courses: 0, users: 0, assignments: 0, submissions: 0 };
    let courses: CourseOverview[] = [];
    let held = { blobs: 0, bytes: 0, files: 0 };
    if (database.ok) {
      held = await queries.storage();
      totals = await queries.totals();
      courses = filterCourses(await queries.courses(), search.trim().toLowerCase());
    }
    return {
      product: PRODUCT,
      version: VERSION,
      node: process.version,
      uptime_s: Math.round((Date.now() - this.started) / 1000),
      mode: this.opts.mode,
      debug: this.opts.debug,
      admins: [...this.opts.admins],
      database,
      hub,
      storage: { ...probe(checks.storage), ...held },
      totals,
      search,
      courses,
      recent_errors: this.opts.errors.list()
    };
  }

  private async readiness(): Promise<[{ database: string; storage: string }, number]> {
    const t0 = performance.now();
    const checks = await this.opts.ready();
    return [checks, Math.round(performance.now() - t0)];
  }

  private async hubHealth(): Promise<Health & { url: string | null }> {
    const { hub } = this.opts;
    if (!hub) {
      return { url: null, ok: true, detail: 'no hub: vngshare test mode' };
    }
    return { url: hub.apiUrl, ...(await hub.status()) };
  }
}

/**
 * Search: a course stays when its id matches, or when a member (user name, first or last name,
 * email) or an assignment matches; then only the matching members and assignments are listed.
 */
export function filterCourses(courses: CourseOverview[], q: string): CourseOverview[] {
  if (!q) {
    return courses;
  }
  const has = (v: string | null) => (v ?? '').toLowerCase().includes(q);
  const out: CourseOverview[] = [];
  for (const c of courses) {
    if (has(c.id)) {
      out.push(c);
      continue;
    }
    const members = c.members.filter(
      m => has(m.user) || has(m.first_name) || has(m.last_name) || has(m.email)
    );
    const assignments = c.assignments.filter(a => has(a.id));
    if (members.length || assignments.length) {
      const names = new Set(members.map(m => m.user));
      const ids = new Set(assignments.map(a => a.id));
      out.push({
        ...c,
        members,
        assignments,
        recent_submissions: c.recent_submissions.filter(
          s => names.has(s.student) || ids.has(s.assignment)
        )
      });
    }
  }
  return out;
}
