import {
  IBulkStatus,
  IBulkStudent,
  INgshareClient,
  IPerson,
  IPersonInfo,
  ISubmissionRecord,
  IUploadFile,
  IVersionInfo,
  IWireFile,
  ResponseError
} from '../api';
import SparkMD5 from 'spark-md5';

function md5(content: string): string {
  const bytes = Buffer.from(content, 'base64');
  return SparkMD5.ArrayBuffer.hash(new Uint8Array(bytes).buffer);
}

function wire(files: IUploadFile[], listOnly: boolean): IWireFile[] {
  return files.map(f =>
    listOnly
      ? { path: f.path, checksum: md5(f.content) }
      : {
          path: f.path,
          checksum: md5(f.content),
          // MIME-style like the real service
          content: (f.content.match(/.{1,76}/g) ?? []).join('\n') + '\n'
        }
  );
}

interface ISub {
  student: string;
  timestamp: string;
  files: IUploadFile[];
  feedback: IUploadFile[];
}

/** An in-memory stand-in for the service with ngshare's semantics, for model tests. */
export class FakeClient implements INgshareClient {
  readonly baseUrl = '/services/ngshare/';
  courses = new Map<
    string,
    {
      students: Map<string, IPerson>;
      instructors: Map<string, IPerson>;
      assignments: Map<string, IUploadFile[]>;
      submissions: Map<string, ISub[]>;
    }
  >();
  calls: string[] = [];
  private _clock = 0;

  addCourse(course: string): void {
    this.courses.set(course, {
      students: new Map(),
      instructors: new Map(),
      assignments: new Map(),
      submissions: new Map()
    });
  }

  private c(course: string) {
    const c = this.courses.get(course);
    if (!c) {
      throw new ResponseError(404, course, 'Course not found');
    }
    return c;
  }

  private subs(course: string, assignment: string): ISub[] {
    const c = this.c(course);
    if (!c.assignments.has(assignment)) {
      throw new ResponseError(404, assignment, 'Assignment not found');
    }
    if (!c.submissions.has(assignment)) {
      c.submissions.set(assignment, []);
    }
    return c.submissions.get(assignment)!;
  }

  nextTimestamp(): string {
    this._clock += 1;
    return `2026-11-25 10:00:${String(this._clock).padStart(2, '0')}.000001`;
  }

