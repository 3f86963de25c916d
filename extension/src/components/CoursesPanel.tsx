import React from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ICourseInfo, ISection, Role } from '../tokens';
import { SectionView } from './common';

export interface ICoursesPanelProps {
  trans: TranslationBundle;
  user: string;
  courses: ISection<ICourseInfo[]>;
  /** True only when the exchange says we are an ngshare administrator. */
  isAdmin: boolean;
  /** The service's admin page (opened in a new tab; admins only). */
  adminPageUrl?: string;
  onRefresh: () => void;
  onOpenAssignments: (course: string) => void;
  onManage: (course: string) => void;
  onCreateCourse: () => void;
}

export function roleLabel(role: Role, trans: TranslationBundle): string {
  switch (role) {
    case 'instructor':
      return trans.__('Instructor');
    case 'student':
      return trans.__('Student');
    case 'admin':
      return trans.__('Administrator');
    case 'unknown':
      return trans.__('Unknown role');
  }
}

/** The user's courses and their role in each, with the way into each side. */
export function CoursesPanel(props: ICoursesPanelProps): JSX.Element {
  const { trans, courses } = props;
  return (
    <div className="ngshare-Panel ngshare-CoursesPanel">
      <div className="ngshare-Toolbar">
        <span className="ngshare-User">{trans.__('Signed in as %1', props.user || '?')}</span>
        <button
          type="button"
          className="ngshare-Button ngshare-ButtonSmall"
          onClick={props.onRefresh}
        >
          {trans.__('Refresh')}
        </button>
        {/* Only ngshare administrators may create courses: offer nothing the exchange refuses. */}
        {props.isAdmin && (
          <button
            type="button"
            className="ngshare-Button ngshare-ButtonSmall"
            onClick={props.onCreateCourse}
          >
            {trans.__('Create course')}
          </button>
        )}
        {props.isAdmin && props.adminPageUrl && (
          <a
            className="ngshare-Button ngshare-ButtonSmall"
            href={props.adminPageUrl}
            target="_blank"
            rel="noopener noreferrer"
            title={trans.__('Courses, members, storage, health and recent errors of the exchange')}
          >
            {trans.__('Admin page')}
          </a>
        )}
      </div>
      <SectionView
        title={trans.__('My courses')}
        section={courses}
        isEmpty={courses.items.length === 0}
        emptyText={trans.__(
          'You are not a member of any course on the exchange. Ask your instructor to add %1 to the course.',
          props.user
        )}
        trans={trans}
        onRetry={props.onRefresh}
      >
        <ul className="ngshare-List" aria-label={trans.__('My courses')}>
          {courses.items.map(c => (
            <li
              key={c.course}
              className="ngshare-Item"
              data-course={c.course}
              aria-label={c.course}
            >
              <div className="ngshare-ItemRow">
                <span className="ngshare-ItemName">{c.course}</span>
                <span className={`ngshare-Role ngshare-Role-${c.role}`} title={c.error}>
                  {roleLabel(c.role, trans)}
                </span>
              </div>
              <div className="ngshare-Actions ngshare-ItemActions">
                <button
                  type="button"
                  className="ngshare-Button ngshare-ButtonSmall"
                  onClick={() => props.onOpenAssignments(c.course)}
                >
                  {trans.__('Assignments')}
                </button>
                {(c.role === 'instructor' || c.role === 'admin') && (
                  <button
                    type="button"
                    className="ngshare-Button ngshare-ButtonSmall ngshare-ButtonPrimary"
                    onClick={() => props.onManage(c.course)}
                  >
                    {trans.__('Manage')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      </SectionView>
    </div>
  );
}
