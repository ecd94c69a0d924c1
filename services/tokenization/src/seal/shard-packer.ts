/**
 * Cuts one split's encoded documents into shard files of at most `shardTokens` tokens
 * (a document is never split across shards; one longer than the limit gets a shard of its
 * own). Shards are named `<split>-<NNNNN>.bin` (docs/shard-format.md).
 */
import { ShardFormatError, type TokenDtype, packShard, writeShardFile } from '@crucible/shards';
import { join } from 'node:path';
import type { Split } from '../datasets/dataset-split';

export interface ShardEntry {
  readonly split: Split;
  readonly path: string;
  readonly tokens: number;
  readonly documents: number;
  readonly sha256: string;
}

export class ShardPacker {
  readonly shards: ShardEntry[] = [];
  /** Held as typed arrays of the shard's width: 2 or 4 bytes a token instead of 8 in a JS array. */
  private pending: (Uint16Array | Uint32Array)[] = [];
  /** Tokens in `pending`, each document's leading end-of-text token included. */
  private pendingTokens = 0;
  tokens = 0;
  documents = 0;

  constructor(
    private readonly split: Split,
    private readonly dir: string,
    private readonly dtype: TokenDtype,
    private readonly eotToken: number,
    private readonly shardTokens: number,
  ) {}

  add(ids: readonly number[]): void {
    const limit = this.dtype === 'uint16' ? 0xffff : 0xffffffff;
    // Typed arrays wrap out-of-range values silently; refuse them here instead.
    for (const id of ids) if (!(id >= 0 && id <= limit)) throw new ShardFormatError(`token ${id} does not fit ${this.dtype}`);
    const size = ids.length + 1;
    if (this.pending.length > 0 && this.pendingTokens + size > this.shardTokens) this.flush();
    this.pending.push(this.dtype === 'uint16' ? Uint16Array.from(ids) : Uint32Array.from(ids));
    this.pendingTokens += size;
    this.tokens += size;
    this.documents += 1;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const name = `${this.split}-${String(this.shards.length).padStart(5, '0')}.bin`;
    const sha256 = writeShardFile(join(this.dir, name), packShard(this.pending, this.dtype, this.eotToken));
    this.shards.push({ split: this.split, path: name, tokens: this.pendingTokens, documents: this.pending.length, sha256 });
    this.pending = [];
    this.pendingTokens = 0;
  }
}
