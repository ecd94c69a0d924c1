/**
 * services/operator/RBAC.md's table as (apiGroup, resource, verb) triples: the operator's
 * permissions as its author wrote them, which the chart's roles must grant exactly.
 * Rows look like: | `crucible.dev` | `trainingruns`, `modeldeployments` | get, list, watch | why |
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../infra/k8s/test/kube';

export const rbacMdPath = path.join(repoRoot, 'services/operator/RBAC.md');

export interface Permission {
  readonly group: string;
  readonly resource: string;
  readonly verb: string;
}

export const key = (p: Permission) => `${p.group || 'core'}/${p.resource}:${p.verb}`;

const ticked = (cell: string) => [...cell.matchAll(/`([^`]*)`/g)].map((m) => (m[1] === '""' ? '' : m[1]!));

export function readRbacMd(file = rbacMdPath): Permission[] {
  const rows = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^\|\s*`/.test(l));
  const out: Permission[] = [];
  for (const row of rows) {
    const [groups, resources, verbs] = row.split('|').slice(1, 4).map((c) => c.trim());
    for (const group of ticked(groups!))
      for (const resource of ticked(resources!))
        for (const verb of verbs!.split(',').map((v) => v.trim()).filter(Boolean)) out.push({ group, resource, verb });
  }
  return out;
}

/** Triples granted by RBAC rules (no wildcards: the chart never uses them). */
export function granted(rules: ReadonlyArray<{ apiGroups?: string[]; resources?: string[]; verbs: string[] }>): Permission[] {
  return rules.flatMap((r) => (r.apiGroups ?? []).flatMap((group) => (r.resources ?? []).flatMap((resource) => r.verbs.map((verb) => ({ group, resource, verb })))));
}
