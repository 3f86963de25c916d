/**
 * ngshare timestamps: UTC wall-clock `YYYY-MM-DD HH:MM:SS.ffffff`, no zone,
 * never containing `+`, `/` or `T` (ngshare_exchange splits cache folder
 * names on `+`). Fixed width, so string order is time order.
 */

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Formats microseconds since the epoch. */
export function formatTimestamp(epochMicros: bigint): string {
  const millis = Number(epochMicros / 1000n);
  const micros = Number(epochMicros % 1000000n);
  const d = new Date(millis);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.` +
    pad(micros, 6)
  );
}

const CANONICAL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{6})$/;

/** Parses a canonical timestamp back to epoch microseconds; undefined if not canonical. */
export function canonicalToMicros(text: string): bigint | undefined {
  const m = CANONICAL.exec(text);
  if (!m) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s, f] = m;
  const millis = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  if (Number.isNaN(millis)) {
    return undefined;
  }
  return BigInt(millis) * 1000n + BigInt(f);
}

// strptime('%Y-%m-%d %H:%M:%S.%f[ %Z]'): %f takes 1-6 digits; %Z takes UTC/GMT
// (or the host zone names, which a server in UTC also calls UTC).
// strptime turns each space of the format into \s+.
const FEEDBACK_FORM =
  /^(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{1,2}):(\d{1,2})\.(\d{1,6})(?:\s+(UTC|GMT))?$/i;

/**
 * Parses a timestamp the way ngshare's feedback endpoints do and returns the
 * canonical form, or undefined when the value is not a valid timestamp.
 */
export function parseFeedbackTimestamp(raw: string): string | undefined {
  const m = FEEDBACK_FORM.exec(raw.trim());
  if (!m) {
    return undefined;
  }
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const fraction = m[7].padEnd(6, '0');
  // strptime's pattern allows seconds 60 and 61, but datetime() then refuses them
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  // setUTCFullYear: Date.UTC would read years 0–99 as 1900–1999
  const date = new Date(Date.UTC(2000, 0, 1, h, mi, s));
  date.setUTCFullYear(y, mo - 1, d);
  const millis = date.getTime();
  if (date.getUTCDate() !== d || y < 1) {
    return undefined; // e.g. 2021-02-30
  }
  return formatTimestamp(BigInt(millis) * 1000n + BigInt(fraction));
}

/**
 * Hands out strictly increasing microsecond clocks within this process:
 * JavaScript clocks have millisecond precision, so microseconds come from
 * the high-resolution timer and a floor of "last value + 1".
 */
export class MicrosecondClock {
  private last = 0n;
  private readonly base = BigInt(Date.now()) * 1000n - process.hrtime.bigint() / 1000n;

  now(): bigint {
    const candidate = this.base + process.hrtime.bigint() / 1000n;
    const wall = BigInt(Date.now()) * 1000n;
    // Follow the wall clock if it jumps forward (e.g. after a suspend).
    let next = candidate < wall - 1000n ? wall : candidate;
    if (next <= this.last) {
      next = this.last + 1n;
    }
    this.last = next;
    return next;
  }
}
