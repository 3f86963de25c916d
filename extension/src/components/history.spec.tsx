import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { nullTranslator } from '@jupyterlab/translation';
import type { IHistoryEvent, IHistoryState, IReceipt } from '../tokens';
import { AssignmentsPanel } from './AssignmentsPanel';
import { HistoryView, IHistoryViewProps } from './HistoryView';
import { ReceiptDetails, RECOMPUTE_COMMAND } from './ReceiptDetails';

const trans = nullTranslator.load('ngshare_ts');

const ev = (id: number, over: Partial<IHistoryEvent>): IHistoryEvent => ({
  id,
  at: '2026-12-08 15:00:00.000000',
  actor: 'prof',
  action: 'release',
  assignment: 'ps1',
  student: null,
  timestamp: null,
  files: null,
  bytes: null,
  checksum: null,
  detail: null,
  ...over
});

const state = (items: IHistoryEvent[], over: Partial<IHistoryState> = {}): IHistoryState => ({
  supported: true,
  action: '',
  hasOlder: false,
  section: { status: 'ready', items, error: null },
  ...over
});

function props(over: Partial<IHistoryViewProps> = {}): IHistoryViewProps {
  return {
    trans,
    history: state([
      ev(3, {
        actor: 'alice',
        action: 'submit',
        student: 'alice',
        files: 2,
        bytes: 2048,
        checksum: 'f'.repeat(64)
      }),
      ev(2, {
        action: 'roster_add',
        student: 'bob',
        detail: { role: 'student', group: 'nbgrader-c1' }
      }),
      ev(1, { action: 'deadline_set', detail: { due: '2026-12-10T12:00:00Z', hard: true } })
    ]),
    isRunning: () => false,
    onLoad: jest.fn(),
    onLoadOlder: jest.fn(),
    onExport: jest.fn(),
    ...over
  };
}

describe('HistoryView', () => {
  it('lists events in words, newest first, with sizes, checksums and details', () => {
    render(<HistoryView {...props()} />);
    const table = screen.getByRole('table', { name: 'Course history' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.getAttribute('data-event-id'))).toEqual(['3', '2', '1']);
    const cells = (i: number) =>
      within(rows[i])
        .getAllByRole('cell')
        .map(c => c.textContent);
    expect(cells(0).slice(1, 7)).toEqual([
      'alice',
      'Submitted',
      'ps1',
      'alice',
      '2 files, 2.0 kB',
      'ffffffffffff'
    ]);
    expect(within(rows[0]).getByText('ffffffffffff').getAttribute('title')).toBe('f'.repeat(64));
    expect(cells(1)[7]).toBe('student, via hub group nbgrader-c1');
    expect(cells(2)[2]).toBe('Deadline set');
    expect(cells(2)[7]).toBe('due 2026-12-10T12:00:00Z (hard)');
  });

  it('filters loaded events as you type and asks the exchange for one action', () => {
    const p = props();
    render(<HistoryView {...p} />);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter events' }), {
      target: { value: 'BOB' }
    });
    const table = screen.getByRole('table', { name: 'Course history' });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(r => r.getAttribute('data-event-id'))
    ).toEqual(['2']);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter events' }), {
      target: { value: 'nobody' }
    });
    expect(screen.getByText('No loaded event matches the filter.')).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: 'Action' }), {
      target: { value: 'collect' }
    });
    expect(p.onLoad).toHaveBeenCalledWith('collect');
  });

  it('offers older events and the CSV export', () => {
    const p = props({ history: state([ev(9, {})], { hasOlder: true }) });
    render(<HistoryView {...p} />);
    fireEvent.click(screen.getByRole('button', { name: 'Load older events' }));
    expect(p.onLoadOlder).toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(p.onExport).toHaveBeenCalled();
  });

  it('says when the exchange keeps no history', () => {
    render(<HistoryView {...props({ history: state([], { supported: false }) })} />);
    expect(screen.getByText(/This exchange keeps no history/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Export CSV' })).toBeNull();
  });
});

const receipt: IReceipt = {
  assignment: 'ps2',
  timestamp: '2026-11-25 10:00:01.000001',
  files: [{ path: 'p2.ipynb', size: 1200, sha256: '1'.repeat(64) }],
  bytes: 1200,
  checksum: '2'.repeat(64)
};

describe('receipts', () => {
  it('shows the checksum, the files and the command that recomputes it', () => {
    render(<ReceiptDetails receipt={receipt} trans={trans} />);
    expect(screen.getByText('2'.repeat(64))).toBeTruthy();
    expect(screen.getByText('p2.ipynb')).toBeTruthy();
    expect(screen.getByText('1'.repeat(16)).getAttribute('title')).toBe('1'.repeat(64));
    expect(screen.getByText(RECOMPUTE_COMMAND)).toBeTruthy();
  });

  it('puts a Receipt link on each submission that has one', () => {
    const onShowReceipt = jest.fn();
    const sub = {
      timestamp: receipt.timestamp,
      feedback: 'none' as const,
      feedbackPath: null,
      feedbackFiles: []
    };
    render(
      <AssignmentsPanel
        trans={trans}
        user="alice"
        courses={{ status: 'ready', items: ['course1'], error: null }}
        course="course1"
        released={{ status: 'ready', items: [], error: null }}
        downloaded={{ status: 'ready', items: [], error: null }}
        submitted={{
          status: 'ready',
          items: [
            { course: 'course1', assignment: 'ps2', submissions: [{ ...sub, receipt }] },
            { course: 'course1', assignment: 'ps3', submissions: [sub] }
          ],
          error: null
        }}
        deadlines={{ status: 'ready', items: [], error: null }}
        isRunning={() => false}
        progress={() => null}
        onSelectCourse={jest.fn()}
        onRefresh={jest.fn()}
        onRetryCourses={jest.fn()}
        onFetch={jest.fn()}
        onRestore={jest.fn()}
        onUpdate={jest.fn()}
        onSubmit={jest.fn()}
        onOpen={jest.fn()}
        onFetchFeedback={jest.fn()}
        onOpenFeedback={jest.fn()}
        onShowReceipt={onShowReceipt}
      />
    );
    const links = screen.getAllByRole('button', { name: 'Receipt' });
    expect(links.length).toBe(1);
    expect(links[0].getAttribute('title')).toBe(`Checksum ${'2'.repeat(64)}`);
    fireEvent.click(links[0]);
    expect(onShowReceipt).toHaveBeenCalledWith(receipt);
  });
});
