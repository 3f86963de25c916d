import React from 'react';
import { localTimestamp } from '../vocabulary/time';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { nullTranslator } from '@jupyterlab/translation';
import { AssignmentsPanel, IAssignmentsPanelProps } from './AssignmentsPanel';
import { CoursesPanel } from './CoursesPanel';
import { adminPageUrl } from './format';
import { IInstructorPanelProps, InstructorPanel } from './InstructorPanel';
import { SubmitPreview } from './SubmitPreview';
import { UpdatePreview } from './UpdatePreview';
import { HubGroupsBox } from './HubGroupsBox';
import type { ISection } from '../tokens';

const trans = nullTranslator.load('ngshare_ts');
const ready = <T,>(items: T): ISection<T> => ({ status: 'ready', items, error: null });

function studentProps(over: Partial<IAssignmentsPanelProps> = {}): IAssignmentsPanelProps {
  return {
    trans,
    user: 'alice',
    courses: ready(['course1', 'course2']),
    course: 'course1',
    released: ready([{ course: 'course1', assignment: 'ps1' }]),
    downloaded: ready([
      { course: 'course1', assignment: 'ps2', path: 'ps2', notebooks: ['ps2/p2.ipynb'] }
    ]),
    submitted: ready([
      {
        course: 'course1',
        assignment: 'ps2',
        submissions: [
          {
            timestamp: '2026-11-25 10:00:01.000001',
            feedback: 'available',
            feedbackPath: null,
            feedbackFiles: []
          }
        ]
      }
    ]),
    deadlines: ready([]),
    isRunning: () => false,
    progress: () => null,
    onSelectCourse: jest.fn(),
    onRefresh: jest.fn(),
    onRetryCourses: jest.fn(),
    onFetch: jest.fn(),
    onRestore: jest.fn(),
    onUpdate: jest.fn(),
    onSubmit: jest.fn(),
    onOpen: jest.fn(),
    onFetchFeedback: jest.fn(),
    onOpenFeedback: jest.fn(),
    onShowReceipt: jest.fn(),
    ...over
  };
}

