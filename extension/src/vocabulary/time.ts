/**
 * Timestamps for people. The exchange stores times as `2026-12-02 16:04:36.471619`: UTC, no zone,
 * microseconds (nbgrader's timestamp.txt may add ` UTC`). People see the local time with its zone
 * ("Dec 2, 2026, 11:04:36 AM EST"), and "2 minutes ago" when that helps; the exact value stays in
 * the tooltip. Requests always send the exchange's own string back, never these.
 */

/** Formatting choices; the defaults are the browser's locale and time zone. */
export interface ITimeFormatOptions {
  locale?: string;
  timeZone?: string;
}

const WIRE =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:\s*(?:UTC|Z))?$/i;

/** The exchange's timestamp as a Date (UTC), or null when it is not in the exchange's format. */
export function parseServerTimestamp(ts: string): Date | null {
  const m = WIRE.exec(ts.trim());
  if (!m) {
    return null;
  }
  const [, y, mo, d, h, mi, s, frac = ''] = m;
  const ms = Number((frac + '000').slice(0, 3));
  const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms));
  // Date.UTC rolls 2026-13-45 over into 2027: accept only dates that exist
  const valid =
    !Number.isNaN(date.getTime()) &&
    date.getUTCMonth() === +mo - 1 &&
    date.getUTCDate() === +d &&
    date.getUTCHours() === +h &&
    date.getUTCMinutes() === +mi;
  return valid ? date : null;
}

/** "Dec 2, 2026, 11:04:36 AM EST" (the locale decides the order and the clock). */
export function formatLocalTime(date: Date, options: ITimeFormatOptions = {}): string {
  return new Intl.DateTimeFormat(options.locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
    timeZone: options.timeZone
  }).format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1]
];

/** "2 minutes ago", "yesterday", "in 3 hours", "now" (Intl.RelativeTimeFormat of the locale). */
export function formatRelativeTime(
  date: Date,
  now: Date,
  options: ITimeFormatOptions = {}
): string {
  const rtf = new Intl.RelativeTimeFormat(options.locale, { numeric: 'auto' });
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 10) {
    return rtf.format(0, 'second');
  }
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return rtf.format(Math.trunc(seconds / size), unit);
    }
  }
  return rtf.format(seconds, 'second');
}

/** Relative time is shown for the last RELATIVE_WINDOW seconds only; older times need the date. */
export const RELATIVE_WINDOW = 7 * 24 * 3600;

export interface ITimestampText {
  /** Local time with zone: "Dec 2, 2026, 11:04:36 AM EST". */
  local: string;
  /** "2 minutes ago", or '' when the time is older than RELATIVE_WINDOW. */
  relative: string;
  /** For the tooltip: the exchange's exact value, "2026-12-02 16:04:36.471619 UTC". */
  exact: string;
  /** ISO 8601, for `<time dateTime>`. */
  iso: string;
}

/** Everything a view shows of one exchange timestamp; null when the string is not one. */
export function describeTimestamp(
  ts: string,
  now: Date = new Date(),
  options: ITimeFormatOptions = {}
): ITimestampText | null {
  const date = parseServerTimestamp(ts);
  if (!date) {
    return null;
  }
  const age = Math.abs(now.getTime() - date.getTime()) / 1000;
  const raw = ts.trim();
  return {
    local: formatLocalTime(date, options),
    relative: age <= RELATIVE_WINDOW ? formatRelativeTime(date, now, options) : '',
    exact: /utc$/i.test(raw)
      ? raw
      : /z$/i.test(raw) // an ISO 8601 due date: "2026-12-05 17:00:00 UTC" like the others
        ? `${raw.slice(0, -1).replace('T', ' ')} UTC`
        : `${raw} UTC`,
    iso: date.toISOString()
  };
}

/** The local time of an exchange timestamp as text (the string itself when it is not one). */
export function localTimestamp(ts: string, options: ITimeFormatOptions = {}): string {
  const date = parseServerTimestamp(ts);
  return date ? formatLocalTime(date, options) : ts;
}

export type DurationUnit = 'day' | 'hour' | 'minute' | 'second';

/**
 * A length of time as its two largest units down to minutes, for "2 days 3 hours left" and "late
 * by 5 minutes": 93784 s -> [{day, 1}, {hour, 2}]. Seconds only under a minute; rounded down.
 */
export function durationParts(seconds: number): { unit: DurationUnit; count: number }[] {
  let rest = Math.max(0, Math.floor(seconds));
  const sizes: [DurationUnit, number][] = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1]
  ];
  const parts: { unit: DurationUnit; count: number }[] = [];
  for (const [unit, size] of sizes) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) {
      parts.push({ unit, count });
    }
    if (parts.length === 2 || (unit === 'minute' && parts.length > 0)) {
      break;
    }
  }
  const kept = parts.filter(p => p.count > 0);
  return kept.length > 0 ? kept : [{ unit: 'second', count: 0 }];
}

// ------------------------------------------------------------ due dates (ISO 8601, UTC)

/** Seconds from `now` until `due`; negative once it has passed. */
export function secondsUntil(due: string, now: Date): number {
  return ((parseServerTimestamp(due)?.getTime() ?? NaN) - now.getTime()) / 1000;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The value of an `<input type="datetime-local">` ("2026-12-05T12:00", the viewer's own clock)
 * as ISO 8601 UTC, which the exchange wants with a zone; null when it is not a date and time.
 */
export function localInputToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) {
    return null;
  }
  const [, y, mo, d, h, mi, s = '0'] = m;
  const date = new Date(+y, +mo - 1, +d, +h, +mi, +s);
  if (Number.isNaN(date.getTime()) || date.getMonth() !== +mo - 1 || date.getDate() !== +d) {
    return null;
  }
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

/** ISO 8601 -> the viewer's local "YYYY-MM-DDTHH:MM" for a datetime-local input ('' if invalid). */
export function isoToLocalInput(iso: string): string {
  const date = parseServerTimestamp(iso);
  if (!date) {
    return '';
  }
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}
