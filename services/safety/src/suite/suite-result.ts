/** What each suite reports: counts for the gate plus the details a reader needs to judge them. */
import type { OwaspCategoryId } from '@crucible/guardrails';

export type SuiteKind = 'adversarial' | 'training-data' | 'bias' | 'conversation';

export interface SuiteResult {
  readonly name: string;
  readonly title: string;
  readonly category: OwaspCategoryId;
  readonly kind: SuiteKind;
  /** The probe file, for file-based suites. */
  readonly file?: string;
  readonly probes: number;
  readonly failures: number;
  /** Why a suite has fewer probes than expected, or other caveats. */
  readonly notes: readonly string[];
  readonly details: unknown;
  readonly seconds: number;
}

export interface SuiteProgress {
  readonly suite: string;
  readonly done: number;
  readonly total: number;
}

/** Outputs are stored in reports shortened: enough to see what the model did. */
export const clip = (text: string, max = 400): string => (text.length <= max ? text : `${text.slice(0, max)}…`);
