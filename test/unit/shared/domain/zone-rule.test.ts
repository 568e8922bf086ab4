import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../../../shared/domain/errors.js';
import { resolveZoneRule } from '../../../../shared/domain/resolve-zone-rule.js';
import { dateOfDay, dayOf, dayStart, offsetAt } from '../../../../shared/domain/zone-rule.js';
import { DAY, HOUR, MINUTE } from '../../../helpers/domain-inputs.js';

const utc = (iso: string) => Date.parse(iso);
/** The day number UTC gives a date: a zone's day of that date has the same number. */
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;

describe('resolveZoneRule', () => {
  it('resolves Asia/Shanghai to one offset, +8 h, from 2000 to 2100', () => {
    // Given WeCom's zone, when it is resolved
    const rule = resolveZoneRule('Asia/Shanghai');

    // Then it is a constant UTC+8: China has kept no daylight saving time since 1991
    expect(rule.name).toBe('Asia/Shanghai');
    for (const at of ['2000-01-01T00:00:00Z', '2026-06-01T00:00:00Z', '2099-12-31T23:59:59Z']) {
      expect(rule.transitionsAround(utc(at)).map((t) => t.offsetMs)).toEqual([8 * HOUR]);
      expect(offsetAt(utc(at), rule)).toBe(8 * HOUR);
    }
  });

  it('resolves UTC to an offset of 0', () => {
    expect(resolveZoneRule('UTC').transitionsAround(utc('2000-01-01T00:00:00Z'))).toEqual([
      { fromUtcMs: utc('2000-01-01T00:00:00Z'), offsetMs: 0 },
    ]);
  });

  it('pins each daylight-saving transition of America/New_York to the second', () => {
    // Given a zone with daylight saving time, when it is resolved
    const rule = resolveZoneRule('America/New_York');
    // The changes in a year (past the first entry: the offset in force before the others)
    const inYear = (year: number) =>
      rule
        .transitionsAround(Date.UTC(year, 6, 1))
        .slice(1)
        .filter((t) => new Date(t.fromUtcMs).getUTCFullYear() === year);

    // Then 2026's transitions are at 2:00 local: 8 March (EST to EDT) and 1 November (EDT to EST)
    expect(inYear(2026)).toEqual([
      { fromUtcMs: utc('2026-03-08T07:00:00Z'), offsetMs: -4 * HOUR },
      { fromUtcMs: utc('2026-11-01T06:00:00Z'), offsetMs: -5 * HOUR },
    ]);
    // And two a year through 2099, wherever in a year a time asks
    for (let year = 2000; year < 2100; year++) expect(inYear(year)).toHaveLength(2);
    expect(rule.transitionsAround(utc('2026-01-01T00:00:00Z')).length).toBeGreaterThanOrEqual(4);
    expect(offsetAt(utc('2026-03-08T06:59:59Z'), rule)).toBe(-5 * HOUR);
    expect(offsetAt(utc('2026-03-08T07:00:00Z'), rule)).toBe(-4 * HOUR);
  });

  it('gives the same offsets a century read at once gives, in whatever order times are asked', () => {
    // Given offsets sampled weekly over the century (the grid the rule resolves on) for a zone whose
    // rules changed several times, and a fresh rule asked about times out of order
    const name = 'Africa/Casablanca';
    const format = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
    const intlOffset = (at: number) => {
      const [, sign, hours, minutes] = /GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(format.format(at)) ?? [];
      const ms = (Number(hours ?? 0) * 60 + Number(minutes ?? 0)) * MINUTE;
      return sign === '-' ? -ms : ms;
    };
    const rule = resolveZoneRule(name);
    const times: number[] = [];
    for (let at = utc('2000-01-01T00:00:00Z'); at < utc('2100-01-01T00:00:00Z'); at += 7 * DAY + 5 * HOUR)
      times.push(at);
    // A stride through the list, so that chunks are first asked about far apart
    const order = times.map((_, i) => (i * 7919) % times.length);

    // Then every offset is Intl's
    for (const i of order) expect(offsetAt(times[i] as number, rule)).toBe(intlOffset(times[i] as number));
  });

  it('canonicalizes the name it is given', () => {
    expect(resolveZoneRule('asia/shanghai').name).toBe('Asia/Shanghai');
  });

  it('refuses an unknown zone with a PolicyError naming it', () => {
    expect(() => resolveZoneRule('Mars/Olympus_Mons')).toThrow(PolicyError);
    expect(() => resolveZoneRule('Mars/Olympus_Mons')).toThrow(
      /"Mars\/Olympus_Mons" is not an IANA time zone/,
    );
  });
});

