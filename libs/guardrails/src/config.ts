/**
 * Guardrail configuration: per detector on/off, threshold and optional action; an action per
 * OWASP category; and the few tunables that are not thresholds. One zod schema, so a gateway
 * can take it from YAML and fail with every problem listed.
 */
import { z } from 'zod';
import { DETECTOR_NAMES, type DetectorName, type GuardAction } from './decision';
import type { DetectorOptions } from './detector';
import { OWASP_CATEGORY_IDS, type OwaspCategoryId } from './owasp';

const GuardActionSchema = z.enum(['allow', 'redact', 'block']);

const DetectorSettingsSchema = z
  .object({
    enabled: z.boolean().optional(),
    /** 0..1; a finding scoring below it is dropped. Defaults are each detector's own. */
    threshold: z.number().min(0).max(1).optional(),
    /** Overrides the category's action for this detector's findings. */
    action: GuardActionSchema.optional(),
  })
  .strict();

export const GuardrailConfigSchema = z
  .object({
    detectors: z.object(Object.fromEntries(DETECTOR_NAMES.map((n) => [n, DetectorSettingsSchema.optional()]))).strict().optional(),
    actions: z.object(Object.fromEntries(OWASP_CATEGORY_IDS.map((id) => [id, GuardActionSchema.optional()]))).strict().optional(),
    options: z
      .object({
        minOverlapWords: z.number().int().min(3).optional(),
        maxInputChars: z.number().int().positive().optional(),
        minEncodedChars: z.number().int().min(8).optional(),
        minSecretEntropy: z.number().min(0).optional(),
        repetitionLimit: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type GuardrailConfig = {
  readonly detectors?: Partial<Record<DetectorName, { enabled?: boolean; threshold?: number; action?: GuardAction }>>;
  readonly actions?: Partial<Record<OwaspCategoryId, GuardAction>>;
  readonly options?: Partial<DetectorOptions>;
};

/**
 * Injection, harmful requests, leakage and floods are blocked; PII, secrets and unsafe markup
 * are redacted (the rest of the answer is still useful); categories no detector reports allow.
 */
export const DEFAULT_ACTIONS: Readonly<Record<OwaspCategoryId, GuardAction>> = {
  'LLM01:2025': 'block',
  'LLM02:2025': 'redact',
  'LLM03:2025': 'allow',
  'LLM04:2025': 'allow',
  'LLM05:2025': 'redact',
  'LLM06:2025': 'allow',
  'LLM07:2025': 'block',
  'LLM08:2025': 'allow',
  'LLM09:2025': 'allow',
  'LLM10:2025': 'block',
};

export const DEFAULT_OPTIONS: DetectorOptions = {
  // Eight shared consecutive words are rarely chance (garak's leakreplay uses similar spans).
  minOverlapWords: 8,
  // ~25k tokens: beyond any context window this project serves.
  maxInputChars: 100_000,
  // Shorter base64 runs are mostly ids and hashes, and decode to too little to judge.
  minEncodedChars: 24,
  // The curation filter's value: below it `key=value` pairs are mostly words.
  minSecretEntropy: 3.5,
  // "Repeat it 1000 times" already costs more than any answer is worth.
  repetitionLimit: 1000,
};

/** Validates an untyped config (e.g. from YAML); throws a ZodError listing every problem. */
export const parseGuardrailConfig = (input: unknown): GuardrailConfig => GuardrailConfigSchema.parse(input ?? {}) as GuardrailConfig;
