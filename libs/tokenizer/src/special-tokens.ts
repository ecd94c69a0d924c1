/**
 * Special tokens (`<|endoftext|>` …): ids outside the BPE, matched literally before
 * pre-tokenisation. As in tiktoken, every special token is *disallowed* by default — text that
 * contains one fails with DisallowedSpecialTokenError instead of silently becoming a control
 * token (a prompt-injection hazard) — unless listed in `allowedSpecial` (encoded as the special
 * id) or removed from `disallowedSpecial` (encoded as ordinary text).
 */
export type SpecialSelection = 'all' | ReadonlySet<string> | readonly string[];

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');
}

/** A global regex matching any of `tokens`, longest first so a token never shadows a longer one. */
export function specialTokenRegex(tokens: Iterable<string>): RegExp | undefined {
  const sorted = [...tokens].sort((a, b) => b.length - a.length);
  return sorted.length === 0 ? undefined : new RegExp(sorted.map(escapeRegex).join('|'), 'g');
}

export function resolveSelection(selection: SpecialSelection | undefined, all: ReadonlyMap<string, number>): Set<string> {
  if (selection === undefined) return new Set();
  if (selection === 'all') return new Set(all.keys());
  return new Set(selection);
}
