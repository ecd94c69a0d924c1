/**
 * The Python reference for the engine checks: the bench venv with the pinned packages of
 * requirements.txt (torch, transformers, safetensors, numpy, peft), installed from PyPI on first
 * use by `ensurePython`. CRUCIBLE_BENCH_PYTHON names a ready interpreter instead (no install).
 */
import { join } from 'node:path';
import { peerPython } from '@crucible/engine/testing';
import { ensurePython } from '@crucible/tokenizer/testing';

export const REQUIREMENTS = join(__dirname, 'requirements.txt');

/** The reference python, installing requirements.txt into the bench venv when a pin is missing; throws with the reason if it cannot. */
export function referencePython(): string {
  if (process.env.CRUCIBLE_BENCH_PYTHON) return peerPython();
  return ensurePython(['torch', 'transformers', 'safetensors', 'numpy', 'peft'], ['-r', REQUIREMENTS]);
}
