/** The stable id of a document: `sha256:` and the hex digest of its normalised text as UTF-8. */
import { createHash } from 'node:crypto';

export const documentIdOf = (content: string): string => `sha256:${createHash('sha256').update(content, 'utf8').digest('hex')}`;
