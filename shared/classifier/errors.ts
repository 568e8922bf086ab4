/** Base class of the classifier's errors. */
export class ClassifierError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A lexicon (or a corp's additions to one) is malformed; the message names the field. */
export class InvalidLexiconError extends ClassifierError {}
