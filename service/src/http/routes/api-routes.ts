/**
 * ngshare 0.6's REST API: paths, argument sources and response fields. Rules
 * and error order live in the services; these handlers only read arguments
 * from the sources ngshare reads them from.
 */
import type { CoursesService } from '../../services/courses-service';
import type { RosterService } from '../../services/roster-service';
import type { AssignmentsService } from '../../services/assignments-service';
import type { SubmissionsService } from '../../services/submissions-service';
import type { FeedbackService } from '../../services/feedback-service';
import type { Authenticator } from '../middleware/authenticate';
import { api, ApiRouter, isListOnly, literal } from './route-kit';

export interface ApiServices {
  courses: CoursesService;
  roster: RosterService;
  assignments: AssignmentsService;
  submissions: SubmissionsService;
  feedback: FeedbackService;
}

export function registerApiRoutes(
  router: ApiRouter,
  prefix: string,
  auth: Authenticator,
  s: ApiServices
): void {
  const p = literal(prefix);
  const names = (ctx: { state: { params: { any(n: string): string | undefined } } }) => ({
    first_name: ctx.state.params.any('first_name'),
    last_name: ctx.state.params.any('last_name'),
    email: ctx.state.params.any('email')
  });

  router.get(
    `${p}courses`,
    api(auth, async (_ctx, user) => ({ courses: await s.courses.list(user) }))
  );
  router.post(
    `${p}course/:course_id`,
    api(auth, async (ctx, user) => {
      await s.courses.create(user, ctx.params.course_id, ctx.state.params.any('instructors'));
    })
  );
  router.delete(
    `${p}course/:course_id`,
    api(auth, async (ctx, user) => s.courses.remove(user, ctx.params.course_id))
  );

  router.get(
    `${p}instructor/:course_id/:user_id`,
    api(auth, async (ctx, user) => ({
      ...(await s.roster.getInstructor(user, ctx.params.course_id, ctx.params.user_id))
    }))
  );
  router.post(
    `${p}instructor/:course_id/:user_id`,
    api(auth, async (ctx, user) =>
      s.roster.putInstructor(user, ctx.params.course_id, ctx.params.user_id, names(ctx))
    )
  );
  router.delete(
    `${p}instructor/:course_id/:user_id`,
    api(auth, async (ctx, user) =>
      s.roster.removeInstructor(user, ctx.params.course_id, ctx.params.user_id)
    )
  );
  router.get(
    `${p}instructors/:course_id`,
    api(auth, async (ctx, user) => ({
      instructors: await s.roster.listInstructors(user, ctx.params.course_id)
    }))
  );

  router.get(
    `${p}student/:course_id/:user_id`,
    api(auth, async (ctx, user) => ({
      ...(await s.roster.getStudent(user, ctx.params.course_id, ctx.params.user_id))
    }))
  );
  router.post(
    `${p}student/:course_id/:user_id`,
    api(auth, async (ctx, user) =>
      s.roster.putStudent(user, ctx.params.course_id, ctx.params.user_id, names(ctx))
    )
  );
  router.delete(
    `${p}student/:course_id/:user_id`,
    api(auth, async (ctx, user) =>
      s.roster.removeStudent(user, ctx.params.course_id, ctx.params.user_id)
    )
  );
  router.get(
    `${p}students/:course_id`,
    api(auth, async (ctx, user) => ({
      students: await s.roster.listStudents(user, ctx.params.course_id)
    }))
  );
  router.post(
    `${p}students/:course_id`,
    api(auth, async (ctx, user) => ({
      status: await s.roster.putStudents(
        user,
        ctx.params.course_id,
        ctx.state.params.any('students')
      )
    }))
  );

  router.get(
    `${p}assignments/:course_id`,
    api(auth, async (ctx, user) => ({
      assignments: await s.assignments.list(user, ctx.params.course_id)
    }))
  );
  router.get(
    `${p}assignment/:course_id/:assignment_id`,
    api(auth, async (ctx, user) => ({
      files: await s.assignments.fetch(
        user,
        ctx.params.course_id,
        ctx.params.assignment_id,
        isListOnly(ctx.state.params.any('list_only'))
      )
    }))
  );
  router.post(
    `${p}assignment/:course_id/:assignment_id`,
    api(
      auth,
      async (ctx, user) =>
        s.assignments.release(user, ctx.params.course_id, ctx.params.assignment_id, () =>
          ctx.state.params.files('any')
        ),
      { upload: true }
    )
  );
  router.delete(
    `${p}assignment/:course_id/:assignment_id`,
    api(auth, async (ctx, user) =>
      s.assignments.unrelease(user, ctx.params.course_id, ctx.params.assignment_id)
    )
  );

  router.get(
    `${p}submissions/:course_id/:assignment_id`,
    api(auth, async (ctx, user) => ({
      submissions: await s.submissions.listAll(user, ctx.params.course_id, ctx.params.assignment_id)
    }))
  );
  router.get(
    `${p}submissions/:course_id/:assignment_id/:user_id`,
    api(auth, async (ctx, user) => ({
      submissions: await s.submissions.listFor(
        user,
        ctx.params.course_id,
        ctx.params.assignment_id,
        ctx.params.user_id
      )
    }))
  );
  router.post(
    `${p}submission/:course_id/:assignment_id`,
    api(
      auth,
      async (ctx, user) => ({
        timestamp: await s.submissions.submit(
          user,
          ctx.params.course_id,
          ctx.params.assignment_id,
          () => ctx.state.params.files('body')
        )
      }),
      { upload: true }
    )
  );
  router.get(
    `${p}submission/:course_id/:assignment_id/:user_id`,
    api(auth, async (ctx, user) => ({
      ...(await s.submissions.download(
        user,
        ctx.params.course_id,
        ctx.params.assignment_id,
        ctx.params.user_id,
        ctx.state.params.any('timestamp') ?? '',
        isListOnly(ctx.state.params.any('list_only'))
      ))
    }))
  );

  router.post(
    `${p}feedback/:course_id/:assignment_id/:user_id`,
    api(
      auth,
      async (ctx, user) =>
        s.feedback.upload(
          user,
          ctx.params.course_id,
          ctx.params.assignment_id,
          ctx.params.user_id,
          async () => {
            await ctx.state.params.load();
            return ctx.state.params.body('timestamp');
          },
          () => ctx.state.params.files('body')
        ),
      { upload: true }
    )
  );
  router.get(
    `${p}feedback/:course_id/:assignment_id/:user_id`,
    api(auth, async (ctx, user) => ({
      ...(await s.feedback.download(
        user,
        ctx.params.course_id,
        ctx.params.assignment_id,
        ctx.params.user_id,
        ctx.state.params.query('timestamp'),
        isListOnly(ctx.state.params.any('list_only'))
      ))
    }))
  );
}
