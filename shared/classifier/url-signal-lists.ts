import * as z from 'zod/mini';
import { issuePath, parseWith } from '../parse-with.js';
import urlSignalListsJson from './data/url-signals.json' with { type: 'json' };
import { InvalidLexiconError } from './errors.js';

const hostList = z.array(z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]*$/)));
const labelList = z.array(z.string().check(z.regex(/^[a-z0-9]+$/)));

const urlSignalListsSchema = z.strictObject({
  version: z.string().check(z.minLength(1)),
  description: z.optional(z.string()),
  suspiciousTlds: labelList,
  shorteners: hostList,
  brands: z.record(z.string().check(z.regex(/^[a-z0-9]+$/)), hostList.check(z.minLength(1))),
  schemelessTlds: labelList,
  secondLevel: z.strictObject({ labels: labelList, countries: labelList }),
});

/** The lists behind the link signals: versioned data beside the lexicon. */
export type UrlSignalLists = z.output<typeof urlSignalListsSchema>;

/** Validates the link signals' lists; throws InvalidLexiconError naming the first bad field. */
export function parseUrlSignalLists(json: unknown): UrlSignalLists {
  return parseWith(urlSignalListsSchema, json, (issue, cause) => {
    const field = issuePath(issue) || 'value';
    return new InvalidLexiconError(`invalid url signal lists: ${field} is invalid (${issue?.code})`, {
      cause,
    });
  });
}

/** The lists shipped with the engine (`data/url-signals.json`), validated at module load. */
export const URL_SIGNAL_LISTS: UrlSignalLists = parseUrlSignalLists(urlSignalListsJson);
