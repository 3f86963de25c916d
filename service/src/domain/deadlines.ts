/**
 * Due dates: read as ISO 8601 with an explicit zone (instructors kept setting
 * deadlines at midnight UTC by accident, nbgrader#1932, so a zone-less time
 * is refused rather than guessed), kept as canonical UTC timestamps, written
 * back as ISO 8601 UTC. Lateness follows nbgrader's gradebook: a submission
 * is late when its timestamp is after the due date (deadline or extension),
 * by timestamp − due date seconds.
 */
import { canonicalToMicros, formatTimestamp } from './timestamps';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** The canonical UTC timestamp of an ISO 8601 date and time with zone, or a reason why not. */
export function parseDueDate(text: string): { due: string } | { problem: string } {
  const m = ISO.exec(text.trim());
  if (!m) {
    return {
      problem:
        'must be an ISO 8601 date and time with a time zone, e.g. 2026-12-05T17:00:00Z or 2026-12-05T12:00-05:00'
    };
  }
  const [, y, mo, d, h, mi, s = '0', f = '', zone] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second));
  date.setUTCFullYear(year, month - 1, day);
  if (
    year < 1970 ||
    month < 1 ||
    month > 12 ||
    date.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return { problem: `is not a valid date and time (${text.trim()})` };
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits[0] === '-' ? -1 : 1;
    const zh = Number(digits.slice(1, 3));
    const zm = Number(digits.slice(3, 5));
    if (zh > 23 || zm > 59) {
      return { problem: `has an invalid time zone offset (${zone})` };
    }
    offsetMinutes = sign * (zh * 60 + zm);
  }
  const millis = date.getTime() - offsetMinutes * 60_000;
  if (millis >= Date.UTC(10000, 0, 1)) {
    return { problem: `is not a valid date and time (${text.trim()})` };
  }
  return { due: formatTimestamp(BigInt(millis) * 1000n + BigInt(f.padEnd(6, '0'))) };
}

/** `2026-12-05 17:00:00.000000` → `2026-12-05T17:00:00Z` (a fraction only when there is one). */
export function canonicalToIso(canonical: string): string {
  const [date, time] = canonical.split(' ');
  const [hms, fraction = ''] = time.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${date}T${hms}${trimmed ? `.${trimmed}` : ''}Z`;
}

/** The later of the deadline and the student's extension: an extension never shortens. */
export function effectiveDue(deadline: string, extension: string | undefined): string {
  return extension !== undefined && extension > deadline ? extension : deadline;
}

/** nbgrader's total_seconds_late: how far after `due` a timestamp is, 0 when on time. */
export function secondsLate(timestamp: string, due: string): number {
  const t = canonicalToMicros(timestamp);
  const d = canonicalToMicros(due);
  if (t === undefined || d === undefined || t <= d) {
    return 0;
  }
  return Number(t - d) / 1e6;
}
