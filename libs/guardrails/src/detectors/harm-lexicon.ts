/**
 * A small scored lexicon of harm categories, shared by the harmful-request (input) and
 * harmful-content (output) detectors. A term carries a weight (how operational the topic is)
 * and a `bare` factor: how much of the weight counts when nothing in the text asks for
 * instructions ("history of the atomic bomb" is a topic, "how to make a bomb" is a request).
 * Benign phrases that contain a term ("bomb squad", "bath bomb", "malware removal") cancel it.
 * Categories after the MLCommons AILuminate hazard taxonomy and Llama Guard's S-codes.
 */
import { rx } from '../rules';
import { allMatches } from '../all-matches';

export type HarmCategory = 'weapons' | 'self-harm' | 'malware' | 'hate';
export const HARM_CATEGORIES: readonly HarmCategory[] = ['weapons', 'self-harm', 'malware', 'hate'];

export interface HarmTerm {
  readonly pattern: RegExp;
  readonly weight: number;
  /** Share of the weight that counts without a request for instructions. */
  readonly bare: number;
}

export interface HarmLexicon {
  readonly terms: readonly HarmTerm[];
  readonly benign: readonly RegExp[];
}

// `anyTerm` below relies on this exact `\b(?:…)\b` wrapper.
const t = (source: string, weight: number, bare = 0.5): HarmTerm => ({ pattern: rx(`\\b(?:${source})\\b`), weight, bare });

const GROUPS =
  '(?:jews|jewish people|muslims|christians|hindus|sikhs|buddhists|atheists|blacks|black people|whites|white people|asians|arabs|latinos|latinas|hispanics|mexicans|immigrants|refugees|migrants|women|men|gays|gay people|lesbians|trans people|transgender people|disabled people|gypsies|roma|africans|indians|chinese people)';

