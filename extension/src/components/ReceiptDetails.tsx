/**
 * A submission receipt, for the student's "Receipt" dialog: when the exchange took the
 * submission, what it holds (each file's size and sha256) and the one checksum that settles a
 * dispute, with the command that recomputes it from a copy of the files.
 */
import React from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IReceipt } from '../tokens';
import { Timestamp } from './common';
import { formatBytes } from './format';

export const RECOMPUTE_COMMAND =
  "find . -type f -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum";

export function ReceiptDetails(props: {
  receipt: IReceipt;
  trans: TranslationBundle;
}): JSX.Element {
  const { receipt, trans } = props;
  return (
    <div className="ngshare-Receipt">
      <dl>
        <dt>{trans.__('Assignment')}</dt>
        <dd>{receipt.assignment}</dd>
        <dt>{trans.__('Submitted')}</dt>
        <dd>
          <Timestamp value={receipt.timestamp} relative={false} />{' '}
          <code title={trans.__('The exchange’s timestamp (UTC)')}>{receipt.timestamp}</code>
        </dd>
        <dt>{trans.__('Files')}</dt>
        <dd>
          {trans._n('%1 file', '%1 files', receipt.files.length)}, {formatBytes(receipt.bytes)}
        </dd>
        <dt>{trans.__('Checksum (sha256)')}</dt>
        <dd>
          <code className="ngshare-Checksum" data-checksum={receipt.checksum}>
            {receipt.checksum}
          </code>
        </dd>
      </dl>
      <table className="ngshare-Table" aria-label={trans.__('Files of the submission')}>
        <thead>
          <tr>
            <th scope="col">{trans.__('File')}</th>
            <th scope="col">{trans.__('Size')}</th>
            <th scope="col">sha256</th>
          </tr>
        </thead>
        <tbody>
          {receipt.files.map(f => (
            <tr key={f.path}>
              <td>{f.path}</td>
              <td>{formatBytes(f.size)}</td>
              <td>
                <code className="ngshare-Checksum" title={f.sha256}>
                  {f.sha256.slice(0, 16)}
                </code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="ngshare-Note">
        {trans.__(
          'Keep this receipt if you may need to show what you submitted. In a terminal, inside a copy of the submitted folder, this prints the same checksum:'
        )}
      </p>
      <pre className="ngshare-Command">{RECOMPUTE_COMMAND}</pre>
    </div>
  );
}
