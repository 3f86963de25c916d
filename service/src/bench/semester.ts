/**
 * A semester of one course as nbgrader and ngshare_exchange drive it, phase by
 * phase, over ngshare's v1 wire API with `Authorization: token <user>`:
 * enrolment one by one, release, course lists, assignment lists, fetch,
 * submit, the instructor's submission lists, collect, feedback upload and the
 * students' feedback fetch. Each student's edited notebook is unique, so no
 * server gains from identical uploads. Request bodies are assembled from
 * pre-encoded pieces so the load generator spends little CPU of its own.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';

export interface Scale {
  name: string;
  students: number;
  assignments: number;
  /** size of each of the 3 notebooks of a release */
  notebookKib: number;
  concurrency: number;
}

export const SCALES: Record<string, Scale> = {
  small: { name: 'small', students: 50, assignments: 2, notebookKib: 200, concurrency: 8 },
  medium: { name: 'medium', students: 200, assignments: 5, notebookKib: 200, concurrency: 16 },
  large: { name: 'large', students: 1000, assignments: 10, notebookKib: 200, concurrency: 32 }
};

export interface PhaseResult {
  ops: number;
  seconds: number;
  /** sorted, in ms */
  latencies: number[];
}

/** Runs `count` jobs with `concurrency` in flight; every job's latency is kept. */
export async function pool(
  count: number,
  concurrency: number,
  job: (i: number) => Promise<void>
): Promise<PhaseResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await job(i);
        latencies.push(performance.now() - t);
      }
    })
  );
  latencies.sort((a, b) => a - b);
  return { ops: count, seconds: (performance.now() - started) / 1000, latencies };
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
}

/** A request body: text, or pre-encoded pieces sent one after the other. */
export type Body = string | Buffer[];

const SUCCESS_HEAD = /^\{\s*"success":\s*true/;

/**
 * A client of one server: checks `success` in every answer, as ngshare_exchange does. node:http
 * with keep-alive and Buffer bodies, not fetch: the load generator shares the cores with the
 * server under test, and fetch's streams cost it several times the CPU per request.
 */
export class Client {
  private readonly url: URL;
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(base: string) {
    this.url = new URL(base);
  }

  request(method: 'GET' | 'POST', user: string, path: string, body?: Body): Promise<Buffer> {
    const pieces = body === undefined ? [] : typeof body === 'string' ? [Buffer.from(body)] : body;
    const headers: http.OutgoingHttpHeaders = { Authorization: `token ${user}` };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = pieces.reduce((n, b) => n + b.length, 0);
    }
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path: this.url.pathname + path,
          method,
          headers,
          agent: this.agent
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const answer = Buffer.concat(chunks);
            // Both servers put "success" first; a glance at the head spares parsing megabytes.
            const head = answer.subarray(0, 40).toString('latin1');
            if (!SUCCESS_HEAD.test(head)) {
              const text = answer.subarray(0, 300).toString();
              reject(new Error(`${method} ${path} as ${user}: ${res.statusCode} ${text}`));
              return;
            }
            resolve(answer);
          });
        }
      );
      req.on('error', reject);
      for (const piece of pieces) {
        req.write(piece);
      }
      req.end();
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}

const enc = encodeURIComponent;
const b64 = (kib: number) => randomBytes(kib * 1024).toString('base64');
/** 12 bytes: a whole number of base64 groups, so it can be put in front of any base64 text. */
const uniquePrefix = () => randomBytes(12).toString('base64');

interface AssignmentData {
  id: string;
  releaseBody: Buffer;
  /** the submit body is head + unique + tail */
  submitHead: Buffer;
  submitTail: Buffer;
}

export const PHASES = [
  'enroll one by one',
  'release',
  'student course list',
  'student list assignments',
  'student fetch',
  'student submit',
  'list submissions (instructor)',
  'collect',
  'feedback upload',
  'student fetch feedback'
] as const;
export type PhaseName = (typeof PHASES)[number];

/** One server's course and what its answers told us (submission timestamps). */
export class Semester {
  readonly course: string;
  readonly students: string[];
  private readonly assignments: AssignmentData[];
  private readonly feedbackShared: Buffer;
  private readonly timestamps = new Map<string, string>();

  constructor(
    private readonly client: Client,
    private readonly scale: Scale
  ) {
    this.course = `bench-${scale.name}`;
    this.students = Array.from({ length: scale.students }, (_, i) => `s${i}`);
    this.assignments = Array.from({ length: scale.assignments }, (_, i) => {
      const notebooks = ['a', 'b', 'c'].map(() => b64(scale.notebookKib));
      const files = (third: string) =>
        `[{"path":"a.ipynb","content":"${notebooks[0]}"},{"path":"b.ipynb","content":"${notebooks[1]}"},{"path":"c.ipynb","content":"${third}`;
      const release = `${files(notebooks[2])}"}]`;
      const edited = b64(scale.notebookKib).slice(16);
      return {
        id: `ps${i + 1}`,
        releaseBody: Buffer.from(`files=${enc(release)}`),
        submitHead: Buffer.from(`files=${enc(files(''))}`),
        submitTail: Buffer.from(enc(`${edited}"}]`))
      };
    });
    this.feedbackShared = Buffer.from(
      enc(`${b64(Math.max(1, scale.notebookKib / 4)).slice(16)}"}]`)
    );
  }

