/** The summary of the last Collect / Release feedback (instructor panel, above the tabs). */
import React from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IOutcome } from '../tokens';

/** The summary of the last Collect / Release feedback, for one assignment of one course. */
export interface IOutcomeReport {
  title: string;
  course: string;
  assignment: string;
  outcomes: IOutcome[];
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
