export { makeTinyArtifact, type TinyArtifactOptions } from './tiny-artifact';
