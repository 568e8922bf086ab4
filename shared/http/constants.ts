/** Headers of every JSON answer: JSON, never cached. */
export const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;
