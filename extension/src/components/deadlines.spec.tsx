/**
 * Deadlines as the panels show them. Unit tests run in New York time (jest.config.js), so "local
 * time" below is EST / EDT, not the machine's UTC.
 */
import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { nullTranslator } from '@jupyterlab/translation';
import { AssignmentsPanel, IAssignmentsPanelProps } from './AssignmentsPanel';
import { DeadlineSummary, LateBadge, durationText } from './DeadlinesView';
import { IInstructorPanelProps, InstructorPanel } from './InstructorPanel';
import type { IDeadline, IMatrix, IProblem, ISection, IStudentDeadline } from '../tokens';

const trans = nullTranslator.load('ngshare_ts');
const ready = <T,>(items: T): ISection<T> => ({ status: 'ready', items, error: null });
const text = (el: Element | null): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const cells = (row: Element): string[] => [...row.children].map(text);

const hard: IStudentDeadline = {
  assignment: 'ps1',
  due: '2026-12-05T17:00:00Z',
  hard: true,
  extension: null,
  effectiveDue: '2026-12-05T17:00:00Z'
};

describe('DeadlineSummary', () => {
  it('shows the due date in the viewer’s time zone, the kind and the time left', () => {
    render(
      <DeadlineSummary deadline={hard} trans={trans} now={new Date('2026-12-03T14:30:00Z')} />
    );
    const group = screen.getByRole('group', { name: 'Deadline of ps1' });
    expect(group.getAttribute('data-kind')).toBe('hard');
    expect(group.getAttribute('data-state')).toBe('open');
    // 17:00 UTC is noon in New York; the exact UTC value is the tooltip
    const time = group.querySelector('time')!;
    expect(time.textContent).toBe('Dec 5, 2026, 12:00:00 PM EST');
    expect(time.getAttribute('title')).toBe('2026-12-05 17:00:00 UTC');
    expect(time.getAttribute('dateTime')).toBe('2026-12-05T17:00:00.000Z');
    expect([...group.querySelectorAll('p')].map(text)).toEqual([
      'Due Dec 5, 2026, 12:00:00 PM EST (hard deadline: later submissions are refused)',
      '2 days 2 hours left'
    ]);
  });

  it('counts down to the student’s extension, and says when a deadline has passed', () => {
    const { unmount } = render(
      <DeadlineSummary
        deadline={{
          ...hard,
          extension: '2026-12-07T17:00:00Z',
          effectiveDue: '2026-12-07T17:00:00Z'
        }}
        trans={trans}
        now={new Date('2026-12-05T18:00:00Z')}
      />
    );
    let group = screen.getByRole('group', { name: 'Deadline of ps1' });
    expect(text(group)).toContain('Your extension: until Dec 7, 2026, 12:00:00 PM EST');
    expect(text(group)).toContain('1 day 23 hours left');
    unmount();

    const after = new Date('2026-12-05T18:30:00Z');
    const r = render(<DeadlineSummary deadline={hard} trans={trans} now={after} />);
    group = screen.getByRole('group', { name: 'Deadline of ps1' });
    expect(group.getAttribute('data-state')).toBe('closed');
    expect(text(group)).toContain(
      'Closed 1 hour 30 minutes ago: the exchange no longer accepts submissions.'
    );
    r.unmount();

    render(<DeadlineSummary deadline={{ ...hard, hard: false }} trans={trans} now={after} />);
    group = screen.getByRole('group', { name: 'Deadline of ps1' });
    expect(group.getAttribute('data-state')).toBe('passed');
    expect(text(group)).toContain('(soft deadline: later submissions are marked late)');
    expect(text(group)).toContain('Passed 1 hour 30 minutes ago: a submission now counts as late.');
  });
});

