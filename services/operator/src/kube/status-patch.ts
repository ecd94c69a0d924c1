/**
 * A JSON merge patch that turns `previous` status into `next`: changed keys set, vanished
 * keys nulled (a merge patch otherwise keeps them). Undefined when nothing changed, so a
 * level-based reconcile that computes the same status writes nothing.
 */
export function statusPatch<T extends object>(previous: T | undefined, next: T): Record<string, unknown> | undefined {
  const prev = (previous ?? {}) as Record<string, unknown>;
  const nxt = next as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(nxt)) {
    if (v !== undefined && JSON.stringify(v) !== JSON.stringify(prev[k])) patch[k] = v;
  }
  for (const k of Object.keys(prev)) {
    if (nxt[k] === undefined && prev[k] !== undefined) patch[k] = null;
  }
  return Object.keys(patch).length ? patch : undefined;
}
