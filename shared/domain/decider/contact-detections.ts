import type { DomainEvent } from '../events.js';
import { contactAddLimits } from '../views.js';
import { addToBucket, addToDayFilters, DAY_MS, inDayFilters, MINUTE_MS, sumFrom } from '../windows.js';
import { dayOf, dayStart } from '../zone-rule.js';
import type { Draft } from './draft.js';
import { applyViolation } from './record-violation.js';

const ADD_BUCKET_MS = 15 * MINUTE_MS;

/** A contact added: the member's and corp's counts, machine cadence and the daily limit checked. */
export function onContactAdded(d: Draft, event: Extract<DomainEvent, { type: 'contact.added' }>): void {
  const { at } = event;
  const p = d.policy;
  const day = dayOf(at, p.timeZone);
  const w = d.windows();
  // Every offset in use is a multiple of 15 minutes, so the day begins on a bucket's edge.
  const dayStartBucket = Math.floor(dayStart(day, p.timeZone) / ADD_BUCKET_MS);
  // Adds through a "contact me" code are the customer's doing: they count for the corp, and to
  // the complaint attribution, but not against the member's own adding limits.
  if (!event.viaContactMe) {
    // Kept for the rolling 24 h, and for the whole day when it is longer (a 25-hour DST day).
    const oldest = Math.min(Math.floor((at - DAY_MS) / ADD_BUCKET_MS) + 1, dayStartBucket);
    w.adds = addToBucket(w.adds, Math.floor(at / ADD_BUCKET_MS), 1, oldest);
    w.recentAddTimes = [...w.recentAddTimes, at].slice(-p.plugin.addsPerMinute);
  }
  w.addedContacts = addToDayFilters(
    w.addedContacts,
    day,
    event.externalUserId,
    day - p.contactAdds.complaintWindowDays,
  );
  d.corpAdd(at, sumFrom(w.adds, dayStartBucket));

  const cadence = w.recentAddTimes;
  const first = cadence[0];
  if (cadence.length >= p.plugin.addsPerMinute && first !== undefined && at - first < MINUTE_MS) {
    w.recentAddTimes = [];
    applyViolation(d, 'plugin-use', {
      summary: `${cadence.length} contact adds within ${Math.round((at - first) / 1000)} s: machine cadence`,
      counts: [{ name: 'adds in 60 s', value: cadence.length, threshold: p.plugin.addsPerMinute }],
    });
    return;
  }
  const last24h = sumFrom(w.adds, Math.floor((at - DAY_MS) / ADD_BUCKET_MS) + 1);
  // The corp's trust only matters once the count passes the lowest limit any trust can give.
  if (last24h <= Math.round(p.contactAdds.basePerMemberPerDay * p.contactAdds.minTrust)) return;
  const limit = contactAddLimits(d.corp, p, at).contactAddsPerMemberPerDay;
  if (last24h > limit && (w.lastAddBreachAt === null || at - w.lastAddBreachAt >= DAY_MS)) {
    w.lastAddBreachAt = at;
    applyViolation(d, 'malicious-contact-adds', {
      summary: `${last24h} contact adds in 24 h, over the member's daily limit of ${limit}`,
      counts: [{ name: 'adds in 24 h', value: last24h, threshold: limit }],
    });
  }
}

/**
 * A complaint or a deletion by a customer: harassment evidence, and for complaints, add abuse.
 * Windows of N days count whole days of the policy's zone back to day − N, so "within 7 days" of
 * a Monday 08:00 event still holds the following Monday (they reach up to a day beyond, never
 * short of it).
 */
export function onNegativeFeedback(d: Draft, externalUserId: string, at: number, complaint: boolean): void {
  const p = d.policy;
  const day = dayOf(at, p.timeZone);
  const w = d.windows();
  d.corpNegativeFeedback(at);
  w.feedback = addToBucket(w.feedback, day, 1, day - p.harassment.windowDays);

  if (inDayFilters(w.marketingRecipients, externalUserId, day - p.harassment.windowDays)) {
    w.marketingFeedback = addToBucket(w.marketingFeedback, day, 1, day - p.harassment.windowDays);
    const total = sumFrom(w.marketingFeedback, day - p.harassment.windowDays);
    if (total >= p.harassment.minNegativeFeedback) {
      w.marketingFeedback = [];
      applyViolation(d, 'harassing-marketing', {
        summary: `${total} complaints or deletions within ${p.harassment.windowDays} days from recipients of marketing`,
        counts: [
          {
            name: 'negative feedback from marketing recipients',
            value: total,
            threshold: p.harassment.minNegativeFeedback,
          },
        ],
        complaints: total,
      });
      return;
    }
  }
  const window = p.contactAdds.complaintWindowDays;
  if (complaint && inDayFilters(w.addedContacts, externalUserId, day - window)) {
    w.addedContactComplaints = addToBucket(w.addedContactComplaints, day, 1, day - window);
    const total = sumFrom(w.addedContactComplaints, day - window);
    if (
      total >= p.contactAdds.minComplaints &&
      (w.lastAddBreachAt === null || at - w.lastAddBreachAt >= DAY_MS)
    ) {
      w.lastAddBreachAt = at;
      w.addedContactComplaints = [];
      applyViolation(d, 'malicious-contact-adds', {
        summary: `${total} complaints within ${window} days from contacts the member added`,
        counts: [
          { name: 'complaints from added contacts', value: total, threshold: p.contactAdds.minComplaints },
        ],
        complaints: total,
      });
    }
  }
}
