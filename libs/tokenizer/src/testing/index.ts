/**
 * `@crucible/tokenizer/testing`: helpers for tests, benchmarks and reference checks — edge-case
 * strings, the SOTU + UDHR document corpus, and the Python venv used for peers and references.
 * Not part of the runtime API.
 */
export { TEST_CORPUS } from './corpus';
export { englishDocuments, multilingualDocuments, utf8Bytes, type Document } from './documents';
export { ensurePython, VENV, VENV_PYTHON } from './python-env';
