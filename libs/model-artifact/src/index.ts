/**
 * @crucible/model-artifact — the directory of one model version (HF GPT-2 weights,
 * tokenizer.json, crucible.json lineage) and `TextModel`, which completes and scores text
 * with it on ONNX Runtime.
 */
export { ArtifactError, type ArtifactErrorCode } from './artifact.errors';
export { ChatTemplateSchema, DEFAULT_CHAT_TEMPLATE, renderChat, type ChatMessage, type ChatRole, type ChatTemplate } from './chat-template';
export { LINEAGE_FILE, LineageSchema, readModelLineage, type Lineage, type LineageInput } from './lineage';
export { TextModel, type CompleteOptions, type Completion, type ScoredContinuation, type TextModelOptions } from './text-model';
export { TOKENIZER_FILE, writeModelArtifact, type ModelArtifactInput } from './write-artifact';
export { logSoftmaxAt } from './log-softmax';
