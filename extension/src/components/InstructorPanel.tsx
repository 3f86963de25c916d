import React, { useState } from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type {
  IDeadline,
  IDeadlineError,
  IHistoryState,
  IImportPreview,
  IImportResult,
  IInstructorAssignment,
  IMatrix,
  IPersonRow,
  IProblem,
  IRoster,
  ISection,
  ITransferState
} from '../tokens';
import { AssignmentsTable } from './AssignmentsTable';
import { ErrorMessage, Loading } from './common';
import { DeadlinesView } from './DeadlinesView';
import { HistoryView } from './HistoryView';
import { IOutcomeReport, OutcomeSummary } from './OutcomeSummary';
import { RosterView } from './RosterView';
import { SubmissionsMatrix } from './SubmissionsMatrix';

export interface IInstructorPanelProps {
  trans: TranslationBundle;
  course: string | null;
  courses: string[];
  /** Loading state of the course list the selector is made from. */
  coursesStatus: Pick<ISection<unknown>, 'status' | 'error'>;
  /** The connection check's problem, shown first. */
  banner?: IProblem | null;
  courseDir: string;
  assignments: ISection<IInstructorAssignment[]>;
  matrix: ISection<IMatrix>;
  roster: ISection<IRoster>;
  /** Every deadline of the course, with every extension. */
  deadlines: ISection<IDeadline[]>;
  /** The last deadline edit the exchange refused. */
  deadlineError: IDeadlineError | null;
  report: IOutcomeReport | null;
  isRunning: (key: string) => boolean;
  progress: (key: string) => ITransferState | null;
  onSelectCourse: (course: string) => void;
  onRefresh: () => void;
  onRetryCourses: () => void;
  onRelease: (assignment: string) => void;
  onReRelease: (assignment: string) => void;
  /** Publish release/<assignment>/ as a new version (keeps every submission). */
  onNewVersion: (assignment: string) => void;
  onUnrelease: (assignment: string) => void;
  onCollect: (assignment: string, student?: string) => void;
  onReleaseFeedback: (assignment: string, student?: string) => void;
  onLoadMatrix: () => void;
  onAddStudent: () => void;
  onEditStudent: (row: IPersonRow) => void;
  onRemoveStudent: (username: string) => void;
  onAddInstructor: () => void;
  onEditInstructor: (row: IPersonRow) => void;
  onRemoveInstructor: (username: string) => void;
  onPreviewCsv: (text: string, removeMissing: boolean) => IImportPreview;
  onApplyImport: (preview: IImportPreview) => Promise<IImportResult[]>;
  /** Make the student roster follow this hub group (and sync now). */
  /** `instructorGroup` '' keeps the instructors by hand (only admins may name one). */
  onFollowGroups: (studentGroup: string, instructorGroup: string) => void;
  /** The user is an ngshare administrator (may make instructors follow a hub group). */
  canNameInstructorGroup?: boolean;
  onSyncGroups: () => void;
  onUnfollowGroups: () => void;
  onDismissReport: () => void;
  /** `due`: ISO 8601 UTC. Resolve with whether the exchange accepted the edit. */
  onSetDeadline: (assignment: string, due: string, hard: boolean) => Promise<boolean>;
  onClearDeadline: (assignment: string) => Promise<boolean>;
  onGrantExtension: (assignment: string, student: string, due: string) => Promise<boolean>;
  onRevokeExtension: (assignment: string, student: string) => Promise<boolean>;
  onDismissDeadlineError: () => void;
  onReloadDeadlines: () => void;
  /** The course's history (loaded when its tab opens). */
  history: IHistoryState;
  onLoadHistory: (action: string) => void;
  onLoadOlderHistory: () => void;
  onExportHistory: () => void;
}

type Tab = 'assignments' | 'deadlines' | 'submissions' | 'roster' | 'history';

/**
 * The instructor's main-area panel for one course: Assignments, Deadlines, Submissions, Roster,
 * History.
 */
