import { describe, expect, it } from 'vitest';
import { compare } from '../../../../local/scenario/compare.js';

const start = Date.parse('2026-03-02T01:00:00Z');
const DAY = 24 * 3_600_000;

describe('compare', () => {
  it('checks only the fields expected, times as instants, advice by a part of it', () => {
    // Prepare
    const actual = {
      interop: {
        status: 'suspended',
        until: '2026-03-03T01:00:00.000Z',
        canApplyForUnblock: true,
        reason: null,
      },
      strikes: 1,
      advice: ["member zhaoliu made 103 of today's 103 contact adds: spread adds over several members"],
    };
    const failures: string[] = [];

    // Act
    const checked = compare(
      {
        interop: { status: 'suspended', until: start + DAY, reason: null },
        strikes: 2,
        advice: ['zhaoliu made 103', 'QR code'],
      },
      actual,
      'member',
      failures,
    );

    // Assess
    expect(checked).toBe(6);
    expect(failures).toEqual([
      'member.strikes: expected 2, got 1',
      `member.advice: expected one with "QR code", got ["member zhaoliu made 103 of today's 103 contact adds: spread adds over several members"]`,
    ]);
  });

  it('reports a time that differs as ISO times', () => {
    // Prepare
    const failures: string[] = [];

    // Act
    compare({ until: start }, { until: null }, 'member.interop', failures);

    // Assess
    expect(failures).toEqual(['member.interop.until: expected 2026-03-02T01:00:00.000Z, got null']);
  });
});
