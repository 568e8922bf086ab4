import { describe, expect, it } from 'vitest';
import { failureReason, parkedIdOf } from '../../../../shared/evaluator/parked-inputs.js';

describe('parked inputs', () => {
  it('keeps a failure reason with the error name, cut to 1,000 characters when longer', () => {
    // Act
    const short = failureReason(new TypeError('store unreachable'));
    const long = failureReason(new Error('x'.repeat(50_000)));

    // Assess
    expect(short).toBe('TypeError: store unreachable');
    expect(long).toHaveLength(1_000);
    expect(long.startsWith('Error: xxx')).toBe(true);
    expect(long.endsWith('…')).toBe(true);
  });

  it('gives one input the same id on every delivery, and the same input id of two corps two ids', () => {
    // Act
    const first = parkedIdOf('wwcorp1', 'input-1');
    const again = parkedIdOf('wwcorp1', 'input-1');
    const otherCorp = parkedIdOf('wwcorp2', 'input-1');

    // Assess
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(again).toBe(first);
    expect(otherCorp).not.toBe(first);
  });
});