  private sideCourse(k: number): string {
    return `${this.course}-side${k}`;
  }

  private releases(): number {
    return Math.max(this.scale.assignments, 20);
  }

  /** Setup outside any phase: the course and the side courses, with the instructor. */
  async createCourses(): Promise<void> {
    const sides = Math.ceil(this.releases() / this.scale.assignments);
    for (const name of [
      this.course,
      ...Array.from({ length: sides - 1 }, (_, k) => this.sideCourse(k + 1))
    ]) {
      await this.client.request(
        'POST',
        'root',
        `course/${name}`,
        `instructors=${enc('["teacher"]')}`
      );
    }
  }

  /** Every (student, assignment) pair, student-major as a class works through them. */
  private pair(i: number): { student: string; a: AssignmentData } {
    return {
      student: this.students[i % this.students.length],
      a: this.assignments[Math.floor(i / this.students.length)]
    };
  }

  async run(phase: PhaseName): Promise<PhaseResult> {
    const { students, assignments, concurrency } = this.scale;
    const pairs = students * assignments;
    const c = this.client;
    const course = this.course;
    switch (phase) {
      case 'enroll one by one':
        return pool(students, concurrency, async i => {
          const s = this.students[i];
          await c.request(
            'POST',
            'teacher',
            `student/${course}/${s}`,
            `first_name=First${i}&last_name=Last${i}&email=${s}%40example.org`
          );
        });
      case 'release':
        // One course has few assignments: the other releases go to side courses, so the phase
        // has enough requests to measure without changing what the students see.
        return pool(this.releases(), Math.min(concurrency, 4), async i => {
          const a = this.assignments[i % assignments];
          const where = i < assignments ? course : this.sideCourse(Math.floor(i / assignments));
          await c.request('POST', 'teacher', `assignment/${where}/${a.id}`, [a.releaseBody]);
        });
      case 'student course list':
        return pool(students, concurrency, async i => {
          await c.request('GET', this.students[i], 'courses');
        });
      case 'student list assignments':
        return pool(pairs, concurrency, async i => {
          await c.request('GET', this.pair(i).student, `assignments/${course}`);
        });
      case 'student fetch':
        return pool(pairs, concurrency, async i => {
          const { student, a } = this.pair(i);
          await c.request('GET', student, `assignment/${course}/${a.id}`);
        });
      case 'student submit':
        return pool(pairs, concurrency, async i => {
          const { student, a } = this.pair(i);
          const answer = await c.request('POST', student, `submission/${course}/${a.id}`, [
            a.submitHead,
            Buffer.from(enc(uniquePrefix())),
            a.submitTail
          ]);
          this.timestamps.set(`${student}/${a.id}`, JSON.parse(answer.toString()).timestamp);
        });
      case 'list submissions (instructor)':
        return pool(Math.max(50, assignments * 10), concurrency, async i => {
          await c.request(
            'GET',
            'teacher',
            `submissions/${course}/${this.assignments[i % assignments].id}`
          );
        });
      case 'collect':
        return pool(pairs, concurrency, async i => {
          const { student, a } = this.pair(i);
          await c.request('GET', 'teacher', `submission/${course}/${a.id}/${student}`);
        });
      case 'feedback upload':
        return pool(pairs, concurrency, async i => {
          const { student, a } = this.pair(i);
          const ts = this.timestamps.get(`${student}/${a.id}`)!;
          await c.request('POST', 'teacher', `feedback/${course}/${a.id}/${student}`, [
            Buffer.from(
              `timestamp=${enc(ts)}&files=${enc(`[{"path":"${a.id}.html","content":"`)}${enc(uniquePrefix())}`
            ),
            this.feedbackShared
          ]);
        });
      case 'student fetch feedback':
        return pool(pairs, concurrency, async i => {
          const { student, a } = this.pair(i);
          const ts = this.timestamps.get(`${student}/${a.id}`)!;
          await c.request(
            'GET',
            student,
            `feedback/${course}/${a.id}/${student}?timestamp=${enc(ts)}`
          );
        });
    }
  }
}

/** One request enrolling `count` students in a new course; its latency in ms. */
export async function enrolInOneRequest(client: Client, count: number): Promise<number> {
  const course = `bulk-${count}`;
  await client.request('POST', 'root', `course/${course}`, `instructors=${enc('["teacher"]')}`);
  const students = JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      username: `u${i}`,
      first_name: `First${i}`,
      last_name: `Last${i}`,
      email: `u${i}@example.org`
    }))
  );
  const body = `students=${enc(students)}`;
  const t = performance.now();
  await client.request('POST', 'teacher', `students/${course}`, body);
  return performance.now() - t;
}
