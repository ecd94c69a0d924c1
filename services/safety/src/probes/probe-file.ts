/**
 * Probe sets as YAML (or JSON) files, one suite per file, each filed under an OWASP LLM Top 10
 * (2025) category. Three kinds: `adversarial` (prompts or conversations graded offline),
 * `bias` (counterfactual templates × demographic term lists, scored by log-likelihood) and
 * `conversation` (long dialogues that state facts early and ask late). The bundled set is in
 * `services/safety/probes/`; SAFETY_PROBES_DIR adds a folder of custom sets (same name =
 * replaces the bundled one). A malformed file is refused with every problem and its path.
 */
import { isOwaspCategoryId } from '@crucible/guardrails';
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ProbeFileError } from '../safety.errors';

export const BUNDLED_PROBES_DIR = resolve(__dirname, '../../probes');

const Name = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _ (≤64)');
const Category = z.string().refine(isOwaspCategoryId, 'an OWASP LLM Top 10 (2025) id such as LLM01:2025');
const Message = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() }).strict();

export const GRADERS = ['harmful-content', 'goal', 'canary', 'pii'] as const;
export type GraderName = (typeof GRADERS)[number];

const Common = {
  name: Name,
  /** Words for gate reasons, e.g. "prompt injection"; the name otherwise. */
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  category: Category,
};

const AdversarialProbe = z
  .object({
    id: z.string().min(1),
    prompt: z.string().min(1).optional(),
    /** A conversation instead of one prompt (multi-turn attacks). */
    messages: z.array(Message).min(1).optional(),
    /** For the `goal` grader: text the attack tries to make the model say. */
    goal: z.string().min(1).optional(),
  })
  .strict()
  .refine((p) => (p.prompt === undefined) !== (p.messages === undefined), { message: 'exactly one of prompt or messages' });

const AdversarialFile = z
  .object({
    ...Common,
    kind: z.literal('adversarial'),
    graders: z.array(z.enum(GRADERS)).min(1),
    /** System prompt of every probe; `{canary}` is replaced by the run's canary secret. */
    systemPrompt: z.string().optional(),
    maxTokens: z.number().int().positive().max(1024).optional(),
    probes: z.array(AdversarialProbe).min(1),
  })
  .strict()
  .refine((f) => !f.graders.includes('goal') || f.probes.every((p) => p.goal), { message: 'the goal grader needs a goal on every probe', path: ['probes'] })
  .refine((f) => !f.graders.includes('canary') || f.systemPrompt?.includes('{canary}'), { message: 'the canary grader needs {canary} in systemPrompt', path: ['systemPrompt'] });

const BiasFile = z
  .object({
    ...Common,
    kind: z.literal('bias'),
    /** Dimension → group → terms substituted for `{term}`; at least two groups per dimension. */
    dimensions: z.record(
      Name,
      z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).refine((g) => Object.keys(g).length >= 2, 'at least two groups'),
    ),
    templates: z
      .array(z.object({ context: z.string().includes('{term}', { message: 'needs {term}' }), continuation: z.string().min(1) }).strict())
      .min(2),
  })
  .strict();

const Fact = z
  .object({
    statement: z.string().min(1),
    question: z.string().min(1),
    answer: z.string().min(1),
    /** Other values for the same slot: one of them in the answer is a contradiction. */
    contradictions: z.array(z.string().min(1)).default([]),
  })
  .strict();

const ConversationFile = z
  .object({
    ...Common,
    kind: z.literal('conversation'),
    /** Turns (messages) before the question; filler exchanges pad the dialogue up to it. */
    minTurns: z.number().int().min(2).default(20),
    filler: z.array(z.object({ user: z.string(), assistant: z.string() }).strict()).min(1),
    conversations: z.array(z.object({ id: z.string().min(1), facts: z.array(Fact).min(1) }).strict()).min(1),
    maxTokens: z.number().int().positive().max(1024).optional(),
  })
  .strict();

const ProbeFileSchema = z.discriminatedUnion('kind', [AdversarialFile, BiasFile, ConversationFile]);

export type ProbeSetInput = z.input<typeof ProbeFileSchema>;
export type AdversarialSet = z.output<typeof AdversarialFile> & { readonly file: string };
export type BiasSet = z.output<typeof BiasFile> & { readonly file: string };
export type ConversationSet = z.output<typeof ConversationFile> & { readonly file: string };
export type ProbeSet = AdversarialSet | BiasSet | ConversationSet;
export type AdversarialProbe = z.output<typeof AdversarialProbe>;

/** Validates one parsed file; `file` names it in errors and reports. */
export function parseProbeSet(raw: unknown, file: string): ProbeSet {
  const parsed = ProbeFileSchema.safeParse(raw);
  if (!parsed.success) throw new ProbeFileError(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return { ...parsed.data, file } as ProbeSet;
}

const PROBE_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export function readProbeSet(path: string): ProbeSet {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ProbeFileError(path, (error as Error).message);
  }
  return parseProbeSet(raw, path);
}

/** Every probe set of the folders, in file-name order; a later folder's set replaces an earlier one of the same name. */
export function loadProbeSets(...dirs: readonly string[]): ProbeSet[] {
  const byName = new Map<string, ProbeSet>();
  for (const dir of dirs) {
    const files = readdirSync(dir).filter((f) => PROBE_EXTENSIONS.has(extname(f))).sort();
    for (const f of files) {
      const set = readProbeSet(join(dir, f));
      byName.set(set.name, set);
    }
  }
  return [...byName.values()];
}
