/**
 * Files to ingest from paths given on a command line: files as given, folders walked
 * recursively in sorted order (reproducible runs), hidden entries skipped. Files inside
 * folders with an extension ingestion does not read are skipped and listed; a file named
 * explicitly with such an extension is refused, since the caller clearly meant it.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

export const FILE_EXTENSIONS = ['.txt', '.md', '.html', '.htm', '.json', '.jsonl'] as const;

export interface WalkResult {
  readonly files: string[];
  readonly skipped: string[];
  readonly refused: { path: string; reason: string }[];
}

const readable = (path: string): boolean => (FILE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());

export async function walkPaths(paths: readonly string[]): Promise<WalkResult> {
  const result: WalkResult = { files: [], skipped: [], refused: [] };
  const seen = new Set<string>();
  const add = (file: string) => {
    if (!seen.has(file)) {
      seen.add(file);
      result.files.push(file);
    }
  };
  for (const given of paths) {
    const path = resolve(given);
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      result.refused.push({ path: given, reason: info.code === 'ENOENT' ? 'no such file or folder' : info.message });
    } else if (info.isDirectory()) {
      await walkFolder(path, add, result.skipped);
    } else if (readable(path)) {
      add(path);
    } else {
      result.refused.push({ path: given, reason: `unsupported file type '${extname(path) || '(none)'}'; expected one of ${FILE_EXTENSIONS.join(' ')}` });
    }
  }
  return result;
}

async function walkFolder(folder: string, add: (file: string) => void, skipped: string[]): Promise<void> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) await walkFolder(path, add, skipped);
    else if (entry.isFile() && readable(path)) add(path);
    else if (entry.isFile()) skipped.push(path);
  }
}
