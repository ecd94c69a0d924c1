/** What a guardrail check returns: one action and the findings that decided it. */
import type { OwaspCategoryId } from './owasp';

export type GuardAction = 'allow' | 'redact' | 'block';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export const ACTION_RANK: Readonly<Record<GuardAction, number>> = { allow: 0, redact: 1, block: 2 };
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Offsets into the checked text (UTF-16 code units, end exclusive); `message` indexes a chat input. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly message?: number;
}

export interface Finding {
  readonly detector: DetectorName;
  readonly category: OwaspCategoryId;
  readonly severity: Severity;
  /** 0..1, compared with the detector's threshold. */
  readonly score: number;
  readonly span?: Span;
  readonly reason: string;
  /** Set by detectors whose action can be `redact`: what replaces the span. */
  readonly replacement?: string;
}

export interface ChatMessage {
  readonly role: string;
  readonly content: string;
}

export interface GuardDecision {
  readonly action: GuardAction;
  readonly findings: readonly Finding[];
  /** The redacted text when `action` is `redact` (for a chat input: the messages joined by newlines). */
  readonly text?: string;
  /** The redacted messages when a chat input was redacted. */
  readonly messages?: readonly ChatMessage[];
}

export const DETECTOR_NAMES = [
  'prompt-injection',
  'jailbreak',
  'delimiter-injection',
  'encoded-payload',
  'prompt-extraction',
  'harmful-request',
  'harmful-content',
  'pii',
  'secrets',
  'system-prompt-leakage',
  'unsafe-markup',
  'unbounded-consumption',
] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

export function severityFromScore(score: number): Severity {
  if (score >= 0.95) return 'critical';
  if (score >= 0.8) return 'high';
  if (score >= 0.5) return 'medium';
  return 'low';
}
