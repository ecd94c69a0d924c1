/**
 * Remembers which source files were already ingested (path, size, mtime), so a second
 * `crucible up` resumes instead of re-sending the whole corpus — re-sent text would be
 * (correctly) rejected as exact duplicates, which is noise, not work.
 */
import { existsSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';

type Ledger = Record<string, string>;

const fingerprint = (path: string): string => {
  const stat = statSync(path);
  return `${stat.size}:${Math.trunc(stat.mtimeMs)}`;
};

export class IngestLedger {
  private readonly entries: Ledger;

  constructor(private readonly file: string) {
    this.entries = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Ledger) : {};
  }

  isDone(path: string): boolean {
    return this.entries[path] === fingerprint(path);
  }

  markDone(paths: readonly string[]): void {
    for (const path of paths) this.entries[path] = fingerprint(path);
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.entries, null, 1));
    renameSync(temporary, this.file);
  }
}
