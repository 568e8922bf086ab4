import type { ContentCategory } from '../classification.js';
import type { EvidenceCount } from '../decisions.js';

/** Evidence of a violation as the detections gather it. */
export interface Evidence {
  readonly summary: string;
  readonly counts?: readonly EvidenceCount[];
  readonly matchedTerms?: readonly string[];
  readonly contentCategories?: readonly ContentCategory[];
  readonly complaints?: number;
  readonly recipients?: number;
  readonly reviewer?: string;
  readonly badInfluence?: boolean;
  readonly reason?: string | undefined;
  /** The text the detection read, kept (bounded) on a case for its reviewer. */
  readonly text?: string;
  /** The classifier's score of the detected category, when a classifier found it. */
  readonly score?: number;
}