describe('AssignmentsPanel', () => {
  it('renders the three sections with their actions, by role and name', () => {
    const props = studentProps();
    render(<AssignmentsPanel {...props} />);
    const released = screen.getByRole('region', { name: 'Released assignments' });
    fireEvent.click(within(released).getByRole('button', { name: 'Fetch' }));
    expect(props.onFetch).toHaveBeenCalledWith('ps1');

    const downloaded = screen.getByRole('region', { name: 'Downloaded assignments' });
    fireEvent.click(within(downloaded).getByRole('button', { name: 'Submit' }));
    expect(props.onSubmit).toHaveBeenCalledWith('ps2');
    fireEvent.click(within(downloaded).getByRole('button', { name: 'p2.ipynb' }));
    expect(props.onOpen).toHaveBeenCalledWith('ps2/p2.ipynb');

    const submitted = screen.getByRole('region', { name: 'Submitted assignments' });
    // local time with its zone; the exchange's exact value in the tooltip
    const time = submitted.querySelector('time[data-timestamp="2026-11-25 10:00:01.000001"]');
    expect(time?.getAttribute('title')).toBe('2026-11-25 10:00:01.000001 UTC');
    expect(time?.getAttribute('dateTime')).toBe('2026-11-25T10:00:01.000Z');
    expect(time?.textContent).toBe(localTimestamp('2026-11-25 10:00:01.000001'));
    expect(within(submitted).getByText('feedback available to fetch')).toBeTruthy();
    fireEvent.click(within(submitted).getByRole('button', { name: 'Fetch feedback' }));
    expect(props.onFetchFeedback).toHaveBeenCalledWith('ps2');
  });

  it('tells of a newer version of a downloaded assignment, with Get update', () => {
    const props = studentProps({
      downloaded: ready([
        {
          course: 'course1',
          assignment: 'ps2',
          path: 'ps2',
          notebooks: ['ps2/p2.ipynb'],
          update: { current: 3, fetched: 1 }
        }
      ])
    });
    render(<AssignmentsPanel {...props} />);
    const downloaded = screen.getByRole('region', { name: 'Downloaded assignments' });
    expect(
      within(downloaded).getByText('Version 3 is available (you have version 1).')
    ).toBeTruthy();
    fireEvent.click(within(downloaded).getByRole('button', { name: 'Get update' }));
    expect(props.onUpdate).toHaveBeenCalledWith('ps2');
  });

  it('previews an update file by file', () => {
    render(
      <UpdatePreview
        trans={trans}
        plan={{
          course: 'course1',
          assignment: 'ps2',
          path: 'ps2',
          from: 1,
          to: 2,
          restore: ['data.csv'],
          replace: ['helper.py'],
          beside: [{ path: 'p2.ipynb', copy: 'p2 (version 2).ipynb' }],
          kept: ['old.txt'],
          same: 2
        }}
      />
    );
    const list = (name: RegExp) =>
      within(screen.getByRole('list', { name })).getAllByRole('listitem');
    expect(list(/New or missing/).map(li => li.textContent)).toEqual(['data.csv']);
    expect(list(/not by you/).map(li => li.textContent)).toEqual(['helper.py']);
    expect(list(/beside yours/).map(li => li.textContent)).toEqual([
      'p2.ipynb → p2 (version 2).ipynb'
    ]);
    expect(list(/No longer part/).map(li => li.textContent)).toEqual(['old.txt']);
    expect(screen.getByText('2 files are already up to date.')).toBeTruthy();
    expect(screen.getByText(/From version 1 to version 2 of ps2/)).toBeTruthy();
  });

  it('selects a course', () => {
    const props = studentProps();
    render(<AssignmentsPanel {...props} />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Course' }), {
      target: { value: 'course2' }
    });
    expect(props.onSelectCourse).toHaveBeenCalledWith('course2');
  });

  it('shows loading, empty and error states; errors have a Retry', () => {
    const props = studentProps({
      released: { status: 'loading', items: [], error: null },
      downloaded: ready([]),
      submitted: {
        status: 'error',
        items: [],
        error: {
          kind: 'permission',
          summary: 'The exchange does not allow you to do this in this course.',
          action: 'Check that the right course is selected.',
          contact: 'Ask your instructor to add you to the course.',
          detail: 'HTTP 403\nResponseError: Permission denied'
        }
      }
    });
    render(<AssignmentsPanel {...props} />);
    const released = screen.getByRole('region', { name: 'Released assignments' });
    expect(within(released).getByRole('status').textContent).toMatch(/Loading/);
    expect(screen.getByText('There are no downloaded assignments.')).toBeTruthy();
    const alert = within(screen.getByRole('region', { name: 'Submitted assignments' })).getByRole(
      'alert'
    );
    expect(alert.textContent).toContain('does not allow you');
    expect(alert.textContent).toContain('Ask your instructor');
    // the technical detail is behind "Details"
    const details = alert.querySelector('details');
    expect(details?.querySelector('summary')?.textContent).toBe('Details');
    expect(details?.textContent).toContain('Permission denied');
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(props.onRefresh).toHaveBeenCalled();
  });

  it('shows the connection problem and a running task', () => {
    const props = studentProps({
      banner: {
        kind: 'unreachable',
        summary: 'The exchange is not available right now.',
        action: 'Wait a few minutes and try again.',
        contact: '',
        detail: 'HTTP 503'
      },
      isRunning: k => k === 'fetch:ps1',
      progress: k =>
        k === 'fetch:ps1'
          ? { label: 'Writing', done: 1, total: 4, bytesDone: 1000, bytesTotal: 4000 }
          : null
    });
    render(<AssignmentsPanel {...props} />);
    expect(screen.getAllByRole('alert')[0].textContent).toMatch(/not available right now/);
    const busy = screen.getByRole('button', { name: 'Fetching…' }) as HTMLButtonElement;
    expect(busy.disabled).toBe(true);
    expect(screen.getByText('Writing: 1 of 4 files, 1.0 kB of 4.0 kB')).toBeTruthy();
  });

  it('says that new feedback arrived, and when, only while there is feedback to fetch', () => {
    const item = (feedback: 'available' | 'fetched') => ({
      course: 'course1',
      assignment: 'ps2',
      submissions: [
        { timestamp: 't1', feedback, feedbackPath: null, feedbackFiles: [] as string[] }
      ],
      feedbackArrivedAt: '2026-11-26 09:30:00.000000'
    });
    const { unmount } = render(
      <AssignmentsPanel {...studentProps({ submitted: ready([item('available')]) })} />
    );
    const note = document.querySelector('[data-new-feedback]');
    expect(note?.textContent).toContain('New feedback');
    expect(
      note?.querySelector('time[data-timestamp="2026-11-26 09:30:00.000000"]')?.textContent
    ).toContain(localTimestamp('2026-11-26 09:30:00.000000'));
    unmount();
    render(<AssignmentsPanel {...studentProps({ submitted: ready([item('fetched')]) })} />);
    expect(document.querySelector('[data-new-feedback]')).toBeNull();
    expect(screen.queryByText('New feedback')).toBeNull();
  });

  it('disables Fetch feedback when there is nothing new', () => {
    const props = studentProps({
      submitted: ready([
        {
          course: 'course1',
          assignment: 'ps2',
          submissions: [
            {
              timestamp: 't1',
              feedback: 'fetched',
              feedbackPath: 'ps2/feedback/t1',
              feedbackFiles: ['ps2/feedback/t1/p2.html']
            }
          ]
        }
      ])
    });
    render(<AssignmentsPanel {...props} />);
    expect(
      (screen.getByRole('button', { name: 'Fetch feedback' }) as HTMLButtonElement).disabled
    ).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'View feedback p2.html' }));
    expect(props.onOpenFeedback).toHaveBeenCalledWith('ps2/feedback/t1/p2.html');
  });
});

