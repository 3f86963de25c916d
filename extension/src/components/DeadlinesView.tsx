/**
 * Deadlines in the panels (issue 14): what a student sees of a deadline (local time with its zone,
 * hard or soft, their extension, time left), the late mark of a submission, and the instructor's
 * Deadlines tab (set / change / clear a deadline, grant / revoke extensions). Due dates arrive as
 * ISO 8601 UTC and are shown in the viewer's time zone; the date-time inputs read the viewer's
 * clock and send UTC, because the exchange refuses a time without a zone.
 */
import React, { useState } from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDeadline, IDeadlineError, ILateness, ISection, IStudentDeadline } from '../tokens';
import {
  durationParts,
  isoToLocalInput,
  localInputToIso,
  localTimestamp,
  secondsUntil
} from '../vocabulary/time';
import { ActionButton, ErrorMessage, SectionView, Timestamp, useNow } from './common';

/** "2 days 3 hours", "5 minutes", "0 seconds" (two largest units, in the bundle's plurals). */
export function durationText(seconds: number, trans: TranslationBundle): string {
  return durationParts(seconds)
    .map(({ unit, count }) => {
      switch (unit) {
        case 'day':
          return trans._n('%1 day', '%1 days', count);
        case 'hour':
          return trans._n('%1 hour', '%1 hours', count);
        case 'minute':
          return trans._n('%1 minute', '%1 minutes', count);
        case 'second':
          return trans._n('%1 second', '%1 seconds', count);
      }
    })
    .join(' ');
}

/** The words for a deadline's kind, saying what it does. */
export function kindText(hard: boolean, trans: TranslationBundle): string {
  return hard
    ? trans.__('hard deadline: later submissions are refused')
    : trans.__('soft deadline: later submissions are marked late');
}

/** The viewer's time zone, named in the date-time inputs ("America/New_York"). */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * One deadline as a student sees it, under the assignment: when it is due in their time zone,
 * hard or soft, their extension, and how long is left (or since when it is closed / passed).
 */
export function DeadlineSummary(props: {
  deadline: IStudentDeadline;
  trans: TranslationBundle;
  /** For tests; the panel renews it every 30 s. */
  now?: Date;
}): JSX.Element {
  const { deadline, trans } = props;
  const ticking = useNow();
  const now = props.now ?? ticking;
  const left = secondsUntil(deadline.effectiveDue, now);
  const state = left > 0 ? 'open' : deadline.hard ? 'closed' : 'passed';
  let status: string;
  if (state === 'open') {
    status = trans.__('%1 left', durationText(left, trans));
  } else if (state === 'closed') {
    status = trans.__(
      'Closed %1 ago: the exchange no longer accepts submissions.',
      durationText(-left, trans)
    );
  } else {
    status = trans.__(
      'Passed %1 ago: a submission now counts as late.',
      durationText(-left, trans)
    );
  }
  return (
    <div
      className="ngshare-Deadline"
      data-kind={deadline.hard ? 'hard' : 'soft'}
      data-state={state}
      aria-label={trans.__('Deadline of %1', deadline.assignment)}
      role="group"
    >
      <p className="ngshare-DeadlineDue">
        {trans.__('Due')} <Timestamp value={deadline.due} relative={false} />{' '}
        <span className="ngshare-Note">({kindText(deadline.hard, trans)})</span>
      </p>
      {deadline.extension && (
        <p className="ngshare-DeadlineExtension">
          {trans.__('Your extension: until')}{' '}
          <Timestamp value={deadline.extension} relative={false} />
        </p>
      )}
      <p className={`ngshare-DeadlineLeft ngshare-DeadlineLeft-${state}`}>{status}</p>
    </div>
  );
}

/**
 * A submission's late mark in words (never colour alone): "late by 2 hours 5 minutes" or "on
 * time"; the due date that applied is in the tooltip.
 */
export function LateBadge(props: {
  lateness: ILateness;
  trans: TranslationBundle;
  /** Show "on time" too (the student's history); the matrix marks only late ones. */
  showOnTime?: boolean;
}): JSX.Element | null {
  const { lateness, trans } = props;
  if (!lateness.late && !props.showOnTime) {
    return null;
  }
  const title = trans.__('Due date that applied: %1', localTimestamp(lateness.due));
  return lateness.late ? (
    <span className="ngshare-Badge ngshare-Badge-late" data-late="true" title={title}>
      {lateText(lateness, trans)}
    </span>
  ) : (
    <span className="ngshare-Badge ngshare-Badge-ontime" data-late="false" title={title}>
      {trans.__('on time')}
    </span>
  );
}

export function lateText(lateness: ILateness, trans: TranslationBundle): string {
  return trans.__('late by %1', durationText(lateness.secondsLate, trans));
}

// ------------------------------------------------------------------ instructor: Deadlines tab

