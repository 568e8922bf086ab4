import type { Classification, Classifier, ContentCategory } from '../classification.js';
import type { DomainEvent } from '../events.js';
import type { Policy } from '../policy.js';
import { PROHIBITED_CONTENT } from '../rules/prohibited-conduct.js';
import { VIOLATING_CONTENT } from '../rules/rule-registry.js';
import type { Category } from '../types.js';
import { addAllToDayFilters, addToBucket, countBuckets, MINUTE_MS, sumFrom, textKey } from '../windows.js';
import { dayOf } from '../zone-rule.js';
import type { Draft, MutableWindows } from './draft.js';
import type { Evidence } from './evidence.js';
import { applyViolation } from './record-violation.js';

const MAX_MASS_SEND_KEYS = 6;
const MASS_SEND_BUCKET_MS = 10_000;

/** Rule 3's content categories: what a profile name or alias must not be classified as. */
const R3_CONTENT: readonly (ContentCategory & Category)[] = PROHIBITED_CONTENT;

/** A member's message: marketing recipients remembered, mass sends and prohibited content detected. */
export function onMessageSent(
  d: Draft,
  event: Extract<DomainEvent, { type: 'message.sent' }>,
  classifier: Classifier,
): void {
  d.corpActivity(event.at);
  // A customer's message is evidence of nothing the member did.
  if (event.senderKind !== 'member' || event.text === null || event.text === '') return;
  const p = d.policy;
  const { at } = event;
  const day = dayOf(at, p.timeZone);
  const w = d.windows();
  const hits = classifier.classify(event.text);
  const hit = (category: ContentCategory) => hits.find((h) => h.category === category);

  if (hit('marketing') && event.recipients.length > 0) {
    w.marketingRecipients = addAllToDayFilters(
      w.marketingRecipients,
      day,
      event.recipients,
      day - p.harassment.windowDays,
    );
  }

  const recipients = event.recipients.length;
  // One message into a customer group is not a mass send; the same text sent one by one is.
  const massCount = event.roomId === null ? countMassSend(w, textKey(event.text), at, recipients) : 0;
  if (massCount > p.plugin.massRecipientsPerMinute) {
    w.massSends = w.massSends.filter((entry) => entry.key !== textKey(event.text ?? ''));
    applyViolation(d, 'plugin-use', {
      summary: `the same text sent to ${massCount} recipients within a minute: dodging group-message limits`,
      counts: [
        {
          name: 'recipients of one text in 60 s',
          value: massCount,
          threshold: p.plugin.massRecipientsPerMinute,
        },
      ],
      recipients: massCount,
    });
    return;
  }
  // Each rule's content, in the registry's precedence: the most serious rule's is the violation.
  const violating = VIOLATING_CONTENT.find((category) => hit(category));
  if (violating)
    applyViolation(d, violating, { ...contentEvidence(hits, violating, recipients, p), text: event.text });
}

/** Recipients of one text in the last 60 s (10-second buckets, so at most 10 s more). */
function countMassSend(w: MutableWindows, key: string, at: number, recipients: number): number {
  const bucket = Math.floor(at / MASS_SEND_BUCKET_MS);
  const oldest = bucket - MINUTE_MS / MASS_SEND_BUCKET_MS;
  const entry = w.massSends.find((e) => e.key === key);
  const buckets = addToBucket(entry?.buckets ?? [], bucket, recipients, oldest);
  // Texts not sent for a minute drop out; the most recent few are kept.
  const others = w.massSends.filter(
    (e) => e.key !== key && countBuckets(e.buckets, oldest, Number.MAX_SAFE_INTEGER) > 0,
  );
  w.massSends = [...others, { key, buckets }].slice(-MAX_MASS_SEND_KEYS);
  return sumFrom(buckets, oldest);
}

function contentEvidence(
  hits: Classification,
  category: ContentCategory,
  recipients: number,
  p: Policy,
): Evidence {
  const matched = hits.find((h) => h.category === category);
  return {
    // The terms are quoted once, bounded, in the evidence: the summary does not repeat them.
    summary: `message text classified ${category}`,
    matchedTerms: matched?.matchedTerms ?? [],
    contentCategories: hits.map((h) => h.category),
    counts: [{ name: 'recipients', value: recipients, threshold: p.badInfluence.minRecipients }],
    recipients,
    ...(matched ? { score: matched.score } : {}),
  };
}

/** A profile change: a name or alias taking a protected name or classified as prohibited content. */
export function onProfileChanged(
  d: Draft,
  event: Extract<DomainEvent, { type: 'member.profile-changed' }>,
  classifier: Classifier,
): void {
  d.corpActivity(event.at);
  const names = [event.changes.Name, event.changes.Alias].filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (names.length === 0) return;
  const text = names.join(' ');
  const lowered = text.toLowerCase();
  const protectedHit = d.policy.accountInfo.protectedNames.find((name) =>
    lowered.includes(name.toLowerCase()),
  );
  const contentHits = classifier
    .classify(text)
    .filter((h) => (R3_CONTENT as readonly string[]).includes(h.category));
  if (!protectedHit && contentHits.length === 0) return;
  applyViolation(d, 'account-info-violation', {
    summary: protectedHit
      ? `profile name or alias takes the protected name "${protectedHit}"`
      : `profile name or alias classified ${contentHits.map((h) => h.category).join(', ')}`,
    text,
    matchedTerms: protectedHit ? [protectedHit] : contentHits.flatMap((h) => h.matchedTerms),
    contentCategories: contentHits.map((h) => h.category),
    // A protected name matches exactly; a classified one carries its score, the highest of them.
    ...(!protectedHit ? { score: Math.max(...contentHits.map((h) => h.score)) } : {}),
  });
}
