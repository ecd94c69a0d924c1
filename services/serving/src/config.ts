/** The serving gateway's configuration: the only file that reads `process.env`. */
import { BaseConfigSchema, parseConfig, withBusRules } from '@crucible/service-kit';
import { z } from 'zod';
import type { ServingSettingsInput } from './serving.settings';
import { parseRouting, type Routing } from './versions/routing-file';

const flag = (fallback: 'true' | 'false') => z.enum(['true', 'false']).default(fallback).transform((v) => v === 'true');
const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const weights = z
  .string()
  .transform((s) => s.split(',').map((x) => Number(x.trim())))
  .pipe(z.array(z.number().int().min(1).max(100)).min(1));

export const ServingServiceConfigSchema = withBusRules(
  BaseConfigSchema.extend({
    /** The registry (SQLite file or PostgreSQL URL); default `sqlite:<dataDir>/registry.db`. */
    CRUCIBLE_REGISTRY_URL: z.string().optional(),
    /** `on` in production; `off` only for a local quick start. */
    SERVING_AUTH: z.enum(['on', 'off']).default('on'),
    SERVING_KEYS_FILE: z.string().optional(),
    SERVING_KEY_PEPPER: z.string().min(16).optional(),
    SERVING_ADMIN_TOKEN: z.string().min(16).optional(),
    SERVING_MAX_BATCH: int(32),
    SERVING_MAX_QUEUE: int(256),
    SERVING_MAX_BODY_BYTES: int(1_000_000),
    SERVING_MAX_TOKENS: int(2_048),
    SERVING_MAX_N: int(8),
    SERVING_DEFAULT_RPM: int(600),
    SERVING_DEFAULT_TPM: int(1_000_000),
    SERVING_FP16: flag('false'),
    SERVING_THREADS: z.coerce.number().int().positive().optional(),
    SERVING_ORT_SPIN_WAIT: flag('false'),
    SERVING_ENGINE_THREAD: z.enum(['worker', 'main']).default('worker'),
    SERVING_LOG_CONTENT: flag('false'),
    SERVING_GUARDRAILS: flag('true'),
    SERVING_GUARDRAIL_CHUNK_TOKENS: int(8),
    SERVING_ROLLOUT: z.enum(['embedded', 'external']).default('embedded'),
    /** External mode: the operator's routing file (a mounted ConfigMap), re-read when it changes. */
    SERVING_ROUTING_FILE: z.string().optional(),
    /** External mode, instead of the file: the same JSON inline, fixed for the process (a per-version Deployment pins its version). */
    SERVING_ROUTES: z
      .string()
      .optional()
      .transform((s, ctx): Routing | undefined => {
        if (s === undefined) return undefined;
        try {
          return parseRouting(s);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `expected routing JSON { "<model>": [{ "version": "<model>@<n>", "weight": 100 }] }: ${(error as Error).message}` });
          return z.NEVER;
        }
      }),
    SERVING_ROLLOUT_STEPS: weights.default([10, 50, 100]),
    SERVING_ROLLOUT_STEP_INTERVAL_MS: int(60_000),
    SERVING_ROLLOUT_MIN_REQUESTS: z.coerce.number().int().nonnegative().default(100),
    SERVING_ROLLOUT_MAX_ERROR_RATE: z.coerce.number().min(0).max(1).default(0.05),
    SERVING_ROLLOUT_MAX_P99_MS: int(10_000),
    SERVING_IDLE_UNLOAD_MS: int(600_000),
    /** vLLM's and most OpenAI-compatible servers' port. */
    HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8000),
  }),
).superRefine((c, ctx) => {
  if (c.SERVING_ROLLOUT === 'external' && !c.SERVING_ROUTING_FILE && !c.SERVING_ROUTES) {
    ctx.addIssue({ code: 'custom', path: ['SERVING_ROUTING_FILE'], message: 'SERVING_ROUTING_FILE or SERVING_ROUTES is required when SERVING_ROLLOUT=external' });
  }
  if (c.SERVING_ROUTING_FILE && c.SERVING_ROUTES) {
    ctx.addIssue({ code: 'custom', path: ['SERVING_ROUTES'], message: 'set SERVING_ROUTING_FILE or SERVING_ROUTES, not both' });
  }
  if (c.SERVING_ROLLOUT !== 'external' && c.SERVING_ROUTES) {
    ctx.addIssue({ code: 'custom', path: ['SERVING_ROUTES'], message: 'only with SERVING_ROLLOUT=external' });
  }
});
export type ServingServiceConfig = z.output<typeof ServingServiceConfigSchema>;

export const loadServingServiceConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(ServingServiceConfigSchema, env);

/** The gateway's settings from the service's environment. */
export function settingsFromConfig(c: ServingServiceConfig): ServingSettingsInput {
  return {
    auth: c.SERVING_AUTH,
    ...(c.SERVING_KEYS_FILE && { keysFile: c.SERVING_KEYS_FILE }),
    ...(c.SERVING_KEY_PEPPER && { keyPepper: c.SERVING_KEY_PEPPER }),
    ...(c.SERVING_ADMIN_TOKEN && { adminToken: c.SERVING_ADMIN_TOKEN }),
    limits: {
      maxBatch: c.SERVING_MAX_BATCH,
      maxQueue: c.SERVING_MAX_QUEUE,
      maxBodyBytes: c.SERVING_MAX_BODY_BYTES,
      maxTokens: c.SERVING_MAX_TOKENS,
      maxN: c.SERVING_MAX_N,
      requestsPerMinute: c.SERVING_DEFAULT_RPM,
      tokensPerMinute: c.SERVING_DEFAULT_TPM,
    },
    fp16: c.SERVING_FP16,
    ...(c.SERVING_THREADS && { threads: c.SERVING_THREADS }),
    ortSpinWait: c.SERVING_ORT_SPIN_WAIT,
    engineThread: c.SERVING_ENGINE_THREAD,
    logContent: c.SERVING_LOG_CONTENT,
    guardrails: c.SERVING_GUARDRAILS,
    guardrailChunkTokens: c.SERVING_GUARDRAIL_CHUNK_TOKENS,
    rollout: {
      mode: c.SERVING_ROLLOUT,
      ...(c.SERVING_ROUTING_FILE && { routingFile: c.SERVING_ROUTING_FILE }),
      ...(c.SERVING_ROUTES && { routes: c.SERVING_ROUTES }),
      spec: {
        steps: c.SERVING_ROLLOUT_STEPS,
        stepIntervalMs: c.SERVING_ROLLOUT_STEP_INTERVAL_MS,
        analysis: { minRequests: c.SERVING_ROLLOUT_MIN_REQUESTS, maxErrorRate: c.SERVING_ROLLOUT_MAX_ERROR_RATE, maxP99LatencyMs: c.SERVING_ROLLOUT_MAX_P99_MS },
      },
    },
    idleUnloadMs: c.SERVING_IDLE_UNLOAD_MS,
  };
}
