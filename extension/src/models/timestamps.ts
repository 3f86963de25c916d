/**
 * ngshare timestamps are opaque strings like `2026-11-25 20:23:41.695594` (UTC, no zone). A
 * timestamp.txt written by nbgrader may carry ` UTC`. For ordering we normalise to the fixed
 * width form; for requests we always send the server's string back verbatim.
 */
export function normalizeTimestamp(ts: string): string {
  const parts = ts.trim().split(/\s+/);
  const date = parts[0] ?? '';
  let time = parts[1] ?? '00:00:00';
  const [hms, frac = ''] = time.split('.');
  time = `${hms}.${(frac + '000000').slice(0, 6)}`;
  return `${date} ${time}`;
}

/** Negative / zero / positive like a comparator. */
export function compareTimestamps(a: string, b: string): number {
  const x = normalizeTimestamp(a);
  const y = normalizeTimestamp(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The latest of a list (by normalised order), or null. */
export function latestTimestamp(list: readonly string[]): string | null {
  let best: string | null = null;
  for (const ts of list) {
    if (best === null || compareTimestamps(ts, best) > 0) {
      best = ts;
    }
  }
  return best;
}
