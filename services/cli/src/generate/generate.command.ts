/**
 * `crucible generate --model <dir> "prompt"`: completes a prompt with a model version
 * directory and streams the text to the terminal as it is decoded.
 */
import type { ExecutionProvider } from '@crucible/engine';
import { TextModel } from '@crucible/model-artifact';

export interface GenerateCommandOptions {
  readonly model: string;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly seed: number;
  readonly stop?: string[];
  readonly device: ExecutionProvider;
  readonly fp16: boolean;
}

export async function generate(prompt: string, options: GenerateCommandOptions, out: NodeJS.WriteStream = process.stdout): Promise<string> {
  const model = await TextModel.load(options.model, { fp16: options.fp16, executionProviders: [options.device] });
  try {
    const { ids, maxTokens, truncated } = model.fitPrompt(prompt, options.maxTokens);
    if (truncated) process.stderr.write(`(prompt truncated to its last ${ids.length} tokens to fit the context of ${model.config.contextLength})\n`);
    const eot = model.eotToken;
    const tokens: number[] = [];
    let printed = '';
    for await (const [token] of model.generator.stream([ids], {
      maxTokens, temperature: options.temperature, seed: options.seed,
      ...(options.topP !== undefined && { topP: options.topP }), ...(options.topK !== undefined && { topK: options.topK }),
      ...(eot !== undefined && { stopTokens: [eot] }),
    })) {
      if (token === null || token === undefined || token === eot) break;
      tokens.push(token);
      const text = model.decode(tokens);
      const stopAt = firstIndexOf(text, options.stop);
      const visible = stopAt === undefined ? text : text.slice(0, stopAt);
      // A multi-byte character split across tokens decodes as U+FFFD until its last byte arrives.
      if (!visible.endsWith('\uFFFD') && visible.length > printed.length) {
        out.write(visible.slice(printed.length));
        printed = visible;
      }
      if (stopAt !== undefined) break;
    }
    out.write('\n');
    return printed;
  } finally {
    await model.close();
  }
}

function firstIndexOf(text: string, stops: readonly string[] | undefined): number | undefined {
  const hits = (stops ?? []).filter((s) => s !== '').map((s) => text.indexOf(s)).filter((i) => i >= 0);
  return hits.length ? Math.min(...hits) : undefined;
}

