import { useEffect, useReducer } from 'react';
import type { ISignal } from '@lumino/signaling';

/** Re-renders the calling component whenever one of the signals fires. */
export function useSignals(...signals: ISignal<unknown, unknown>[]): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const slot = (): void => bump();
    signals.forEach(s => s.connect(slot));
    return () => {
      signals.forEach(s => s.disconnect(slot));
    };
  }, signals);
}
