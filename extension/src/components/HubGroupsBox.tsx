/**
 * The Roster tab's "JupyterHub groups" box: whether the students follow a hub group (nbgrader's
 * `nbgrader-<course>` by default), when it was last synced and what that changed, with Follow,
 * Sync now and Stop following. Shown only when the exchange can follow groups (ngshare-ts v2).
 */
import React, { useState } from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IRosterChanges, IRosterGroups } from '../tokens';
import { ActionButton, Timestamp } from './common';

export interface IHubGroupsBoxProps {
  trans: TranslationBundle;
  course: string;
  groups: IRosterGroups | null;
  busy: boolean;
  /** Administrators may also make the instructors follow a group (nbgrader's formgrade-<course>). */
  canNameInstructorGroup?: boolean;
  /** `instructorGroup` '' keeps the instructors by hand. */
  onFollow: (studentGroup: string, instructorGroup: string) => void;
  onSync: () => void;
  onUnfollow: () => void;
}

function summary(c: IRosterChanges, trans: TranslationBundle): string {
  const added = c.addedStudents.length + c.addedInstructors.length;
  const removed = c.removedStudents.length + c.removedInstructors.length;
  return added + removed === 0
    ? trans.__('no changes')
    : trans.__('%1 added, %2 removed', added, removed);
}

export function HubGroupsBox(props: IHubGroupsBoxProps): JSX.Element {
  const { trans, groups } = props;
  const [name, setName] = useState(`nbgrader-${props.course}`);
  const [withInstructors, setWithInstructors] = useState(false);
  const [instructorName, setInstructorName] = useState(`formgrade-${props.course}`);
  const instructorGroup =
    props.canNameInstructorGroup && withInstructors ? instructorName.trim() : '';
  const follow = () => props.onFollow(name.trim(), instructorGroup);
  return (
    <section
      className="ngshare-Section ngshare-HubGroups"
      aria-label={trans.__('JupyterHub groups')}
    >
      <h2 className="ngshare-SectionTitle">{trans.__('JupyterHub groups')}</h2>
      {groups === null ? (
        <form
          className="ngshare-Toolbar ngshare-Form"
          onSubmit={e => {
            e.preventDefault();
            follow();
          }}
        >
          <label>
            {trans.__('Student group')}{' '}
            <input
              value={name}
              onChange={e => setName(e.target.value)}
              aria-label={trans.__('Student group')}
            />
          </label>
          {props.canNameInstructorGroup && (
            <>
              <label>
                <input
                  type="checkbox"
                  checked={withInstructors}
                  onChange={e => setWithInstructors(e.target.checked)}
                />{' '}
                {trans.__('Instructors follow too (administrators)')}
              </label>
              <label>
                {trans.__('Instructor group')}{' '}
                <input
                  value={instructorName}
                  disabled={!withInstructors}
                  onChange={e => setInstructorName(e.target.value)}
                  aria-label={trans.__('Instructor group')}
                />
              </label>
            </>
          )}
          <ActionButton
            label={trans.__('Follow hub group')}
            busyLabel={trans.__('Following…')}
            busy={props.busy}
            small
            disabled={name.trim() === '' && instructorGroup === ''}
            title={trans.__(
              'Keep the student roster equal to this JupyterHub group: members are added, others removed (their submissions stay)'
            )}
            onClick={follow}
          />
          <span className="ngshare-Note">{trans.__('Students are kept by hand.')}</span>
        </form>
      ) : (
        <div data-hub-groups="following">
          <p className="ngshare-Note">
            {groups.studentGroup !== null &&
              trans.__('Students follow the hub group %1.', groups.studentGroup)}{' '}
            {groups.instructorGroup !== null &&
              trans.__('Instructors follow the hub group %1.', groups.instructorGroup)}
          </p>
          {groups.syncedAt && (
            <p className="ngshare-Note" data-hub-groups-synced="true">
              {trans.__('Last synced')} <Timestamp value={groups.syncedAt} />
              {groups.lastChanges && `: ${summary(groups.lastChanges, trans)}`}
            </p>
          )}
          <div className="ngshare-Toolbar">
            <ActionButton
              label={trans.__('Sync now')}
              busyLabel={trans.__('Syncing…')}
              busy={props.busy}
              small
              title={trans.__(
                'Read the groups from JupyterHub now (it also happens every few minutes)'
              )}
              onClick={props.onSync}
            />
            <ActionButton
              label={trans.__('Stop following')}
              busyLabel={trans.__('Stopping…')}
              busy={false}
              disabled={props.busy}
              small
              title={trans.__('Keep the roster as it is and edit it by hand from now on')}
              onClick={props.onUnfollow}
            />
          </div>
        </div>
      )}
    </section>
  );
}
