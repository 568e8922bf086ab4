/** Version of the domain event schema; bump it when an event's shape changes. */
export const DOMAIN_EVENT_VERSION = 1 as const;

/**
 * Characters (code points) a quoted span of evidence keeps at most: a longer span (a 200 KB link,
 * a term with thousands of separators inserted) keeps its start and end around an ellipsis.
 */
export const QUOTE_MAX_CHARS = 120;

/** Matched terms a violation quotes at most; the count of all of them is kept besides. */
export const MAX_QUOTES = 8;
