"""Peer side of the cleaning benchmark: datatrove's GopherQualityFilter, GopherRepetitionFilter
and MinhashDedupSignature (default configs) over the same JSONL corpus, on one core (timed).
Then, untimed, datatrove's MinhashDedupBuckets + MinhashDedupCluster turn the signatures into
the list of near duplicates it would remove, for a decision comparison with ours.

Usage: python datatrove_peer.py CORPUS.jsonl OUT_DIR  -> prints one JSON line.
"""
import json
import os
import struct
import sys
import tempfile
import time

from datatrove.data import Document
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupSignature,
)
from datatrove.pipeline.filters import GopherQualityFilter, GopherRepetitionFilter
from datatrove.utils.text import split_into_words


def main() -> None:
    corpus, out_dir = sys.argv[1], sys.argv[2]
    with open(corpus, encoding="utf-8") as f:
        docs = [Document(text=d["text"], id=d["id"]) for d in map(json.loads, f)]
    quality = GopherQualityFilter()
    repetition = GopherRepetitionFilter()
    config = MinhashConfig()
    sig_dir = tempfile.mkdtemp(dir=out_dir)
    signature = MinhashDedupSignature(output_folder=sig_dir, config=config)
    # Warm the tokenizer (spaCy blank English) outside the timed region, as our side warms its JIT.
    split_into_words("warm up the tokenizer.")
    passed: list[str] = []

    def record(data):
        for doc in data:
            passed.append(doc.id)
            yield doc

    start = time.perf_counter()
    cpu_start = time.process_time()
    stream = repetition.run(quality.run(iter(docs), rank=0, world_size=1), rank=0, world_size=1)
    # The signature step is a sink: it consumes the stream and writes per-bucket signature files.
    signature.run(record(stream), rank=0, world_size=1)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    print(
        json.dumps(
            {
                "docs": len(docs),
                "seconds": seconds,
                "cpuSeconds": cpu_seconds,
                "passedGopher": passed,
                "nearRemoved": near_duplicates(sig_dir, out_dir, config, passed),
            }
        )
    )


def near_duplicates(sig_dir: str, out_dir: str, config: MinhashConfig, passed: list[str]) -> list[str]:
    """Ids datatrove's MinHash dedup removes (stages 2 and 3), untimed."""
    buckets_dir = tempfile.mkdtemp(dir=out_dir)
    remove_dir = tempfile.mkdtemp(dir=out_dir)
    buckets = MinhashDedupBuckets(input_folder=sig_dir, output_folder=buckets_dir, config=config)
    for bucket in range(config.num_buckets):
        buckets.run(rank=bucket, world_size=config.num_buckets)
    MinhashDedupCluster(input_folder=buckets_dir, output_folder=remove_dir, config=config).run()
    path = os.path.join(remove_dir, "000000.remove")
    if not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        data = f.read()
    # The signature step numbers documents in the order it saw them: the `passed` order.
    return [passed[i] for (i,) in struct.iter_unpack("<I", data)]


if __name__ == "__main__":
    main()
