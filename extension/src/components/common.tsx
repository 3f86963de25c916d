import React from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISection, ITransferState } from '../tokens';
import { formatBytes } from './format';

export interface ISectionViewProps<T> {
  /** Heading; also the accessible name of the region. */
  title: string;
  section: ISection<T>;
  isEmpty: boolean;
  emptyText: string;
  trans: TranslationBundle;
  onRetry?: () => void;
  children?: React.ReactNode;
  headingLevel?: 2 | 3;
}

/** A titled region with loading, error (with retry) and empty states. */
export function SectionView<T>(props: ISectionViewProps<T>): JSX.Element {
  const { title, section, trans } = props;
  const Heading = props.headingLevel === 3 ? 'h3' : 'h2';
  const id = `ngshare-section-${title.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`;
  let body: React.ReactNode;
  if (section.status === 'error') {
    body = <ErrorMessage message={section.error ?? ''} trans={trans} onRetry={props.onRetry} />;
  } else if (section.status === 'loading' && props.isEmpty) {
    body = <Loading trans={trans} />;
  } else if (section.status === 'idle') {
    body = <Loading trans={trans} />;
  } else if (props.isEmpty) {
    body = <p className="ngshare-Empty">{props.emptyText}</p>;
  } else {
    body = props.children;
  }
  return (
    <section
      className="ngshare-Section"
      aria-labelledby={id}
      aria-busy={section.status === 'loading'}
    >
      <Heading id={id} className="ngshare-SectionTitle">
        {title}
      </Heading>
      {body}
    </section>
  );
}

export function Loading(props: { trans: TranslationBundle }): JSX.Element {
  return (
    <p className="ngshare-Loading" role="status">
      <span className="ngshare-Spinner" aria-hidden="true" />
      {props.trans.__('Loading…')}
    </p>
  );
}

export interface IErrorMessageProps {
  message: string;
  trans: TranslationBundle;
  onRetry?: () => void;
  onDismiss?: () => void;
}

/** Inline error in words, with Retry (and optionally Dismiss). */
export function ErrorMessage(props: IErrorMessageProps): JSX.Element {
  const { trans } = props;
  return (
    <div className="ngshare-Error" role="alert">
      <span className="ngshare-ErrorText">{props.message}</span>
      {props.onRetry && (
        <button
          type="button"
          className="ngshare-Button ngshare-ButtonSmall"
          onClick={props.onRetry}
        >
          {trans.__('Retry')}
        </button>
      )}
      {props.onDismiss && (
        <button
          type="button"
          className="ngshare-Button ngshare-ButtonSmall"
          onClick={props.onDismiss}
        >
          {trans.__('Dismiss')}
        </button>
      )}
    </div>
  );
}

/** Progress of a running transfer ("Writing 3 / 10 files, 1.2 MB / 4.0 MB"). */
export function Progress(props: {
  state: ITransferState | null;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { state, trans } = props;
  if (!state) {
    return null;
  }
  const max = state.bytesTotal || state.total || 0;
  const value = state.bytesTotal ? state.bytesDone : state.done;
  const text =
    state.total > 0
      ? state.bytesTotal > 0
        ? trans.__(
            '%1: %2 of %3 files, %4 of %5',
            state.label,
            state.done,
            state.total,
            formatBytes(state.bytesDone),
            formatBytes(state.bytesTotal)
          )
        : trans.__('%1: %2 of %3', state.label, state.done, state.total)
      : state.bytesDone > 0
        ? state.bytesTotal > 0
          ? trans.__(
              '%1: %2 of %3',
              state.label,
              formatBytes(state.bytesDone),
              formatBytes(state.bytesTotal)
            )
          : trans.__('%1: %2', state.label, formatBytes(state.bytesDone))
        : state.label;
  return (
    <div className="ngshare-Progress">
      {max > 0 ? (
        <progress max={max} value={value} aria-label={text} />
      ) : (
        <progress aria-label={text} />
      )}
      <span className="ngshare-ProgressText">{text}</span>
    </div>
  );
}

export interface IActionButtonProps {
  label: string;
  busyLabel: string;
  busy: boolean;
  disabled?: boolean;
  onClick: () => void;
  title?: string;
  variant?: 'primary' | 'danger' | 'default';
  small?: boolean;
}

/** A button that turns into "<busy label>" and disables while its task runs. */
export function ActionButton(props: IActionButtonProps): JSX.Element {
  const cls = ['ngshare-Button'];
  if (props.variant === 'primary') {
    cls.push('ngshare-ButtonPrimary');
  } else if (props.variant === 'danger') {
    cls.push('ngshare-ButtonDanger');
  }
  if (props.small) {
    cls.push('ngshare-ButtonSmall');
  }
  return (
    <button
      type="button"
      className={cls.join(' ')}
      disabled={props.busy || props.disabled}
      aria-busy={props.busy}
      title={props.title}
      onClick={props.onClick}
    >
      {props.busy ? props.busyLabel : props.label}
    </button>
  );
}
