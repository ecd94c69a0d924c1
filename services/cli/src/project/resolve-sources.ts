/** Turns project sources into file paths: folders as they are, packages through Node resolution. */
import { globSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Project, Source } from './project-file';

const packageRoot = (name: string, from: string): string =>
  dirname(require.resolve(`${name}/package.json`, { paths: [from, __dirname] }));

export function resolveSources(project: Project): string[] {
  return project.sources.flatMap((source: Source) => {
    if ('path' in source) return [isAbsolute(source.path) ? source.path : join(project.directory, source.path)];
    const root = packageRoot(source.package, project.directory);
    const files = globSync(source.glob, { cwd: root }).sort().map((f) => join(root, f));
    return source.limit ? files.slice(0, source.limit) : files;
  });
}
