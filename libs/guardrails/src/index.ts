/** Public entry of @crucible/guardrails: offline input/output guardrails mapped to the OWASP LLM Top 10 (2025). */
export { createGuardrail, type DecidedFinding, type Guardrail, type OutputContext } from './guardrail';
export { DEFAULT_ACTIONS, DEFAULT_OPTIONS, GuardrailConfigSchema, parseGuardrailConfig, type GuardrailConfig } from './config';
export {
  ACTION_RANK,
  DETECTOR_NAMES,
  SEVERITY_RANK,
  type ChatMessage,
  type DetectorName,
  type Finding,
  type GuardAction,
  type GuardDecision,
  type Severity,
  type Span,
} from './decision';
export { isOwaspCategoryId, OWASP_CATEGORY_IDS, OWASP_LLM_TOP_10_2025, owaspCategoryName, type OwaspCategoryId } from './owasp';
export { normalizeForDetection, type NormalizedText } from './normalize';
export { HARM_CATEGORIES, type HarmCategory } from './detectors/harm-lexicon';
export { actionableSignals, looksLikeRefusal } from './detectors/harmful-content.detector';
export { findSensitive, ibanValid, type PiiType } from './detectors/pii.detector';
export { longestCommonRun } from './detectors/system-prompt-leakage.detector';
