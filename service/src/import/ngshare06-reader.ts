/**
 * Reads an ngshare 0.6 database (alembic head 1921a169739b, SQLite or
 * PostgreSQL) and its flat storage folder. Only reads: the source is never
 * changed.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';

export interface SourceCourse {
  _id: number;
  id: string;
}
export interface SourceMember {
  user: string;
  course: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}
export interface SourceAssignment {
  _id: number;
  id: string;
  course_id: number;
}
export interface SourceSubmission {
  _id: number;
  assignment_id: number;
  student_id: string;
  timestamp: string;
}
export interface SourceFile {
  owner: number;
  filename: string;
  checksum: string;
  actual_name: string;
}
export type FileLink = 'assignment' | 'submission' | 'feedback';

const LINK_TABLE: Record<FileLink, string> = {
  assignment: 'assignment_files_assoc_table',
  submission: 'submission_files_assoc_table',
  feedback: 'feedback_files_assoc_table'
};

/** Every row the import needs, read in one transaction: a consistent view of a live source. */
export interface Ngshare06Snapshot {
  users: string[];
  courses: SourceCourse[];
  instructors: SourceMember[];
  students: SourceMember[];
  assignments: SourceAssignment[];
  submissions: SourceSubmission[];
  files: Record<FileLink, SourceFile[]>;
  counts: Record<string, number>;
}

export class Ngshare06Reader {
  constructor(
    private readonly db: Knex,
    private readonly storageDir: string
  ) {}

  private get isPg(): boolean {
    return this.db.client.config.client === 'pg';
  }

  /**
   * Reads everything at one point in time. ngshare 0.6 may still be serving: on SQLite its
   * writers wait (up to their busy timeout) while this reads; on PostgreSQL a repeatable-read
   * transaction sees one snapshot and blocks nobody.
   */
  async snapshot(): Promise<Ngshare06Snapshot> {
    const readAll = async (trx: Knex): Promise<Ngshare06Snapshot> => {
      const r = new Ngshare06Reader(trx, this.storageDir);
      return {
        users: await r.users(),
        courses: await r.courses(),
        instructors: await r.members('instructor'),
        students: await r.members('student'),
        assignments: await r.assignments(),
        submissions: await r.submissions(),
        files: {
          assignment: await r.files('assignment'),
          submission: await r.files('submission'),
          feedback: await r.files('feedback')
        },
        counts: await r.counts()
      };
    };
    return this.isPg
      ? this.db.transaction(readAll, { isolationLevel: 'repeatable read' })
      : this.db.transaction(readAll);
  }

  /** Refuses anything that is not an ngshare database. */
  async check(): Promise<void> {
    for (const table of ['users', 'courses', 'assignments', 'submissions', 'files']) {
      if (!(await this.db.schema.hasTable(table))) {
        throw new Error(`the source database has no "${table}" table: is it an ngshare database?`);
      }
    }
  }

  private async users(): Promise<string[]> {
    return (await this.db('users').select('id')).map((r: { id: string }) => r.id);
  }

  private async courses(): Promise<SourceCourse[]> {
    return this.db('courses').select('_id', 'id').orderBy('_id');
  }

  /** Association rows in insertion order (rowid on SQLite, physical order on PostgreSQL). */
  private async members(role: 'instructor' | 'student'): Promise<SourceMember[]> {
    const table = role === 'instructor' ? 'instructor_assoc_table' : 'student_assoc_table';
    const order = this.isPg ? 'ctid' : 'rowid';
    return this.db(table)
      .select('left_id as user', 'right_id as course', 'first_name', 'last_name', 'email')
      .orderByRaw(order);
  }

  private async assignments(): Promise<SourceAssignment[]> {
    return this.db('assignments').select('_id', 'id', 'course_id').orderBy('_id');
  }

  /**
   * Timestamps as text, so no microsecond is lost to a driver's Date conversion. SQLAlchemy writes
   * SQLite DATETIMEs with all six fraction digits; PostgreSQL's own text form drops a zero fraction,
   * so format it.
   */
  private async submissions(): Promise<SourceSubmission[]> {
    const ts = this.isPg
      ? this.db.raw(`to_char("timestamp", 'YYYY-MM-DD HH24:MI:SS.US') as timestamp`)
      : 'timestamp';
    return this.db('submissions').select('_id', 'assignment_id', 'student_id', ts).orderBy('_id');
  }

  /** Files linked through one association table, in upload order (file id). */
  private async files(link: FileLink): Promise<SourceFile[]> {
    const table = LINK_TABLE[link];
    const ownerColumn = this.isPg
      ? this.db.raw(`CAST(${table}.left_id AS INTEGER) as owner`)
      : `${table}.left_id as owner`;
    const rows = await this.db(table)
      .join('files', 'files._id', `${table}.right_id`)
      .select(ownerColumn, 'files.filename', 'files.checksum', 'files.actual_name')
      .orderBy('files._id');
    return rows.map((r: SourceFile & { owner: number | string }) => ({
      ...r,
      owner: Number(r.owner)
    }));
  }

  private async counts(): Promise<Record<string, number>> {
    const count = async (table: string) =>
      Number(((await this.db(table).count({ n: '*' })) as Array<{ n: number | string }>)[0].n);
    return {
      users: await count('users'),
      courses: await count('courses'),
      instructors: await count('instructor_assoc_table'),
      students: await count('student_assoc_table'),
      assignments: await count('assignments'),
      submissions: await count('submissions'),
      // Linked files: ngshare deletes unlinked rows, but count what the API can reach.
      files:
        (await count(LINK_TABLE.assignment)) +
        (await count(LINK_TABLE.submission)) +
        (await count(LINK_TABLE.feedback))
    };
  }

  /** A stored file's bytes; `actual_name` is a full path or a name inside the storage folder. */
  async read(actualName: string): Promise<Buffer> {
    const candidates = [
      path.isAbsolute(actualName) ? actualName : path.join(this.storageDir, actualName),
      path.join(this.storageDir, path.basename(actualName))
    ];
    const found = candidates.find(p => existsSync(p));
    if (!found) {
      throw new Error(`stored file "${actualName}" is missing from ${this.storageDir}`);
    }
    return readFile(found);
  }
}