describe('LateBadge', () => {
  it('says late and by how much in words, the due date that applied in the tooltip', () => {
    const { container } = render(
      <LateBadge
        lateness={{ late: true, secondsLate: 3725, due: '2026-12-05T17:00:00Z' }}
        trans={trans}
      />
    );
    const badge = container.querySelector('.ngshare-Badge')!;
    expect(badge.textContent).toBe('late by 1 hour 2 minutes');
    expect(badge.getAttribute('title')).toBe('Due date that applied: Dec 5, 2026, 12:00:00 PM EST');
  });

  it('marks on-time submissions only where asked', () => {
    const onTime = { late: false, secondsLate: 0, due: '2026-12-05T17:00:00Z' };
    const { container, rerender } = render(<LateBadge lateness={onTime} trans={trans} />);
    expect(container.textContent).toBe('');
    rerender(<LateBadge lateness={onTime} trans={trans} showOnTime />);
    expect(container.textContent).toBe('on time');
  });

  it('writes lengths of time with plurals', () => {
    expect(durationText(1, trans)).toBe('1 second');
    expect(durationText(86400 + 60, trans)).toBe('1 day');
    expect(durationText(2 * 86400 + 3 * 3600, trans)).toBe('2 days 3 hours');
  });
});

function studentProps(over: Partial<IAssignmentsPanelProps> = {}): IAssignmentsPanelProps {
  const inTwoDays = new Date(Date.now() + (2 * 86400 + 3 * 3600 + 30) * 1000);
  const due = inTwoDays.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    trans,
    user: 'alice',
    courses: ready(['course1']),
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
            feedback: 'none',
            feedbackPath: null,
            feedbackFiles: [],
            lateness: { late: false, secondsLate: 0, due: '2026-11-25T12:00:00Z' }
          },
          {
            timestamp: '2026-11-25 14:30:00.000001',
            feedback: 'none',
            feedbackPath: null,
            feedbackFiles: [],
            lateness: { late: true, secondsLate: 9000.000001, due: '2026-11-25T12:00:00Z' }
          }
        ]
      }
    ]),
    deadlines: ready([
      { assignment: 'ps1', due, hard: true, extension: null, effectiveDue: due },
      {
        assignment: 'ps2',
        due: '2026-11-25T12:00:00Z',
        hard: false,
        extension: null,
        effectiveDue: '2026-11-25T12:00:00Z'
      }
    ]),
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

describe('AssignmentsPanel with deadlines', () => {
  it('shows each deadline under its assignment and the late mark of each submission', () => {
    render(<AssignmentsPanel {...studentProps()} />);
    const released = screen.getByRole('region', { name: 'Released assignments' });
    const ps1 = within(released).getByRole('group', { name: 'Deadline of ps1' });
    expect(text(ps1)).toMatch(/^Due .* (EST|EDT) \(hard deadline: later submissions are refused\)/);
    expect(text(ps1)).toContain('2 days 3 hours left');

    const downloaded = screen.getByRole('region', { name: 'Downloaded assignments' });
    const ps2 = within(downloaded).getByRole('group', { name: 'Deadline of ps2' });
    expect(text(ps2)).toContain('Due Nov 25, 2026, 7:00:00 AM EST (soft deadline');
    expect(text(ps2)).toContain('a submission now counts as late');

    const submitted = screen.getByRole('region', { name: 'Submitted assignments' });
    const lines = within(submitted).getAllByRole('listitem').slice(1);
    expect(lines.map(l => l.getAttribute('data-late'))).toEqual(['false', 'true']);
    expect(text(lines[0])).toContain('on time');
    expect(text(lines[1])).toContain('late by 2 hours 30 minutes');
  });

  it('says when the deadlines could not be loaded, and keeps the lists', () => {
    render(
      <AssignmentsPanel
        {...studentProps({
          deadlines: {
            status: 'error',
            items: [],
            error: {
              kind: 'server-error',
              summary: 'The exchange had an internal error.',
              action: 'Try again in a moment.',
              contact: '',
              detail: 'HTTP 500'
            }
          }
        })}
      />
    );
    expect(text(screen.getByRole('alert'))).toContain(
      'Could not load the deadlines of course1. The exchange had an internal error.'
    );
    expect(screen.getByRole('region', { name: 'Released assignments' })).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Deadline of ps1' })).toBeNull();
  });
});

const deadline: IDeadline = {
  assignment: 'ps2',
  due: '2026-11-25T12:00:00Z',
  hard: false,
  released: true,
  extensions: [{ student: 'bob', due: '2026-11-26T12:00:00Z' }]
};

