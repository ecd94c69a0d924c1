/**
 * The ordinary (non-special) vocabulary of a byte-level BPE and the rule for merging.
 *
 * Two merge rules exist in the wild and both are supported exactly:
 * - `ranks` (tiktoken): any two adjacent parts merge when their concatenation is a token; the
 *   token's rank (= id) is the priority, and a whole pre-token that is itself a token is taken
 *   as is. GPT-2 / cl100k_base / o200k_base and tiktoken rank files use this.
 * - `merges` (Hugging Face BPE, ignore_merges=false): only the listed pairs merge, with their
 *   list index as priority. Our trainer produces this, so a trained tokenizer saved as
 *   tokenizer.json gives the same ids in HF `tokenizers`.
 * Both reduce to a PairTable: `ranks` lists every split (x, y) of every token t = x + y.
 */
import { TokenizerConfigError } from './tokenizer.errors';
import { PairTable } from './pair-table';
import { latin1Key } from './utf8';

export type MergeRule = 'ranks' | 'merges';

/** A merge as stored in files: two token ids that combine into the token of their bytes. */
export type Merge = readonly [left: number, right: number];

export class BpeModel {
  /** Byte value → id of its single-byte token. */
  readonly byteIds: Int32Array;
  /** latin1 key of a token's bytes → id (the first id wins if two ids share bytes). */
  readonly idByKey: Map<string, number>;
  readonly table: PairTable;
  /** Length in bytes of the longest token: longer pre-tokens cannot be a single token. */
  readonly maxTokenBytes: number;

  private constructor(
    readonly rule: MergeRule,
    /** Token bytes by id; `undefined` marks an unused id (e.g. cl100k's gap before special tokens). */
    readonly tokens: readonly (Uint8Array | undefined)[],
    /** `merges` rule only: the merge list in priority order. */
    readonly merges: readonly Merge[] | undefined,
    /** Whether a whole pre-token that is a token is emitted without merging (see wholePieceLookup). */
    private readonly ignoreMerges: boolean,
  ) {
    this.idByKey = new Map();
    let maxTokenBytes = 0;
    tokens.forEach((bytes, id) => {
      if (bytes === undefined) return;
      if (bytes.length > maxTokenBytes) maxTokenBytes = bytes.length;
      const key = latin1Key(bytes);
      if (!this.idByKey.has(key)) this.idByKey.set(key, id);
    });
    this.maxTokenBytes = maxTokenBytes;
    this.byteIds = new Int32Array(256);
    for (let b = 0; b < 256; b++) {
      const id = this.idByKey.get(String.fromCharCode(b));
      if (id === undefined) {
        throw new TokenizerConfigError(`byte 0x${b.toString(16).padStart(2, '0')} has no token: not a byte-level vocabulary`);
      }
      this.byteIds[b] = id;
    }
    this.table = rule === 'ranks' ? this.tableFromRanks() : this.tableFromMerges(merges ?? []);
  }

  /** tiktoken semantics: ids are ranks. */
  static fromRanks(tokens: readonly (Uint8Array | undefined)[]): BpeModel {
    return new BpeModel('ranks', tokens, undefined, true);
  }

  /**
   * Hugging Face semantics: `merges[i]` has priority i and yields the token of its joined bytes.
   * `ignoreMerges` is HF's option of that name: a pre-token that is a token is taken whole.
   */
  static fromMerges(tokens: readonly (Uint8Array | undefined)[], merges: readonly Merge[], options: { ignoreMerges?: boolean } = {}): BpeModel {
    return new BpeModel('merges', tokens, merges, options.ignoreMerges === true);
  }

  /** One past the largest ordinary id. */
  get size(): number {
    return this.tokens.length;
  }

  /**
   * Whether a whole pre-token that is a token is emitted without merging: always for tiktoken
   * ranks (its shortcut), for HF merges only with ignore_merges.
   */
  get wholePieceLookup(): boolean {
    return this.ignoreMerges;
  }

  /**
   * Every split t = x + y with x and y tokens, priority = rank of t. Splits are found with a
   * byte trie of the vocabulary (integer probes, no substring keys): walking t from the root
   * gives the prefix ids, walking each suffix gives the suffix ids.
   */
  private tableFromRanks(): PairTable {
    const trie = new PairTable(this.tokens.reduce((n, b) => n + (b?.length ?? 0), 0));
    const tokenAt: number[] = [-1];
    this.tokens.forEach((bytes, id) => {
      if (bytes === undefined) return;
      let node = 0;
      for (let i = 0; i < bytes.length; i++) {
        const slot = trie.find(node, bytes[i]!);
        if (slot >= 0) {
          node = trie.resultAt(slot);
        } else {
          const child = tokenAt.length;
          tokenAt.push(-1);
          trie.set(node, bytes[i]!, 0, child);
          node = child;
        }
      }
      if (tokenAt[node] === -1) tokenAt[node] = id;
    });
    const idOf = (bytes: Uint8Array, start: number, end: number): number => {
      let node = 0;
      for (let i = start; i < end; i++) {
        const slot = trie.find(node, bytes[i]!);
        if (slot < 0) return -1;
        node = trie.resultAt(slot);
      }
      return tokenAt[node]!;
    };
    const found: number[] = [];
    this.tokens.forEach((bytes, id) => {
      if (bytes === undefined || bytes.length < 2) return;
      let node = 0;
      for (let k = 1; k < bytes.length; k++) {
        node = trie.resultAt(trie.find(node, bytes[k - 1]!));
        const left = tokenAt[node]!;
        if (left < 0) continue;
        const right = idOf(bytes, k, bytes.length);
        if (right >= 0) found.push(left, right, id);
      }
    });
    const table = new PairTable(found.length / 3);
    for (let i = 0; i < found.length; i += 3) table.set(found[i]!, found[i + 1]!, found[i + 2]!, found[i + 2]!);
    return table;
  }

  private tableFromMerges(merges: readonly Merge[]): PairTable {
    const table = new PairTable(merges.length);
    merges.forEach(([left, right], priority) => {
      const a = this.tokens[left];
      const b = this.tokens[right];
      if (a === undefined || b === undefined) {
        throw new TokenizerConfigError(`merge ${priority} (${left}, ${right}) refers to an id that is not in the vocabulary`);
      }
      const joined = new Uint8Array(a.length + b.length);
      joined.set(a);
      joined.set(b, a.length);
      const result = this.idByKey.get(latin1Key(joined));
      if (result === undefined) {
        throw new TokenizerConfigError(`merge ${priority} (${left}, ${right}) produces bytes that are not a token`);
      }
      table.set(left, right, priority, result);
    });
    return table;
  }
}
