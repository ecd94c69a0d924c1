import type { TrainProgress } from '@crucible/engine';
import { bar } from '../console/progress';

/** One progress line: where the run is and whether it is learning. */
export const formatTrainProgress = (p: TrainProgress): string =>
  `${bar(p.step, p.maxSteps)} loss ${p.loss.toFixed(4)} lr ${p.lr.toExponential(2)} |g| ${p.gradNorm.toFixed(2)} ` +
  `${Math.round(p.tokensPerSec).toLocaleString('en-US')} tok/s MFU ${(p.mfu * 100).toFixed(1)}%` +
  (p.valLoss !== undefined ? ` val ${p.valLoss.toFixed(4)}` : '');