export function InstructorPanel(props: IInstructorPanelProps): JSX.Element {
  const { trans } = props;
  const [tab, setTab] = useState<Tab>('assignments');
  const tabs: { id: Tab; label: string }[] = [
    { id: 'assignments', label: trans.__('Assignments') },
    { id: 'deadlines', label: trans.__('Deadlines') },
    { id: 'submissions', label: trans.__('Submissions') },
    { id: 'roster', label: trans.__('Roster') },
    { id: 'history', label: trans.__('History') }
  ];
  const select = (t: Tab): void => {
    setTab(t);
    if (t === 'submissions') {
      props.onLoadMatrix();
    }
    if (t === 'history') {
      props.onLoadHistory(props.history.action);
    }
  };
  const { coursesStatus } = props;
  if (!props.course || props.banner) {
    // No course to show (or the exchange cannot be used at all): say why, and nothing else.
    let body: React.ReactNode;
    if (props.banner) {
      body = <ErrorMessage problem={props.banner} trans={trans} onRetry={props.onRetryCourses} />;
    } else if (coursesStatus.status === 'error' && coursesStatus.error) {
      body = (
        <ErrorMessage
          title={trans.__('Could not load your courses.')}
          problem={coursesStatus.error}
          trans={trans}
          onRetry={props.onRetryCourses}
        />
      );
    } else if (coursesStatus.status !== 'ready') {
      body = <Loading trans={trans} />;
    } else {
      body = (
        <p className="ngshare-Empty">
          {trans.__(
            'You do not teach any course on the exchange. An ngshare administrator can create a course or make you its instructor.'
          )}
        </p>
      );
    }
    return (
      <div className="ngshare-Panel ngshare-InstructorPanel">
        <div className="ngshare-Toolbar">
          <button
            type="button"
            className="ngshare-Button ngshare-ButtonSmall"
            onClick={props.onRetryCourses}
          >
            {trans.__('Refresh')}
          </button>
        </div>
        {body}
      </div>
    );
  }
  return (
    <div className="ngshare-Panel ngshare-InstructorPanel">
      <div className="ngshare-Toolbar">
        <label className="ngshare-CourseSelect">
          <span>{trans.__('Course')}</span>
          <select
            aria-label={trans.__('Course')}
            value={props.course ?? ''}
            onChange={e => props.onSelectCourse(e.target.value)}
          >
            {props.courses.length === 0 && <option value="">{trans.__('No courses')}</option>}
            {props.courses.map(c => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <span
          className="ngshare-Note"
          title={trans.__('Course directory (setting courseDirectory)')}
        >
          {trans.__('Course directory: %1', props.courseDir || '.')}
        </span>
        <button
          type="button"
          className="ngshare-Button ngshare-ButtonSmall"
          onClick={props.onRefresh}
        >
          {trans.__('Refresh')}
        </button>
      </div>
      {props.report && (
        <OutcomeSummary report={props.report} trans={trans} onDismiss={props.onDismissReport} />
      )}
      <div role="tablist" aria-label={trans.__('Course views')} className="ngshare-Tabs">
        {tabs.map(t => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`ngshare-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`ngshare-tabpanel-${t.id}`}
            className={`ngshare-Tab${tab === t.id ? ' ngshare-TabActive' : ''}`}
            onClick={() => select(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`ngshare-tabpanel-${tab}`}
        aria-labelledby={`ngshare-tab-${tab}`}
        className="ngshare-TabPanel"
      >
        {tab === 'assignments' && <AssignmentsTable {...props} />}
        {tab === 'deadlines' && (
          <DeadlinesView
            trans={trans}
            course={props.course}
            assignments={props.assignments.items.map(a => a.assignment)}
            students={props.roster.items.students.map(s => s.username)}
            deadlines={props.deadlines}
            error={props.deadlineError}
            isRunning={props.isRunning}
            onSetDeadline={props.onSetDeadline}
            onClearDeadline={props.onClearDeadline}
            onGrantExtension={props.onGrantExtension}
            onRevokeExtension={props.onRevokeExtension}
            onDismissError={props.onDismissDeadlineError}
            onRetry={props.onReloadDeadlines}
          />
        )}
        {tab === 'submissions' && <SubmissionsMatrix {...props} />}
        {tab === 'roster' && <RosterView {...props} />}
        {tab === 'history' && (
          <HistoryView
            trans={trans}
            history={props.history}
            isRunning={props.isRunning}
            onLoad={props.onLoadHistory}
            onLoadOlder={props.onLoadOlderHistory}
            onExport={props.onExportHistory}
          />
        )}
      </div>
    </div>
  );
}
