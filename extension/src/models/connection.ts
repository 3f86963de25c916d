import { ISignal, Signal } from '@lumino/signaling';
import { INgshareClient, InvalidResponseError, ResponseError, isAuthError } from '../api';
import type { IProblem } from '../tokens';
import { EXTENSION_VERSION } from '../version';
import { describeProblem, versionProblem } from '../vocabulary/problems';
import { ITrans, plainTrans } from './i18n';

export type ConnectionStatus = 'unknown' | 'checking' | 'ok' | 'error';

function majorMinor(v: string): string {
  return v.split('.').slice(0, 2).join('.');
}

/**
 * The start-up handshake: GET <service>version. Never blocks start-up; views show `problem`, in
 * the words of src/vocabulary/problems.ts.
 */
export class ConnectionModel {
  private _status: ConnectionStatus = 'unknown';
  private _problem: IProblem | null = null;
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
  get problem(): IProblem | null {
    return this._problem;
  }
  get serverVersion(): string | null {
    return this._serverVersion;
  }
  /** What the service said about our admin rights, if it says anything (null: unknown). */
  get admin(): boolean | null {
    return this._admin;
  }

  async check(): Promise<IProblem | null> {
    this._status = 'checking';
    this._changed.emit();
    const url = this._client.baseUrl;
    let problem: IProblem | null = null;
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
        problem = versionProblem(
          this._trans,
          url,
          info.name ?? 'ngshare',
          info.version,
          EXTENSION_VERSION
        );
      }
    } catch (err) {
      problem = await this._diagnose(err);
    }
    this._problem = problem;
    this._status = problem ? 'error' : 'ok';
    this._changed.emit();
    return problem;
  }

  private async _diagnose(err: unknown): Promise<IProblem | null> {
    if (
      !isAuthError(err) &&
      (err instanceof InvalidResponseError || err instanceof ResponseError) &&
      err.status === 404
    ) {
      // An original ngshare has no version endpoint: accept it when the API itself answers.
      try {
        await this._client.listCourses();
        this._serverVersion = 'ngshare (no version endpoint)';
        return null;
      } catch (second) {
        return describeProblem(second, { trans: this._trans });
      }
    }
    return describeProblem(err, { trans: this._trans });
  }
}
