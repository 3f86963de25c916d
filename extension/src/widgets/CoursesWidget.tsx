import React from 'react';
import { ReactWidget } from '@jupyterlab/ui-components';
import { adminPageUrl, CoursesPanel, useSignals } from '../components';
import { INgshareContext } from '../context';

export interface ICoursesActions {
  openAssignments(course: string): void;
  manage(course: string): void;
  createCourse(): void;
}

function CoursesContainer(props: { ctx: INgshareContext; actions: ICoursesActions }): JSX.Element {
  const { ctx, actions } = props;
  const model = ctx.courses;
  useSignals(model.stateChanged, model.tasks.changed, ctx.connection.changed);
  return (
    <CoursesPanel
      trans={ctx.trans}
      user={ctx.user}
      courses={model.courses}
      isAdmin={model.isAdmin}
      adminPageUrl={adminPageUrl(ctx.client.baseUrl, ctx.settings().username || undefined)}
      onRefresh={() => void model.refresh()}
      onOpenAssignments={c => actions.openAssignments(c)}
      onManage={c => actions.manage(c)}
      onCreateCourse={() => actions.createCourse()}
    />
  );
}

/** Left-sidebar panel "Courses": my courses and my role in each. */
export class CoursesWidget extends ReactWidget {
  constructor(
    private readonly _ctx: INgshareContext,
    private readonly _actions: ICoursesActions
  ) {
    super();
    this.id = 'ngshare-courses';
    this.addClass('ngshare-Widget');
    this.title.caption = _ctx.trans.__('Courses (nbgrader exchange)');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', _ctx.trans.__('Courses'));
  }

  protected override onAfterShow(): void {
    if (this._ctx.courses.courses.status !== 'loading') {
      void this._ctx.courses.refresh();
    }
  }

  render(): JSX.Element {
    return <CoursesContainer ctx={this._ctx} actions={this._actions} />;
  }
}
