/**
 * LLM01 prompt injection and jailbreaks, LLM07 prompt-extraction attempts: phrase rules over
 * normalised input. Phrases after the public corpora of garak (`promptinject`, `dan`),
 * Lakera's Gandalf write-ups, deepset/prompt-injections and the DAN prompt family.
 */
import { rx, type Rule } from '../rules';
import { ruleDetector } from './rule-detector';

const ADJ = '(?:all |any |the |every |your |my |of |these |those )*';
const PRIOR = '(?:previous|prior|above|earlier|preceding|former|original|initial|system|safety|existing|old|developer)';
const DIRECTIVES = '(?:instructions?|prompts?|rules|directions|guidelines|directives|context|commands|guardrails|restrictions|programming|constraints|policies)';

const INJECTION: readonly Rule[] = [
  { id: 'override', pattern: rx(`(?:ignore|disregard|forget|override|bypass|skip|discard|neglect) ${ADJ}${PRIOR} ${DIRECTIVES}`), score: 0.95, reason: 'asks to discard prior instructions' },
  { id: 'override-yours', pattern: rx(`(?:ignore|disregard|forget|override|bypass) ${ADJ}your ${DIRECTIVES}`), score: 0.9, reason: 'asks to discard the assistant\'s instructions' },
  { id: 'do-not-follow', pattern: rx(`(?:do not|don'?t|stop) (?:follow|obey)(?:ing)? ${ADJ}${PRIOR}? ?${DIRECTIVES}`), score: 0.85, reason: 'asks to stop following instructions' },
  { id: 'new-instructions', pattern: rx(`(?:new|updated|real|actual|revised|true) (?:system )?(?:instructions?|rules|directives) ?:`), score: 0.7, reason: 'announces replacement instructions' },
  { id: 'fake-prior', pattern: rx(`(?:above|previous|prior|earlier) (?:text|instructions?|prompt|message) (?:is|are|was|were) (?:fake|a test|wrong|false|void|cancelled|canceled|obsolete)`), score: 0.8, reason: 'declares the prior instructions void' },
  { id: 'attention-ai', pattern: rx(`(?:attention|note to|message for|instructions? for) (?:the )?(?:ai|assistant|llm|language model|chatbot|model) ?[:,]`), score: 0.6, reason: 'addresses the model from inside the data' },
];
const INJECTION_COMPACT: readonly Rule[] = [
  { id: 'override', pattern: /(?:ignore|disregard|forget)(?:all|any|the|your)*(?:previous|prior|above|earlier)(?:instructions?|prompts?|rules|directions)/g, score: 0.95, reason: 'asks to discard prior instructions' },
];

const PERSONA = '(?:dan|stan|dude|aim|mongo tom|evil ?bot|evil confidant|betterdan|anti-?gpt|developer mode|jailbreak ?(?:gpt|bot)?)';
const NO_LIMITS = '(?:without|with no|free (?:of|from)|no|ignoring) (?:any )?(?:ethical |moral |content |safety )?(?:restrictions|filters|filtering|limitations|limits|guidelines|censorship|rules|boundaries|morals|ethics)';

