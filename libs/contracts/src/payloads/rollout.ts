/** Payloads of the rollout topics emitted by the operator (or the embedded gateway). */
import { z } from 'zod';

const RolloutBase = z.object({
  deployment: z.string(),
  model: z.string(),
  stableVersionId: z.string().optional(),
  canaryVersionId: z.string(),
});

export const RolloutStartedSchema = RolloutBase.extend({ canaryWeight: z.number().min(0).max(100) }).strict();
export const RolloutPromotedSchema = RolloutBase.strict();
export const RolloutRolledBackSchema = RolloutBase.extend({ reason: z.string() }).strict();
