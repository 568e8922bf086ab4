/** Flags of a normalized unit (NormalizedText.flags), shared by the folding table and the pass. */

/** Flag of a normalized unit: a separator was dropped before it (or it is a folded lookalike, or follows one). */
export const SEPARATED = 1;
/** Flag of a normalized unit: a letter of a script that separates its words (Latin, Cyrillic, Greek, Hangul, ...). */
export const LETTER = 2;
/** Flag of a normalized unit: a decimal digit. */
export const DIGIT = 4;
/** LETTER | DIGIT: a unit that words are made of. */
export const WORD = LETTER | DIGIT;
