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
}