describe('HubGroupsBox', () => {
  const base = {
    trans,
    course: 'c1',
    busy: false,
    onFollow: jest.fn(),
    onSync: jest.fn(),
    onUnfollow: jest.fn()
  };

  it("offers to follow nbgrader's student group for the course, or another name", () => {
    const onFollow = jest.fn();
    render(<HubGroupsBox {...base} groups={null} onFollow={onFollow} />);
    expect(screen.getByText('Students are kept by hand.')).toBeTruthy();
    const input = screen.getByRole('textbox', { name: 'Student group' }) as HTMLInputElement;
    expect(input.value).toBe('nbgrader-c1');
    fireEvent.click(screen.getByRole('button', { name: 'Follow hub group' }));
    expect(onFollow).toHaveBeenLastCalledWith('nbgrader-c1', '');
    fireEvent.change(input, { target: { value: ' bio students ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Follow hub group' }));
    expect(onFollow).toHaveBeenLastCalledWith('bio students', '');
    fireEvent.change(input, { target: { value: '  ' } });
    expect(
      (screen.getByRole('button', { name: 'Follow hub group' }) as HTMLButtonElement).disabled
    ).toBe(true);
  });

  it('lets an administrator make the instructors follow a group too (none for instructors)', () => {
    const onFollow = jest.fn();
    const { unmount } = render(<HubGroupsBox {...base} groups={null} onFollow={onFollow} />);
    expect(screen.queryByRole('textbox', { name: 'Instructor group' })).toBeNull();
    unmount();
    render(<HubGroupsBox {...base} groups={null} onFollow={onFollow} canNameInstructorGroup />);
    const input = screen.getByRole('textbox', { name: 'Instructor group' }) as HTMLInputElement;
    expect(input.value).toBe('formgrade-c1');
    expect(input.disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Follow hub group' }));
    expect(onFollow).toHaveBeenLastCalledWith('nbgrader-c1', ''); // unticked: by hand
    fireEvent.click(screen.getByRole('checkbox', { name: /Instructors follow too/ }));
    expect(input.disabled).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Follow hub group' }));
    expect(onFollow).toHaveBeenLastCalledWith('nbgrader-c1', 'formgrade-c1');
    // instructors only: the student group may be left empty
    fireEvent.change(screen.getByRole('textbox', { name: 'Student group' }), {
      target: { value: '' }
    });
    fireEvent.click(screen.getByRole('button', { name: 'Follow hub group' }));
    expect(onFollow).toHaveBeenLastCalledWith('', 'formgrade-c1');
  });

  it('shows the group followed, the last sync and its changes, with Sync now and Stop following', () => {
    const onSync = jest.fn();
    const onUnfollow = jest.fn();
    render(
      <HubGroupsBox
        {...base}
        onSync={onSync}
        onUnfollow={onUnfollow}
        groups={{
          studentGroup: 'nbgrader-c1',
          instructorGroup: 'formgrade-c1',
          syncedAt: '2026-12-07 09:00:00.000000',
          lastChanges: {
            addedStudents: ['a', 'b'],
            removedStudents: ['c'],
            addedInstructors: [],
            removedInstructors: [],
            skipped: []
          }
        }}
      />
    );
    expect(screen.getByText(/Students follow the hub group nbgrader-c1\./)).toBeTruthy();
    expect(screen.getByText(/Instructors follow the hub group formgrade-c1\./)).toBeTruthy();
    expect(document.querySelector('[data-hub-groups-synced]')?.textContent).toContain(
      '2 added, 1 removed'
    );
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    fireEvent.click(screen.getByRole('button', { name: 'Stop following' }));
    expect(onSync).toHaveBeenCalledTimes(1);
    expect(onUnfollow).toHaveBeenCalledTimes(1);
  });
});

describe('SubmitPreview', () => {
  it('lists files with sizes and warns about re-submission and missing notebooks', () => {
    render(
      <SubmitPreview
        trans={trans}
        plan={{
          course: 'c',
          assignment: 'ps1',
          path: 'ps1',
          files: [{ path: 'p1.ipynb', size: 2048 }],
          totalSize: 2048,
          ignored: ['.ipynb_checkpoints/'],
          tooLarge: [],
          missing: ['p2.ipynb'],
          extra: [],
          previousSubmissions: 2,
          blocked: null
        }}
      />
    );
    const table = screen.getByRole('table', { name: 'Files to submit' });
    expect(within(table).getByText('p1.ipynb')).toBeTruthy();
    expect(within(table).getAllByText('2.0 kB')).toHaveLength(2);
    expect(screen.getByRole('note').textContent).toMatch(/already submitted ps1 2 times/);
    expect(screen.getByText(/Missing notebooks.*p2.ipynb/)).toBeTruthy();
  });
});

describe('CoursesPanel', () => {
  it('shows the role per course and offers Manage only where we teach', () => {
    const onManage = jest.fn();
    render(
      <CoursesPanel
        trans={trans}
        user="prof"
        isAdmin={false}
        courses={ready([
          { course: 'c1', role: 'instructor' },
          { course: 'c2', role: 'student' }
        ])}
        onRefresh={jest.fn()}
        onOpenAssignments={jest.fn()}
        onManage={onManage}
        onCreateCourse={jest.fn()}
      />
    );
    const list = screen.getByRole('list', { name: 'My courses' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map(r => r.getAttribute('aria-label'))).toEqual(['c1', 'c2']);
    expect(within(rows[0]).getByText('Instructor')).toBeTruthy();
    expect(within(rows[1]).getByText('Student')).toBeTruthy();
    expect(within(rows[1]).queryByRole('button', { name: 'Manage' })).toBeNull();
    fireEvent.click(within(rows[0]).getByRole('button', { name: 'Manage' }));
    expect(onManage).toHaveBeenCalledWith('c1');
    expect(screen.queryByRole('button', { name: 'Create course' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Admin page' })).toBeNull();
  });

  it('links the admin page for admins, in a new tab', () => {
    const props = {
      trans,
      user: 'root',
      courses: ready([]),
      adminPageUrl: adminPageUrl('/services/ngshare/'),
      onRefresh: jest.fn(),
      onOpenAssignments: jest.fn(),
      onManage: jest.fn(),
      onCreateCourse: jest.fn()
    };
    const { unmount } = render(<CoursesPanel {...props} isAdmin={true} />);
    const link = screen.getByRole('link', { name: 'Admin page' });
    expect(link.getAttribute('href')).toBe('/services/ngshare/admin');
    expect(link.getAttribute('target')).toBe('_blank');
    unmount();
    render(<CoursesPanel {...props} isAdmin={false} />);
    expect(screen.queryByRole('link', { name: 'Admin page' })).toBeNull();
    expect(adminPageUrl('http://127.0.0.1:12121/api/', 'a b')).toBe(
      'http://127.0.0.1:12121/api/admin?user=a%20b'
    );
  });
});

function instructorProps(over: Partial<IInstructorPanelProps> = {}): IInstructorPanelProps {
  return {
    trans,
    course: 'c1',
    courses: ['c1'],
    coursesStatus: { status: 'ready', error: null },
    courseDir: 'c1',
    assignments: ready([
      {
        assignment: 'ps1',
        released: true,
        local: true,
        submissionCount: 3,
        studentsSubmitted: 2,
        lastSubmission: '2026-11-25 10:00:03.000001',
        feedbackCount: 1
      },
      {
        assignment: 'ps2',
        released: false,
        local: true,
        submissionCount: 0,
        studentsSubmitted: 0,
        lastSubmission: null,
        feedbackCount: 0
      }
    ]),
    matrix: ready({
      assignments: ['ps1'],
      rows: [
        {
          student: 'alice',
          name: 'Alice A',
          enrolled: true,
          cells: { ps1: { state: 'resubmitted', timestamps: ['t1', 't2'], collected: null } }
        },
        {
          student: 'bob',
          name: 'Bob B',
          enrolled: true,
          cells: { ps1: { state: 'none', timestamps: [], collected: null } }
        }
      ]
    }),
    roster: ready({
      students: [{ username: 'alice', first_name: 'Alice', last_name: 'A', email: 'a@x' }],
      instructors: [{ username: 'prof', first_name: 'P', last_name: 'R', email: '' }]
    }),
    deadlines: ready([]),
    deadlineError: null,
    report: null,
    isRunning: () => false,
    progress: () => null,
    onSelectCourse: jest.fn(),
    onRefresh: jest.fn(),
    onRetryCourses: jest.fn(),
    onRelease: jest.fn(),
    onReRelease: jest.fn(),
    onNewVersion: jest.fn(),
    onUnrelease: jest.fn(),
    onCollect: jest.fn(),
    onReleaseFeedback: jest.fn(),
    onLoadMatrix: jest.fn(),
    onAddStudent: jest.fn(),
    onEditStudent: jest.fn(),
    onRemoveStudent: jest.fn(),
    onAddInstructor: jest.fn(),
    onEditInstructor: jest.fn(),
    onRemoveInstructor: jest.fn(),
    onPreviewCsv: jest.fn(() => ({
      adds: [{ line: 2, student_id: 'erin', first_name: 'E', last_name: 'R', email: '' }],
      updates: [],
      unchanged: [],
      invalid: [],
      removals: []
    })),
    onFollowGroups: jest.fn(),
    onSyncGroups: jest.fn(),
    onUnfollowGroups: jest.fn(),
    onApplyImport: jest.fn(async () => [
      {
        student: 'erin',
        action: 'add' as const,
        success: false,
        message: 'Cannot add instructor as student'
      }
    ]),
    onDismissReport: jest.fn(),
    onSetDeadline: jest.fn(async () => true),
    onClearDeadline: jest.fn(async () => true),
    onGrantExtension: jest.fn(async () => true),
    onRevokeExtension: jest.fn(async () => true),
    onDismissDeadlineError: jest.fn(),
    onReloadDeadlines: jest.fn(),
    history: {
      supported: true,
      action: '',
      hasOlder: false,
      section: { status: 'idle', items: [], error: null }
    },
    onLoadHistory: jest.fn(),
    onLoadOlderHistory: jest.fn(),
    onExportHistory: jest.fn(),
    ...over
  };
}

describe('InstructorPanel', () => {
  it('offers Release for local assignments and Collect / Release feedback for released ones', () => {
    const props = instructorProps();
    render(<InstructorPanel {...props} />);
    const table = screen.getByRole('table', { name: 'Assignments' });
    const [ps1, ps2] = within(table).getAllByRole('row').slice(1);
    expect(within(ps1).getByText('2 (3)')).toBeTruthy();
    fireEvent.click(within(ps1).getByRole('button', { name: 'Collect' }));
    expect(props.onCollect).toHaveBeenCalledWith('ps1');
    fireEvent.click(within(ps1).getByRole('button', { name: 'Release feedback' }));
    expect(props.onReleaseFeedback).toHaveBeenCalledWith('ps1');
    fireEvent.click(within(ps1).getByRole('button', { name: 'Unrelease' }));
    expect(props.onUnrelease).toHaveBeenCalledWith('ps1');
    fireEvent.click(within(ps1).getByRole('button', { name: 'New version' }));
    expect(props.onNewVersion).toHaveBeenCalledWith('ps1');
    expect(within(ps2).queryByRole('button', { name: 'New version' })).toBeNull();
    fireEvent.click(within(ps2).getByRole('button', { name: 'Release' }));
    expect(props.onRelease).toHaveBeenCalledWith('ps2');
  });

  it('shows the submissions matrix with filter and per-student history', () => {
    const props = instructorProps();
    render(<InstructorPanel {...props} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Submissions' }));
    expect(props.onLoadMatrix).toHaveBeenCalled();
    const matrix = screen.getByRole('table', { name: 'Submissions matrix' });
    expect(within(matrix).getAllByRole('row')).toHaveLength(3);
    fireEvent.click(within(matrix).getByRole('button', { name: 'alice, ps1: submitted 2 times' }));
    const history = screen.getByRole('region', { name: 'History of alice' });
    expect(
      within(history)
        .getAllByRole('listitem')
        .map(li => li.textContent)
    ).toEqual(['t1', 't2']);
    fireEvent.click(within(history).getByRole('button', { name: 'Collect' }));
    expect(props.onCollect).toHaveBeenCalledWith('ps1', 'alice');
    expect(screen.getByRole('region', { name: 'Not submitted' }).textContent).toContain('bob');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter students' }), {
      target: { value: 'bob' }
    });
    expect(within(matrix).getAllByRole('row')).toHaveLength(2);
  });

  it('previews a CSV import and shows per-row results', async () => {
    const props = instructorProps();
    render(<InstructorPanel {...props} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Roster' }));
    expect(screen.getByRole('table', { name: 'Students' }).textContent).toContain('alice');
    fireEvent.change(screen.getByRole('textbox', { name: 'CSV text' }), {
      target: { value: 'student_id\nerin' }
    });
    fireEvent.click(screen.getByRole('button', { name: 'Preview import' }));
    expect(props.onPreviewCsv).toHaveBeenCalledWith('student_id\nerin', false);
    const preview = screen.getByRole('table', { name: 'Import preview' });
    expect(preview.textContent).toContain('erin');
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    const results = await screen.findByRole('table', { name: 'Import results' });
    expect(results.textContent).toContain('Cannot add instructor as student');
  });

  it('shows a collect summary', () => {
    const props = instructorProps({
      report: {
        title: 'Collect ps1',
        course: 'c1',
        assignment: 'ps1',
        outcomes: [
          { student: 'alice', status: 'collected', detail: 't2' },
          { student: 'bob', status: 'skipped', detail: 'no newer submission (t1)' }
        ]
      }
    });
    render(<InstructorPanel {...props} />);
    const summary = screen.getByRole('region', { name: 'Collect ps1' });
    expect(summary.textContent).toContain('collected: 1, skipped: 1');
    expect(summary.textContent).toContain('no newer submission (t1)');
  });
});
