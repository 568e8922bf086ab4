/** Base class of the policy engine's errors. */
export class DomainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The policy document is invalid; the message names the field at fault. */
export class PolicyError extends DomainError {}

/** Why a queued message is not an input: it can never be evaluated, whatever the retries. */
export class InvalidInputError extends DomainError {}
