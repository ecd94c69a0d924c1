/**
 * The retrain policy as a pure decision: given a sealed dataset version and the version the
 * policy last requested training for, train or not. Run ids are deterministic
 * (`<datasetId>-<preset>`), so a redelivered seal, or the timer and a seal racing, can only
 * ever name the same run, which the registry creates once.
 */
import type { DatasetSealed, TrainingRequested } from '@crucible/contracts';
import type { RetrainMark } from '../datasets/dataset-catalog';
import type { RetrainPolicy } from '../training.config';

export type RetrainTrigger = 'seal' | 'timer';

export type RetrainDecision =
  | { readonly kind: 'train'; readonly request: TrainingRequested; readonly mark: RetrainMark }
  /** This seal already triggered a request: publish it again (same run id), in case the first publish was lost. */
  | { readonly kind: 'repeat'; readonly request: TrainingRequested }
  | { readonly kind: 'skip'; readonly reason: string };

export const retrainRunId = (datasetId: string, preset: string): string => `${datasetId}-${preset}`;

export function decideRetrain(policy: RetrainPolicy, sealed: DatasetSealed, last: RetrainMark | undefined, trigger: RetrainTrigger): RetrainDecision {
  if (trigger === 'seal' && !policy.onSeal) return { kind: 'skip', reason: 'retrain.onSeal is off' };
  const request: TrainingRequested = {
    runId: retrainRunId(sealed.datasetId, policy.preset),
    datasetId: sealed.datasetId,
    preset: policy.preset,
    hyperParameters: policy.hyperParameters,
    resources: { gpus: 0 },
    method: 'full',
    ...(policy.model && { model: policy.model }),
  };
  if (last?.datasetId === sealed.datasetId) {
    return trigger === 'seal' ? { kind: 'repeat', request } : { kind: 'skip', reason: `${sealed.datasetId} was already requested (${last.runId})` };
  }
  const newTokens = sealed.tokens.train - (last?.trainTokens ?? 0);
  if (newTokens < Math.max(policy.minNewTokens, 1)) {
    const since = last ? ` since ${last.datasetId}` : '';
    return { kind: 'skip', reason: `${sealed.datasetId} has ${newTokens} new train tokens${since}; retrain.minNewTokens is ${policy.minNewTokens}` };
  }
  return { kind: 'train', request, mark: { dataset: sealed.dataset, datasetId: sealed.datasetId, trainTokens: sealed.tokens.train, runId: request.runId } };
}
