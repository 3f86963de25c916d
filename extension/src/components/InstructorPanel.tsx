import React, { useMemo, useState } from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type {
  CellState,
  IImportPreview,
  IImportResult,
  IInstructorAssignment,
  IMatrix,
  IOutcome,
  IPersonRow,
  IProblem,
  IRoster,
  ISection,
  ITransferState
} from '../tokens';
import { ActionButton, ErrorMessage, Loading, Progress, SectionView, Timestamp } from './common';

/** The summary of the last Collect / Release feedback, for one assignment of one course. */
export interface IOutcomeReport {
  title: string;
  course: string;
  assignment: string;
  outcomes: IOutcome[];
}

export interface IInstructorPanelProps {
  trans: TranslationBundle;
  course: string | null;
  courses: string[];
  /** Loading state of the course list the selector is made from. */
  coursesStatus: Pick<ISection<unknown>, 'status' | 'error'>;
  /** The connection check's problem, shown first. */
  banner?: IProblem | null;
  courseDir: string;
  assignments: ISection<IInstructorAssignment[]>;
  matrix: ISection<IMatrix>;
  roster: ISection<IRoster>;
  report: IOutcomeReport | null;
  isRunning: (key: string) => boolean;
  progress: (key: string) => ITransferState | null;
  onSelectCourse: (course: string) => void;
  onRefresh: () => void;
  onRetryCourses: () => void;
  onRelease: (assignment: string) => void;
  onReRelease: (assignment: string) => void;
  onUnrelease: (assignment: string) => void;
  onCollect: (assignment: string, student?: string) => void;
  onReleaseFeedback: (assignment: string, student?: string) => void;
  onLoadMatrix: () => void;
  onAddStudent: () => void;
  onEditStudent: (row: IPersonRow) => void;
  onRemoveStudent: (username: string) => void;
  onAddInstructor: () => void;
  onEditInstructor: (row: IPersonRow) => void;
  onRemoveInstructor: (username: string) => void;
  onPreviewCsv: (text: string, removeMissing: boolean) => IImportPreview;
  onApplyImport: (preview: IImportPreview) => Promise<IImportResult[]>;
  onDismissReport: () => void;
}

type Tab = 'assignments' | 'submissions' | 'roster';

