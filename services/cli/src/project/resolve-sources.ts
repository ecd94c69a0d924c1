/** Turns project sources into file paths: folders as they are, packages through Node resolution. */
import { readdirSync } from 'node:fs';
import { dirname, extname, isAbsolute, join } from 'node:path';
import type { Project, Source } from './project-file';

const packageRoot = (name: string, from: string): string =>
  dirname(require.resolve(`${name}/package.json`, { paths: [from, __dirname] }));

const filesUnder = (root: string, extensions: readonly string[]): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && extensions.includes(extname(entry.name)))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();

export function resolveSources(project: Project): string[] {
  return project.sources.flatMap((source: Source) => {
    if ('path' in source) return [isAbsolute(source.path) ? source.path : join(project.directory, source.path)];
    const files = filesUnder(join(packageRoot(source.package, project.directory), source.dir), source.extensions);
    return source.limit ? files.slice(0, source.limit) : files;
  });
}
