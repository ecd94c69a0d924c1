import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrainingRunSpecSchema, trainingRunCrd, type JsonSchema } from '@crucible/crds';
import { renderCrdFiles } from './render';

const crdDir = path.resolve(__dirname, '../../../../helm/crucible/crds');

/** Every node with properties/items must carry a type (structural schema rule), except preserve-unknown. */
function untyped(node: JsonSchema, at = '$'): string[] {
  const here = node.type === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true ? [at] : [];
  const props = Object.entries((node.properties ?? {}) as Record<string, JsonSchema>).flatMap(([k, v]) => untyped(v, `${at}.${k}`));
  const items = node.items ? untyped(node.items as JsonSchema, `${at}[]`) : [];
  const extra = typeof node.additionalProperties === 'object' ? untyped(node.additionalProperties as JsonSchema, `${at}{}`) : [];
  return [...here, ...props, ...items, ...extra];
}

describe('generated CRDs', () => {
  it('helm/crucible/crds matches the schemas (run services/operator/src/crds/generate.ts)', () => {
    for (const [name, text] of Object.entries(renderCrdFiles())) {
      const file = path.join(crdDir, name);
      expect(fs.existsSync(file), `${file} missing`).toBe(true);
      expect(fs.readFileSync(file, 'utf8'), `${name} is out of date`).toBe(text);
    }
  });

  it('is structural: every schema node typed, no additionalProperties next to properties', () => {
    type Crd = { spec: { versions: Array<{ schema: { openAPIV3Schema: JsonSchema } }> } };
    const schema = (trainingRunCrd() as unknown as Crd).spec.versions[0]!.schema.openAPIV3Schema;
    expect(untyped(schema)).toEqual([]);
    expect(JSON.stringify(schema)).not.toContain('"additionalProperties":false');
    type Node = JsonSchema & { required: string[]; properties: Record<string, Node>; additionalProperties: unknown };
    const spec = (schema.properties as Record<string, Node>).spec!;
    expect(spec.required).toEqual(['dataset', 'model']);
    expect(spec.properties.resources!.properties.gpus).toEqual({ type: 'integer', minimum: 0 });
    expect(spec.properties.model!.properties.config!.additionalProperties).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('types and YAML come from the same schema', () => {
    const parsed = TrainingRunSpecSchema.safeParse({ dataset: { id: 'd', manifestPath: '/m' }, model: {}, resources: { gpus: -1 } });
    expect(parsed.success).toBe(false);
  });
});
