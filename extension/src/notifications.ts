import { Notification, showErrorMessage } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { errorMessage } from './api';

export interface INotifyOptions<T> {
  trans: TranslationBundle;
  /** Shown while the operation runs. */
  pending: string;
  /** Shown on success. */
  success: (result: T) => string;
  /** Title for failures; the error's own message follows it. */
  failure: string;
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
  try {
    const result = await fn();
    Notification.update({
      id,
      message: options.success(result),
      type: 'success',
      autoClose: 5000
    });
    return result;
  } catch (err) {
    reportError(options.trans, options.failure, err, id);
    return undefined;
  }
}

/** Shows an error notification (or turns an existing one into an error), with details. */
export function reportError(
  trans: TranslationBundle,
  title: string,
  err: unknown,
  id?: string
): void {
  const message = `${title} ${errorMessage(err)}`;
  const actions = [
    {
      label: trans.__('Details'),
      callback: () => void showErrorMessage(title, err as Error)
    }
  ];
  if (id) {
    Notification.update({ id, message, type: 'error', autoClose: false, actions });
  } else {
    Notification.error(message, { autoClose: false, actions });
  }
}
