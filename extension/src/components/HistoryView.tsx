/**
 * The instructor panel's History tab: who did what and when in the course, newest first, with
 * an action filter, a text filter over the loaded events, older pages on demand and a CSV
 * export of everything (the exchange writes the CSV; see v2/history in docs/openapi.yaml).
 */
import React, { useState } from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IHistoryEvent, IHistoryState } from '../tokens';
import { ActionButton, SectionView, Timestamp } from './common';
import { formatBytes } from './format';

export interface IHistoryViewProps {
  trans: TranslationBundle;
  history: IHistoryState;
  isRunning: (key: string) => boolean;
  /** Reload the newest page under this action filter ('' = every action). */
  onLoad: (action: string) => void;
  onLoadOlder: () => void;
  onExport: () => void;
}

/** The exchange's action names, as the filter and the table say them. */
export function historyActionLabels(trans: TranslationBundle): Record<string, string> {
  return {
    course_create: trans.__('Course created'),
    course_delete: trans.__('Course deleted'),
    release: trans.__('Released'),
    unrelease: trans.__('Unreleased'),
    fetch: trans.__('Fetched'),
    submit: trans.__('Submitted'),
    collect: trans.__('Collected'),
    feedback_upload: trans.__('Feedback released'),
    feedback_fetch: trans.__('Feedback fetched'),
    roster_add: trans.__('Added to roster'),
    roster_remove: trans.__('Removed from roster'),
    deadline_set: trans.__('Deadline set'),
    deadline_clear: trans.__('Deadline cleared'),
    extension_set: trans.__('Extension granted'),
    extension_revoke: trans.__('Extension revoked'),
    groups_follow: trans.__('Hub groups followed'),
    groups_unfollow: trans.__('Hub groups unfollowed')
  };
}

/** The few words of `detail` worth a column: role, group, due date, deleted submissions. */
function describeDetail(e: IHistoryEvent, trans: TranslationBundle): string {
  const d = e.detail ?? {};
  const parts: string[] = [];
  if (typeof d.role === 'string') {
    parts.push(d.role === 'instructor' ? trans.__('instructor') : trans.__('student'));
  }
  if (typeof d.group === 'string') {
    parts.push(trans.__('via hub group %1', d.group));
  }
  if (typeof d.due === 'string') {
    parts.push(
      d.hard === true ? trans.__('due %1 (hard)', d.due) : trans.__('due %1', String(d.due))
    );
  }
  if (typeof d.submissions_deleted === 'number') {
    parts.push(trans.__('%1 submissions deleted', d.submissions_deleted));
  }
  if (typeof d.student_group === 'string') {
    parts.push(trans.__('students: %1', d.student_group));
  }
  if (typeof d.instructor_group === 'string') {
    parts.push(trans.__('instructors: %1', d.instructor_group));
  }
  return parts.join(', ');
}

const matches = (e: IHistoryEvent, needle: string, label: string): boolean =>
  [e.actor, e.student, e.assignment, e.checksum, label]
    .filter((v): v is string => typeof v === 'string')
    .some(v => v.toLowerCase().includes(needle));

export function HistoryView(props: IHistoryViewProps): JSX.Element {
  const { trans, history } = props;
  const [filter, setFilter] = useState('');
  const labels = historyActionLabels(trans);
  if (!history.supported) {
    return (
      <p className="ngshare-Empty">
        {trans.__(
          'This exchange keeps no history (it does not offer ngshare-ts’s v2 routes, e.g. ngshare 0.6).'
        )}
      </p>
    );
  }
  const needle = filter.trim().toLowerCase();
  const events = needle
    ? history.section.items.filter(e => matches(e, needle, labels[e.action] ?? e.action))
    : history.section.items;
  return (
    <div className="ngshare-History">
      <div className="ngshare-Toolbar">
        <label>
          <span>{trans.__('Action')}</span>{' '}
          <select
            aria-label={trans.__('Action')}
            value={history.action}
            onChange={e => props.onLoad(e.target.value)}
          >
            <option value="">{trans.__('Every action')}</option>
            {Object.entries(labels).map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          className="ngshare-Filter"
          aria-label={trans.__('Filter events')}
          placeholder={trans.__('Filter by person, assignment or checksum')}
          value={filter}
          onChange={e => setFilter(e.target.value)}
        />
        <button
          type="button"
          className="ngshare-Button ngshare-ButtonSmall"
          onClick={() => props.onLoad(history.action)}
        >
          {trans.__('Refresh')}
        </button>
        <ActionButton
          label={trans.__('Export CSV')}
          busyLabel={trans.__('Exporting…')}
          busy={props.isRunning('history:export')}
          small
          title={trans.__('Download every event (under the action filter) as a CSV file')}
          onClick={props.onExport}
        />
      </div>
      <SectionView
        title={trans.__('Course history')}
        section={history.section}
        isEmpty={events.length === 0}
        emptyText={
          needle
            ? trans.__('No loaded event matches the filter.')
            : trans.__('Nothing recorded yet.')
        }
        trans={trans}
        onRetry={() => props.onLoad(history.action)}
        headingLevel={3}
      >
        <table
          className="ngshare-Table ngshare-HistoryTable"
          aria-label={trans.__('Course history')}
        >
          <thead>
            <tr>
              <th scope="col">{trans.__('When')}</th>
              <th scope="col">{trans.__('Who')}</th>
              <th scope="col">{trans.__('What')}</th>
              <th scope="col">{trans.__('Assignment')}</th>
              <th scope="col">{trans.__('Student')}</th>
              <th scope="col">{trans.__('Files')}</th>
              <th scope="col">{trans.__('Checksum')}</th>
              <th scope="col">{trans.__('Details')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map(e => (
              <tr key={e.id} data-event-id={e.id} data-action={e.action}>
                <td>
                  <Timestamp value={e.at} relative={false} />
                </td>
                <td>{e.actor}</td>
                <td>{labels[e.action] ?? e.action}</td>
                <td>{e.assignment ?? ''}</td>
                <td>{e.student ?? ''}</td>
                <td>
                  {e.files === null
                    ? ''
                    : trans._n('%1 file', '%1 files', e.files) +
                      (e.bytes === null ? '' : `, ${formatBytes(e.bytes)}`)}
                </td>
                <td>
                  {e.checksum && (
                    <code className="ngshare-Checksum" title={e.checksum}>
                      {e.checksum.slice(0, 12)}
                    </code>
                  )}
                </td>
                <td>{describeDetail(e, trans)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {history.hasOlder && (
          <ActionButton
            label={trans.__('Load older events')}
            busyLabel={trans.__('Loading…')}
            busy={props.isRunning('history:older')}
            small
            onClick={props.onLoadOlder}
          />
        )}
      </SectionView>
    </div>
  );
}
