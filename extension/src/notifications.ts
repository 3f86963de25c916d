import React from 'react';
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ProblemDetails } from './components';
import type { IProblem } from './tokens';
import { Audience, describeProblem, toastText } from './vocabulary/problems';

export interface INotifyOptions<T> {
  trans: TranslationBundle;
  /** Shown while the operation runs. */
  pending: string;
  /** Shown on success. */
  success: (result: T) => string;
  /** Title for failures; the problem's summary follows it. */
  failure: string;
  /** Whom the failure's advice is for (default: student). */
  audience?: Audience;
}

/** How long to wait at most for the toast of a new notification (see `toastShown`). */
const TOAST_WAIT_MS = 3000;

/**
 * Resolves once the toast of notification `id` is on the page, or after `timeoutMs`.
 *
 * Why: JupyterLab loads its toast library on the first notification of a page. An update that
 * arrives before that toast exists finds no toast to update, creates one under the same id, and
 * the library drops it as a duplicate: the first toast keeps its "in progress" text and spinner
 * for ever while the notification center shows the result (apputils-extension
 * notificationplugin, 'updated' branch). Updating only once the toast is rendered (it carries the
 * notification id as its element id) avoids that. Without a toast (do-not-disturb mode, the
 * notification center open) the wait ends after the timeout.
 */
export async function toastShown(id: string, timeoutMs = TOAST_WAIT_MS): Promise<void> {
  if (typeof document === 'undefined') {
    return;
  }
  const start = Date.now();
  while (!document.getElementById(id) && Date.now() - start < timeoutMs) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/**
 * Runs an operation under one notification: "in progress" -> success, or -> error with a
 * "Details" action. Resolves with the result, or `undefined` after a failure (already reported).
 */
export async function notifyTask<T>(
  options: INotifyOptions<T>,
  fn: () => Promise<T>
): Promise<T | undefined> {
  const id = Notification.emit(options.pending, 'in-progress', { autoClose: false });
  const shown = toastShown(id);
  try {
    const result = await fn();
    await shown;
    Notification.update({
      id,
      message: options.success(result),
      type: 'success',
      autoClose: 5000
    });
    return result;
  } catch (err) {
    await shown;
    reportError(options.trans, options.failure, err, id, options.audience);
    return undefined;
  }
}

/** Opens the whole problem (what happened, what to do, whom to ask, technical detail). */
export function showProblem(trans: TranslationBundle, title: string, problem: IProblem): void {
  void showDialog({
    title,
    body: React.createElement(ProblemDetails, { problem, trans }),
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}

/** A notification for a problem: its words (toastText) and a "Details" action. */
export function notifyProblem(
  trans: TranslationBundle,
  title: string,
  problem: IProblem,
  options: { id?: string; type?: 'error' | 'warning'; extra?: Notification.IAction[] } = {}
): string {
  const message = toastText(title, problem);
  const actions: Notification.IAction[] = [
    ...(options.extra ?? []),
    {
      label: trans.__('Details'),
      callback: () => showProblem(trans, title || problem.summary, problem)
    }
  ];
  const type = options.type ?? 'error';
  if (options.id) {
    Notification.update({ id: options.id, message, type, autoClose: false, actions });
    return options.id;
  }
  return Notification.emit(message, type, { autoClose: false, actions });
}

/** Shows an error notification (or turns an existing one into an error), with details. */
export function reportError(
  trans: TranslationBundle,
  title: string,
  err: unknown,
  id?: string,
  audience: Audience = 'student'
): void {
  notifyProblem(trans, title, describeProblem(err, { trans, audience }), { id });
}
