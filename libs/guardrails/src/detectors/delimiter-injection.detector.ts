/**
 * LLM01 delimiter injection: chat-template control tokens, role headers and fake section
 * markers inside user content, which try to close the user turn and open a system one.
 * Tokens of the ChatML, Llama 2/3, Alpaca and GPT-2 templates.
 */
import { rx, type Rule } from '../rules';
import { ruleDetector } from './rule-detector';

const RULES: readonly Rule[] = [
  {
    id: 'control-token',
    pattern: /<\|\s*(?:im_start|im_end|im_sep|endoftext|system|user|assistant|start_header_id|end_header_id|eot_id|begin_of_text|end_of_text)\s*\|>/g,
    score: 0.9,
    reason: 'chat-template control token in user content',
  },
  { id: 'inst-tag', pattern: /\[\s*\/?\s*inst\s*\]|<<\s*\/?\s*sys\s*>>/g, score: 0.85, reason: 'Llama instruction tag in user content' },
  { id: 'sequence-tag', pattern: /<\/s>|<s>\s*\[/g, score: 0.6, reason: 'end-of-sequence tag in user content' },
  { id: 'markdown-header', pattern: /^\s*#{2,}\s*(?:system|instructions?|new instructions?|response|assistant)\b\s*:?/gm, score: 0.75, reason: 'fake instruction section header' },
  { id: 'role-line', pattern: rx(`^ ?(?:system|assistant|developer) ?: ?(?:you are|you must|ignore|new|from now|override|disregard)`, 'm'), score: 0.8, reason: 'fake role line' },
  { id: 'role-xml', pattern: /<\/?\s*(?:system|instructions?|system_prompt|sys)\s*>/g, score: 0.7, reason: 'fake system markup' },
  { id: 'separator-then-system', pattern: /(?:={3,}|-{3,}|\*{3,}|#{3,})\s*(?:end of (?:user )?(?:input|prompt|text|document)|system|new instructions?|admin)/g, score: 0.7, reason: 'separator followed by a fake section' },
];

export const delimiterInjectionDetector = ruleDetector({
  name: 'delimiter-injection',
  category: 'LLM01:2025',
  stages: ['input'],
  threshold: 0.5,
  rules: RULES,
});
