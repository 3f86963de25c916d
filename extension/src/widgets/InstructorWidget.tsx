import React from 'react';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';
import { IOutcomeReport, InstructorPanel, useSignals } from '../components';
import { INgshareContext } from '../context';
import type { IImportPreview, IImportResult, IPersonRow } from '../tokens';

export interface IInstructorActions {
  release(assignment: string): void;
  reRelease(assignment: string): void;
  newVersion(assignment: string): void;
  unrelease(assignment: string): void;
  collect(assignment: string, student?: string): void;
  releaseFeedback(assignment: string, student?: string): void;
  addStudent(): void;
  editStudent(row: IPersonRow): void;
  removeStudent(username: string): void;
  addInstructor(): void;
  editInstructor(row: IPersonRow): void;
  removeInstructor(username: string): void;
  applyImport(preview: IImportPreview): Promise<IImportResult[]>;
  followGroups(studentGroup: string, instructorGroup: string): void;
  syncGroups(): void;
  unfollowGroups(): void;
  exportHistory(): void;
}

/**
 * UI-only state of the instructor panel: the last collect / release-feedback summary. It belongs
 * to one assignment of one course, and goes when that assignment is unreleased or re-released
 * (the exchange deleted what it describes).
 */
export class ReportHolder {
  report: IOutcomeReport | null = null;
  readonly changed = new Signal<this, void>(this);
  set(report: IOutcomeReport | null): void {
    this.report = report;
    this.changed.emit();
  }
  /** Drops the summary when it is about this assignment of this course. */
  dropFor(course: string, assignment: string): void {
    if (this.report && this.report.course === course && this.report.assignment === assignment) {
      this.set(null);
    }
  }
}

function InstructorContainer(props: {
  ctx: INgshareContext;
  actions: IInstructorActions;
  reports: ReportHolder;
}): JSX.Element {
  const { ctx, actions, reports } = props;
  const model = ctx.instructor;
  useSignals(
    model.stateChanged,
    model.tasks.changed,
    model.deadlines.stateChanged,
    model.deadlines.tasks.changed,
    model.history.stateChanged,
    model.history.tasks.changed,
    ctx.courses.stateChanged,
    ctx.connection.changed,
    reports.changed
  );
  let courseDir = '';
  try {
    courseDir = model.course ? model.courseDir() : '';
  } catch {
    courseDir = '';
  }
  return (
    <InstructorPanel
      trans={ctx.trans}
      course={model.course}
      courses={ctx.courses.teaching.map(c => c.course)}
      coursesStatus={ctx.courses.courses}
      banner={ctx.connection.problem?.kind === 'version' ? null : ctx.connection.problem}
      courseDir={courseDir}
      assignments={model.assignments}
      matrix={model.submissions.matrix}
      roster={model.roster.section}
      deadlines={model.deadlines.deadlines}
      deadlineError={model.deadlines.error}
      report={reports.report?.course === model.course ? reports.report : null}
      isRunning={k =>
        model.tasks.isRunning(k) ||
        model.deadlines.tasks.isRunning(k) ||
        model.history.tasks.isRunning(k)
      }
      progress={k => model.tasks.progress(k)}
      onSelectCourse={c => void model.setCourse(c)}
      onRefresh={() => void model.refresh()}
      onRetryCourses={() => {
        void (async () => {
          await ctx.connection.check();
          await ctx.courses.refresh();
          const first = ctx.courses.teaching[0]?.course ?? null;
          if (!model.course && first) {
            await model.setCourse(first);
          } else {
            await model.refresh();
          }
        })();
      }}
      onRelease={a => actions.release(a)}
      onReRelease={a => actions.reRelease(a)}
      onNewVersion={a => actions.newVersion(a)}
      onUnrelease={a => actions.unrelease(a)}
      onCollect={(a, s) => actions.collect(a, s)}
      onReleaseFeedback={(a, s) => actions.releaseFeedback(a, s)}
      onLoadMatrix={() => void model.submissions.loadMatrix()}
      onAddStudent={() => actions.addStudent()}
      onEditStudent={r => actions.editStudent(r)}
      onRemoveStudent={u => actions.removeStudent(u)}
      onAddInstructor={() => actions.addInstructor()}
      onEditInstructor={r => actions.editInstructor(r)}
      onRemoveInstructor={u => actions.removeInstructor(u)}
      onPreviewCsv={(text, remove) => model.roster.previewCsv(text, remove)}
      onApplyImport={p => actions.applyImport(p)}
      onFollowGroups={(g, i) => actions.followGroups(g, i)}
      canNameInstructorGroup={ctx.connection.admin === true}
      onSyncGroups={() => actions.syncGroups()}
      onUnfollowGroups={() => actions.unfollowGroups()}
      onDismissReport={() => reports.set(null)}
      history={model.history.state}
      onLoadHistory={action => void model.history.load(model.course, action)}
      onLoadOlderHistory={() => void model.history.loadOlder()}
      onExportHistory={() => actions.exportHistory()}
      onSetDeadline={(a, due, hard) => model.deadlines.setDeadline(a, due, hard)}
      onClearDeadline={a => model.deadlines.clearDeadline(a)}
      onGrantExtension={(a, s, due) => model.deadlines.grantExtension(a, s, due)}
      onRevokeExtension={(a, s) => model.deadlines.revokeExtension(a, s)}
      onDismissDeadlineError={() => model.deadlines.dismissError()}
      onReloadDeadlines={() => void model.deadlines.load(model.course)}
    />
  );
}

/** Main-area content "Course management" (instructor side). */
export class InstructorWidget extends ReactWidget {
  constructor(
    private readonly _ctx: INgshareContext,
    private readonly _actions: IInstructorActions,
    readonly reports: ReportHolder
  ) {
    super();
    this.id = 'ngshare-instructor';
    this.addClass('ngshare-Widget');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', _ctx.trans.__('Course management'));
  }

  render(): JSX.Element {
    return <InstructorContainer ctx={this._ctx} actions={this._actions} reports={this.reports} />;
  }
}
