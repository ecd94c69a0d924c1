/**
 * The CustomResourceDefinition objects, built from the zod schemas. The chart's
 * `helm/crucible/crds/*.yaml` are these, written by services/operator/src/crds/generate.ts.
 */
import { z } from 'zod';
import { GROUP, VERSION } from './common.schema';
import { ModelDeploymentSpecSchema, ModelDeploymentStatusSchema } from './model-deployment.schema';
import { openApiSchema, type JsonSchema } from './structural';
import { TrainingRunSpecSchema, TrainingRunStatusSchema } from './training-run.schema';

interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

interface CrdInput {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  spec: z.ZodType;
  status: z.ZodType;
  columns: PrinterColumn[];
}

export interface NamedResource {
  kind: string;
  plural: string;
}

export const TRAINING_RUN: NamedResource = { kind: 'TrainingRun', plural: 'trainingruns' };
export const MODEL_DEPLOYMENT: NamedResource = { kind: 'ModelDeployment', plural: 'modeldeployments' };

function crd(input: CrdInput): JsonSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${input.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: {
        kind: input.kind,
        listKind: `${input.kind}List`,
        plural: input.plural,
        singular: input.singular,
        shortNames: input.shortNames,
        categories: ['crucible'],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: input.columns,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: openApiSchema(input.spec),
                status: openApiSchema(input.status),
              },
            },
          },
        },
      ],
    },
  };
}

export function trainingRunCrd(): JsonSchema {
  return crd({
    ...TRAINING_RUN,
    singular: 'trainingrun',
    shortNames: ['tr'],
    spec: TrainingRunSpecSchema,
    status: TrainingRunStatusSchema,
    columns: [
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Step', type: 'integer', jsonPath: '.status.progress.step' },
      { name: 'Total', type: 'integer', jsonPath: '.status.progress.totalSteps' },
      { name: 'Loss', type: 'number', jsonPath: '.status.progress.loss' },
      { name: 'Attempts', type: 'integer', jsonPath: '.status.attempts' },
      { name: 'GPUs', type: 'integer', jsonPath: '.spec.resources.gpus', priority: 1 },
      { name: 'Model', type: 'string', jsonPath: '.status.modelVersionId', priority: 1 },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  });
}

export function modelDeploymentCrd(): JsonSchema {
  return crd({
    ...MODEL_DEPLOYMENT,
    singular: 'modeldeployment',
    shortNames: ['md'],
    spec: ModelDeploymentSpecSchema,
    status: ModelDeploymentStatusSchema,
    columns: [
      { name: 'Model', type: 'string', jsonPath: '.spec.model' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Stable', type: 'string', jsonPath: '.status.stableVersionId' },
      { name: 'Canary', type: 'string', jsonPath: '.status.canaryVersionId' },
      { name: 'Weight', type: 'integer', jsonPath: '.status.canaryWeight' },
      { name: 'Reason', type: 'string', jsonPath: '.status.reason', priority: 1 },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  });
}

/** File name (under helm/crucible/crds/) → CRD object. */
export function crdFiles(): Record<string, JsonSchema> {
  return {
    'crucible.dev_trainingruns.yaml': trainingRunCrd(),
    'crucible.dev_modeldeployments.yaml': modelDeploymentCrd(),
  };
}
