/** Payloads of the model topics: trained → evaluated → safety-tested → approved. */
import { z } from 'zod';

export const VerdictSchema = z
  .object({
    passed: z.boolean(),
    /** One line per check that decided the verdict, e.g. `perplexity 41.2 <= 60`. */
    reasons: z.array(z.string()),
  })
  .strict();
export type Verdict = z.infer<typeof VerdictSchema>;

export const ModelTrainedSchema = z
  .object({
    modelVersionId: z.string(),
    model: z.string(),
    runId: z.string(),
    datasetId: z.string(),
    tokenizerId: z.string(),
    artifactPath: z.string(),
    finalLoss: z.number(),
    validationLoss: z.number().optional(),
    parameters: z.number().int().positive(),
  })
  .strict();
export type ModelTrained = z.infer<typeof ModelTrainedSchema>;

export const ModelEvaluatedSchema = z
  .object({
    modelVersionId: z.string(),
    metrics: z.record(z.string(), z.number()),
    reportPath: z.string().optional(),
    verdict: VerdictSchema,
  })
  .strict();
export type ModelEvaluated = z.infer<typeof ModelEvaluatedSchema>;

export const ModelSafetyTestedSchema = z
  .object({
    modelVersionId: z.string(),
    /** Failure rate per OWASP LLM Top 10 (2025) category, e.g. `LLM01:2025`. */
    categories: z.record(z.string(), z.object({ probes: z.number().int(), failures: z.number().int() })),
    reportPath: z.string().optional(),
    verdict: VerdictSchema,
  })
  .strict();
export type ModelSafetyTested = z.infer<typeof ModelSafetyTestedSchema>;

export const ModelApprovedSchema = z
  .object({ modelVersionId: z.string(), model: z.string(), alias: z.string().default('champion') })
  .strict();
export type ModelApproved = z.infer<typeof ModelApprovedSchema>;
