/** The instructor panel's Assignments tab: release, collect, release feedback, unrelease. */
import React from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDeadline } from '../tokens';
import { ActionButton, Progress, SectionView, Timestamp } from './common';
import type { IInstructorPanelProps } from './InstructorPanel';

export type IAssignmentsTableProps = Pick<
  IInstructorPanelProps,
  | 'trans'
  | 'course'
  | 'courseDir'
  | 'assignments'
  | 'deadlines'
  | 'isRunning'
  | 'progress'
  | 'onRefresh'
  | 'onRelease'
  | 'onReRelease'
  | 'onNewVersion'
  | 'onUnrelease'
  | 'onCollect'
  | 'onReleaseFeedback'
>;

export function AssignmentsTable(props: IAssignmentsTableProps): JSX.Element {
  const { trans, assignments } = props;
  const deadlineOf = (a: string): IDeadline | undefined =>
    props.deadlines.items.find(d => d.assignment === a);
  return (
    <SectionView
      title={trans.__('Assignments of %1', props.course ?? '')}
      section={assignments}
      isEmpty={assignments.items.length === 0}
      emptyText={trans.__(
        'No assignments yet. Generate one with nbgrader into %1/release/<assignment>/ and it will show here.',
        props.courseDir || '.'
      )}
      trans={trans}
      onRetry={props.onRefresh}
    >
      <table className="ngshare-Table" aria-label={trans.__('Assignments')}>
        <thead>
          <tr>
            <th scope="col">{trans.__('Assignment')}</th>
            <th scope="col">{trans.__('Status')}</th>
            <th scope="col">{trans.__('Students submitted')}</th>
            <th scope="col">{trans.__('Last submission')}</th>
            <th scope="col">{trans.__('Deadline')}</th>
            <th scope="col">{trans.__('Feedback released')}</th>
            <th scope="col">{trans.__('Actions')}</th>
          </tr>
        </thead>
        <tbody>
          {assignments.items.map(a => (
            <tr key={a.assignment} data-assignment={a.assignment}>
              <th scope="row">{a.assignment}</th>
              <td>
                {a.released ? trans.__('released') : trans.__('not released')}
                {!a.local && a.released && (
                  <span className="ngshare-Note"> {trans.__('(no local release folder)')}</span>
                )}
              </td>
              <td className="ngshare-Number">
                {a.released ? `${a.studentsSubmitted} (${a.submissionCount})` : '—'}
              </td>
              <td>{a.lastSubmission ? <Timestamp value={a.lastSubmission} /> : '—'}</td>
              <DeadlineCell deadline={deadlineOf(a.assignment)} trans={trans} />
              <td className="ngshare-Number">
                {a.released ? (a.feedbackCount === null ? '…' : a.feedbackCount) : '—'}
              </td>
              <td className="ngshare-Actions">
                {!a.released && (
                  <ActionButton
                    label={trans.__('Release')}
                    busyLabel={trans.__('Releasing…')}
                    busy={props.isRunning(`release:${a.assignment}`)}
                    variant="primary"
                    small
                    title={trans.__('Upload release/%1 to the exchange', a.assignment)}
                    onClick={() => props.onRelease(a.assignment)}
                  />
                )}
                {a.released && (
                  <>
                    <ActionButton
                      label={trans.__('Collect')}
                      busyLabel={trans.__('Collecting…')}
                      busy={props.isRunning(`collect:${a.assignment}`)}
                      disabled={a.submissionCount === 0}
                      small
                      title={trans.__('Download the latest submission of every student')}
                      onClick={() => props.onCollect(a.assignment)}
                    />
                    <ActionButton
                      label={trans.__('Release feedback')}
                      busyLabel={trans.__('Releasing feedback…')}
                      busy={props.isRunning(`feedback:${a.assignment}`)}
                      small
                      title={trans.__('Upload feedback/<student>/%1/*.html', a.assignment)}
                      onClick={() => props.onReleaseFeedback(a.assignment)}
                    />
                    {a.local && (
                      <ActionButton
                        label={trans.__('New version')}
                        busyLabel={trans.__('Publishing…')}
                        busy={props.isRunning(`release:${a.assignment}`)}
                        small
                        title={trans.__(
                          'Publish release/%1 as a new version; submissions and feedback stay',
                          a.assignment
                        )}
                        onClick={() => props.onNewVersion(a.assignment)}
                      />
                    )}
                    {a.local && (
                      <ActionButton
                        label={trans.__('Re-release')}
                        busyLabel={trans.__('Releasing…')}
                        busy={props.isRunning(`release:${a.assignment}`)}
                        variant="danger"
                        small
                        title={trans.__('Delete on the exchange and release again')}
                        onClick={() => props.onReRelease(a.assignment)}
                      />
                    )}
                    <ActionButton
                      label={trans.__('Unrelease')}
                      busyLabel={trans.__('Unreleasing…')}
                      busy={props.isRunning(`unrelease:${a.assignment}`)}
                      variant="danger"
                      small
                      title={trans.__('Delete on the exchange, with all submissions and feedback')}
                      onClick={() => props.onUnrelease(a.assignment)}
                    />
                  </>
                )}
                <Progress state={props.progress(`release:${a.assignment}`)} trans={trans} />
                <Progress state={props.progress(`collect:${a.assignment}`)} trans={trans} />
                <Progress state={props.progress(`feedback:${a.assignment}`)} trans={trans} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </SectionView>
  );
}

/** The deadline in the viewer's time zone, hard or soft; details are on the Deadlines tab. */
function DeadlineCell(props: {
  deadline: IDeadline | undefined;
  trans: TranslationBundle;
}): JSX.Element {
  const { deadline, trans } = props;
  return (
    <td data-deadline={deadline?.due ?? ''}>
      {deadline ? (
        <>
          <Timestamp value={deadline.due} relative={false} />{' '}
          <span className="ngshare-Note">
            {deadline.hard ? trans.__('(hard)') : trans.__('(soft)')}
          </span>
        </>
      ) : (
        '—'
      )}
    </td>
  );
}
