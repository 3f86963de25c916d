/** The instructor panel's Submissions tab: the students x assignments matrix and one history. */
import React, { useMemo, useState } from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CellState } from '../tokens';
import { ActionButton, SectionView, Timestamp } from './common';
import { LateBadge, lateText } from './DeadlinesView';
import type { IInstructorPanelProps } from './InstructorPanel';

export type ISubmissionsMatrixProps = Pick<
  IInstructorPanelProps,
  'trans' | 'course' | 'matrix' | 'isRunning' | 'onCollect' | 'onReleaseFeedback' | 'onLoadMatrix'
>;

function cellLabel(state: CellState, count: number, trans: TranslationBundle): string {
  switch (state) {
    case 'none':
      return trans.__('not submitted');
    case 'submitted':
      return trans.__('submitted');
    case 'resubmitted':
      return trans.__('submitted %1 times', count);
    case 'collected':
      return trans.__('collected');
    case 'feedback':
      return trans.__('feedback released');
  }
}

export function SubmissionsMatrix(props: ISubmissionsMatrixProps): JSX.Element {
  const { trans, matrix } = props;
  const [filter, setFilter] = useState('');
  const [sortBy, setSortBy] = useState<'student' | 'name' | string>('student');
  const [selected, setSelected] = useState<{ student: string; assignment: string } | null>(null);
  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    let list = matrix.items.rows.filter(
      r => !f || r.student.toLowerCase().includes(f) || r.name.toLowerCase().includes(f)
    );
    list = [...list].sort((x, y) => {
      if (sortBy === 'student' || sortBy === 'name') {
        const a = sortBy === 'student' ? x.student : x.name;
        const b = sortBy === 'student' ? y.student : y.name;
        return a.localeCompare(b);
      }
      const order: CellState[] = ['none', 'submitted', 'resubmitted', 'collected', 'feedback'];
      const a = order.indexOf(x.cells[sortBy]?.state ?? 'none');
      const b = order.indexOf(y.cells[sortBy]?.state ?? 'none');
      return a - b || x.student.localeCompare(y.student);
    });
    return list;
  }, [matrix, filter, sortBy]);
  const selectedCell = selected
    ? matrix.items.rows.find(r => r.student === selected.student)?.cells[selected.assignment]
    : undefined;
  return (
    <SectionView
      title={trans.__('Submissions of %1', props.course ?? '')}
      section={matrix}
      isEmpty={matrix.items.rows.length === 0}
      emptyText={trans.__('No students and no submissions yet.')}
      trans={trans}
      onRetry={props.onLoadMatrix}
    >
      <div className="ngshare-Toolbar">
        <label>
          <span>{trans.__('Filter')} </span>
          <input
            type="search"
            aria-label={trans.__('Filter students')}
            value={filter}
            onChange={e => setFilter(e.target.value)}
          />
        </label>
      </div>
      <div className="ngshare-Scroll">
        <table className="ngshare-Table ngshare-Matrix" aria-label={trans.__('Submissions matrix')}>
          <thead>
            <tr>
              <th scope="col" aria-sort={sortBy === 'student' ? 'ascending' : 'none'}>
                <button type="button" className="ngshare-Link" onClick={() => setSortBy('student')}>
                  {trans.__('Student')}
                </button>
              </th>
              <th scope="col" aria-sort={sortBy === 'name' ? 'ascending' : 'none'}>
                <button type="button" className="ngshare-Link" onClick={() => setSortBy('name')}>
                  {trans.__('Name')}
                </button>
              </th>
              {matrix.items.assignments.map(a => (
                <th key={a} scope="col" aria-sort={sortBy === a ? 'ascending' : 'none'}>
                  <button type="button" className="ngshare-Link" onClick={() => setSortBy(a)}>
                    {a}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(r => (
              <tr key={r.student} data-student={r.student}>
                <th scope="row">
                  {r.student}
                  {!r.enrolled && (
                    <span className="ngshare-Note"> {trans.__('(not enrolled)')}</span>
                  )}
                </th>
                <td>{r.name}</td>
                {matrix.items.assignments.map(a => {
                  const cell = r.cells[a];
                  const label = cellLabel(cell.state, cell.timestamps.length, trans);
                  // nbgrader grades the latest submission: its lateness is the cell's
                  const latest = cell.timestamps[cell.timestamps.length - 1];
                  const late = latest ? cell.lateness?.[latest] : undefined;
                  const spoken = late?.late ? `${label}, ${lateText(late, trans)}` : label;
                  return (
                    <td
                      key={a}
                      className={`ngshare-Cell ngshare-Cell-${cell.state}`}
                      data-state={cell.state}
                      data-late={late ? String(late.late) : undefined}
                    >
                      <button
                        type="button"
                        className="ngshare-Link"
                        aria-label={trans.__('%1, %2: %3', r.student, a, spoken)}
                        onClick={() => setSelected({ student: r.student, assignment: a })}
                      >
                        {label}
                        {late?.late && (
                          <>
                            {' '}
                            <LateBadge lateness={late} trans={trans} />
                          </>
                        )}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected && selectedCell && (
        <section
          className="ngshare-History"
          aria-label={trans.__('History of %1', selected.student)}
        >
          <h3 className="ngshare-SectionTitle">
            {trans.__('%1 — %2', selected.student, selected.assignment)}
          </h3>
          {selectedCell.timestamps.length === 0 ? (
            <p className="ngshare-Empty">{trans.__('No submissions.')}</p>
          ) : (
            <ol>
              {selectedCell.timestamps.map(ts => (
                <li key={ts}>
                  <Timestamp value={ts} />
                  {selectedCell.lateness?.[ts] && (
                    <>
                      {' '}
                      <LateBadge lateness={selectedCell.lateness[ts]} trans={trans} showOnTime />
                    </>
                  )}
                  {selectedCell.collected === ts && ` — ${trans.__('collected')}`}
                </li>
              ))}
            </ol>
          )}
          <div className="ngshare-Actions">
            <ActionButton
              label={trans.__('Collect')}
              busyLabel={trans.__('Collecting…')}
              busy={props.isRunning(`collect:${selected.assignment}`)}
              disabled={selectedCell.timestamps.length === 0}
              small
              onClick={() => props.onCollect(selected.assignment, selected.student)}
            />
            <ActionButton
              label={trans.__('Release feedback')}
              busyLabel={trans.__('Releasing feedback…')}
              busy={props.isRunning(`feedback:${selected.assignment}`)}
              disabled={selectedCell.timestamps.length === 0}
              small
              onClick={() => props.onReleaseFeedback(selected.assignment, selected.student)}
            />
            <button
              type="button"
              className="ngshare-Button ngshare-ButtonSmall"
              onClick={() => setSelected(null)}
            >
              {trans.__('Close')}
            </button>
          </div>
        </section>
      )}
      <section className="ngshare-NotSubmitted" aria-label={trans.__('Not submitted')}>
        <h3 className="ngshare-SectionTitle">
          {trans.__('Enrolled students who have not submitted')}
        </h3>
        <ul>
          {matrix.items.assignments.map(a => {
            const missing = matrix.items.rows
              .filter(r => r.enrolled && r.cells[a].state === 'none')
              .map(r => r.student);
            return (
              <li key={a} data-assignment={a}>
                <strong>{a}</strong>:{' '}
                {missing.length === 0 ? trans.__('everyone submitted') : missing.join(', ')}
              </li>
            );
          })}
        </ul>
      </section>
    </SectionView>
  );
}
