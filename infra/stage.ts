/** The stage `npx cdk deploy` makes when given none (`-c stage=...`). */
export const DEFAULT_STAGE = 'dev';

/** Prefix of every stack name; the stage follows it (`WecomEnforcement-prod`). */
export const STACK_NAME_PREFIX = 'WecomEnforcement';

/**
 * A stage: 1–20 characters of lowercase letters, digits and single hyphens, starting with a letter
 * and not ending with a hyphen. Short enough that every physical name derived from the stack name
 * stays within its AWS limit (the tightest, the timer schedule group `WecomEnforcement-<stage>-timers`,
 * is 44 of Scheduler's 64 characters at most; the FIFO dead-letter queue 53 of SQS's 80), and
 * lowercase so that names which AWS treats case-insensitively cannot tell two stages apart.
 */
export const STAGE_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,19}$/;

/** The stage an app is synthesized for, checked; `undefined` is the {@link DEFAULT_STAGE}. */
export function parseStage(value: string | undefined): string {
  if (value === undefined) return DEFAULT_STAGE;
  if (!STAGE_PATTERN.test(value))
    throw new Error(
      `Invalid stage ${JSON.stringify(value)}: use 1–20 lowercase letters, digits and single hyphens, ` +
        'starting with a letter and not ending with a hyphen (e.g. `-c stage=prod`).',
    );
  return value;
}

/** The one top-level stack of a stage; every physical name of the app derives from it. */
export function stackNameFor(stage: string): string {
  return `${STACK_NAME_PREFIX}-${stage}`;
}
