/** Feedback from applications on served completions: the input of the data refresh loop. */
import { z } from 'zod';

export const ServingFeedbackSchema = z
  .object({
    requestId: z.string(),
    modelVersionId: z.string(),
    rating: z.number().min(-1).max(1),
    comment: z.string().max(10_000).optional(),
    /** A corrected or preferred completion, usable as new training text. */
    correction: z.string().max(100_000).optional(),
  })
  .strict();
export type ServingFeedback = z.infer<typeof ServingFeedbackSchema>;
