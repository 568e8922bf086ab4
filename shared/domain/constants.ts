/** Version of the domain event schema; bump it when an event's shape changes. */
export const DOMAIN_EVENT_VERSION = 1 as const;