export interface IDeadlinesViewProps {
  trans: TranslationBundle;
  course: string;
  /** Assignments of the course (released or local); deadlines of others are listed too. */
  assignments: string[];
  /** Students of the roster, who can be granted an extension. */
  students: string[];
  deadlines: ISection<IDeadline[]>;
  error: IDeadlineError | null;
  isRunning: (key: string) => boolean;
  onSetDeadline: (assignment: string, due: string, hard: boolean) => Promise<boolean>;
  onClearDeadline: (assignment: string) => Promise<boolean>;
  onGrantExtension: (assignment: string, student: string, due: string) => Promise<boolean>;
  onRevokeExtension: (assignment: string, student: string) => Promise<boolean>;
  onDismissError: () => void;
  onRetry: () => void;
  /** For tests: the zone named by the inputs (default: the browser's). */
  timeZone?: string;
}

/** The instructor's Deadlines tab: every assignment's deadline, and an editor for one. */
export function DeadlinesView(props: IDeadlinesViewProps): JSX.Element {
  const { trans, deadlines } = props;
  const [selected, setSelected] = useState<string | null>(null);
  const names = [
    ...props.assignments,
    ...deadlines.items.map(d => d.assignment).filter(a => !props.assignments.includes(a))
  ];
  const byName = new Map(deadlines.items.map(d => [d.assignment, d]));
  const strayError = props.error && props.error.assignment !== selected ? props.error : null;
  return (
    <SectionView
      title={trans.__('Deadlines of %1', props.course)}
      section={deadlines}
      isEmpty={names.length === 0}
      emptyText={trans.__('No assignments yet.')}
      trans={trans}
      onRetry={props.onRetry}
    >
      <p className="ngshare-Note">
        {trans.__(
          'Times are shown in your time zone (%1). A hard deadline refuses later submissions; a soft one accepts them and marks them late.',
          props.timeZone ?? viewerTimeZone()
        )}
      </p>
      {strayError && (
        <ErrorMessage
          title={trans.__('Could not change the deadline of %1.', strayError.assignment)}
          problem={strayError.problem}
          trans={trans}
          onDismiss={props.onDismissError}
        />
      )}
      <table className="ngshare-Table" aria-label={trans.__('Deadlines')}>
        <thead>
          <tr>
            <th scope="col">{trans.__('Assignment')}</th>
            <th scope="col">{trans.__('Due')}</th>
            <th scope="col">{trans.__('Kind')}</th>
            <th scope="col">{trans.__('Extensions')}</th>
            <th scope="col">{trans.__('Actions')}</th>
          </tr>
        </thead>
        <tbody>
          {names.map(a => {
            const d = byName.get(a);
            return (
              <tr key={a} data-assignment={a} data-deadline={d ? d.due : ''}>
                <th scope="row">{a}</th>
                <td>
                  {d ? <Timestamp value={d.due} relative={false} /> : trans.__('no deadline')}
                </td>
                <td>{d ? (d.hard ? trans.__('hard') : trans.__('soft')) : '—'}</td>
                <td className="ngshare-Number">{d ? d.extensions.length : '—'}</td>
                <td className="ngshare-Actions">
                  <button
                    type="button"
                    className="ngshare-Button ngshare-ButtonSmall"
                    aria-expanded={selected === a}
                    aria-label={
                      d
                        ? trans.__('Change the deadline of %1', a)
                        : trans.__('Set a deadline for %1', a)
                    }
                    onClick={() => setSelected(selected === a ? null : a)}
                  >
                    {d ? trans.__('Change') : trans.__('Set deadline')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {selected && (
        <DeadlineEditor
          key={`${selected}\u0000${byName.get(selected)?.due ?? ''}`}
          {...props}
          assignment={selected}
          deadline={byName.get(selected) ?? null}
          onClose={() => setSelected(null)}
        />
      )}
    </SectionView>
  );
}

function DeadlineEditor(
  props: IDeadlinesViewProps & {
    assignment: string;
    deadline: IDeadline | null;
    onClose: () => void;
  }
): JSX.Element {
  const { trans, assignment, deadline } = props;
  const zone = props.timeZone ?? viewerTimeZone();
  const [due, setDue] = useState(deadline ? isoToLocalInput(deadline.due) : '');
  const [hard, setHard] = useState(deadline?.hard ?? false);
  const [confirmClear, setConfirmClear] = useState(false);
  const dueIso = localInputToIso(due);
  const busy = props.isRunning(`deadline:${assignment}`);
  const error = props.error?.assignment === assignment ? props.error : null;
  const id = `ngshare-deadline-${assignment.replace(/[^A-Za-z0-9]+/g, '-')}`;
  return (
    <section
      className="ngshare-DeadlineEditor"
      aria-labelledby={`${id}-title`}
      data-assignment={assignment}
    >
      <h3 id={`${id}-title`} className="ngshare-SectionTitle">
        {trans.__('Deadline of %1', assignment)}
      </h3>
      {error && (
        <ErrorMessage
          title={trans.__('Could not change the deadline of %1.', assignment)}
          problem={error.problem}
          trans={trans}
          onDismiss={props.onDismissError}
        />
      )}
      <div className="ngshare-Form">
        <label className="ngshare-Block" htmlFor={`${id}-due`}>
          {trans.__('Due (your time zone, %1)', zone)}
        </label>
        <input
          id={`${id}-due`}
          type="datetime-local"
          value={due}
          onChange={e => setDue(e.target.value)}
        />
        <label className="ngshare-Block">
          <input type="checkbox" checked={hard} onChange={e => setHard(e.target.checked)} />{' '}
          {trans.__('Hard deadline: refuse submissions after it')}
        </label>
        <div className="ngshare-Toolbar">
          <ActionButton
            label={deadline ? trans.__('Save deadline') : trans.__('Set deadline')}
            busyLabel={trans.__('Saving…')}
            busy={busy}
            disabled={!dueIso}
            variant="primary"
            small
            onClick={() => dueIso && void props.onSetDeadline(assignment, dueIso, hard)}
          />
          {deadline && !confirmClear && (
            <button
              type="button"
              className="ngshare-Button ngshare-ButtonSmall ngshare-ButtonDanger"
              disabled={busy}
              onClick={() => setConfirmClear(true)}
            >
              {trans.__('Clear deadline')}
            </button>
          )}
          <button
            type="button"
            className="ngshare-Button ngshare-ButtonSmall"
            onClick={props.onClose}
          >
            {trans.__('Close')}
          </button>
        </div>
        {deadline && confirmClear && (
          <div className="ngshare-Confirm" role="group" aria-label={trans.__('Clear deadline')}>
            <p>
              {trans._n(
                'Clear the deadline of %2 and its %1 extension? Submissions are then no longer marked late.',
                'Clear the deadline of %2 and its %1 extensions? Submissions are then no longer marked late.',
                deadline.extensions.length,
                assignment
              )}
            </p>
            <ActionButton
              label={trans.__('Clear deadline and extensions')}
              busyLabel={trans.__('Clearing…')}
              busy={busy}
              variant="danger"
              small
              onClick={() => void props.onClearDeadline(assignment)}
            />
            <button
              type="button"
              className="ngshare-Button ngshare-ButtonSmall"
              onClick={() => setConfirmClear(false)}
            >
              {trans.__('Cancel')}
            </button>
          </div>
        )}
      </div>
      {deadline && <ExtensionsEditor {...props} deadline={deadline} idBase={id} />}
    </section>
  );
}

function ExtensionsEditor(
  props: IDeadlinesViewProps & { assignment: string; deadline: IDeadline; idBase: string }
): JSX.Element {
  const { trans, assignment, deadline, idBase } = props;
  const zone = props.timeZone ?? viewerTimeZone();
  const [student, setStudent] = useState('');
  const [until, setUntil] = useState('');
  const untilIso = localInputToIso(until);
  const busy = props.isRunning(`extension:${assignment}`);
  return (
    <div className="ngshare-Extensions">
      <h4 className="ngshare-SectionTitle">{trans.__('Extensions')}</h4>
      {deadline.extensions.length === 0 ? (
        <p className="ngshare-Empty">{trans.__('No extensions.')}</p>
      ) : (
        <table className="ngshare-Table" aria-label={trans.__('Extensions of %1', assignment)}>
          <thead>
            <tr>
              <th scope="col">{trans.__('Student')}</th>
              <th scope="col">{trans.__('Until')}</th>
              <th scope="col">{trans.__('Actions')}</th>
            </tr>
          </thead>
          <tbody>
            {deadline.extensions.map(e => (
              <tr key={e.student} data-student={e.student}>
                <th scope="row">{e.student}</th>
                <td>
                  <Timestamp value={e.due} relative={false} />
                </td>
                <td className="ngshare-Actions">
                  <ActionButton
                    label={trans.__('Revoke')}
                    busyLabel={trans.__('Revoking…')}
                    busy={busy}
                    variant="danger"
                    small
                    title={trans.__('Revoke the extension of %1', e.student)}
                    onClick={() => void props.onRevokeExtension(assignment, e.student)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="ngshare-Form">
        <label className="ngshare-Block" htmlFor={`${idBase}-student`}>
          {trans.__('Student')}
        </label>
        <select id={`${idBase}-student`} value={student} onChange={e => setStudent(e.target.value)}>
          <option value="">{trans.__('Choose a student')}</option>
          {props.students.map(s => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label className="ngshare-Block" htmlFor={`${idBase}-until`}>
          {trans.__('Extension until (your time zone, %1)', zone)}
        </label>
        <input
          id={`${idBase}-until`}
          type="datetime-local"
          value={until}
          onChange={e => setUntil(e.target.value)}
        />
        <div className="ngshare-Toolbar">
          <ActionButton
            label={trans.__('Grant extension')}
            busyLabel={trans.__('Granting…')}
            busy={busy}
            disabled={!student || !untilIso}
            small
            onClick={() => untilIso && void props.onGrantExtension(assignment, student, untilIso)}
          />
        </div>
      </div>
    </div>
  );
}
