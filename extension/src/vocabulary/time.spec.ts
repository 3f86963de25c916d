import {
  RELATIVE_WINDOW,
  describeTimestamp,
  formatLocalTime,
  formatRelativeTime,
  localTimestamp,
  parseServerTimestamp
} from './time';

const NY = { locale: 'en-US', timeZone: 'America/New_York' };

describe('exchange timestamps for people', () => {
  it('reads the exchange format as UTC (microseconds, optional " UTC")', () => {
    expect(parseServerTimestamp('2026-12-02 16:04:36.471619')?.toISOString()).toBe(
      '2026-12-02T16:04:36.471Z'
    );
    expect(parseServerTimestamp('2026-12-02 16:04:36.471619 UTC')?.toISOString()).toBe(
      '2026-12-02T16:04:36.471Z'
    );
    expect(parseServerTimestamp('2026-12-02 16:04:36')?.toISOString()).toBe(
      '2026-12-02T16:04:36.000Z'
    );
    expect(parseServerTimestamp('yesterday')).toBeNull();
    expect(parseServerTimestamp('2026-13-45 99:00:00')).toBeNull();
  });

  it('shows local time with the zone', () => {
    const d = parseServerTimestamp('2026-12-02 16:04:36.471619')!;
    expect(formatLocalTime(d, NY)).toBe('Dec 2, 2026, 11:04:36 AM EST');
    expect(formatLocalTime(d, { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe(
      '2 Dec 2026, 17:04:36 CET'
    );
    // summer time is the zone of that date, not of today
    const july = parseServerTimestamp('2026-07-01 12:00:00')!;
    expect(formatLocalTime(july, NY)).toBe('Jul 1, 2026, 8:00:00 AM EDT');
  });

  it('says how long ago, in the words of the locale', () => {
    const now = new Date('2026-12-02T16:06:40Z');
    const at = (iso: string) => formatRelativeTime(new Date(iso), now, { locale: 'en-US' });
    expect(at('2026-12-02T16:06:36Z')).toBe('now');
    expect(at('2026-12-02T16:06:10Z')).toBe('30 seconds ago');
    expect(at('2026-12-02T16:04:36Z')).toBe('2 minutes ago');
    expect(at('2026-12-02T13:00:00Z')).toBe('3 hours ago');
    expect(at('2026-12-01T12:00:00Z')).toBe('yesterday');
    expect(at('2026-12-02T17:06:40Z')).toBe('in 1 hour');
  });

  it('keeps the exact exchange value for the tooltip, relative time only when recent', () => {
    const now = new Date('2026-12-02T16:06:40Z');
    const t = describeTimestamp('2026-12-02 16:04:36.471619', now, NY)!;
    expect(t).toEqual({
      local: 'Dec 2, 2026, 11:04:36 AM EST',
      relative: '2 minutes ago',
      exact: '2026-12-02 16:04:36.471619 UTC',
      iso: '2026-12-02T16:04:36.471Z'
    });
    const later = new Date(now.getTime() + (RELATIVE_WINDOW + 60) * 1000);
    expect(describeTimestamp('2026-12-02 16:04:36.471619', later, NY)?.relative).toBe('');
    expect(describeTimestamp('2026-12-02 16:04:36 UTC', now, NY)?.exact).toBe(
      '2026-12-02 16:04:36 UTC'
    );
    expect(describeTimestamp('not a time', now, NY)).toBeNull();
  });

  it('leaves anything that is not a timestamp as it is', () => {
    expect(localTimestamp('no timestamp', NY)).toBe('no timestamp');
    expect(localTimestamp('2026-12-02 16:04:36.471619', NY)).toBe('Dec 2, 2026, 11:04:36 AM EST');
  });
});
