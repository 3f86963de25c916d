import { ISignal, Signal } from '@lumino/signaling';
import { ITransferState } from '../tokens';

/**
 * Every mutation runs through `execute(key, fn)`: the key is marked running (buttons disable,
 * spinners show), progress can be reported under the same key, and `changed` fires on start and
 * end. The same key cannot run twice at once.
 */
export class TaskRunner {
  private _running = new Set<string>();
  private _progress = new Map<string, ITransferState>();
  private _changed = new Signal<this, void>(this);

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get busy(): boolean {
    return this._running.size > 0;
  }

  get running(): string[] {
    return [...this._running];
  }

  isRunning(key: string): boolean {
    return this._running.has(key);
  }

  progress(key: string): ITransferState | null {
    return this._progress.get(key) ?? null;
  }

  report(key: string, state: ITransferState): void {
    if (this._running.has(key)) {
      this._progress.set(key, state);
      this._changed.emit();
    }
  }

  async execute<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (this._running.has(key)) {
      throw new Error('This action is already running.');
    }
    this._running.add(key);
    this._changed.emit();
    try {
      return await fn();
    } finally {
      this._running.delete(key);
      this._progress.delete(key);
      this._changed.emit();
    }
  }
}
