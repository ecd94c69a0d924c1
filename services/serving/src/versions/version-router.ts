/**
 * Turns the request's `model` into the exact version that serves it. `sotu@3` is that
 * version; `sotu:challenger` is whatever the alias points to; a bare `sotu` follows the
 * traffic routes while a rollout runs (stable and canary by weight) and the `champion`
 * alias otherwise. Alias lookups sit on every request's path, so they are cached: fresh for
 * a second, then served stale while one background lookup refreshes them (a request never
 * waits for the registry unless the entry is missing or older than ALIAS_MAX_STALE_MS).
 * Moves made by this gateway's release controller invalidate at once.
 */
import { type ModelVersion, type Registry, RegistryError, parseModelReference } from '@crucible/registry';
import { ModelNotFoundError } from '../serving.errors';
import { type TrafficRoutes, pickRoute } from './traffic-routes';

const ALIAS_CACHE_MS = 1_000;
/** Past this age a request waits for the lookup instead of taking the cached answer. */
const ALIAS_MAX_STALE_MS = 30_000;

interface CachedAlias {
  readonly versionId: string | undefined;
  readonly at: number;
  refreshing?: Promise<void>;
}

export interface ResolvedModel {
  /** `<model>@<n>`. */
  readonly versionId: string;
  readonly model: string;
}

export class VersionRouter {
  private readonly versions = new Map<string, ModelVersion>();
  private readonly aliases = new Map<string, CachedAlias>();
  /** Bumped by invalidate: a lookup that started before a move must not cache what it read. */
  private generation = 0;

  constructor(
    private readonly registry: Registry,
    private readonly routes: TrafficRoutes,
  ) {}

  async resolve(ref: string): Promise<ResolvedModel> {
    let parsed;
    try {
      parsed = parseModelReference(ref);
    } catch (error) {
      if (error instanceof RegistryError) throw new ModelNotFoundError(ref);
      throw error;
    }
    if (parsed.kind === 'version') {
      if (!(await this.version(parsed.id))) throw new ModelNotFoundError(ref);
      return { versionId: parsed.id, model: parsed.model };
    }
    const bare = !ref.includes(':');
    const routed = bare ? this.routes.routesFor(parsed.model) : undefined;
    const versionId = (routed && pickRoute(routed)) ?? (await this.alias(parsed.model, parsed.alias));
    if (!versionId) throw new ModelNotFoundError(ref);
    return { versionId, model: parsed.model };
  }

  /** A registered version (immutable, so cached for good once found). */
  async version(id: string): Promise<ModelVersion | undefined> {
    const cached = this.versions.get(id);
    if (cached) return cached;
    const found = await this.registry.models.getVersion(id);
    if (found) this.versions.set(id, found);
    return found;
  }

  /** Forgets cached aliases of a model (called after this gateway moved one). */
  invalidate(model: string): void {
    this.generation++;
    for (const key of this.aliases.keys()) if (key.startsWith(`${model}:`)) this.aliases.delete(key);
  }

  private async alias(model: string, alias: string): Promise<string | undefined> {
    const key = `${model}:${alias}`;
    const cached = this.aliases.get(key);
    const age = cached ? Date.now() - cached.at : Number.POSITIVE_INFINITY;
    if (age < ALIAS_CACHE_MS) return cached!.versionId;
    if (age < ALIAS_MAX_STALE_MS) {
      // A failed refresh keeps the entry aging: past the stale limit the caller sees the error.
      cached!.refreshing ??= this.lookup(key).then(
        () => undefined,
        () => void (cached!.refreshing = undefined),
      );
      return cached!.versionId;
    }
    return this.lookup(key);
  }

  private async lookup(key: string): Promise<string | undefined> {
    const generation = this.generation;
    const versionId = (await this.registry.models.resolve(key))?.id;
    if (generation === this.generation) this.aliases.set(key, { versionId, at: Date.now() });
    return versionId;
  }
}
