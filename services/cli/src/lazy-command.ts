/**
 * Loads a command's module when the command runs, so `crucible runs` does not pay for loading
 * every service and ONNX Runtime. `require`, not `import()`: the sources run as CommonJS
 * compiled on the fly (scripts/register.cjs), and a native dynamic import cannot load `.ts`.
 */
export function lazyCommand<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}
