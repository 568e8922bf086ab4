import type { Classifier } from '../classification.js';
import type { Decision } from '../decisions.js';
import type { Policy } from '../policy.js';
import type { CorpState, MemberState } from '../types.js';

/** What `decide` decides with: the policy in force for the corp and the content classifier. */
export interface DecideContext {
  readonly policy: Policy;
  readonly classifier: Classifier;
}

/** The state an input is decided against: its member (null for corp-wide inputs) and its corp. */
export interface EngineState {
  readonly member: MemberState | null;
  readonly corp: CorpState;
}

/** The new state and everything decided, for the shell to persist and carry out. */
export interface Outcome extends EngineState {
  readonly decisions: readonly Decision[];
}