describe('dayOf and dayStart', () => {
  const shanghai = resolveZoneRule('Asia/Shanghai');
  const newYork = resolveZoneRule('America/New_York');
  const utcZone = resolveZoneRule('UTC');

  it('puts 23:00 and 01:00 UTC either side of UTC midnight on one Shanghai day', () => {
    // Given adds at 07:00 and 09:00 on 2 March in Shanghai
    const early = utc('2026-03-01T23:00:00Z');
    const later = utc('2026-03-02T01:00:00Z');

    // Then both are on Shanghai's 2 March, whose day number is the one UTC gives that date
    expect(dayOf(early, shanghai)).toBe(dayNumber('2026-03-02'));
    expect(dayOf(later, shanghai)).toBe(dayNumber('2026-03-02'));
    expect(dateOfDay(dayOf(early, shanghai))).toBe('2026-03-02');
    // And in UTC they are two days
    expect(dayOf(early, utcZone)).toBe(dayNumber('2026-03-01'));
    expect(dayOf(later, utcZone)).toBe(dayNumber('2026-03-02'));
  });

  it('splits 15:30 and 16:30 UTC of one UTC day into two Shanghai days', () => {
    expect(dayOf(utc('2026-03-02T15:30:00Z'), shanghai)).toBe(dayNumber('2026-03-02'));
    expect(dayOf(utc('2026-03-02T16:30:00Z'), shanghai)).toBe(dayNumber('2026-03-03'));
  });

  it('starts a Shanghai day at 16:00 UTC the day before', () => {
    const day = dayNumber('2026-03-02');
    expect(dayStart(day, shanghai)).toBe(utc('2026-03-01T16:00:00Z'));
    expect(dayStart(day + 1, shanghai)).toBe(utc('2026-03-02T16:00:00Z'));
    expect(dayStart(day, utcZone)).toBe(utc('2026-03-02T00:00:00Z'));
  });

  it('gives New York a 23-hour day in March and a 25-hour day in November', () => {
    // Given the days daylight saving time starts and ends
    const spring = dayNumber('2026-03-08');
    const autumn = dayNumber('2026-11-01');

    // Then each starts at local midnight, and they last 23 and 25 hours
    expect(dayStart(spring, newYork)).toBe(utc('2026-03-08T05:00:00Z'));
    expect(dayStart(spring + 1, newYork) - dayStart(spring, newYork)).toBe(23 * HOUR);
    expect(dayStart(autumn, newYork)).toBe(utc('2026-11-01T04:00:00Z'));
    expect(dayStart(autumn + 1, newYork) - dayStart(autumn, newYork)).toBe(25 * HOUR);
    // And 01:30 local after the clocks went back is still 1 November
    expect(dayOf(utc('2026-11-01T06:30:00Z'), newYork)).toBe(autumn);
    expect(dayOf(utc('2026-11-02T04:59:59Z'), newYork)).toBe(autumn);
    expect(dayOf(utc('2026-11-02T05:00:00Z'), newYork)).toBe(autumn + 1);
  });

  it.each([
    'Asia/Shanghai',
    'UTC',
    'America/New_York',
    'America/Santiago',
    'Europe/London',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'Africa/Casablanca',
  ])('agrees with Intl on the local date, and starts each day where it begins, in %s', (name) => {
    // Given a zone and Intl's own local dates in it
    const rule = resolveZoneRule(name);
    const localDate = new Intl.DateTimeFormat('en-CA', {
      timeZone: name,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });

    // Then every few hours over 2024 to 2027 the day's date is Intl's
    for (
      let at = utc('2024-01-01T00:00:00Z');
      at < utc('2028-01-01T00:00:00Z');
      at += 7 * HOUR + 13 * MINUTE
    ) {
      expect(dateOfDay(dayOf(at, rule))).toBe(localDate.format(at));
    }
    // And each day starts at the first instant of that date, whatever the clocks did
    for (let day = dayNumber('2024-01-01'); day < dayNumber('2028-01-01'); day += 1) {
      const start = dayStart(day, rule);
      expect(dayOf(start, rule)).toBe(day);
      expect(dayOf(start - 1, rule)).toBe(day - 1);
    }
  });
});
