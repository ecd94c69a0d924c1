/**
 * V8 resource limits for a worker thread that decodes with a Generator (the serving gateway's
 * engine thread, bench:serving's engine-alone peer).
 *
 * Decoding allocates little on the JS heap but ~2.4 MB of ArrayBuffers per 64-token request at
 * the `small` preset: ONNX Runtime's outputs (the logits, the new keys and values), each dead by
 * the next step. V8 counts ArrayBuffer memory against the old generation's limit until a
 * collection frees it, and with a worker's default young generation (48 MB, 16 MB semi-spaces)
 * no scavenge came before that limit: a mark-compact ran every ~4 requests, 5–7 ms paused, with
 * concurrent marking on the cores ONNX Runtime decodes on. With a 4 MB young generation a ~0.4
 * ms scavenge frees those buffers about once a request, and 60 requests ran no mark-compact
 * (`--trace-gc`; services/serving/README.md § Benchmark). The KV cache itself is recycled
 * (KvArrayPool), so what survives a scavenge is small.
 */
export const DECODE_THREAD_RESOURCE_LIMITS = Object.freeze({ maxYoungGenerationSizeMb: 4 });
