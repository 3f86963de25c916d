import React from 'react';
import { ReactWidget } from '@jupyterlab/ui-components';
import { AssignmentsPanel, useSignals } from '../components';
import { INgshareContext } from '../context';
import type { IReceipt } from '../tokens';

/** What the panel's buttons do (dialogs, notifications); see commands/student.ts. */
export interface IStudentActions {
  fetch(assignment: string): void;
  restore(assignment: string): void;
  update(assignment: string): void;
  submit(assignment: string): void;
  open(path: string): void;
  fetchFeedback(assignment: string): void;
  showReceipt(receipt: IReceipt): void;
}

function AssignmentsContainer(props: {
  ctx: INgshareContext;
  actions: IStudentActions;
}): JSX.Element {
  const { ctx, actions } = props;
  const model = ctx.assignments;
  useSignals(model.stateChanged, model.tasks.changed, ctx.connection.changed);
  return (
    <AssignmentsPanel
      trans={ctx.trans}
      user={ctx.user}
      courses={model.courses}
      course={model.course}
      released={model.released}
      downloaded={model.downloaded}
      submitted={model.submitted}
      deadlines={model.deadlines}
      banner={ctx.connection.problem}
      isRunning={k => model.tasks.isRunning(k)}
      progress={k => model.tasks.progress(k)}
      onSelectCourse={c => void model.selectCourse(c)}
      onRefresh={() => void model.refresh()}
      onRetryCourses={() => {
        void ctx.connection.check();
        void model.refreshCourses();
      }}
      onFetch={a => actions.fetch(a)}
      onRestore={a => actions.restore(a)}
      onUpdate={a => actions.update(a)}
      onSubmit={a => actions.submit(a)}
      onOpen={p => actions.open(p)}
      onFetchFeedback={a => actions.fetchFeedback(a)}
      onOpenFeedback={p => actions.open(p)}
      onShowReceipt={r => actions.showReceipt(r)}
    />
  );
}

/** Left-sidebar panel "Assignments" (student side). */
export class AssignmentsWidget extends ReactWidget {
  constructor(
    private readonly _ctx: INgshareContext,
    private readonly _actions: IStudentActions
  ) {
    super();
    this.id = 'ngshare-assignments';
    this.addClass('ngshare-Widget');
    this.title.caption = _ctx.trans.__('Assignments (nbgrader exchange)');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', _ctx.trans.__('Assignments'));
  }

  protected override onAfterShow(): void {
    const model = this._ctx.assignments;
    if (model.courses.status === 'idle' || model.courses.status === 'error') {
      void model.refreshCourses();
    } else if (model.courses.status === 'ready') {
      void model.refresh();
    }
  }

  render(): JSX.Element {
    return <AssignmentsContainer ctx={this._ctx} actions={this._actions} />;
  }
}
