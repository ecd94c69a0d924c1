/** `crucible train`, `generate` and `export`: working with models from the terminal (each loaded when run). */
import type { PresetName } from '@crucible/engine';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { loadCliConfig } from './config';
import { lazyCommand } from './lazy-command';

/* eslint-disable @typescript-eslint/no-require-imports -- see lazy-command.ts */
const localTraining = lazyCommand(() => require('./train/local-training') as typeof import('./train/local-training'));
const trainingRequest = lazyCommand(() => require('./train/request-training') as typeof import('./train/request-training'));
const generateCommand = lazyCommand(() => require('./generate/generate.command') as typeof import('./generate/generate.command'));
const exportCommand = lazyCommand(() => require('./export/export.command') as typeof import('./export/export.command'));
/* eslint-enable @typescript-eslint/no-require-imports */

const int = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got ${v}`);
  return n;
};
const num = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative number, got ${v}`);
  return n;
};
const presetOption = () => new Option('--preset <name>', 'model size').choices(['tiny', 'small', 'gpt2']).default('small');
const deviceOption = () => new Option('--device <ep>', 'ONNX Runtime execution provider').choices(['cpu', 'cuda']).default('cpu');

export function registerModelCommands(program: Command, defaultProject: string): void {
  program
    .command('train')
    .description('train a model: here on a sealed dataset (--data), or by asking the platform (--dataset)')
    .option('--data <dir>', 'a sealed dataset directory (or its manifest.json): train in this process')
    .option('--dataset <id>', 'a sealed dataset id, e.g. sotu@1: publish training.requested for the training service')
    .addOption(presetOption())
    .option('--steps <n>', 'optimizer steps', int('--steps'), 200)
    .option('--batch-size <n>', 'sequences per step', int('--batch-size'), 8)
    .option('--seq-len <n>', 'tokens per sequence (default: min(context, 256))', int('--seq-len'))
    .option('--lr <rate>', 'peak learning rate', num('--lr'), 1e-3)
    .option('--seed <n>', 'seed', (v) => Number.parseInt(v, 10), 1337)
    .option('--name <model>', 'model name (default: the dataset name)')
    .option('--out <dir>', 'run directory for checkpoints and the model (--data)')
    .option('--resume', 'continue from the run directory\'s last checkpoint (--data)', false)
    .addOption(deviceOption())
    .option('--threads <n>', 'ONNX Runtime intra-op threads', int('--threads'))
    .option('--gpus <n>', 'GPUs to request (--dataset)', (v) => Number.parseInt(v, 10), 0)
    .option('-p, --project <file>', 'project file (--dataset)', defaultProject)
    .action(async (o) => {
      if ((o.data === undefined) === (o.dataset === undefined)) throw new InvalidArgumentError('give exactly one of --data <dir> (train here) or --dataset <id> (ask the platform)');
      if (o.data !== undefined) {
        await localTraining().trainLocally({ data: o.data, preset: o.preset as PresetName, steps: o.steps, batchSize: o.batchSize, seqLen: o.seqLen, lr: o.lr, seed: o.seed, out: o.out, name: o.name, resume: o.resume, device: o.device, threads: o.threads });
      } else {
        await trainingRequest().requestTraining({ project: o.project, dataset: o.dataset, preset: o.preset, steps: o.steps, batchSize: o.batchSize, seqLen: o.seqLen, lr: o.lr, seed: o.seed, name: o.name, gpus: o.gpus }, loadCliConfig());
      }
    });

  program
    .command('generate')
    .description('complete a prompt with a model version directory, streaming the text')
    .argument('<prompt>')
    .requiredOption('--model <dir>', 'model version directory (e.g. runs/sotu-1-small/model or .crucible/models/sotu/1)')
    .option('--max-tokens <n>', 'tokens to generate', int('--max-tokens'), 64)
    .option('--temperature <t>', '0 = greedy', num('--temperature'), 0.8)
    .option('--top-p <p>', 'nucleus sampling', num('--top-p'))
    .option('--top-k <k>', 'top-k sampling', int('--top-k'))
    .option('--seed <n>', 'sampling seed', (v) => Number.parseInt(v, 10), 0)
    .option('--stop <text...>', 'stop sequences')
    .option('--fp16', 'FP16 weights', false)
    .addOption(deviceOption())
    .action(async (prompt: string, o) => {
      await generateCommand().generate(prompt, { model: o.model, maxTokens: o.maxTokens, temperature: o.temperature, topP: o.topP, topK: o.topK, seed: o.seed, stop: o.stop, device: o.device, fp16: o.fp16 });
    });

  program
    .command('export')
    .description('export the ONNX inference model of a version; --fp16 halves it and reports the perplexity change')
    .requiredOption('--model <dir>', 'model version directory')
    .requiredOption('--out <dir>', 'output directory')
    .option('--fp16', 'store weights as float16', false)
    .option('--windows <n>', 'validation windows for the perplexity comparison', int('--windows'), 16)
    .action(async (o) => {
      await exportCommand().exportModel({ model: o.model, out: o.out, fp16: o.fp16, windows: o.windows });
    });
}
