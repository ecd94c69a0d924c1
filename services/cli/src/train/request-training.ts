/**
 * `crucible train --dataset <id>`: asks the platform to train (a `training.requested` event on
 * the project's bus — embedded or Kafka); the training service runs it and `crucible runs`
 * follows it.
 */
import { TOPICS } from '@crucible/contracts';
import { createLogger } from '@crucible/service-kit';
import { randomUUID } from 'node:crypto';
import type { CliConfig } from '../config';
import { openProjectBus } from '../project/open-project-bus';
import { loadProject } from '../project/project-file';

export interface TrainingRequestOptions {
  readonly project: string;
  readonly dataset: string;
  readonly preset: 'tiny' | 'small' | 'gpt2';
  readonly steps: number;
  readonly batchSize: number;
  readonly seqLen?: number;
  readonly lr: number;
  readonly seed: number;
  readonly name?: string;
  readonly gpus: number;
}

export async function requestTraining(options: TrainingRequestOptions, config: CliConfig, out: NodeJS.WriteStream = process.stdout): Promise<string> {
  const project = loadProject(options.project);
  const { transport, bus } = await openProjectBus(project, config, createLogger('cli', config.LOG_LEVEL));
  const runId = `run-${randomUUID().slice(0, 8)}`;
  try {
    await bus.emit(
      TOPICS.trainingRequested,
      {
        runId, datasetId: options.dataset, preset: options.preset, ...(options.name !== undefined && { model: options.name }),
        hyperParameters: {
          steps: options.steps, batchSize: options.batchSize, learningRate: options.lr, seed: options.seed,
          ...(options.seqLen !== undefined && { sequenceLength: options.seqLen }),
        },
        resources: { gpus: options.gpus },
      },
      { key: runId },
    );
  } finally {
    await transport.close();
  }
  out.write(`requested training run ${runId} on ${options.dataset} (${options.preset}, ${options.steps} steps)\n  follow it: crucible runs\n`);
  return runId;
}
