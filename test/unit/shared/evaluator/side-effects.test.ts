import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../../shared/domain/decisions.js';
import type { OutboundEvents, PendingEffects, Timers } from '../../../../shared/domain/ports.js';
import { type TimerCommand, unbanTimer } from '../../../../shared/domain/timers.js';
import { DecisionEffects } from '../../../../shared/evaluator/side-effects.js';
import { CORP_ID, DAY, MEMBER_ID, T0 } from '../../../helpers/domain-inputs.js';

const INPUT_ID = 'ab'.repeat(20);
const MEMBER = { corpId: CORP_ID, userId: MEMBER_ID };

/** Timers and outbound events that write what they are asked into one log, each call taking a few ms. */
class LoggingPorts implements Timers, OutboundEvents {
  readonly log: string[] = [];
  readonly created = new Map<string, { at: number; input: TimerCommand }>();
  readonly published: PendingEffects[] = [];
  failCreate: string | null = null;

  async cancel(name: string): Promise<void> {
    this.log.push(`cancel ${name} started`);
    await pause();
    this.log.push(`cancel ${name} done`);
  }

  async create(name: string, at: number, input: TimerCommand): Promise<void> {
    this.log.push(`create ${name} started`);
    await pause();
    if (name === this.failCreate) throw new Error(`Scheduler refused ${name}`);
    this.created.set(name, { at, input });
    this.log.push(`create ${name} done`);
  }

  async publish(effects: PendingEffects): Promise<void> {
    this.log.push('publish');
    this.published.push(effects);
  }
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

function scheduleCreate(penaltyId: string): Decision {
  const timer = unbanTimer(MEMBER, penaltyId, T0 + DAY);
  // A readable name: DecisionEffects passes the decision's name through, whatever it is.
  return { type: 'schedule.create', name: `u.${penaltyId}`, at: timer.at, input: timer };
}

const penaltyLifted: Decision = {
  type: 'penalty.lifted',
  subject: { kind: 'member', ...MEMBER },
  penaltyId: 'p-old',
  cause: { kind: 'schedule', id: 'u.p-old', inputId: INPUT_ID },
  policyVersion: '2026-03-01',
};

function effectsOf(decisions: readonly Decision[]): PendingEffects {
  return { corpId: CORP_ID, inputId: INPUT_ID, at: T0, decisions };
}

function effectsWith(ports: LoggingPorts): DecisionEffects {
  return new DecisionEffects({ timers: ports, outbound: ports });
}

describe('DecisionEffects.carryOut', () => {
  it('cancels every schedule, then creates the new ones, then publishes the events once', async () => {
    // Prepare
    const ports = new LoggingPorts();
    const effects = effectsOf([
      scheduleCreate('p1'),
      penaltyLifted,
      { type: 'schedule.cancel', name: 'u.p-old' },
      scheduleCreate('p2'),
      { type: 'schedule.cancel', name: 'r.ban-1' },
    ]);

    // Act
    await effectsWith(ports).carryOut(effects);

    // Assess
    expect(ports.log).toEqual([
      'cancel u.p-old started',
      'cancel r.ban-1 started',
      'cancel u.p-old done',
      'cancel r.ban-1 done',
      'create u.p1 started',
      'create u.p2 started',
      'create u.p1 done',
      'create u.p2 done',
      'publish',
    ]);
    expect(ports.created.get('u.p1')).toEqual({ at: T0 + DAY, input: unbanTimer(MEMBER, 'p1', T0 + DAY) });
    expect(ports.published).toEqual([effects]);
  });

  it('publishes nothing when the effects hold no outbound decision', async () => {
    // Prepare
    const ports = new LoggingPorts();

    // Act
    await effectsWith(ports).carryOut(
      effectsOf([{ type: 'schedule.cancel', name: 'u.p-old' }, scheduleCreate('p1')]),
    );

    // Assess
    expect(ports.published).toEqual([]);
    expect([...ports.created.keys()]).toEqual(['u.p1']);
  });

  it('fails when a schedule cannot be created, after the other creates finished and before publishing', async () => {
    // Prepare
    const ports = new LoggingPorts();
    ports.failCreate = 'u.p1';

    // Act
    const carried = effectsWith(ports).carryOut(
      effectsOf([scheduleCreate('p1'), scheduleCreate('p2'), penaltyLifted]),
    );

    // Assess
    await expect(carried).rejects.toThrow('Scheduler refused u.p1');
    expect(ports.log).toContain('create u.p2 done');
    expect(ports.published).toEqual([]);
  });

  it('fails when the events cannot be published, so the caller keeps the effects pending', async () => {
    // Prepare
    const ports = new LoggingPorts();
    ports.publish = async () => {
      throw new Error('EventBridge refused 1 of 1 outbound events');
    };

    // Act
    const carried = effectsWith(ports).carryOut(effectsOf([penaltyLifted]));

    // Assess
    await expect(carried).rejects.toThrow('EventBridge refused 1 of 1 outbound events');
  });

  it('refuses to schedule anything but a timer, before doing anything', async () => {
    // Prepare
    const ports = new LoggingPorts();
    const report: Decision = {
      type: 'schedule.create',
      name: 'x.report',
      at: T0 + DAY,
      input: {
        type: 'unblock.requested',
        id: 'unblock-1',
        corpId: CORP_ID,
        userId: MEMBER_ID,
        at: T0,
      },
    };

    // Act
    const carried = effectsWith(ports).carryOut(
      effectsOf([{ type: 'schedule.cancel', name: 'u.p-old' }, report, penaltyLifted]),
    );

    // Assess
    await expect(carried).rejects.toThrow(/schedule x\.report carries a command of type unblock\.requested/);
    expect(ports.log).toEqual([]);
  });
});
