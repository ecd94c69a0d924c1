/** The shape every detector has: a name, its OWASP category, where it runs, and a pure detect. */
import type { DetectorName, Finding } from './decision';
import type { NormalizedText } from './normalize';
import type { OwaspCategoryId } from './owasp';

export type Stage = 'input' | 'output';

export interface DetectorContext {
  readonly stage: Stage;
  readonly systemPrompt?: string;
  /** Strings that must never appear in an output (canaries, secrets of the deployment). */
  readonly protectedStrings?: readonly string[];
  readonly options: DetectorOptions;
}

/** Tunables that are not a threshold (see config.ts for the reason behind each default). */
export interface DetectorOptions {
  readonly minOverlapWords: number;
  readonly maxInputChars: number;
  readonly minEncodedChars: number;
  readonly minSecretEntropy: number;
  readonly repetitionLimit: number;
}

export type RawFinding = Omit<Finding, 'detector' | 'category' | 'severity'> & Partial<Pick<Finding, 'severity'>>;

export interface Detector {
  readonly name: DetectorName;
  readonly category: OwaspCategoryId;
  readonly stages: readonly Stage[];
  /** Default threshold on `score`; findings below it are dropped. */
  readonly threshold: number;
  detect(text: NormalizedText, context: DetectorContext): RawFinding[];
}