  async version(): Promise<IVersionInfo> {
    return { version: '0.1.0', name: 'ngshare-ts' };
  }
  async listCourses(): Promise<string[]> {
    this.calls.push('courses');
    return [...this.courses.keys()].sort();
  }
  async createCourse(course: string, instructors: string[] = []): Promise<void> {
    this.addCourse(course);
    for (const i of instructors) {
      this.c(course).instructors.set(i, {
        username: i,
        first_name: null,
        last_name: null,
        email: null
      });
    }
  }
  async deleteCourse(course: string): Promise<void> {
    this.courses.delete(course);
  }
  async listInstructors(course: string): Promise<IPerson[]> {
    return [...this.c(course).instructors.values()];
  }
  async getInstructor(course: string, instructor: string): Promise<IPerson> {
    const p = this.c(course).instructors.get(instructor);
    if (!p) {
      throw new ResponseError(404, instructor, 'Instructor not found');
    }
    return p;
  }
  async addInstructor(course: string, instructor: string, info: IPersonInfo): Promise<void> {
    this.c(course).instructors.set(instructor, { username: instructor, ...info });
  }
  async removeInstructor(course: string, instructor: string): Promise<void> {
    this.c(course).instructors.delete(instructor);
  }
  async listStudents(course: string): Promise<IPerson[]> {
    return [...this.c(course).students.values()];
  }
  async getStudent(course: string, student: string): Promise<IPerson> {
    const p = this.c(course).students.get(student);
    if (!p) {
      throw new ResponseError(404, student, 'Student not found');
    }
    return p;
  }
  async addStudent(course: string, student: string, info: IPersonInfo): Promise<void> {
    if (this.c(course).instructors.has(student)) {
      throw new ResponseError(409, student, 'Cannot add instructor as student');
    }
    this.c(course).students.set(student, { username: student, ...info });
  }
  async addStudents(course: string, students: IBulkStudent[]): Promise<IBulkStatus[]> {
    return students.map(s => {
      if (this.c(course).instructors.has(s.username)) {
        return {
          username: s.username,
          success: false,
          message: 'Cannot add instructor as student'
        };
      }
      this.c(course).students.set(s.username, { ...s });
      return { username: s.username, success: true };
    });
  }
  async removeStudent(course: string, student: string): Promise<void> {
    if (!this.c(course).students.delete(student)) {
      throw new ResponseError(404, student, 'Student not found');
    }
  }
  async listAssignments(course: string): Promise<string[]> {
    this.calls.push(`assignments/${course}`);
    return [...this.c(course).assignments.keys()];
  }
  async getAssignment(course: string, assignment: string, listOnly = false): Promise<IWireFile[]> {
    this.calls.push(`assignment/${course}/${assignment}${listOnly ? '?list_only' : ''}`);
    const files = this.c(course).assignments.get(assignment);
    if (!files) {
      throw new ResponseError(404, assignment, 'Assignment not found');
    }
    return wire(files, listOnly);
  }
  async releaseAssignment(course: string, assignment: string, files: IUploadFile[]): Promise<void> {
    if (this.c(course).assignments.has(assignment)) {
      throw new ResponseError(409, assignment, 'Assignment already exists');
    }
    this.c(course).assignments.set(assignment, files);
  }
  async deleteAssignment(course: string, assignment: string): Promise<void> {
    if (!this.c(course).assignments.delete(assignment)) {
      throw new ResponseError(404, assignment, 'Assignment not found');
    }
    this.c(course).submissions.delete(assignment);
  }
  async listSubmissions(course: string, assignment: string): Promise<ISubmissionRecord[]> {
    return this.subs(course, assignment).map(s => ({
      student_id: s.student,
      timestamp: s.timestamp
    }));
  }
  async listStudentSubmissions(
    course: string,
    assignment: string,
    student: string
  ): Promise<ISubmissionRecord[]> {
    return (await this.listSubmissions(course, assignment)).filter(s => s.student_id === student);
  }
  /** Submissions are made as `submitAs` (the fake has no auth). */
  submitAs = 'alice';
  async submit(course: string, assignment: string, files: IUploadFile[]): Promise<string> {
    const timestamp = this.nextTimestamp();
    this.subs(course, assignment).push({ student: this.submitAs, timestamp, files, feedback: [] });
    return timestamp;
  }
  async getSubmission(
    course: string,
    assignment: string,
    student: string,
    options: { timestamp?: string; listOnly?: boolean } = {}
  ): Promise<{ files: IWireFile[]; timestamp: string }> {
    const mine = this.subs(course, assignment).filter(s => s.student === student);
    const sub = options.timestamp
      ? mine.find(s => s.timestamp === options.timestamp)
      : mine.sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1))[mine.length - 1];
    if (!sub) {
      throw new ResponseError(404, student, 'Submission not found');
    }
    return { files: wire(sub.files, !!options.listOnly), timestamp: sub.timestamp };
  }
  async releaseFeedback(
    course: string,
    assignment: string,
    student: string,
    timestamp: string,
    files: IUploadFile[]
  ): Promise<void> {
    const sub = this.subs(course, assignment).find(
      s => s.student === student && s.timestamp === timestamp
    );
    if (!sub) {
      throw new ResponseError(404, student, 'Submission not found');
    }
    sub.feedback = files;
  }
  async getFeedback(
    course: string,
    assignment: string,
    student: string,
    timestamp: string,
    listOnly = false
  ): Promise<{ files: IWireFile[]; timestamp: string }> {
    const sub = this.subs(course, assignment).find(
      s => s.student === student && s.timestamp === timestamp
    );
    if (!sub) {
      throw new ResponseError(404, student, 'Submission not found');
    }
    return { files: wire(sub.feedback, listOnly), timestamp };
  }
}
