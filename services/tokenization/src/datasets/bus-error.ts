/**
 * The bus decides retry vs dead-letter with `isRetriable` from contracts, which trusts only
 * `CrucibleError`s (anything else counts as transient). A non-retriable DatasetError is
 * therefore handed to the bus as a ValidationError carrying its code, so it is dead-lettered
 * at once instead of being retried five times.
 */
import { ValidationError } from '@crucible/contracts';
import { DatasetError } from './dataset.errors';

export async function forTheBus<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DatasetError && !error.retriable) throw new ValidationError(`${error.code}: ${error.message}`);
    throw error;
  }
}
