/**
 * Rosters that follow JupyterHub groups (issue 14, item 4, `<prefix>v2/groups`), against the
 * stand-in hub: following nbgrader's group names by default, what a sync adds and removes and
 * reports, instructors in both groups, the periodic sync, manual rosters beside it, and every
 * refusal (no hub, no scope, bad names, non-instructors, non-admins for the instructor group).
 */
import pino from 'pino';
import { HubClient } from './hub/hub-client';
import { PERIODIC_SYNC_ACTOR } from './services/group-roster-service';
import { engines, startTestService, type TestService } from './test-support/harness';
import { itConformsToOpenApi } from './test-support/openapi';
import { StandInHub } from './test-support/stand-in-hub';

describe.each(engines())('rosters from hub groups on %s', engine => {
  const hub = new StandInHub();
  let svc: TestService;
  const as = (user: string) => ({ Authorization: `token ${user}` });
  const get = (path: string, user: string) => svc.request.get(`/api/${path}`).set(as(user));
  const post = (path: string, user: string, form: Record<string, string> = {}) =>
    svc.request.post(`/api/${path}`).set(as(user)).type('form').send(form);
  const roster = async (role: 'students' | 'instructors') =>
    ((await get(`${role}/c1`, 'root')).body[role] as Array<{ username: string }>)
      .map(p => p.username)
      .sort();

  beforeAll(() => hub.start());
  afterAll(() => hub.stop());
  beforeEach(async () => {
    hub.nameIsToken = true;
    hub.groups.clear();
    hub.groupReader = 'service-token';
    svc = await startTestService({
      engine,
      admins: ['root'],
      debug: true,
      hub: new HubClient({
        apiUrl: hub.url,
        timeoutMs: 2000,
        cacheTtlMs: 60_000,
        negativeTtlMs: 0,
        serviceToken: 'service-token'
      })
    });
    await post('course/c1', 'root', { instructors: '["ins"]' }).expect(200);
    await post('student/c1/manual', 'ins', { first_name: 'M', last_name: '', email: '' }).expect(
      200
    );
  });
  afterEach(() => svc.close());

  it("follows nbgrader's group names, adds and removes, and says what changed", async () => {
    hub.groups.set('nbgrader-c1', ['sam', 'ann']);
    hub.groups.set('formgrade-c1', ['ins', 'tom']);
    const followed = await post('v2/groups/c1', 'root').expect(200);
    expect(followed.body.groups).toEqual({
      student_group: 'nbgrader-c1',
      instructor_group: 'formgrade-c1',
      synced_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/),
      last_changes: followed.body.changes
    });
    expect(followed.body.changes).toEqual({
      added_students: ['ann', 'sam'],
      removed_students: ['manual'],
      added_instructors: ['tom'],
      removed_instructors: [],
      skipped: []
    });
    expect(await roster('students')).toEqual(['ann', 'sam']);
    expect(await roster('instructors')).toEqual(['ins', 'tom']);
    // tom may now act as an instructor, sam as a student
    await get('students/c1', 'tom').expect(200);
    await get('assignments/c1', 'sam').expect(200);

    // the groups change on the hub; a sync follows, and someone in both groups is an instructor
    hub.groups.set('nbgrader-c1', ['sam', 'tom', 'zoe']);
    hub.groups.set('formgrade-c1', ['tom']);
    const synced = await post('v2/groups/c1/sync', 'tom').expect(200);
    expect(synced.body.changes).toEqual({
      added_students: ['zoe'],
      removed_students: ['ann'],
      added_instructors: [],
      removed_instructors: ['ins'],
      skipped: ['tom']
    });
    expect(await roster('students')).toEqual(['sam', 'zoe']);
    expect(await roster('instructors')).toEqual(['tom']);
    const status = await get('v2/groups/c1', 'tom').expect(200);
    expect(status.body.groups.last_changes).toEqual(synced.body.changes);
    // the history says who changed what, through which group (newest first)
    const events = (await get('v2/history/c1', 'tom').expect(200)).body.events as Array<{
      actor: string;
      action: string;
      student_id: string | null;
      detail: Record<string, unknown> | null;
    }>;
    expect(events.slice(0, 3).map(e => [e.actor, e.action, e.student_id, e.detail])).toEqual([
      ['tom', 'roster_add', 'zoe', { role: 'student', group: 'nbgrader-c1' }],
      ['tom', 'roster_remove', 'ann', { role: 'student', group: 'nbgrader-c1' }],
      ['tom', 'roster_remove', 'ins', { role: 'instructor', group: 'formgrade-c1' }]
    ]);
    const follow = events.find(e => e.action === 'groups_follow')!;
    expect(follow).toMatchObject({
      actor: 'root',
      detail: { student_group: 'nbgrader-c1', instructor_group: 'formgrade-c1' }
    });
    expect(events.filter(e => e.actor === 'root' && e.action.startsWith('roster_')).length).toBe(4);
  });

  it('lets an instructor follow the student group only, keeping instructors by hand', async () => {
    hub.groups.set('nbgrader-c1', ['sam']);
    const r = await post('v2/groups/c1', 'ins').expect(200);
    expect(r.body.groups.instructor_group).toBeNull();
    expect(await roster('instructors')).toEqual(['ins']);
    expect(await roster('students')).toEqual(['sam']);
    // a missing group is an empty one
    const custom = await post('v2/groups/c1', 'ins', { student_group: 'bio-101 students' });
    expect(custom.status).toBe(200);
    expect(custom.body.changes.removed_students).toEqual(['sam']);
    // unfollow: the roster stays, and manual changes work as before
    await svc.request.delete('/api/v2/groups/c1').set(as('ins')).expect(200);
    expect((await get('v2/groups/c1', 'ins').expect(200)).body.groups).toBeNull();
    await post('student/c1/kim', 'ins', { first_name: '', last_name: '', email: '' }).expect(200);
    expect(await roster('students')).toEqual(['kim']);
  });

  it('syncs every following course when the server asks (the periodic sync)', async () => {
    hub.groups.set('nbgrader-c1', ['sam']);
    await post('v2/groups/c1', 'ins').expect(200);
    hub.groups.set('nbgrader-c1', ['sam', 'ann']);
    await svc.exchange.groups.syncAll(pino({ level: 'silent' }));
    expect(await roster('students')).toEqual(['ann', 'sam']);
    const [added] = (await get('v2/history/c1', 'ins').expect(200)).body.events;
    expect(added).toMatchObject({
      actor: PERIODIC_SYNC_ACTOR,
      action: 'roster_add',
      student_id: 'ann'
    });
  });

  it('refuses with clear messages and changes nothing', async () => {
    const expectError = async (
      res: Promise<{ status: number; body: unknown }>,
      status: number,
      message: string
    ) => {
      const r = await res;
      expect([r.status, r.body]).toEqual([status, { success: false, message }]);
    };
    await expectError(
      post('v2/groups/c1', 'sam'),
      403,
      'Permission denied (not course instructor)'
    );
    await expectError(
      post('v2/groups/c1', 'ins', { instructor_group: 'formgrade-c1' }),
      403,
      'Permission denied (only admins may have instructors follow a hub group)'
    );
    await expectError(
      post('v2/groups/c1', 'ins', { student_group: 'a/b' }),
      400,
      'Invalid student group name'
    );
    await expectError(
      post('v2/groups/c1', 'ins', { student_group: '' }),
      400,
      'Name a student group, an instructor group or both'
    );
    await expectError(post('v2/groups/c1/sync', 'ins'), 404, 'Course does not follow hub groups');
    await expectError(post('v2/groups/nope', 'root'), 404, 'Course not found');
    hub.groupReader = 'another-token'; // the service's token lacks read:groups
    const refused = await post('v2/groups/c1', 'ins');
    expect(refused.status).toBe(503);
    expect(refused.body.message).toContain('give the ngshare service the read:groups scope');
    expect(await roster('students')).toEqual(['manual']);
  });
});

describe('rosters from hub groups without a hub', () => {
  it('says they need hub mode', async () => {
    const svc = await startTestService({ admins: ['root'] });
    try {
      await svc.request.post('/api/course/c1').type('form').send({ user: 'root' }).expect(200);
      const r = await svc.request.post('/api/v2/groups/c1').type('form').send({ user: 'root' });
      expect([r.status, r.body.message]).toEqual([
        400,
        'Rosters from JupyterHub groups need ngshare to run as a JupyterHub service'
      ]);
    } finally {
      await svc.close();
    }
  });
});

itConformsToOpenApi();
