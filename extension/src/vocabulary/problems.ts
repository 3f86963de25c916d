/**
 * The extension's one error vocabulary: every failure (of a request to the exchange, of the files
 * in the user's server, of a check in the extension) becomes an IProblem in plain words — what
 * happened, what to do, whom to ask — with the technical detail kept apart for "Details". Panels
 * (ErrorMessage) and notifications (notifications.ts) both show problems made here, so a failure
 * reads the same wherever it appears. The guides quote these sentences (guide-quotes.spec.ts).
 */
import { InvalidResponseError, NetworkError, ResponseError, ServiceError } from '../api/errors';
import { ITrans, plainTrans } from '../models/i18n';
import type { IProblem, ProblemKind } from '../tokens';

/** Who reads the message: "whom to ask" differs for a student and an instructor. */
export type Audience = 'student' | 'instructor';

export interface IDescribeOptions {
  trans?: ITrans;
  audience?: Audience;
}

/** JupyterLab cuts a toast's text after this many characters (apputils-extension). */
export const TOAST_LIMIT = 140;

/** `text` ending with one full stop (the exchange's messages usually have none). */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** Status, URL and the raw message: for the person who fixes the exchange, not for the reader. */
function technicalDetail(err: unknown): string {
  const lines: string[] = [];
  if (err instanceof ServiceError) {
    lines.push(err.status ? `HTTP ${err.status}` : 'No HTTP answer');
    lines.push(`URL: ${err.url}`);
    lines.push(`${err.name}: ${err.message}`);
    if (err instanceof InvalidResponseError && err.bodySnippet.trim()) {
      lines.push(`Answer: ${err.bodySnippet.trim().replace(/\s+/g, ' ').slice(0, 300)}`);
    }
    if (err instanceof NetworkError && err.cause !== undefined) {
      lines.push(`Cause: ${String(err.cause)}`);
    }
  } else if (err instanceof Error) {
    lines.push(`${err.name}: ${err.message}`);
  } else {
    lines.push(String(err));
  }
  return lines.join('\n');
}

function isTimeout(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'name' in err &&
    ((err as { name: unknown }).name === 'TimeoutError' ||
      (err as { name: unknown }).name === 'AbortError')
  );
}

/** The kind of a failure (see ProblemKind). */
export function problemKind(err: unknown): ProblemKind {
  if (isTimeout(err)) {
    return 'timeout';
  }
  if (err instanceof NetworkError) {
    return 'unreachable';
  }
  if (err instanceof InvalidResponseError) {
    if (err.redirected || err.status === 401 || err.status === 403) {
      return 'login';
    }
    switch (err.status) {
      case 404:
        return 'no-service';
      case 502:
      case 503:
        return 'unreachable';
      case 504:
        return 'timeout';
      case 413:
        return 'too-large';
    }
    return err.status >= 500 ? 'server-error' : 'bad-answer';
  }
  if (err instanceof ResponseError) {
    if (err.isDeadlineClosed) {
      return 'closed';
    }
    if (err.isPermissionDenied) {
      return 'permission';
    }
    if (err.status === 401) {
      return 'login';
    }
    switch (err.status) {
      case 404:
        return 'not-found';
      case 409:
        return 'conflict';
      case 413:
        return 'too-large';
      case 502:
      case 503:
        return 'unreachable';
      case 504:
        return 'timeout';
    }
    return err.status >= 500 ? 'server-error' : 'refused';
  }
  if (err instanceof SyntaxError) {
    // JSON that does not parse
    return 'bad-answer';
  }
  return 'local';
}

/**
 * Any thrown value -> the problem in words. `audience` picks whom to ask ("your instructor" for
 * a student, "an ngshare administrator" for an instructor).
 */
