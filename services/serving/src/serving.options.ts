/** What the serving module needs from its host: settings, the registry and where artifacts live. */
import type { TextModel, TextModelOptions } from '@crucible/model-artifact';
import type { Registry } from '@crucible/registry';
import type { ServingSettings } from './serving.settings';

export const SERVING_OPTIONS = Symbol('crucible.serving.options');

export interface ServingOptions {
  readonly settings: ServingSettings;
  readonly registry: Registry;
  /** `<dataDir>/models/<model>/<n>/` holds each version's artifact (unless the registry records another path). */
  readonly dataDir: string;
  /** Consumer group of `model.approved`; default `crucible.serving`. */
  readonly group?: string;
  /** Replaces `TextModel.load` (tests count loads and unloads through it). */
  readonly loadModel?: (dir: string, versionId: string, options: TextModelOptions) => Promise<TextModel>;
}
