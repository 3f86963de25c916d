/**
 * ngshare-ts's own API, under `<prefix>v2/`: additions ngshare never had
 * (issue 14). Same envelope, arguments and authentication as the v1 routes;
 * nothing here changes a v1 answer.
 */
import type { DeadlinesService } from '../../services/deadlines-service';
import type { FeedbackService } from '../../services/feedback-service';
import type { GroupRosterService } from '../../services/group-roster-service';
import type { HistoryQuery, HistoryService } from '../../services/history-service';
import type { VersionsService } from '../../services/versions-service';
import type { Authenticator } from '../middleware/authenticate';
import { badRequest } from '../../errors';
import type { Identity } from '../../services/identity';
import { api, type ApiContext, ApiRouter, csvAnswer, isListOnly, literal } from './route-kit';

export interface V2Services {
  deadlines: DeadlinesService;
  feedback: FeedbackService;
  groups: GroupRosterService;
  history: HistoryService;
  versions: VersionsService;
}

export function registerV2Routes(
  router: ApiRouter,
  prefix: string,
  auth: Authenticator,
  s: V2Services
): void {
  const v2 = `${literal(prefix)}v2/`;

  router.get(
    `${v2}deadlines/:course_id`,
    api(auth, async (ctx, user) => ({
      deadlines: await s.deadlines.list(user, ctx.params.course_id)
    }))
  );
  router.get(
    `${v2}deadline/:course_id/:assignment_id`,
    api(auth, async (ctx, user) => ({
      ...(await s.deadlines.get(user, ctx.params.course_id, ctx.params.assignment_id))
    }))
  );
  router.post(
    `${v2}deadline/:course_id/:assignment_id`,
    api(auth, async (ctx, user) => ({
      deadline: await s.deadlines.set(
        user,
        ctx.params.course_id,
        ctx.params.assignment_id,
        ctx.state.params.any('due'),
        ctx.state.params.any('hard')
      )
    }))
  );
  router.delete(
    `${v2}deadline/:course_id/:assignment_id`,
    api(auth, async (ctx, user) =>
      s.deadlines.clear(user, ctx.params.course_id, ctx.params.assignment_id)
    )
  );
  router.post(
    `${v2}extension/:course_id/:assignment_id/:user_id`,
    api(auth, async (ctx, user) => ({
      extension: await s.deadlines.extend(
        user,
        ctx.params.course_id,
        ctx.params.assignment_id,
        ctx.params.user_id,
        ctx.state.params.any('due')
      )
    }))
  );
  router.delete(
    `${v2}extension/:course_id/:assignment_id/:user_id`,
    api(auth, async (ctx, user) =>
      s.deadlines.revokeExtension(
        user,
        ctx.params.course_id,
        ctx.params.assignment_id,
        ctx.params.user_id
      )
    )
  );

  // Feedback without a timestamp: when each assignment's newest feedback arrived, and its files.
  router.get(
    `${v2}feedback/:course_id`,
    api(auth, async (ctx, user) => ({
      feedback: await s.feedback.overview(user, ctx.params.course_id)
    }))
  );
  router.get(
    `${v2}feedback/:course_id/:assignment_id/:user_id`,
    api(auth, async (ctx, user) => ({
      ...(await s.feedback.latest(
        user,
        ctx.params.course_id,
        ctx.params.assignment_id,
        ctx.params.user_id,
        isListOnly(ctx.state.params.any('list_only'))
      ))
    }))
  );

  // Rosters that follow JupyterHub groups
  router.get(
    `${v2}groups/:course_id`,
    api(auth, async (ctx, user) => ({
      groups: await s.groups.get(user, ctx.params.course_id)
    }))
  );
  router.post(
    `${v2}groups/:course_id`,
    api(auth, async (ctx, user) => ({
      ...(await s.groups.follow(
        user,
        ctx.params.course_id,
        ctx.state.params.any('student_group'),
        ctx.state.params.any('instructor_group')
      ))
    }))
  );
  router.delete(
    `${v2}groups/:course_id`,
    api(auth, async (ctx, user) => s.groups.unfollow(user, ctx.params.course_id))
  );
  router.post(
    `${v2}groups/:course_id/sync`,
    api(auth, async (ctx, user) => ({
      changes: await s.groups.sync(user, ctx.params.course_id)
    }))
  );

  // History: a page of JSON, or every matching event as CSV with `format=csv`
  const historyRead = (ctx: ApiContext) => {
    const p = ctx.state.params;
    const query: HistoryQuery = {
      assignment_id: p.any('assignment_id'),
      user_id: p.any('user_id'),
      action: p.any('action'),
      before: p.any('before'),
      limit: p.any('limit')
    };
    const format = p.any('format') ?? 'json';
    if (format !== 'json' && format !== 'csv') {
      throw badRequest('format must be json or csv');
    }
    return { query, csv: format === 'csv' };
  };
  const answerHistory = async (ctx: ApiContext, user: Identity, courseId?: string) => {
    const { query, csv } = historyRead(ctx);
    if (!csv) {
      return { ...(await s.history.page(user, courseId, query)) };
    }
    const text = await s.history.csv(user, courseId, query);
    const name = `ngshare-history-${(courseId ?? 'all-courses').replace(/[^\w.-]+/g, '_')}.csv`;
    ctx.attachment(name);
    return csvAnswer(text);
  };
  router.get(
    `${v2}history`,
    api(auth, (ctx, user) => answerHistory(ctx, user))
  );
  router.get(
    `${v2}history/:course_id`,
    api(auth, (ctx, user) => answerHistory(ctx, user, ctx.params.course_id))
  );
  router.get(
    `${v2}receipts/:course_id`,
    api(auth, async (ctx, user) => ({
      receipts: await s.history.receipts(
        user,
        ctx.params.course_id,
        ctx.state.params.any('user_id')
      )
    }))
  );

  // Versions of a released assignment: publish new files without deleting any work
  router.get(
    `${v2}versions/:course_id`,
    api(auth, async (ctx, user) => ({ ...(await s.versions.course(user, ctx.params.course_id)) }))
  );
  router.get(
    `${v2}versions/:course_id/:assignment_id`,
    api(auth, async (ctx, user) => ({
      ...(await s.versions.list(user, ctx.params.course_id, ctx.params.assignment_id))
    }))
  );
  router.post(
    `${v2}versions/:course_id/:assignment_id`,
    api(
      auth,
      async (ctx, user) => ({
        ...(await s.versions.publish(user, ctx.params.course_id, ctx.params.assignment_id, () =>
          ctx.state.params.files('any')
        ))
      }),
      { upload: true }
    )
  );
  router.get(
    `${v2}versions/:course_id/:assignment_id/:version`,
    api(auth, async (ctx, user) => ({
      ...(await s.versions.fetch(
        user,
        ctx.params.course_id,
        ctx.params.assignment_id,
        ctx.params.version,
        isListOnly(ctx.state.params.any('list_only'))
      ))
    }))
  );
}
