/**
 * Cuts one split's encoded documents into shard files of at most `shardTokens` tokens
 * (a document is never split across shards; one longer than the limit gets a shard of its
 * own). Shards are named `<split>-<NNNNN>.bin` (docs/shard-format.md).
 */
import { type TokenDtype, packShard, writeShardFile } from '@crucible/shards';
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
  private pending: number[][] = [];
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

  add(ids: number[]): void {
    const size = ids.length + 1;
    if (this.pending.length > 0 && this.pendingTokens + size > this.shardTokens) this.flush();
    this.pending.push(ids);
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
