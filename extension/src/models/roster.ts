import { ISignal, Signal } from '@lumino/signaling';
import type { IPerson } from '../api';
import type { IPersonInfo } from '../api/client';
import { checkSegment } from '../files';
import type {
  IImportPreview,
  IImportResult,
  IPersonRow,
  IRoster,
  IRosterChanges,
  ISection
} from '../tokens';
import type { ICourseScope } from './course-scope';
import { previewImport, parseRosterCsv } from './csv';
import { loadRosterGroups, toRosterChanges } from './roster-groups';

function personRow(p: IPerson): IPersonRow {
  return {
    username: p.username,
    first_name: p.first_name ?? '',
    last_name: p.last_name ?? '',
    email: p.email ?? ''
  };
}

const EMPTY: IRoster = { students: [], instructors: [] };

/**
 * A course's roster for its instructors: students and instructors, the JupyterHub groups it
 * follows, single edits and the CSV import. Each change reloads the roster from the exchange.
 */
export class CourseRosterModel {
  private _section: ISection<IRoster> = { status: 'idle', items: EMPTY, error: null };
  private _changed = new Signal<this, void>(this);
  private _loads = 0;

  constructor(private readonly _scope: ICourseScope) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }
  get section(): ISection<IRoster> {
    return this._section;
  }
  get students(): IPersonRow[] {
    return this._section.items.students;
  }

  /** Forgets the roster (another course is being selected). */
  clear(): void {
    this._loads++;
    this._section = { status: 'idle', items: EMPTY, error: null };
  }

  /** Marks the roster as loading (kept on screen) until `load` answers. */
  markLoading(): void {
    this._section = { ...this._section, status: 'loading', error: null };
  }

  async load(course: string): Promise<void> {
    const load = ++this._loads;
    const { client } = this._scope;
    try {
      const [students, instructors, groups] = await Promise.all([
        client.listStudents(course),
        client.listInstructors(course),
        // a hint beside the roster: if it cannot be read, the roster still shows
        loadRosterGroups(client, course).catch(() => undefined)
      ]);
      if (load !== this._loads) {
        return;
      }
      this._section = {
        status: 'ready',
        items: {
          students: students.map(personRow),
          instructors: instructors.map(personRow),
          groups
        },
        error: null
      };
    } catch (err) {
      if (load !== this._loads) {
        return;
      }
      this._section = { status: 'error', items: EMPTY, error: this._scope.problem(err) };
    }
    this._changed.emit();
  }

  async saveStudent(username: string, info: IPersonInfo): Promise<void> {
    checkSegment(username, 'student id');
    await this._change(`student:${username}`, (client, course) =>
      client.addStudent(course, username, info)
    );
  }

  async removeStudent(username: string): Promise<void> {
    await this._change(`student:${username}`, (client, course) =>
      client.removeStudent(course, username)
    );
  }

  async saveInstructor(username: string, info: IPersonInfo): Promise<void> {
    checkSegment(username, 'instructor id');
    await this._change(`instructor:${username}`, (client, course) =>
      client.addInstructor(course, username, info)
    );
  }

  async removeInstructor(username: string): Promise<void> {
    await this._change(`instructor:${username}`, (client, course) =>
      client.removeInstructor(course, username)
    );
  }

  /**
   * Makes the roster follow hub groups and syncs it (`studentGroup` '' keeps students by hand;
   * the exchange lets only admins name an instructor group). Resolves with what changed.
   */
  async followGroups(studentGroup: string, instructorGroup?: string): Promise<IRosterChanges> {
    const changes = await this._change('groups', (client, course) =>
      client.followRosterGroups(course, { studentGroup, instructorGroup })
    );
    return toRosterChanges(changes);
  }

  async syncGroups(): Promise<IRosterChanges> {
    const changes = await this._change('groups', (client, course) =>
      client.syncRosterGroups(course)
    );
    return toRosterChanges(changes);
  }

  /** Stops following; the roster stays as it is. */
  async unfollowGroups(): Promise<void> {
    await this._change('groups', (client, course) => client.unfollowRosterGroups(course));
  }

  /** Parses a roster CSV and compares it with the current student list. */
  previewCsv(text: string, removeMissing: boolean): IImportPreview {
    const trans = this._scope.trans;
    const rows = parseRosterCsv(text, trans);
    const { students, instructors } = this._section.items;
    return previewImport(rows, students, instructors, removeMissing, trans);
  }

  /** Applies a preview: one bulk add/update, then one delete per removal. Per-row results. */
  async applyImport(preview: IImportPreview): Promise<IImportResult[]> {
    const trans = this._scope.trans;
    return this._change('import', async (client, course) => {
      const out: IImportResult[] = [];
      const upserts = [...preview.adds, ...preview.updates];
      if (upserts.length > 0) {
        const status = await client.addStudents(
          course,
          upserts.map(r => ({
            username: r.student_id,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email
          }))
        );
        upserts.forEach((row, i) => {
          const st = status[i];
          out.push({
            student: row.student_id,
            action: i < preview.adds.length ? 'add' : 'update',
            success: !!st?.success,
            message: st
              ? st.success
                ? trans.__('ok')
                : (st.message ?? trans.__('failed'))
              : trans.__('no answer for this row')
          });
        });
      }
      for (const username of preview.removals) {
        try {
          await client.removeStudent(course, username);
          out.push({ student: username, action: 'remove', success: true, message: trans.__('ok') });
        } catch (err) {
          const message = this._scope.problem(err).summary;
          out.push({ student: username, action: 'remove', success: false, message });
        }
      }
      return out;
    });
  }

  /** Runs one change as task `key`, then reloads the roster. */
  private async _change<T>(
    key: string,
    run: (client: ICourseScope['client'], course: string) => Promise<T>
  ): Promise<T> {
    const course = this._scope.requireCourse();
    const result = await this._scope.tasks.execute(key, () => run(this._scope.client, course));
    await this.load(course);
    return result;
  }
}
