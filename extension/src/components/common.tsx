import React, { useEffect, useState } from 'react';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IProblem, ISection, ITransferState } from '../tokens';
import { describeTimestamp } from '../vocabulary/time';
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
    body = section.error ? (
      <ErrorMessage problem={section.error} trans={trans} onRetry={props.onRetry} />
    ) : null;
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
  problem: IProblem;
  trans: TranslationBundle;
  /** Words before the problem's summary, e.g. "Could not load your courses." */
  title?: string;
  onRetry?: () => void;
  onDismiss?: () => void;
}

/**
 * A problem in words (src/vocabulary/problems.ts): what happened, what to do, whom to ask; the
 * technical detail behind a "Details" disclosure; Retry (and optionally Dismiss).
 */
export function ErrorMessage(props: IErrorMessageProps): JSX.Element {
  const { trans, problem } = props;
  const advice = [problem.action, problem.contact].filter(s => s).join(' ');
  return (
    <div className="ngshare-Error" role="alert" data-problem={problem.kind}>
      <div className="ngshare-ErrorBody">
        <p className="ngshare-ErrorText">
          {props.title ? `${props.title} ` : ''}
          {problem.summary}
        </p>
        {advice && <p className="ngshare-ErrorAdvice">{advice}</p>}
        {problem.detail && (
          <details className="ngshare-ErrorDetails">
            <summary>{trans.__('Details')}</summary>
            <pre>{problem.detail}</pre>
          </details>
        )}
      </div>
      <div className="ngshare-ErrorButtons">
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
    </div>
  );
}

/** The current time, renewed every `intervalMs` (relative times stay true while a panel is open). */
export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * An exchange timestamp as local time with its zone, "(2 minutes ago)" while recent, and the
 * exact exchange value in the tooltip. Anything that is not a timestamp is shown as it is.
 */
export function Timestamp(props: { value: string; relative?: boolean }): JSX.Element {
  const now = useNow();
  const text = describeTimestamp(props.value, now);
  if (!text) {
    return (
      <span className="ngshare-Timestamp" data-timestamp={props.value}>
        {props.value}
      </span>
    );
  }
  const showRelative = props.relative !== false && text.relative;
  return (
    <time
      className="ngshare-Timestamp"
      dateTime={text.iso}
      title={text.exact}
      data-timestamp={props.value}
    >
      {text.local}
      {showRelative ? ` (${text.relative})` : ''}
    </time>
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

/** The whole problem for the "Details" dialog of a notification. */
export function ProblemDetails(props: {
  problem: IProblem;
  trans: TranslationBundle;
}): JSX.Element {
  const { problem, trans } = props;
  return (
    <div className="ngshare-ProblemDetails" data-problem={problem.kind}>
      <p className="ngshare-ErrorText">{problem.summary}</p>
      {problem.action && <p>{problem.action}</p>}
      {problem.contact && <p>{problem.contact}</p>}
      {problem.detail && (
        <>
          <h3 className="ngshare-SectionTitle">{trans.__('Technical details')}</h3>
          <pre className="ngshare-ErrorDetailText">{problem.detail}</pre>
        </>
      )}
    </div>
  );
}
