import React from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type {
  FeedbackState,
  IDownloadedItem,
  IProblem,
  IReceipt,
  IReleasedItem,
  ISection,
  IStudentDeadline,
  ISubmittedItem,
  ITransferState
} from '../tokens';
import { ActionButton, ErrorMessage, Progress, SectionView, Timestamp } from './common';
import { DeadlineSummary, LateBadge } from './DeadlinesView';

export interface IAssignmentsPanelProps {
  trans: TranslationBundle;
  user: string;
  courses: ISection<string[]>;
  course: string | null;
  released: ISection<IReleasedItem[]>;
  downloaded: ISection<IDownloadedItem[]>;
  submitted: ISection<ISubmittedItem[]>;
  /** Deadlines of the course's released assignments, with the student's own extensions. */
  deadlines: ISection<IStudentDeadline[]>;
  /** A problem to show at the top (e.g. the connection check failed). */
  banner?: IProblem | null;
  isRunning: (key: string) => boolean;
  progress: (key: string) => ITransferState | null;
  onSelectCourse: (course: string) => void;
  onRefresh: () => void;
  onRetryCourses: () => void;
  onFetch: (assignment: string) => void;
  onRestore: (assignment: string) => void;
  /** Preview and apply the newer version of a downloaded assignment. */
  onUpdate: (assignment: string) => void;
  onSubmit: (assignment: string) => void;
  onOpen: (path: string) => void;
  onFetchFeedback: (assignment: string) => void;
  onOpenFeedback: (path: string) => void;
  /** Show what the exchange holds of a submission, with its checksum. */
  onShowReceipt: (receipt: IReceipt) => void;
}

function feedbackLabel(state: FeedbackState, trans: TranslationBundle): string {
  // One literal per state so the strings can be translated.
  switch (state) {
    case 'none':
      return trans.__('no feedback yet');
    case 'available':
      return trans.__('feedback available to fetch');
    case 'fetched':
      return trans.__('feedback fetched');
    case 'updated':
      return trans.__('updated feedback available');
  }
}

/** The student's Assignments panel: course selector, Released / Downloaded / Submitted. */
/**
 * The problem all three lists share (they fail together when the course's assignments cannot be
 * listed), so it is shown once instead of three times; null when they differ or none failed.
 */
function sharedProblem(props: IAssignmentsPanelProps): IProblem | null {
  const sections = [props.released, props.downloaded, props.submitted];
  const first = sections[0].error;
  if (!first || !sections.every(s => s.status === 'error' && s.error?.summary === first.summary)) {
    return null;
  }
  return first;
}

