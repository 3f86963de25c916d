import React from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IUpdatePlan } from '../tokens';

function FileList(props: { label: string; items: string[] }): JSX.Element | null {
  if (props.items.length === 0) {
    return null;
  }
  return (
    <section className="ngshare-UpdateGroup">
      <h3>{props.label}</h3>
      <ul aria-label={props.label}>
        {props.items.map(p => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </section>
  );
}

/** Body of the "Get update" confirmation: what happens to each file, and that edits stay. */
export function UpdatePreview(props: { plan: IUpdatePlan; trans: TranslationBundle }): JSX.Element {
  const { plan, trans } = props;
  const nothing =
    plan.restore.length + plan.replace.length + plan.beside.length + plan.kept.length === 0;
  return (
    <div className="ngshare-UpdatePreview">
      <p>
        {plan.from === null
          ? trans.__('Version %1 of %2. Your own edits are kept.', plan.to, plan.assignment)
          : trans.__(
              'From version %1 to version %2 of %3. Your own edits are kept.',
              plan.from,
              plan.to,
              plan.assignment
            )}
      </p>
      {nothing && <p className="ngshare-Note">{trans.__('Your copy already has these files.')}</p>}
      <FileList label={trans.__('New or missing here: downloaded')} items={plan.restore} />
      <FileList
        label={trans.__('Changed by the instructor, not by you: updated')}
        items={plan.replace}
      />
      <FileList
        label={trans.__(
          'Changed by you and by the instructor: the new version is saved beside yours'
        )}
        items={plan.beside.map(b => trans.__('%1 → %2', b.path, b.copy))}
      />
      <FileList
        label={trans.__('No longer part of the assignment: your copy stays')}
        items={plan.kept}
      />
      {plan.same > 0 && (
        <p className="ngshare-Note">
          {trans._n(
            '%1 file is already up to date.',
            '%1 files are already up to date.',
            plan.same
          )}
        </p>
      )}
    </div>
  );
}
