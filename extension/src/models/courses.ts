import { ISignal, Signal } from '@lumino/signaling';
import { INgshareClient, ResponseError } from '../api';
import { mapLimit } from '../files';
import { ICourseInfo, ISection, Role } from '../tokens';
import { describeProblem } from '../vocabulary/problems';
import { TaskRunner } from './task';

/**
 * The user's courses and their role in each. ngshare has no "who am I" endpoint, so the role is
 * worked out from what the service lets us see:
 * - listed in `instructors/<course>` -> instructor;
 * - else `student/<course>/<me>` answers -> student;
 * - else (we could list instructors but are not a member) -> admin: only ngshare admins see
 *   courses they neither teach nor take.
 */
export class CoursesModel {
  readonly tasks = new TaskRunner();
  private _courses: ISection<ICourseInfo[]> = { status: 'idle', items: [], error: null };
  private _stateChanged = new Signal<this, void>(this);

  constructor(
    private readonly _client: INgshareClient,
    private readonly _user: string,
    /** Admin rights as reported by the service (ConnectionModel.admin), when it reports them. */
    private readonly _adminHint: () => boolean | null = () => null
  ) {}

  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }
  get courses(): ISection<ICourseInfo[]> {
    return this._courses;
  }
  get user(): string {
    return this._user;
  }
  /** True when some course shows us as a non-member with access, i.e. an ngshare admin. */
  get isAdmin(): boolean {
    return this._adminHint() === true || this._courses.items.some(c => c.role === 'admin');
  }
  /** Courses where we may act as an instructor (instructor or admin). */
  get teaching(): ICourseInfo[] {
    return this._courses.items.filter(c => c.role === 'instructor' || c.role === 'admin');
  }

  roleOf(course: string): Role {
    return this._courses.items.find(c => c.course === course)?.role ?? 'unknown';
  }

  async refresh(): Promise<void> {
    this._courses = { ...this._courses, status: 'loading', error: null };
    this._stateChanged.emit();
    try {
      const ids = await this._client.listCourses();
      const items = await mapLimit(ids, 4, course => this._detectRole(course));
      this._courses = { status: 'ready', items, error: null };
    } catch (err) {
      this._courses = { status: 'error', items: [], error: describeProblem(err) };
    }
    this._stateChanged.emit();
  }

  private async _detectRole(course: string): Promise<ICourseInfo> {
    try {
      const instructors = await this._client.listInstructors(course);
      if (instructors.some(i => i.username === this._user)) {
        return { course, role: 'instructor' };
      }
    } catch (err) {
      return { course, role: 'unknown', error: describeProblem(err).summary };
    }
    try {
      await this._client.getStudent(course, this._user);
      return { course, role: 'student' };
    } catch (err) {
      if (err instanceof ResponseError && err.isNotFound) {
        return { course, role: 'admin' };
      }
      return { course, role: 'unknown', error: describeProblem(err).summary };
    }
  }

  /** Creates a course (ngshare admins only); `instructors` become its instructors. */
  async createCourse(course: string, instructors: string[]): Promise<void> {
    await this.tasks.execute('create-course', async () => {
      await this._client.createCourse(course, instructors);
    });
    await this.refresh();
  }
}
