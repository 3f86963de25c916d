import React from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISubmissionPlan } from '../tokens';
import { formatBytes } from './format';

/** Body of the Submit confirmation: what will be sent, what is left out, what looks wrong. */
export function SubmitPreview(props: {
  plan: ISubmissionPlan;
  trans: TranslationBundle;
}): JSX.Element {
  const { plan, trans } = props;
  return (
    <div className="ngshare-SubmitPreview">
      {plan.blocked && (
        <p className="ngshare-Error" role="alert">
          {plan.blocked}
        </p>
      )}
      {plan.previousSubmissions > 0 && (
        <p className="ngshare-Warning" role="note">
          {trans._n(
            'You have already submitted %2 once. This adds a new submission; the latest one is graded.',
            'You have already submitted %2 %1 times. This adds a new submission; the latest one is graded.',
            plan.previousSubmissions,
            plan.assignment
          )}
        </p>
      )}
      <table className="ngshare-Table" aria-label={trans.__('Files to submit')}>
        <thead>
          <tr>
            <th scope="col">{trans.__('File')}</th>
            <th scope="col">{trans.__('Size')}</th>
          </tr>
        </thead>
        <tbody>
          {plan.files.map(f => (
            <tr key={f.path}>
              <td>{f.path}</td>
              <td className="ngshare-Number">{formatBytes(f.size)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td>{trans._n('%1 file', '%1 files', plan.files.length)}</td>
            <td className="ngshare-Number">{formatBytes(plan.totalSize)}</td>
          </tr>
        </tfoot>
      </table>
      {plan.missing.length > 0 && (
        <p className="ngshare-Warning">
          {trans.__('Missing notebooks (released but not here): %1', plan.missing.join(', '))}
        </p>
      )}
      {plan.extra.length > 0 && (
        <p className="ngshare-Note">
          {trans.__('Extra notebooks (not in the release): %1', plan.extra.join(', '))}
        </p>
      )}
      {plan.tooLarge.length > 0 && (
        <p className="ngshare-Warning">
          {trans.__(
            'Left out because they are too large: %1',
            plan.tooLarge.map(f => `${f.path} (${formatBytes(f.size)})`).join(', ')
          )}
        </p>
      )}
      {plan.ignored.length > 0 && (
        <p className="ngshare-Note">{trans.__('Ignored: %1', plan.ignored.join(', '))}</p>
      )}
    </div>
  );
}
