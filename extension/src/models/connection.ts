import { ISignal, Signal } from '@lumino/signaling';
import {
  INgshareClient,
  InvalidResponseError,
  NetworkError,
  ResponseError,
  isAuthError,
  errorMessage
} from '../api';
import { EXTENSION_VERSION } from '../version';
import { ITrans, plainTrans } from './i18n';

export type ConnectionStatus = 'unknown' | 'checking' | 'ok' | 'error';

/** The problem, in one sentence that names the fix. */
export interface IConnectionProblem {
  kind: 'unreachable' | 'auth' | 'version' | 'other';
  message: string;
}

function majorMinor(v: string): string {
  return v.split('.').slice(0, 2).join('.');
}

/**
 * The start-up handshake: GET <service>version. Never blocks start-up; views show `problem`.
 */
export class ConnectionModel {
  private _status: ConnectionStatus = 'unknown';
  private _problem: IConnectionProblem | null = null;
  private _serverVersion: string | null = null;
  private _admin: boolean | null = null;
  private _changed = new Signal<this, void>(this);

  constructor(
    private readonly _client: INgshareClient,
    private readonly _trans: ITrans = plainTrans
  ) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }
  get status(): ConnectionStatus {
    return this._status;
  }
  get problem(): IConnectionProblem | null {
    return this._problem;
  }
  get serverVersion(): string | null {
    return this._serverVersion;
  }
  /** What the service said about our admin rights, if it says anything (null: unknown). */
  get admin(): boolean | null {
    return this._admin;
  }

  async check(): Promise<IConnectionProblem | null> {
    this._status = 'checking';
    this._changed.emit();
    const url = this._client.baseUrl;
    let problem: IConnectionProblem | null = null;
    try {
      const info = await this._client.version();
      this._serverVersion = info.version;
      this._admin = info.admin ?? null;
      // `version` needs no login; one authenticated call tells whether our token is accepted.
      await this._client.listCourses().catch(err => {
        if (isAuthError(err)) {
          throw err;
        }
      });
      if (majorMinor(info.version) !== majorMinor(EXTENSION_VERSION)) {
        problem = {
          kind: 'version',
          message: this._trans.__(
            'The exchange service at %1 runs %2 %3, but this extension is %4. Install the same ngshare-ts version for the service and in the user environment (pip install "ngshare-ts @ git+https://github.com/ngshare-ts/ngshare-ts@v%4"; ngshare-ts==%4 once it is on PyPI).',
            url,
            info.name ?? 'ngshare',
            info.version,
            EXTENSION_VERSION
          )
        };
      }
    } catch (err) {
      problem = await this._diagnose(err, url);
    }
    this._problem = problem;
    this._status = problem ? 'error' : 'ok';
    this._changed.emit();
    return problem;
  }

  private async _diagnose(err: unknown, url: string): Promise<IConnectionProblem | null> {
    if (isAuthError(err)) {
      return {
        kind: 'auth',
        message: this._trans.__(
          // The fix first: notifications show only the first ~140 characters.
          'Log out of JupyterHub (File > Log Out) and log in again: the exchange service at %1 did not accept your login (%2).',
          url,
          errorMessage(err)
        )
      };
    }
    if (
      (err instanceof InvalidResponseError || err instanceof ResponseError) &&
      err.status === 404
    ) {
      // An original ngshare has no version endpoint: accept it when the API itself answers.
      try {
        await this._client.listCourses();
        this._serverVersion = 'ngshare (no version endpoint)';
        return null;
      } catch {
        // fall through
      }
    }
    if (err instanceof NetworkError || err instanceof InvalidResponseError) {
      return {
        kind: 'unreachable',
        message: this._trans.__(
          'The exchange service is not reachable at %1. Ask your JupyterHub administrator to add the ngshare service (pip install "ngshare-ts[node] @ git+https://github.com/ngshare-ts/ngshare-ts" until it is on PyPI, then a c.JupyterHub.services entry named "ngshare"; see docs/admin/install.md), or set "Service URL" in Settings > ngshare.',
          url
        )
      };
    }
    return {
      kind: 'other',
      message: this._trans.__(
        'The exchange service at %1 answered with an error: %2',
        url,
        errorMessage(err)
      )
    };
  }
}
