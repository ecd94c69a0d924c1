/**
 * Which registry a command reads: `--registry <url>`, else CRUCIBLE_REGISTRY_URL, else the
 * project's `sqlite:<dataDir>/registry.db`. A SQLite file that does not exist yet means
 * nothing has been recorded: commands say so instead of creating an empty database.
 */
import { openRegistry, parseRegistryUrl, registryUrlFrom, type Registry } from '@crucible/registry';
import { existsSync } from 'node:fs';
import type { CliConfig } from '../config';
import { loadProject } from '../project/project-file';

/** Shown under `--help` of every registry command. */
export const REGISTRY_HELP = `
Registry: --registry <url>, else CRUCIBLE_REGISTRY_URL, else sqlite:<dataDir>/registry.db of the project.
URLs: sqlite:<path> | postgres://user:pass@host:5432/db[?schema=registry]
References: sotu@3 (a version) | sotu:challenger (an alias) | sotu (= sotu:champion)

Examples:
  crucible runs --status running
  crucible models --json
  crucible report sotu:challenger --html challenger.html`;

export interface RegistryOptions {
  readonly project: string;
  readonly registry?: string;
}

export function cliRegistryUrl(options: RegistryOptions, config: Pick<CliConfig, 'CRUCIBLE_REGISTRY_URL'>): string {
  if (options.registry) return options.registry;
  if (config.CRUCIBLE_REGISTRY_URL) return config.CRUCIBLE_REGISTRY_URL;
  return registryUrlFrom({}, loadProject(options.project).dataDir);
}

/** The opened registry, or undefined when its SQLite file has not been created yet. */
export async function openCliRegistry(url: string): Promise<Registry | undefined> {
  const location = parseRegistryUrl(url);
  if (location.dialect === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) return undefined;
  return openRegistry(url);
}

/** Opens, runs `work`, closes; `empty` answers when there is no registry yet. */
export async function withCliRegistry<T>(url: string, empty: () => T, work: (registry: Registry) => Promise<T>): Promise<T> {
  const registry = await openCliRegistry(url);
  if (!registry) return empty();
  try {
    return await work(registry);
  } finally {
    await registry.close();
  }
}