export function AssignmentsPanel(props: IAssignmentsPanelProps): JSX.Element {
  const { trans, courses, course } = props;
  const shared = sharedProblem(props);
  // the connection banner already says it: do not repeat it for the course below
  const sameAsBanner = !!shared && !!props.banner && shared.kind === props.banner.kind;
  const deadlineOf = (assignment: string): JSX.Element | null => {
    const d = props.deadlines.items.find(x => x.assignment === assignment);
    return d ? <DeadlineSummary deadline={d} trans={trans} /> : null;
  };
  return (
    <div className="ngshare-Panel ngshare-AssignmentsPanel">
      <div className="ngshare-Toolbar">
        <label className="ngshare-CourseSelect">
          <span>{trans.__('Course')}</span>
          <select
            aria-label={trans.__('Course')}
            value={course ?? ''}
            disabled={courses.status !== 'ready' || courses.items.length === 0}
            onChange={e => props.onSelectCourse(e.target.value)}
          >
            {courses.status === 'loading' && <option value="">{trans.__('Loading…')}</option>}
            {courses.status === 'ready' && courses.items.length === 0 && (
              <option value="">{trans.__('No courses found')}</option>
            )}
            {courses.items.map(c => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="ngshare-Button ngshare-ButtonSmall"
          onClick={props.onRefresh}
          title={trans.__('Reload the assignment lists from the exchange')}
        >
          {trans.__('Refresh')}
        </button>
      </div>
      {props.banner && (
        <ErrorMessage problem={props.banner} trans={trans} onRetry={props.onRetryCourses} />
      )}
      {courses.status === 'error' && courses.error && !props.banner && (
        <ErrorMessage
          title={trans.__('Could not load your courses.')}
          problem={courses.error}
          trans={trans}
          onRetry={props.onRetryCourses}
        />
      )}
      {courses.status === 'ready' && courses.items.length === 0 && (
        <p className="ngshare-Empty">
          {trans.__(
            'You are not enrolled in any course on the exchange. Ask your instructor to add %1 to the course.',
            props.user
          )}
        </p>
      )}
      {course && shared && !sameAsBanner && (
        <ErrorMessage
          title={trans.__('Could not load the assignments of %1.', course)}
          problem={shared}
          trans={trans}
          onRetry={props.onRefresh}
        />
      )}
      {course && !shared && props.deadlines.status === 'error' && props.deadlines.error && (
        <ErrorMessage
          title={trans.__('Could not load the deadlines of %1.', course)}
          problem={props.deadlines.error}
          trans={trans}
          onRetry={props.onRefresh}
        />
      )}
      {course && !shared && (
        <>
          <SectionView
            title={trans.__('Released assignments')}
            section={props.released}
            isEmpty={props.released.items.length === 0}
            emptyText={trans.__('There are no assignments to fetch.')}
            trans={trans}
            onRetry={props.onRefresh}
          >
            <ul className="ngshare-List" aria-label={trans.__('Released assignments')}>
              {props.released.items.map(item => (
                <li
                  key={item.assignment}
                  className="ngshare-Item"
                  data-assignment={item.assignment}
                  aria-label={item.assignment}
                >
                  <div className="ngshare-ItemRow">
                    <span className="ngshare-ItemName">{item.assignment}</span>
                    <ActionButton
                      label={trans.__('Fetch')}
                      busyLabel={trans.__('Fetching…')}
                      busy={props.isRunning(`fetch:${item.assignment}`)}
                      variant="primary"
                      small
                      title={trans.__('Download %1 into your home folder', item.assignment)}
                      onClick={() => props.onFetch(item.assignment)}
                    />
                  </div>
                  {deadlineOf(item.assignment)}
                  <Progress state={props.progress(`fetch:${item.assignment}`)} trans={trans} />
                </li>
              ))}
            </ul>
          </SectionView>
          <SectionView
            title={trans.__('Downloaded assignments')}
            section={props.downloaded}
            isEmpty={props.downloaded.items.length === 0}
            emptyText={trans.__('There are no downloaded assignments.')}
            trans={trans}
            onRetry={props.onRefresh}
          >
            <ul className="ngshare-List" aria-label={trans.__('Downloaded assignments')}>
              {props.downloaded.items.map(item => (
                <li
                  key={item.assignment}
                  className="ngshare-Item"
                  data-assignment={item.assignment}
                  aria-label={item.assignment}
                >
                  <div className="ngshare-ItemRow">
                    <span className="ngshare-ItemName" title={item.path}>
                      {item.assignment}
                    </span>
                    <ActionButton
                      label={trans.__('Restore missing files')}
                      busyLabel={trans.__('Restoring…')}
                      busy={props.isRunning(`fetch:${item.assignment}`)}
                      small
                      title={trans.__(
                        'Download only the files of %1 that are missing here',
                        item.assignment
                      )}
                      onClick={() => props.onRestore(item.assignment)}
                    />
                    <ActionButton
                      label={trans.__('Submit')}
                      busyLabel={trans.__('Submitting…')}
                      busy={props.isRunning(`submit:${item.assignment}`)}
                      variant="primary"
                      small
                      title={trans.__('Submit %1', item.assignment)}
                      onClick={() => props.onSubmit(item.assignment)}
                    />
                  </div>
                  {deadlineOf(item.assignment)}
                  {item.update && (
                    <div className="ngshare-UpdateNotice ngshare-Indented" role="status">
                      <span>
                        {item.update.fetched === null
                          ? trans.__('Version %1 is available.', item.update.current)
                          : trans.__(
                              'Version %1 is available (you have version %2).',
                              item.update.current,
                              item.update.fetched
                            )}
                      </span>
                      <ActionButton
                        label={trans.__('Get update')}
                        busyLabel={trans.__('Updating…')}
                        busy={props.isRunning(`update:${item.assignment}`)}
                        small
                        title={trans.__(
                          'See what changed in %1 and bring your copy up to date, keeping your edits',
                          item.assignment
                        )}
                        onClick={() => props.onUpdate(item.assignment)}
                      />
                    </div>
                  )}
                  <Progress state={props.progress(`fetch:${item.assignment}`)} trans={trans} />
                  <Progress state={props.progress(`update:${item.assignment}`)} trans={trans} />
                  <Progress state={props.progress(`submit:${item.assignment}`)} trans={trans} />
                  {item.notebooks.length === 0 ? (
                    <p className="ngshare-Empty ngshare-Indented">{trans.__('No notebooks')}</p>
                  ) : (
                    <ul
                      className="ngshare-SubList"
                      aria-label={trans.__('Notebooks of %1', item.assignment)}
                    >
                      {item.notebooks.map(nb => (
                        <li key={nb}>
                          <button
                            type="button"
                            className="ngshare-Link"
                            onClick={() => props.onOpen(nb)}
                            title={trans.__('Open %1', nb)}
                          >
                            {nb.slice(item.path.length + 1)}
                          </button>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          </SectionView>
          <SectionView
            title={trans.__('Submitted assignments')}
            section={props.submitted}
            isEmpty={props.submitted.items.length === 0}
            emptyText={trans.__('There are no submitted assignments.')}
            trans={trans}
            onRetry={props.onRefresh}
          >
            <ul className="ngshare-List" aria-label={trans.__('Submitted assignments')}>
              {props.submitted.items.map(item => {
                const fetchable = item.submissions.some(
                  s => s.feedback === 'available' || s.feedback === 'updated'
                );
                return (
                  <li
                    key={item.assignment}
                    className="ngshare-Item"
                    data-assignment={item.assignment}
                    aria-label={item.assignment}
                  >
                    <div className="ngshare-ItemRow">
                      <span className="ngshare-ItemName">{item.assignment}</span>
                      <ActionButton
                        label={trans.__('Fetch feedback')}
                        busyLabel={trans.__('Fetching feedback…')}
                        busy={props.isRunning(`feedback:${item.assignment}`)}
                        disabled={!fetchable}
                        variant={fetchable ? 'primary' : 'default'}
                        small
                        title={
                          fetchable
                            ? trans.__('Download the feedback for %1', item.assignment)
                            : trans.__('No new feedback for %1', item.assignment)
                        }
                        onClick={() => props.onFetchFeedback(item.assignment)}
                      />
                    </div>
                    {fetchable && item.feedbackArrivedAt && (
                      <p className="ngshare-NewFeedback ngshare-Indented" data-new-feedback="true">
                        <span className="ngshare-NewFeedback-label">
                          {trans.__('New feedback')}
                        </span>{' '}
                        {trans.__('arrived')} <Timestamp value={item.feedbackArrivedAt} />
                      </p>
                    )}
                    <ul
                      className="ngshare-SubList"
                      aria-label={trans.__('Submissions of %1', item.assignment)}
                    >
                      {item.submissions.map(s => (
                        <li
                          key={s.timestamp}
                          data-timestamp={s.timestamp}
                          data-feedback={s.feedback}
                          data-late={s.lateness ? String(s.lateness.late) : undefined}
                        >
                          <Timestamp value={s.timestamp} />{' '}
                          {s.lateness && (
                            <>
                              <LateBadge lateness={s.lateness} trans={trans} showOnTime />{' '}
                            </>
                          )}
                          <span className={`ngshare-Feedback ngshare-Feedback-${s.feedback}`}>
                            {feedbackLabel(s.feedback, trans)}
                          </span>
                          {s.feedbackFiles.map(f => (
                            <button
                              key={f}
                              type="button"
                              className="ngshare-Link"
                              onClick={() => props.onOpenFeedback(f)}
                            >
                              {trans.__('View feedback %1', f.slice(f.lastIndexOf('/') + 1))}
                            </button>
                          ))}
                          {s.receipt && (
                            <button
                              type="button"
                              className="ngshare-Link"
                              title={trans.__('Checksum %1', s.receipt.checksum)}
                              onClick={() => props.onShowReceipt(s.receipt!)}
                            >
                              {trans.__('Receipt')}
                            </button>
                          )}
                        </li>
                      ))}
                    </ul>
                  </li>
                );
              })}
            </ul>
          </SectionView>
        </>
      )}
    </div>
  );
}