/** The instructor's main-area panel for one course: Assignments, Submissions, Roster tabs. */
export function InstructorPanel(props: IInstructorPanelProps): JSX.Element {
  const { trans } = props;
  const [tab, setTab] = useState<Tab>('assignments');
  const tabs: { id: Tab; label: string }[] = [
    { id: 'assignments', label: trans.__('Assignments') },
    { id: 'submissions', label: trans.__('Submissions') },
    { id: 'roster', label: trans.__('Roster') }
  ];
  const select = (t: Tab): void => {
    setTab(t);
    if (t === 'submissions') {
      props.onLoadMatrix();
    }
  };
  const { coursesStatus } = props;
  if (!props.course || props.banner) {
    // No course to show (or the exchange cannot be used at all): say why, and nothing else.
    let body: React.ReactNode;
    if (props.banner) {
      body = <ErrorMessage problem={props.banner} trans={trans} onRetry={props.onRetryCourses} />;
    } else if (coursesStatus.status === 'error' && coursesStatus.error) {
      body = (
        <ErrorMessage
          title={trans.__('Could not load your courses.')}
          problem={coursesStatus.error}
          trans={trans}
          onRetry={props.onRetryCourses}
        />
      );
    } else if (coursesStatus.status !== 'ready') {
      body = <Loading trans={trans} />;
    } else {
      body = (
        <p className="ngshare-Empty">
          {trans.__(
            'You do not teach any course on the exchange. An ngshare administrator can create a course or make you its instructor.'
          )}
        </p>
      );
    }
    return (
      <div className="ngshare-Panel ngshare-InstructorPanel">
        <div className="ngshare-Toolbar">
          <button
            type="button"
            className="ngshare-Button ngshare-ButtonSmall"
            onClick={props.onRetryCourses}
          >
            {trans.__('Refresh')}
          </button>
        </div>
        {body}
      </div>
    );
  }
  return (
    <div className="ngshare-Panel ngshare-InstructorPanel">
      <div className="ngshare-Toolbar">
        <label className="ngshare-CourseSelect">
          <span>{trans.__('Course')}</span>
          <select
            aria-label={trans.__('Course')}
            value={props.course ?? ''}
            onChange={e => props.onSelectCourse(e.target.value)}
          >
            {props.courses.length === 0 && <option value="">{trans.__('No courses')}</option>}
            {props.courses.map(c => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <span
          className="ngshare-Note"
          title={trans.__('Course directory (setting courseDirectory)')}
        >
          {trans.__('Course directory: %1', props.courseDir || '.')}
        </span>
        <button
          type="button"
          className="ngshare-Button ngshare-ButtonSmall"
          onClick={props.onRefresh}
        >
          {trans.__('Refresh')}
        </button>
      </div>
      {props.report && (
        <OutcomeSummary report={props.report} trans={trans} onDismiss={props.onDismissReport} />
      )}
      <div role="tablist" aria-label={trans.__('Course views')} className="ngshare-Tabs">
        {tabs.map(t => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`ngshare-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`ngshare-tabpanel-${t.id}`}
            className={`ngshare-Tab${tab === t.id ? ' ngshare-TabActive' : ''}`}
            onClick={() => select(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`ngshare-tabpanel-${tab}`}
        aria-labelledby={`ngshare-tab-${tab}`}
        className="ngshare-TabPanel"
      >
        {tab === 'assignments' && <AssignmentsTable {...props} />}
        {tab === 'submissions' && <SubmissionsMatrix {...props} />}
        {tab === 'roster' && <RosterView {...props} />}
      </div>
    </div>
  );
}

function outcomeLabel(status: IOutcome['status'], trans: TranslationBundle): string {
  switch (status) {
    case 'collected':
      return trans.__('collected');
    case 'updated':
      return trans.__('updated');
    case 'skipped':
      return trans.__('skipped');
    case 'released':
      return trans.__('released');
    case 'failed':
      return trans.__('failed');
  }
}

export function OutcomeSummary(props: {
  report: IOutcomeReport;
  trans: TranslationBundle;
  onDismiss: () => void;
}): JSX.Element {
  const { report, trans } = props;
  const counts = new Map<string, number>();
  report.outcomes.forEach(o => counts.set(o.status, (counts.get(o.status) ?? 0) + 1));
  return (
    <section className="ngshare-Summary" aria-label={report.title} role="region">
      <div className="ngshare-ItemRow">
        <h3 className="ngshare-SectionTitle">{report.title}</h3>
        <button
          type="button"
          className="ngshare-Button ngshare-ButtonSmall"
          onClick={props.onDismiss}
        >
          {trans.__('Dismiss')}
        </button>
      </div>
      <p>
        {report.outcomes.length === 0
          ? trans.__('Nothing to do.')
          : [...counts.entries()]
              .map(([s, n]) => `${outcomeLabel(s as IOutcome['status'], trans)}: ${n}`)
              .join(', ')}
      </p>
      {report.outcomes.length > 0 && (
        <table className="ngshare-Table" aria-label={report.title}>
          <thead>
            <tr>
              <th scope="col">{trans.__('Student')}</th>
              <th scope="col">{trans.__('Result')}</th>
              <th scope="col">{trans.__('Details')}</th>
            </tr>
          </thead>
          <tbody>
            {report.outcomes.map(o => (
              <tr key={o.student} className={`ngshare-Outcome-${o.status}`}>
                <td>{o.student}</td>
                <td>{outcomeLabel(o.status, trans)}</td>
                <td>{o.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AssignmentsTable(props: IInstructorPanelProps): JSX.Element {
  const { trans, assignments } = props;
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

function SubmissionsMatrix(props: IInstructorPanelProps): JSX.Element {
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
                  return (
                    <td
                      key={a}
                      className={`ngshare-Cell ngshare-Cell-${cell.state}`}
                      data-state={cell.state}
                    >
                      <button
                        type="button"
                        className="ngshare-Link"
                        aria-label={trans.__('%1, %2: %3', r.student, a, label)}
                        onClick={() => setSelected({ student: r.student, assignment: a })}
                      >
                        {label}
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

function RosterView(props: IInstructorPanelProps): JSX.Element {
  const { trans, roster } = props;
  return (
    <>
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

/** CSV import: paste or choose a file, preview adds / updates / removals, apply, see per-row results. */
export function CsvImport(props: IInstructorPanelProps): JSX.Element {
  const { trans } = props;
  const [text, setText] = useState('');
  const [removeMissing, setRemoveMissing] = useState(false);
  const [preview, setPreview] = useState<IImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [results, setResults] = useState<IImportResult[] | null>(null);
  const busy = props.isRunning('import');
  const doPreview = (): void => {
    setResults(null);
    try {
      setPreview(props.onPreviewCsv(text, removeMissing));
      setError(null);
    } catch (err) {
      setPreview(null);
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const doApply = async (): Promise<void> => {
    if (!preview) {
      return;
    }
    try {
      setResults(await props.onApplyImport(preview));
      setPreview(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const onFile = (file: File | undefined): void => {
    if (file) {
      void file.text().then(t => setText(t));
    }
  };
  const changes = preview
    ? preview.adds.length + preview.updates.length + preview.removals.length
    : 0;
  return (
    <section className="ngshare-Section" aria-labelledby="ngshare-csv-title">
      <h2 id="ngshare-csv-title" className="ngshare-SectionTitle">
        {trans.__('Import students from CSV')}
      </h2>
      <p className="ngshare-Note">
        {trans.__('Columns: student_id,first_name,last_name,email (header row required).')}
      </p>
      <label className="ngshare-Block">
        <span>{trans.__('CSV file')} </span>
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label={trans.__('CSV file')}
          onChange={e => onFile(e.target.files?.[0])}
        />
      </label>
      <textarea
        className="ngshare-Textarea"
        aria-label={trans.__('CSV text')}
        rows={5}
        value={text}
        onChange={e => setText(e.target.value)}
        placeholder="student_id,first_name,last_name,email"
      />
      <label className="ngshare-Block">
        <input
          type="checkbox"
          checked={removeMissing}
          onChange={e => setRemoveMissing(e.target.checked)}
        />{' '}
        {trans.__('Remove students who are not in the CSV')}
      </label>
      <div className="ngshare-Toolbar">
        <button
          type="button"
          className="ngshare-Button ngshare-ButtonSmall"
          onClick={doPreview}
          disabled={!text.trim()}
        >
          {trans.__('Preview import')}
        </button>
        {preview && (
          <ActionButton
            label={trans.__('Import')}
            busyLabel={trans.__('Importing…')}
            busy={busy}
            disabled={changes === 0}
            variant="primary"
            small
            onClick={() => void doApply()}
          />
        )}
      </div>
      {error && (
        <ErrorMessage
          problem={{ kind: 'local', summary: error, action: '', contact: '', detail: '' }}
          trans={trans}
          onDismiss={() => setError(null)}
        />
      )}
      {preview && (
        <table className="ngshare-Table" aria-label={trans.__('Import preview')}>
          <thead>
            <tr>
              <th scope="col">{trans.__('Line')}</th>
              <th scope="col">{trans.__('Student')}</th>
              <th scope="col">{trans.__('Change')}</th>
              <th scope="col">{trans.__('Details')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.adds.map(r => (
              <tr key={`a${r.line}`} className="ngshare-Outcome-collected">
                <td>{r.line}</td>
                <td>{r.student_id}</td>
                <td>{trans.__('add')}</td>
                <td>{[r.first_name, r.last_name, r.email].filter(x => x).join(', ')}</td>
              </tr>
            ))}
            {preview.updates.map(r => (
              <tr key={`u${r.line}`} className="ngshare-Outcome-updated">
                <td>{r.line}</td>
                <td>{r.student_id}</td>
                <td>{trans.__('update')}</td>
                <td>{[r.first_name, r.last_name, r.email].filter(x => x).join(', ')}</td>
              </tr>
            ))}
            {preview.removals.map(u => (
              <tr key={`r${u}`} className="ngshare-Outcome-failed">
                <td />
                <td>{u}</td>
                <td>{trans.__('remove')}</td>
                <td>{trans.__('not in the CSV')}</td>
              </tr>
            ))}
            {preview.invalid.map(r => (
              <tr key={`i${r.line}`} className="ngshare-Outcome-skipped">
                <td>{r.line}</td>
                <td>{r.student_id}</td>
                <td>{trans.__('invalid')}</td>
                <td>{r.error}</td>
              </tr>
            ))}
            {preview.unchanged.length > 0 && (
              <tr>
                <td />
                <td colSpan={3}>
                  {trans._n('%1 row unchanged', '%1 rows unchanged', preview.unchanged.length)}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {results && (
        <table className="ngshare-Table" aria-label={trans.__('Import results')}>
          <thead>
            <tr>
              <th scope="col">{trans.__('Student')}</th>
              <th scope="col">{trans.__('Change')}</th>
              <th scope="col">{trans.__('Result')}</th>
            </tr>
          </thead>
          <tbody>
            {results.map(r => (
              <tr
                key={`${r.action}${r.student}`}
                className={r.success ? '' : 'ngshare-Outcome-failed'}
              >
                <td>{r.student}</td>
                <td>{r.action}</td>
                <td>{r.success ? trans.__('ok') : r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