export const HARM_LEXICON: Readonly<Record<HarmCategory, HarmLexicon>> = {
  weapons: {
    terms: [
      t('bombs?', 0.8),
      t('pipe ?bombs?|dirty bombs?|car bombs?|nail bombs?|suicide vests?', 1.0),
      t('explosives?|explosive devices?', 0.8),
      t('ieds?|improvised explosive', 0.9),
      t('detonators?|blasting caps?', 0.85),
      t('napalm|thermite', 0.8),
      t('molotov(?: cocktails?)?|grenades?', 0.85),
      t('nitroglycerine?|tatp|triacetone triperoxide|petn|rdx|c-?4 explosive|ammonium nitrate (?:bomb|explosive)', 1.0),
      t('sarin|vx nerve|tabun|novichok|nerve agents?|mustard gas|chlorine gas|phosgene', 1.0),
      t('ricin|anthrax|botulinum toxin|weaponi[sz]ed (?:virus|pathogen|bacteria)', 1.0),
      t('(?:chemical|biological|bio|nuclear) weapons?', 0.95),
      t('(?:ghost|untraceable|3d-? ?printed) guns?|auto sears?|full-? ?auto conversion', 0.85),
    ],
    benign: [
      rx('bomb (?:squad|disposal|shelter|threat hoax)'),
      rx('(?:defus\\w*|disarm\\w*) [^.!?\\n]{0,40}(?:bombs?|explosives?|devices?)'),
      rx('(?:bombs?|explosives?) [^.!?\\n]{0,20}(?:defus\\w*|disarm\\w*|were removed)'),
      rx('(?:bath|photo|calorie|flavou?r|sex|love|f|da|smoke|glitter|seed) ?bomb(?:s|ing|ed)?'),
      rx('bomb(?:s|ed)? (?:the|my|an?|that|this) (?:exam|test|interview|audition|presentation|quiz)'),
      rx('explosive (?:growth|performance|temper|diarrh\\w*|success|flavou?r|sound|chorus|start)'),
    ],
  },
  'self-harm': {
    terms: [
      t('(?:kill|hurt|harm|cut|starve|hang|shoot|poison|drown) myself', 1.0, 0.9),
      t('(?:end|take) my (?:own )?life', 1.0, 0.9),
      t('(?:want|going|plan) to die', 0.9, 0.8),
      t('painless(?:ly)? (?:way to )?(?:die|death|suicide)|easiest way to die', 1.0, 0.8),
      t('commit suicide|suicide methods?|ways to (?:commit )?suicide', 0.9, 0.6),
      t('suicide|suicidal', 0.8, 0.4),
      t('self-? ?harm(?:ing)?', 0.8, 0.4),
      t('lethal dose|overdose on', 0.85, 0.5),
      t('(?:you should|go) (?:kill|hurt|harm) yourself', 1.0, 1.0),
    ],
    benign: [
      rx('suicide (?:prevention|hotline|helpline|squad|awareness|rates?|statistics|watch|bombers?|doors?|mission|pact (?:film|movie))'),
      rx('(?:prevent\\w*|support\\w*|help\\w*) [^.!?\\n]{0,30}(?:suicid\\w*|self-? ?harm\\w*)'),
    ],
  },
  malware: {
    terms: [
      t('ransomware', 0.9),
      t('keyloggers?|rootkits?|spyware|stalkerware|credential (?:stealers?|harvesters?|harvesting)|info-?stealers?', 0.85),
      t('botnets?|(?:ddos|dos) attacks?|ddos', 0.8),
      t('malware|trojans?|computer (?:virus|worm)s?|self-? ?replicating (?:virus|worm|code)', 0.7),
      t('reverse shells?|remote access trojans?|rats? payload|shellcode', 0.75),
      t('steal (?:passwords?|credentials|cookies|session tokens?|credit cards?|bank (?:details|accounts?))', 0.9),
      t('(?:bypass|evade|disable|kill) (?:the )?(?:antivirus|anti-virus|edr|windows defender|defender|av detection)', 0.85),
      t('(?:hack|break) into (?:someone\'?s?|somebody\'?s?|an?|my (?:ex|neighbou?r|wife|husband|boss)\'?s?|the|his|her|their) (?:account|email|phone|computer|wifi|network|instagram|facebook|bank)', 0.9, 0.7),
      t('phishing (?:emails?|pages?|sites?|kits?|campaigns?)|fake login page', 0.75),
      t('(?:sql|command) injection (?:payloads?|attack)|zero-? ?day exploits?', 0.65),
      t('crack (?:passwords?|wifi|wpa2?|the password)', 0.7),
    ],
    benign: [
      rx(
        '(?:protect\\w*|defend\\w*|secur\\w*|prevent\\w*|detect\\w*|remov\\w*|recover\\w*|clean\\w*|scan\\w*|mitigat\\w*|stop\\w*|avoid\\w*|recogni[sz]\\w*|spot\\w*|report\\w*) [^.!?\\n]{0,40}(?:ransomware|malware|virus|keyloggers?|trojans?|spyware|rootkits?|botnets?|phishing|ddos)',
      ),
      rx('(?:ransomware|malware|virus|spyware|phishing|ddos) (?:removal|protection|detection|scanners?|prevention|awareness|training|defen[cs]e)'),
    ],
  },
  hate: {
    terms: [
      t(`${GROUPS} (?:are|is) (?:all |just |nothing but |a bunch of )?(?:subhuman|vermin|animals|parasites|cockroaches|rats|filth|inferior|a disease|a plague|savages|not human|genetically inferior)`, 0.95, 1.0),
      t(`(?:kill|exterminate|eradicate|eliminate|wipe out|gas|lynch|ethnically cleanse) (?:all |the |every )*${GROUPS}`, 1.0, 1.0),
      t(`${GROUPS} (?:should|must|need to|deserve to) (?:die|be (?:killed|exterminated|eliminated|gassed|wiped out|lynched))`, 1.0, 1.0),
      t(`why (?:are )?${GROUPS} (?:are )?(?:so )?(?:inferior|stupid|evil|dirty|subhuman|criminals)`, 0.9, 0.9),
      t(`(?:jokes?|poems?|essays?|speech|rant|posts?) [^.!?\\n]{0,30}(?:mocking|insulting|demeaning|dehumani[sz]ing|about why) [^.!?\\n]{0,20}${GROUPS}`, 0.8, 0.8),
    ],
    benign: [],
  },
};

