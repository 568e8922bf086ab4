import type { MemberState } from './types.js';
import { activePenalties, memberView } from './views.js';

/** A member's standing when not good, most severe first (the console lists members by it). */
export const STANDINGS = ['blocked', 'banned', 'suspended', 'review'] as const;

/** A standing of STANDINGS. */
export type Standing = (typeof STANDINGS)[number];

/** A member's dominant standing and when it began. */
export interface MemberStanding {
  readonly standing: Standing;
  readonly since: number;
}

/**
 * The member's dominant non-good standing at `at` (null in good standing): account blocked, else
 * interop banned, else suspended (a provisional measure too), else `review` when only undecided
 * cases hold it. `since` is when the oldest measure of that standing began (the oldest undecided
 * case's opening for review).
 */
export function memberStanding(member: MemberState, at: number): MemberStanding | null {
  const view = memberView(member, at);
  const active = activePenalties(member, at);
  const since = (kind: 'block' | 'ban' | 'suspension') =>
    Math.min(...active.filter((p) => p.kind === kind).map((p) => p.since));
  if (view.account.status === 'blocked') return { standing: 'blocked', since: since('block') };
  if (view.interop.status === 'banned') return { standing: 'banned', since: since('ban') };
  if (view.interop.status === 'suspended') return { standing: 'suspended', since: since('suspension') };
  if (view.openCases.length > 0)
    return { standing: 'review', since: Math.min(...view.openCases.map((c) => c.openedAt)) };
  return null;
}
