/**
 * What the gateway does, independent of where its settings come from (SERVING_* env in
 * `config.ts`, or the embedded app's code). Every default has its reason.
 */
import { DEFAULT_ROLLOUT_SPEC, type RolloutSpec } from '@crucible/rollout';
import { z } from 'zod';
import { RoutingSchema } from './versions/routing-file';

export const ServingLimitsSchema = z
  .object({
    /** Rows decoded together per version: the continuous batch's width. 32 keeps a CPU busy without starving TTFT. */
    maxBatch: z.number().int().positive().default(32),
    /** Requests waiting per version before 429: about 8 batches, a few seconds of work on a small model. */
    maxQueue: z.number().int().nonnegative().default(256),
    /** Bigger bodies get 413; 1 MB holds any prompt a small-context model can take, many times over. */
    maxBodyBytes: z.number().int().positive().default(1_000_000),
    /** Upper bound on `max_tokens` (besides the model's context). */
    maxTokens: z.number().int().positive().default(2_048),
    /** `max_tokens` when a completion request omits it: OpenAI's legacy default for /v1/completions. */
    defaultCompletionTokens: z.number().int().positive().default(16),
    /** `max_tokens` when a chat request omits it (OpenAI: the rest of the context; bounded here so one request cannot hold a row long). */
    defaultChatTokens: z.number().int().positive().default(256),
    /** Choices per request (`n`) at most; each is a row of the batch. */
    maxN: z.number().int().positive().default(8),
    /** Limits of a key created without explicit ones. */
    requestsPerMinute: z.number().int().positive().default(600),
    tokensPerMinute: z.number().int().positive().default(1_000_000),
  })
  .strict();

export const RolloutSettingsSchema = z
  .object({
    /** `embedded`: this gateway runs canaries itself; `external`: the operator writes the routing file. */
    mode: z.enum(['embedded', 'external']).default('embedded'),
    /** The operator's routing file (external mode), re-read when it changes. */
    routingFile: z.string().optional(),
    /** Fixed routes instead of a file (external mode): a gateway pinned to given versions, e.g. one per-version Deployment. */
    routes: RoutingSchema.optional(),
    spec: z.custom<RolloutSpec>((v) => typeof v === 'object' && v !== null).default(DEFAULT_ROLLOUT_SPEC),
    /** How often the embedded controller feeds the rollouts an observation. */
    tickMs: z.number().int().positive().default(1_000),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.mode === 'external' && !r.routingFile && !r.routes) {
      ctx.addIssue({ code: 'custom', path: ['routingFile'], message: 'external rollout mode needs a routing file (SERVING_ROUTING_FILE) or inline routes (SERVING_ROUTES)' });
    }
    if (r.routingFile && r.routes) ctx.addIssue({ code: 'custom', path: ['routes'], message: 'give a routing file or inline routes, not both' });
    if (r.mode !== 'external' && r.routes) ctx.addIssue({ code: 'custom', path: ['routes'], message: 'inline routes need external rollout mode' });
  });

export const ServingSettingsSchema = z
  .object({
    /** `off` only for a local quick start: anyone who reaches the port can use every model. */
    auth: z.enum(['on', 'off']).default('on'),
    /** Hashed keys; default `<dataDir>/serving/keys.json`. */
    keysFile: z.string().optional(),
    /** Server secret mixed into key hashes; default a generated `<dataDir>/serving/pepper`. */
    keyPepper: z.string().min(16).optional(),
    /** Token to call the admin endpoints (`/v1/admin/keys`); unset = no admin endpoints over HTTP. */
    adminToken: z.string().min(16).optional(),
    limits: ServingLimitsSchema.default(ServingLimitsSchema.parse({})),
    /** FP16 weights (half the memory, float32 compute). */
    fp16: z.boolean().default(false),
    /** ORT intra-op threads per loaded version; unset = the engine's default (2). */
    threads: z.number().int().positive().optional(),
    /**
     * ORT's threads spin-wait between calls. Off by default: between decode steps the gateway
     * writes responses and reads requests, and spinning threads would take those cores.
     */
    ortSpinWait: z.boolean().default(false),
    /**
     * Where a version decodes: `worker`, a worker thread per version (ONNX Runtime runs
     * synchronously, so this keeps HTTP, streaming and guardrails off the decode path), or
     * `main`, this thread (one thread fewer; HTTP waits while a step runs).
     */
    engineThread: z.enum(['worker', 'main']).default('worker'),
    /** Prompts and completions in the logs: off by default, they are user data. */
    logContent: z.boolean().default(false),
    /** Input and output guardrails (@crucible/guardrails). */
    guardrails: z.boolean().default(true),
    /** Streamed output is checked every this many tokens (and at the end); 1 = every token, at a CPU cost per row per step. */
    guardrailChunkTokens: z.number().int().positive().default(8),
    rollout: RolloutSettingsSchema.default(RolloutSettingsSchema.parse({})),
    /** Versions no route pins (requested as `sotu@1`) unload after this long without requests. */
    idleUnloadMs: z.number().int().positive().default(600_000),
  })
  .strict();

export type ServingSettings = z.output<typeof ServingSettingsSchema>;
export type ServingSettingsInput = z.input<typeof ServingSettingsSchema>;
