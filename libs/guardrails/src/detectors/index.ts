/** Every built-in detector, in the order findings are reported. */
import type { Detector } from '../detector';
import { delimiterInjectionDetector } from './delimiter-injection.detector';
import { encodedPayloadDetector } from './encoded-payload.detector';
import { harmfulContentDetector } from './harmful-content.detector';
import { harmfulRequestDetector } from './harmful-request.detector';
import { piiDetector, secretsDetector } from './pii.detector';
import { jailbreakDetector, promptExtractionDetector, promptInjectionDetector } from './prompt-injection.detector';
import { systemPromptLeakageDetector } from './system-prompt-leakage.detector';
import { unboundedConsumptionDetector } from './unbounded-consumption.detector';
import { unsafeMarkupDetector } from './unsafe-markup.detector';

export const BUILTIN_DETECTORS: readonly Detector[] = [
  promptInjectionDetector,
  jailbreakDetector,
  delimiterInjectionDetector,
  encodedPayloadDetector([promptInjectionDetector, jailbreakDetector, harmfulRequestDetector, promptExtractionDetector]),
  promptExtractionDetector,
  harmfulRequestDetector,
  harmfulContentDetector,
  piiDetector,
  secretsDetector,
  systemPromptLeakageDetector,
  unsafeMarkupDetector,
  unboundedConsumptionDetector,
];
