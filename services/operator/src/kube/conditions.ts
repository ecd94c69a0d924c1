/**
 * Status conditions (metav1.Condition): set one by type, keeping `lastTransitionTime` when the
 * status did not change — so a level-based reconcile that recomputes the same condition does
 * not churn the object.
 */
import type { Condition } from '@crucible/crds';

export interface ConditionInput {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  observedGeneration: number | undefined,
  now: Date,
): Condition[] {
  const current = conditions ?? [];
  const previous = current.find((c) => c.type === input.type);
  const next: Condition = {
    ...input,
    lastTransitionTime: previous && previous.status === input.status ? previous.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
  };
  return [...current.filter((c) => c.type !== input.type), next].sort((a, b) => a.type.localeCompare(b.type));
}

export function setConditions(
  conditions: readonly Condition[] | undefined,
  inputs: readonly ConditionInput[],
  observedGeneration: number | undefined,
  now: Date,
): Condition[] {
  return inputs.reduce<Condition[]>((acc, c) => setCondition(acc, c, observedGeneration, now), [...(conditions ?? [])]);
}

export const findCondition = (conditions: readonly Condition[] | undefined, type: string) =>
  conditions?.find((c) => c.type === type);
