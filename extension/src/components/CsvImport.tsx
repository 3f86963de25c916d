/** Roster import from CSV (Roster tab). */
import React, { useState } from 'react';
import type { IImportPreview, IImportResult } from '../tokens';
import { ActionButton, ErrorMessage } from './common';
import type { IInstructorPanelProps } from './InstructorPanel';

export type ICsvImportProps = Pick<
  IInstructorPanelProps,
  'trans' | 'isRunning' | 'onPreviewCsv' | 'onApplyImport'
>;

/** CSV import: paste or choose a file, preview adds / updates / removals, apply, see per-row results. */
export function CsvImport(props: ICsvImportProps): JSX.Element {
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
