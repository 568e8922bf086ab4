import type { AddsCount } from '../types.js';

/** How many members the corp's adds of the day are kept for (the console's top adders). */
export const ADDS_TOP_MEMBERS = 10;

/**
 * The day's top adders once `userId` has made `count` adds today: its entry updated or inserted,
 * most first (ties by user id, for a stable order), the smallest dropped beyond ADDS_TOP_MEMBERS.
 * Exact, because a member's count only grows within a day and comes from its own state at each add:
 * a member left out never had more than the smallest kept, and the kept counts only grow.
 */
export function withAdds(members: readonly AddsCount[], userId: string, count: number): AddsCount[] {
  const others = members.filter((m) => m.userId !== userId);
  return [...others, { userId, count }]
    .sort((a, b) => b.count - a.count || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
    .slice(0, ADDS_TOP_MEMBERS);
}
