/**
 * GPT-2's byte ↔ unicode mapping (openai/gpt-2 encoder.py `bytes_to_unicode`), used by Hugging
 * Face's ByteLevel pre-tokenizer and decoder: printable Latin-1 bytes map to themselves, the
 * other 68 bytes to U+0100 onwards, so every token is a printable string in tokenizer.json.
 */
const byteToChar: string[] = [];
const charToByte = new Map<string, number>();

(() => {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    const char = String.fromCharCode(printable(b) ? b : 256 + next++);
    byteToChar[b] = char;
    charToByte.set(char, b);
  }
})();

export function bytesToByteLevel(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += byteToChar[b]!;
  return text;
}

/** The bytes of a byte-level token string, or undefined if a char is outside the alphabet. */
export function byteLevelToBytes(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const b = charToByte.get(text[i]!);
    if (b === undefined) return undefined;
    bytes[i] = b;
  }
  return bytes;
}
