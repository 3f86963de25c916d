/** The instructor panel's Roster tab: students, instructors and the CSV import. */
import React from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IPersonRow } from '../tokens';
import { SectionView } from './common';
import { CsvImport } from './CsvImport';
import { HubGroupsBox } from './HubGroupsBox';
import type { IInstructorPanelProps } from './InstructorPanel';

export type IRosterViewProps = Pick<
  IInstructorPanelProps,
  | 'trans'
  | 'roster'
  | 'isRunning'
  | 'onRefresh'
  | 'onAddStudent'
  | 'onEditStudent'
  | 'onRemoveStudent'
  | 'onAddInstructor'
  | 'onEditInstructor'
  | 'onRemoveInstructor'
  | 'onPreviewCsv'
  | 'onApplyImport'
  | 'course'
  | 'onFollowGroups'
  | 'canNameInstructorGroup'
  | 'onSyncGroups'
  | 'onUnfollowGroups'
>;

function PeopleTable(props: {
  title: string;
  people: IPersonRow[];
  trans: TranslationBundle;
  onEdit: (row: IPersonRow) => void;
  onRemove: (username: string) => void;
}): JSX.Element {
  const { trans } = props;
  return (
    <table className="ngshare-Table" aria-label={props.title}>
      <thead>
        <tr>
          <th scope="col">{trans.__('User name')}</th>
          <th scope="col">{trans.__('First name')}</th>
          <th scope="col">{trans.__('Last name')}</th>
          <th scope="col">{trans.__('Email')}</th>
          <th scope="col">{trans.__('Actions')}</th>
        </tr>
      </thead>
      <tbody>
        {props.people.map(p => (
          <tr key={p.username} data-username={p.username}>
            <th scope="row">{p.username}</th>
            <td>{p.first_name}</td>
            <td>{p.last_name}</td>
            <td>{p.email}</td>
            <td className="ngshare-Actions">
              <button
                type="button"
                className="ngshare-Button ngshare-ButtonSmall"
                onClick={() => props.onEdit(p)}
              >
                {trans.__('Edit')}
              </button>
              <button
                type="button"
                className="ngshare-Button ngshare-ButtonSmall ngshare-ButtonDanger"
                onClick={() => props.onRemove(p.username)}
              >
                {trans.__('Remove')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RosterView(props: IRosterViewProps): JSX.Element {
  const { trans, roster } = props;
  const groups = roster.items.groups;
  return (
    <>
      {roster.status === 'ready' && groups !== undefined && props.course && (
        <HubGroupsBox
          trans={trans}
          course={props.course}
          groups={groups}
          busy={props.isRunning('groups')}
          onFollow={props.onFollowGroups}
          canNameInstructorGroup={props.canNameInstructorGroup}
          onSync={props.onSyncGroups}
          onUnfollow={props.onUnfollowGroups}
        />
      )}
      <SectionView
        title={trans.__('Students')}
        section={roster}
        isEmpty={false}
        emptyText=""
        trans={trans}
        onRetry={props.onRefresh}
      >
        <div className="ngshare-Toolbar">
          <button
            type="button"
            className="ngshare-Button ngshare-ButtonSmall"
            onClick={props.onAddStudent}
          >
            {trans.__('Add student')}
          </button>
          <span className="ngshare-Note">
            {trans._n('%1 student', '%1 students', roster.items.students.length)}
          </span>
        </div>
        {roster.items.students.length === 0 ? (
          <p className="ngshare-Empty">{trans.__('No students yet.')}</p>
        ) : (
          <PeopleTable
            title={trans.__('Students')}
            people={roster.items.students}
            trans={trans}
            onEdit={props.onEditStudent}
            onRemove={props.onRemoveStudent}
          />
        )}
      </SectionView>
      <SectionView
        title={trans.__('Instructors')}
        section={roster}
        isEmpty={false}
        emptyText=""
        trans={trans}
        onRetry={props.onRefresh}
      >
        <div className="ngshare-Toolbar">
          <button
            type="button"
            className="ngshare-Button ngshare-ButtonSmall"
            onClick={props.onAddInstructor}
          >
            {trans.__('Add instructor')}
          </button>
          <span className="ngshare-Note">
            {trans.__('Adding or removing instructors needs an ngshare administrator.')}
          </span>
        </div>
        <PeopleTable
          title={trans.__('Instructors')}
          people={roster.items.instructors}
          trans={trans}
          onEdit={props.onEditInstructor}
          onRemove={props.onRemoveInstructor}
        />
      </SectionView>
      <CsvImport {...props} />
    </>
  );
}