export function describeProblem(err: unknown, options: IDescribeOptions = {}): IProblem {
  const trans = options.trans ?? plainTrans;
  const instructor = options.audience === 'instructor';
  const kind = problemKind(err);
  const detail = technicalDetail(err);
  const url = err instanceof ServiceError ? err.url.replace(/[?#].*$/, '') : '';
  const serverSays = err instanceof Error ? sentence(err.message) : sentence(String(err));
  const make = (summary: string, action: string, contact: string): IProblem => ({
    kind,
    summary,
    action,
    contact,
    detail
  });
  switch (kind) {
    case 'unreachable':
      return make(
        trans.__('The exchange is not available right now.'),
        trans.__('Wait a few minutes and try again.'),
        instructor
          ? trans.__('If it stays unavailable, tell your JupyterHub administrator.')
          : trans.__('If it stays unavailable, tell your instructor or JupyterHub administrator.')
      );
    case 'no-service':
      return make(
        trans.__('No exchange service answers at %1.', serviceRoot(url)),
        trans.__(
          'If you set "Service URL" in Settings > ngshare (nbgrader exchange), clear it to use the default.'
        ),
        trans.__('Otherwise ask your JupyterHub administrator to set up the exchange (ngshare).')
      );
    case 'timeout':
      return make(
        trans.__('The exchange took too long to answer.'),
        trans.__('Try again in a moment.'),
        trans.__('If it keeps happening, tell your JupyterHub administrator.')
      );
    case 'login':
      return make(
        trans.__('The exchange did not accept your login.'),
        trans.__('Log out of JupyterHub (File > Log Out) and log in again.'),
        trans.__('If that does not help, ask your JupyterHub administrator.')
      );
    case 'permission':
      return make(
        trans.__('The exchange does not allow you to do this in this course.'),
        trans.__('Check that the right course is selected.'),
        instructor
          ? trans.__('Ask an ngshare administrator to make you an instructor of the course.')
          : trans.__('Ask your instructor to add you to the course.')
      );
    case 'not-found':
      return make(
        trans.__('The exchange says: %1', serverSays),
        trans.__('Click Refresh: it may have been removed or renamed.'),
        instructor
          ? trans.__('If it should be there, check the course id and the roster.')
          : trans.__('If it should be there, ask your instructor.')
      );
    case 'conflict':
      return make(
        trans.__('The exchange says: %1', serverSays),
        trans.__('Click Refresh to see the current state.'),
        ''
      );
    case 'too-large':
      return make(
        trans.__('The upload is larger than the exchange accepts.'),
        trans.__(
          'Leave large files (data sets, outputs, archives) out of the folder and try again.'
        ),
        instructor
          ? trans.__("Ask your JupyterHub administrator about the exchange's size limit.")
          : trans.__('Ask your instructor which files are needed.')
      );
    case 'closed':
      // the exchange's words name the assignment and the deadline; they are the news here
      return make(
        trans.__('The exchange says: %1', serverSays),
        trans.__('Its hard deadline has passed, so the exchange no longer accepts submissions.'),
        instructor ? '' : trans.__('If you need more time, ask your instructor for an extension.')
      );
    case 'server-error':
      return make(
        trans.__('The exchange had an internal error.'),
        trans.__('Try again in a moment.'),
        trans.__(
          'If it keeps happening, tell your JupyterHub administrator and include the Details.'
        )
      );
    case 'bad-answer':
      return make(
        trans.__('The exchange sent an answer that cannot be read.'),
        trans.__('Reload JupyterLab and try again.'),
        trans.__(
          'If it keeps happening, tell your JupyterHub administrator and include the Details.'
        )
      );
    case 'refused':
      return make(
        trans.__('The exchange says: %1', serverSays),
        trans.__('Check what you entered and try again.'),
        instructor
          ? trans.__('If it is unclear why, ask an ngshare administrator.')
          : trans.__('If it is unclear why, ask your instructor.')
      );
    case 'version':
    case 'local':
      // the extension's own words (or the user's server's): shown as they are
      return {
        kind,
        summary: err instanceof Error ? err.message : String(err),
        action: '',
        contact: '',
        detail: err instanceof Error && err.name !== 'Error' ? detail : ''
      };
  }
}

/** `https://h/services/ngshare/courses` -> `https://h/services/ngshare/` (the configured root). */
function serviceRoot(url: string): string {
  const m = /^(.*?\/services\/[^/]+\/)/.exec(url);
  return m ? m[1] : url;
}

/** A problem of the extension itself (no request involved), e.g. an unknown user name. */
export function localProblem(summary: string, action = '', contact = ''): IProblem {
  return { kind: 'local', summary, action, contact, detail: '' };
}

/** The exchange and this extension are not the same ngshare-ts version. */
export function versionProblem(
  trans: ITrans,
  url: string,
  service: string,
  serviceVersion: string,
  extensionVersion: string
): IProblem {
  return {
    kind: 'version',
    summary: trans.__(
      'The exchange runs %1 %2, but this extension is %3.',
      service,
      serviceVersion,
      extensionVersion
    ),
    action: trans.__('Some actions may fail until both are the same version.'),
    contact: trans.__(
      'Tell your JupyterHub administrator: install ngshare-ts %1 for the service and in the user environment.',
      extensionVersion
    ),
    detail: `URL: ${url}\nService: ${service} ${serviceVersion}\nExtension: ${extensionVersion}\nInstall: pip install "ngshare-ts @ git+https://github.com/ngshare-ts/ngshare-ts@v${extensionVersion}"`
  };
}

/** The whole problem as plain text (dialogs, logs): summary, action, whom to ask. */
export function problemText(problem: IProblem): string {
  return [problem.summary, problem.action, problem.contact].filter(s => s).join(' ');
}

/**
 * A notification's text: "<title> <what happened>", plus what to do when it still fits in a
 * toast (TOAST_LIMIT); the rest is one click away under "Details".
 */
export function toastText(title: string, problem: IProblem): string {
  const head = [title, problem.summary].filter(s => s).join(' ');
  const withAction = problem.action ? `${head} ${problem.action}` : head;
  return withAction.length <= TOAST_LIMIT ? withAction : head;
}
