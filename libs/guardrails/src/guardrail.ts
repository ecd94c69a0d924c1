/**
 * `createGuardrail`: runs the enabled detectors over an input (a prompt or chat messages) or
 * an output, keeps findings at or above each detector's threshold, and decides one action —
 * the strictest among the findings' actions (block > redact > allow). A redacted decision
 * carries the text with every redactable span replaced; a finding whose action is `redact`
 * but that has no span to replace escalates to `block`, since it cannot be removed.
 *
 * @example
 * const guard = createGuardrail();
 * guard.checkInput('How to make bombs?').action;            // 'block'
 * guard.checkOutput('mail me at a@b.io').text;              // 'mail me at <EMAIL>'
 */
import { DEFAULT_ACTIONS, DEFAULT_OPTIONS, parseGuardrailConfig, type GuardrailConfig } from './config';
import {
  ACTION_RANK,
  severityFromScore,
  type ChatMessage,
  type DetectorName,
  type Finding,
  type GuardAction,
  type GuardDecision,
} from './decision';
import type { Detector, DetectorContext, Stage } from './detector';
import { BUILTIN_DETECTORS } from './detectors';
import { normalizeForDetection } from './normalize';

export interface OutputContext {
  readonly systemPrompt?: string;
  readonly protectedStrings?: readonly string[];
}

/** A finding as returned in a decision: with the action it asked for. */
export interface DecidedFinding extends Finding {
  readonly action: GuardAction;
}

export interface Guardrail {
  checkInput(input: string | readonly ChatMessage[]): GuardDecision & { readonly findings: readonly DecidedFinding[] };
  checkOutput(text: string, context?: OutputContext): GuardDecision & { readonly findings: readonly DecidedFinding[] };
}

// Roles whose content comes from outside the operator: the user, tools and retrieved documents.
const UNTRUSTED_ROLES = new Set(['user', 'tool', 'function', 'document', 'context']);

export function createGuardrail(config: GuardrailConfig = {}): Guardrail {
  const parsed = parseGuardrailConfig(config);
  const options = { ...DEFAULT_OPTIONS, ...parsed.options };
  const settings = (name: DetectorName) => parsed.detectors?.[name] ?? {};
  const active = BUILTIN_DETECTORS.filter((d) => settings(d.name).enabled !== false);
  const actionOf = (d: Detector): GuardAction => settings(d.name).action ?? parsed.actions?.[d.category] ?? DEFAULT_ACTIONS[d.category];
  const thresholdOf = (d: Detector): number => settings(d.name).threshold ?? d.threshold;

  const byStage: Readonly<Record<Stage, readonly Detector[]>> = {
    input: active.filter((d) => d.stages.includes('input')),
    output: active.filter((d) => d.stages.includes('output')),
  };

  function scan(text: string, stage: Stage, context: Omit<DetectorContext, 'stage' | 'options'>, message?: number): DecidedFinding[] {
    const normalized = normalizeForDetection(text);
    const findings: DecidedFinding[] = [];
    // One context for every detector of this scan (they only read it).
    const detectorContext: DetectorContext = { ...context, stage, options };
    for (const d of byStage[stage]) {
      for (const raw of d.detect(normalized, detectorContext)) {
        if (raw.score < thresholdOf(d)) continue;
        const span = raw.span && message !== undefined ? { ...raw.span, message } : raw.span;
        findings.push({
          ...raw,
          ...(span ? { span } : {}),
          detector: d.name,
          category: d.category,
          severity: raw.severity ?? severityFromScore(raw.score),
          action: actionOf(d),
        });
      }
    }
    return findings;
  }

  return {
    checkInput(input) {
      const messages: readonly ChatMessage[] = typeof input === 'string' ? [{ role: 'user', content: input }] : input;
      const findings = messages.flatMap((m, i) =>
        UNTRUSTED_ROLES.has(m.role) ? scan(m.content, 'input', {}, typeof input === 'string' ? undefined : i) : [],
      );
      const action = decide(findings);
      if (action !== 'redact') return { action, findings };
      const redacted = messages.map((m, i) => ({ ...m, content: redact(m.content, findings.filter((f) => (f.span?.message ?? 0) === i)) }));
      return typeof input === 'string'
        ? { action, findings, text: redacted[0]!.content }
        : { action, findings, messages: redacted, text: redacted.map((m) => m.content).join('\n') };
    },
    checkOutput(text, context = {}) {
      const findings = scan(text, 'output', context);
      const action = decide(findings);
      return action === 'redact' ? { action, findings, text: redact(text, findings) } : { action, findings };
    },
  };
}

function decide(findings: readonly DecidedFinding[]): GuardAction {
  let action: GuardAction = 'allow';
  for (const f of findings) {
    const wanted = f.action === 'redact' && (!f.span || f.replacement === undefined) ? 'block' : f.action;
    if (ACTION_RANK[wanted] > ACTION_RANK[action]) action = wanted;
  }
  return action;
}

/** Replaces the spans of redact-action findings, left to right, skipping overlaps. */
function redact(text: string, findings: readonly DecidedFinding[]): string {
  const spans = findings
    .filter((f) => f.action === 'redact' && f.span && f.replacement !== undefined)
    .map((f) => ({ start: f.span!.start, end: f.span!.end, replacement: f.replacement! }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += text.slice(at, s.start) + s.replacement;
    at = s.end;
  }
  return out + text.slice(at);
}
