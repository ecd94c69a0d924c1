export { TrainingModule } from './training.module';
export { TRAINING_OPTIONS, type TrainingOptions } from './training.options';
export { openTraining, closeTraining, codeVersion, type OpenTrainingInput } from './open-training';
export {
  TrainingSettingsSchema,
  RetrainPolicySchema,
  parseTrainingSettings,
  type TrainingSettings,
  type TrainingSettingsInput,
  type RetrainPolicy,
} from './training.config';
export { TrainingServiceConfigSchema, loadTrainingServiceConfig, settingsOverrides } from './config';
export { TrainingError, type TrainingErrorCode } from './training.errors';
export type { Launcher, LaunchHandle, LaunchListener, TrainingJob, JobExit, JobProgress, JobCheckpoint, JobFinished } from './launchers/launcher';
export { LocalLauncher, type LocalLauncherOptions } from './launchers/local/local.launcher';
export { TrainingRunsService, type Acceptance } from './runs/training-runs.service';
export { RetrainTimerService } from './retrain/retrain-timer.service';
export { decideRetrain, retrainRunId, type RetrainDecision } from './retrain/retrain-policy';
export { TRAINING_GROUP } from './runs/training-requests.consumer';
export { modelDir } from './complete-run/complete-run.service';
export { sealedFromManifest } from './datasets/sealed-from-manifest';
