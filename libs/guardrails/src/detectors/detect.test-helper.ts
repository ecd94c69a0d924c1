/** Runs one detector the way the guardrail does, for detector unit tests. */
import { DEFAULT_OPTIONS } from '../config';
import type { Detector, DetectorContext, RawFinding } from '../detector';
import { normalizeForDetection } from '../normalize';

export function detect(detector: Detector, text: string, context: Partial<DetectorContext> = {}): RawFinding[] {
  return detector
    .detect(normalizeForDetection(text), { stage: detector.stages[0]!, options: DEFAULT_OPTIONS, ...context })
    .filter((f) => f.score >= detector.threshold);
}
