/**
 * Test strings covering what breaks tokenizers: scripts, emoji sequences, code, whitespace
 * runs, numbers, contractions, CRLF, lone surrogates, near-special-token text.
 */
export const TEST_CORPUS: readonly string[] = [
  '',
  'Hello world',
  "The quick brown fox jumps over the lazy dog. It's 3:45pm and we've got 12,345.67 reasons.",
  "I'M SHOUTING, YOU'RE NOT, THEY'LL SEE, WE'D GO, SHE'S HERE, IT'S 'QUOTED'",
  'Ça va? Déjà vu, naïve façade, Straße, Ærøskøbing, Việt Nam, Zürich, ĳssel, ﬁne',
  'Привет, мир! Ελληνικά κείμενα. עברית מימין לשמאל. العربية: مرحبا بالعالم',
  'हिन्दी पाठ। ภาษาไทยไม่มีช่องว่าง ქართული Հայերեն ᐃᓄᒃᑎᑐᑦ',
  '日本語のテキストとカタカナ、ひらがな。中文简体和繁體中文。한국어 텍스트입니다.',
  '世界人权宣言鉴于对人类家庭所有成员的固有尊严及其平等的和不移的权利的承认乃是世界自由正义与和平的基础',
  'Emoji: 🎉🔥👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🧑🏿‍🚀 ❤️ #️⃣ 🇺🇸🇯🇵 😀😃😄😁😆😅🤣😂',
  'function add(a: number, b: number): number {\n  return a + b; // sum\n}\n\nconst xs = [1, 2, 3].map((x) => x ** 2);\n',
  'def f(x):\n\tif x > 0:\n\t\treturn x\r\n\telse:\r\n\t\treturn -x\n\n\n',
  '<div class="a">&amp; &lt;p&gt;</div> {"key": [1, 2.5e-10, null, true]} SELECT * FROM t WHERE id=42;',
  '   leading spaces and trailing spaces     ',
  ' '.repeat(200) + 'x' + '\n'.repeat(50) + '\t'.repeat(30) + ' \n \n ',
  'a'.repeat(300) + 'b'.repeat(70) + 'ab'.repeat(100),
  '1234567890 12 123 1234 12345 0.000001 1e100 ١٢٣٤٥ ①②③ Ⅻ ½',
  'lone high \ud800 and lone low \udc00 and reversed \udc00\ud800 and pair \ud83d\ude00 end\ud800',
  'zero\u200bwidth\u200djoiner\u00a0nbsp\u2028line\u2029para\ufeffbom',
  'combining: e\u0301 a\u0308 n\u0303 \u0915\u094d\u0937 Z\u0351\u0359\u0328',
  '<|endoftext|> is special but <|endoftext is not, nor |> nor <|foo|>',
  'https://example.com/path?query=1&b=2#frag user@example.org 192.168.0.1 C:\\Windows\\System32',
  'base64: SGVsbG8gV29ybGQhIFRoaXMgaXMgYSB0ZXN0IG9mIGxvbmcgdG9rZW5zLg== ' + 'QUJD'.repeat(40),
  "don't can't won't shouldn't y'all ma'am o'clock rock'n'roll 'tis",
];
