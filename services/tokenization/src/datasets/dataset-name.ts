/** Dataset names become directory names (`<name>@<n>`), so they are restricted to a safe alphabet. */
import { InvalidDatasetNameError } from './dataset.errors';

const DATASET_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

export function checkDatasetName(name: string): string {
  if (!DATASET_NAME.test(name)) throw new InvalidDatasetNameError(name);
  return name;
}

export const datasetIdOf = (name: string, version: number): string => `${name}@${version}`;