function instructorProps(over: Partial<IInstructorPanelProps> = {}): IInstructorPanelProps {
  const row = (assignment: string) => ({
    assignment,
    released: true,
    local: true,
    submissionCount: 1,
    studentsSubmitted: 1,
    lastSubmission: null,
    feedbackCount: 0
  });
  return {
    trans,
    course: 'c1',
    courses: ['c1'],
    coursesStatus: { status: 'ready', error: null },
    courseDir: 'c1',
    assignments: ready([row('ps1'), row('ps2')]),
    matrix: ready<IMatrix>({
      assignments: ['ps2'],
      rows: [
        {
          student: 'alice',
          name: 'Alice A',
          enrolled: true,
          cells: {
            ps2: {
              state: 'resubmitted',
              timestamps: ['2026-11-25 11:00:00.000001', '2026-11-25 14:00:00.000001'],
              collected: null,
              lateness: {
                '2026-11-25 11:00:00.000001': { late: false, secondsLate: 0, due: deadline.due },
                '2026-11-25 14:00:00.000001': {
                  late: true,
                  secondsLate: 7200.000001,
                  due: deadline.due
                }
              }
            }
          }
        },
        {
          student: 'bob',
          name: 'Bob B',
          enrolled: true,
          cells: {
            ps2: {
              state: 'submitted',
              timestamps: ['2026-11-25 14:00:00.000002'],
              collected: null,
              lateness: {
                '2026-11-25 14:00:00.000002': {
                  late: false,
                  secondsLate: 0,
                  due: '2026-11-26T12:00:00Z'
                }
              }
            }
          }
        }
      ]
    }),
    roster: ready({
      students: [
        { username: 'alice', first_name: 'Alice', last_name: 'A', email: '' },
        { username: 'bob', first_name: 'Bob', last_name: 'B', email: '' }
      ],
      instructors: []
    }),
    deadlines: ready([deadline]),
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
    onPreviewCsv: jest.fn(),
    onFollowGroups: jest.fn(),
    onSyncGroups: jest.fn(),
    onUnfollowGroups: jest.fn(),
    onApplyImport: jest.fn(),
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

function deadlinesTab(): HTMLElement {
  fireEvent.click(screen.getByRole('tab', { name: 'Deadlines' }));
  return screen.getByRole('table', { name: 'Deadlines' });
}

describe('InstructorPanel: deadlines', () => {
  it('lists each assignment’s deadline in local time, on the Assignments tab too', () => {
    render(<InstructorPanel {...instructorProps()} />);
    const assignments = screen.getByRole('table', { name: 'Assignments' });
    const ps2 = assignments.querySelector('tr[data-assignment="ps2"] td[data-deadline]')!;
    expect(text(ps2)).toBe('Nov 25, 2026, 7:00:00 AM EST (soft)');
    const table = deadlinesTab();
    const [ps1Row, ps2Row] = within(table).getAllByRole('row').slice(1);
    expect(cells(ps1Row)).toEqual(['ps1', 'no deadline', '—', '—', 'Set deadline']);
    expect(cells(ps2Row)).toEqual(['ps2', 'Nov 25, 2026, 7:00:00 AM EST', 'soft', '1', 'Change']);
    expect(
      screen.getByText(/Times are shown in your time zone \(America\/New_York\)/)
    ).toBeTruthy();
  });

  it('sets a hard deadline from the viewer’s local date and time, sent as UTC', () => {
    const props = instructorProps();
    render(<InstructorPanel {...props} />);
    deadlinesTab();
    fireEvent.click(screen.getByRole('button', { name: 'Set a deadline for ps1' }));
    const editor = screen.getByRole('region', { name: 'Deadline of ps1' });
    const save = within(editor).getByRole('button', { name: 'Set deadline' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true); // no date yet
    fireEvent.change(within(editor).getByLabelText('Due (your time zone, America/New_York)'), {
      target: { value: '2026-12-05T12:00' }
    });
    fireEvent.click(within(editor).getByRole('checkbox', { name: /Hard deadline/ }));
    fireEvent.click(save);
    // noon in New York in December is 17:00 UTC
    expect(props.onSetDeadline).toHaveBeenCalledWith('ps1', '2026-12-05T17:00:00Z', true);
    // no extensions before there is a deadline
    expect(within(editor).queryByRole('button', { name: 'Grant extension' })).toBeNull();
  });

  it('changes, clears (after confirming) and extends an existing deadline', () => {
    const props = instructorProps();
    render(<InstructorPanel {...props} />);
    deadlinesTab();
    fireEvent.click(screen.getByRole('button', { name: 'Change the deadline of ps2' }));
    const editor = screen.getByRole('region', { name: 'Deadline of ps2' });
    const due = within(editor).getByLabelText(/^Due/) as HTMLInputElement;
    expect(due.value).toBe('2026-11-25T07:00'); // the stored UTC time, in New York
    fireEvent.change(due, { target: { value: '2026-11-26T07:00' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save deadline' }));
    expect(props.onSetDeadline).toHaveBeenCalledWith('ps2', '2026-11-26T12:00:00Z', false);

    fireEvent.click(within(editor).getByRole('button', { name: 'Clear deadline' }));
    expect(props.onClearDeadline).not.toHaveBeenCalled();
    const confirm = within(editor).getByRole('group', { name: 'Clear deadline' });
    expect(text(confirm)).toContain('Clear the deadline of ps2 and its 1 extension?');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Clear deadline and extensions' }));
    expect(props.onClearDeadline).toHaveBeenCalledWith('ps2');

    const extensions = within(editor).getByRole('table', { name: 'Extensions of ps2' });
    expect(cells(within(extensions).getAllByRole('row')[1])).toEqual([
      'bob',
      'Nov 26, 2026, 7:00:00 AM EST',
      'Revoke'
    ]);
    fireEvent.click(within(extensions).getByRole('button', { name: 'Revoke' }));
    expect(props.onRevokeExtension).toHaveBeenCalledWith('ps2', 'bob');
    fireEvent.change(within(editor).getByRole('combobox', { name: 'Student' }), {
      target: { value: 'alice' }
    });
    fireEvent.change(within(editor).getByLabelText(/^Extension until/), {
      target: { value: '2026-11-27T09:30' }
    });
    fireEvent.click(within(editor).getByRole('button', { name: 'Grant extension' }));
    expect(props.onGrantExtension).toHaveBeenCalledWith('ps2', 'alice', '2026-11-27T14:30:00Z');
  });

  it('shows the exchange’s refusal by the assignment, as the panel shows problems', () => {
    const problem: IProblem = {
      kind: 'refused',
      summary:
        'The exchange says: An extension must end after the deadline (2026-11-25T12:00:00Z).',
      action: 'Check what you entered and try again.',
      contact: 'If it is unclear why, ask an ngshare administrator.',
      detail: 'HTTP 400'
    };
    const props = instructorProps({ deadlineError: { assignment: 'ps2', problem } });
    render(<InstructorPanel {...props} />);
    deadlinesTab();
    // with the editor closed the problem is shown above the table, naming the assignment
    let alert = screen.getByRole('alert');
    expect(text(alert)).toContain(
      'Could not change the deadline of ps2. The exchange says: An extension must end after the deadline'
    );
    fireEvent.click(screen.getByRole('button', { name: 'Change the deadline of ps2' }));
    const editor = screen.getByRole('region', { name: 'Deadline of ps2' });
    alert = within(editor).getByRole('alert');
    expect(text(alert)).toContain('Check what you entered and try again.');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(props.onDismissDeadlineError).toHaveBeenCalled();
  });

  it('marks late submissions in the matrix in words, and each one in the history', () => {
    render(<InstructorPanel {...instructorProps()} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Submissions' }));
    const matrix = screen.getByRole('table', { name: 'Submissions matrix' });
    const alice = within(matrix).getByRole('button', {
      name: 'alice, ps2: submitted 2 times, late by 2 hours'
    });
    expect(alice.querySelector('.ngshare-Badge')?.textContent).toBe('late by 2 hours');
    expect(alice.closest('td')?.getAttribute('data-late')).toBe('true');
    // bob's extension covers his submission: no mark
    const bob = within(matrix).getByRole('button', { name: 'bob, ps2: submitted' });
    expect(bob.querySelector('.ngshare-Badge')).toBeNull();
    expect(bob.closest('td')?.getAttribute('data-late')).toBe('false');

    fireEvent.click(alice);
    const history = screen.getByRole('region', { name: 'History of alice' });
    expect(
      within(history)
        .getAllByRole('listitem')
        .map(li => li.querySelector('.ngshare-Badge')?.textContent)
    ).toEqual(['on time', 'late by 2 hours']);
  });
});
