/**
 * The OWASP Top 10 for LLM Applications, 2025 edition (genai.owasp.org/llm-top-10): the
 * category every guardrail finding and every safety probe is filed under, so reports from
 * the gateway and from the safety suite read in the same vocabulary.
 */
export const OWASP_LLM_TOP_10_2025 = Object.freeze([
  { id: 'LLM01:2025', name: 'Prompt Injection' },
  { id: 'LLM02:2025', name: 'Sensitive Information Disclosure' },
  { id: 'LLM03:2025', name: 'Supply Chain' },
  { id: 'LLM04:2025', name: 'Data and Model Poisoning' },
  { id: 'LLM05:2025', name: 'Improper Output Handling' },
  { id: 'LLM06:2025', name: 'Excessive Agency' },
  { id: 'LLM07:2025', name: 'System Prompt Leakage' },
  { id: 'LLM08:2025', name: 'Vector and Embedding Weaknesses' },
  { id: 'LLM09:2025', name: 'Misinformation' },
  { id: 'LLM10:2025', name: 'Unbounded Consumption' },
] as const);

export type OwaspCategoryId = (typeof OWASP_LLM_TOP_10_2025)[number]['id'];
export const OWASP_CATEGORY_IDS: readonly OwaspCategoryId[] = OWASP_LLM_TOP_10_2025.map((c) => c.id);

const NAMES = new Map<string, string>(OWASP_LLM_TOP_10_2025.map((c) => [c.id, c.name]));

/** `LLM07:2025` → `System Prompt Leakage`; throws on an id outside the 2025 list. */
export function owaspCategoryName(id: string): string {
  const name = NAMES.get(id);
  if (name === undefined) throw new RangeError(`unknown OWASP LLM Top 10 (2025) category '${id}'`);
  return name;
}

export const isOwaspCategoryId = (id: string): id is OwaspCategoryId => NAMES.has(id);