const JAILBREAK: readonly Rule[] = [
  { id: 'dan', pattern: rx(`do anything now`), score: 0.95, reason: 'DAN ("do anything now") jailbreak' },
  { id: 'persona', pattern: rx(`(?:you are|you're|act as|pretend (?:to be|you are)|roleplay as|role-play as|become|play the role of) (?:now )?(?:an? )?${PERSONA}\\b`), score: 0.9, reason: 'jailbreak persona' },
  { id: 'mode', pattern: rx(`(?:enable|activate|enter|switch to|turn on|unlock) (?:the )?(?:developer|god|jailbreak|unrestricted|dev|sudo|admin|evil|opposite) mode`), score: 0.85, reason: 'asks for an unrestricted mode' },
  { id: 'mode-on', pattern: rx(`(?:developer|jailbreak|unrestricted|god) mode (?:enabled|activated|on)`), score: 0.85, reason: 'declares an unrestricted mode' },
  { id: 'no-limits-role', pattern: rx(`(?:act|pretend|behave|respond|answer|reply|roleplay|role-play|write) (?:as|like) [^.!?\\n]{0,60}${NO_LIMITS}`), score: 0.85, reason: 'role-play without restrictions' },
  { id: 'you-have-no-rules', pattern: rx(`you (?:have|must have|now have) no (?:rules|restrictions|filters|limits|limitations|guidelines|ethics|morals)`), score: 0.8, reason: 'claims the model has no rules' },
  { id: 'unbound', pattern: rx(`(?:no longer|not) (?:bound|restricted|limited|constrained) by`), score: 0.85, reason: 'claims the model is no longer bound by its policy' },
  { id: 'unfiltered-persona', pattern: rx(`(?:unfiltered|uncensored|unrestricted|unaligned|jailbroken|amoral|unethical) (?:ai|assistant|model|mode|version|chatbot|persona|character|bot)`), score: 0.8, reason: 'asks for an unfiltered persona' },
  { id: 'dual-answer', pattern: rx(`(?:classic|normal) (?:and|&) (?:jailbroken|jailbreak|dan|unfiltered)`), score: 0.85, reason: 'asks for a filtered and an unfiltered answer' },
  { id: 'grandma', pattern: rx(`my (?:late|dead|deceased|departed) (?:grandma|grandmother|granny|grandpa|grandfather) (?:used to|would) (?:tell|read|explain|say|sing|recite)`), score: 0.7, reason: 'grandma-style role-play exploit' },
  { id: 'stay-in-character', pattern: rx(`(?:stay|remain|keep) in character`), score: 0.5, reason: 'demands the persona be kept' },
  { id: 'fiction-wrapper', pattern: rx(`(?:hypothetically|in a (?:fictional|hypothetical) (?:world|scenario|story)|for (?:a|my) (?:novel|story|screenplay|movie script|book)|in a movie script)[^.!?\\n]{0,80}(?:how to|explain how|describe how|step by step|detailed instructions)`), score: 0.55, reason: 'wraps a request in fiction' },
];

const EXTRACTION: readonly Rule[] = [
  { id: 'system-prompt', pattern: rx(`(?:reveal|show|print|repeat|output|display|tell me|give me|what (?:is|are|was|were)|leak|dump|spell out|write out|translate|share|paste|copy) (?:me )?(?:your |the |all |of )*(?:entire |full |complete |original |initial |hidden |secret |exact |verbatim )*(?:system (?:prompt|message|instructions?)|initial (?:prompt|instructions)|pre-?prompt|hidden (?:prompt|instructions))`), score: 0.85, reason: 'asks for the system prompt' },
  { id: 'your-instructions', pattern: rx(`(?:reveal|show|print|repeat|output|display|tell me|give me|what (?:is|are|were)|leak|dump|spell out|write out|share|paste) (?:me )?your (?:entire |full |complete |original |initial |hidden |secret |exact )*(?:instructions|prompt|rules|guidelines|configuration|directives)`), score: 0.7, reason: 'asks for the assistant\'s instructions' },
  { id: 'text-above', pattern: rx(`(?:repeat|print|output|copy|reproduce|summari[sz]e|translate) (?:all |everything |the (?:text|words|content|message) )?(?:above|before) (?:this|here|starting|verbatim)`), score: 0.8, reason: 'asks to repeat the hidden context' },
  { id: 'secret-word', pattern: rx(`(?:what is|tell me|reveal|give me|spell|print|say) (?:the |your )(?:(?:secret|hidden) (?:word|code|key|phrase|token|password)|passphrase|canary(?: token)?)`), score: 0.75, reason: 'asks for a protected secret' },
];

export const promptInjectionDetector = ruleDetector({
  name: 'prompt-injection',
  category: 'LLM01:2025',
  stages: ['input'],
  threshold: 0.5,
  rules: INJECTION,
  compactRules: INJECTION_COMPACT,
});

export const jailbreakDetector = ruleDetector({ name: 'jailbreak', category: 'LLM01:2025', stages: ['input'], threshold: 0.5, rules: JAILBREAK });

export const promptExtractionDetector = ruleDetector({ name: 'prompt-extraction', category: 'LLM07:2025', stages: ['input'], threshold: 0.5, rules: EXTRACTION });