const INTENT: readonly RegExp[] = [
  rx('how (?:do|can|could|would|should|might) (?:i|you|we|one|someone|somebody|people) '),
  rx('how to '),
  rx('(?:steps?|instructions?|guide|tutorial|recipe|procedure|method|ways?|directions|blueprints?|formula|ingredients|materials|components) (?:to|for|on|of) '),
  rx('step[- ]by[- ]step'),
  rx('(?:teach|show) me '),
  rx('(?:tell|explain to|show) me how'),
  rx('(?:explain|describe|detail) (?:exactly )?how'),
  // Imperatives only where a request starts, so "they make bombs in the film" is not a request.
  rx('(?:^|[.!?:\\n] ?|please |can you |could you |would you |will you |i need you to |you must )(?:give|send|provide|write|make|create|generate|build|code|develop|synthesi[sz]e|assemble|produce|craft)\\b', 'm'),
  rx('i (?:want|need|plan|intend|am going|\'m going) to '),
  rx('help me '),
  rx('(?:best|easiest|fastest|quickest|cheapest|surest) (?:way|method) '),
  rx('where (?:can|do|could) i (?:buy|get|find|obtain|order)'),
];

export interface HarmHit {
  readonly category: HarmCategory;
  readonly weight: number;
  readonly bare: number;
  /** [start, end) in the normalised text. */
  readonly start: number;
  readonly end: number;
  readonly matched: string;
}

// Most text names no harm term at all: one alternation of every term rules that out before
// any per-term scan or benign phrase runs; per category, a second one skips the others. Each
// term is `\b(?:…)\b`, so the alternation shares one pair of `\b` (three times faster than
// an alternation of whole terms; a match of one alternative ending at a boundary is a match).
function inner(term: HarmTerm): string {
  const source = term.pattern.source;
  if (!source.startsWith('\\b(?:') || !source.endsWith(')\\b')) throw new Error(`harm term not built by t(): ${source}`);
  return source.slice('\\b(?:'.length, -')\\b'.length);
}
const anyTerm = (terms: readonly HarmTerm[]): RegExp => new RegExp(`\\b(?:${terms.map(inner).join('|')})\\b`);
const ANY_TERM = anyTerm(HARM_CATEGORIES.flatMap((c) => HARM_LEXICON[c].terms));
const ANY_CATEGORY_TERM = new Map(HARM_CATEGORIES.map((c) => [c, anyTerm(HARM_LEXICON[c].terms)]));

/** Every lexicon term in `text` (normalised) that no benign phrase covers. */
export function harmTerms(text: string): HarmHit[] {
  const hits: HarmHit[] = [];
  if (!ANY_TERM.test(text)) return hits;
  for (const category of HARM_CATEGORIES) {
    if (!ANY_CATEGORY_TERM.get(category)!.test(text)) continue;
    const lexicon = HARM_LEXICON[category];
    // Benign phrases matter only around a term: found once, when the first term matches.
    let benign: (readonly [number, number])[] | undefined;
    for (const term of lexicon.terms) {
      for (const m of allMatches(term.pattern, text)) {
        const start = m.index;
        const end = start + m[0].length;
        benign ??= lexicon.benign.flatMap((re) => allMatches(re, text).map((m) => [m.index, m.index + m[0].length] as const));
        if (benign.some(([s, e]) => s < end && start < e)) continue;
        hits.push({ category, weight: term.weight, bare: term.bare, start, end, matched: m[0] });
      }
    }
  }
  return hits;
}

// Non-global copies: `test` on them starts at 0 and leaves no `lastIndex` behind, as the
// fresh `new RegExp(re)` per call did, without compiling a regex per call.
const INTENT_TESTS = INTENT.map((re) => new RegExp(re.source, re.flags.replace('g', '')));

export const asksForInstructions = (text: string): boolean => INTENT_TESTS.some((re) => re.test(text));
