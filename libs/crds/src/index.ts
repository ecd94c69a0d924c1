/** @crucible/crds — crucible.dev/v1alpha1 resources: types, zod schemas, CRD manifests. */
export * from './common.schema';
export * from './training-run.schema';
export * from './model-deployment.schema';
export { crdFiles, modelDeploymentCrd, trainingRunCrd, TRAINING_RUN, MODEL_DEPLOYMENT } from './manifests';
export type { NamedResource } from './manifests';
export { openApiSchema, toStructural } from './structural';
export type { JsonSchema } from './structural';
