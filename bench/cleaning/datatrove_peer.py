"""Peer side of the cleaning benchmark: datatrove's GopherQualityFilter, GopherRepetitionFilter
and MinhashDedupSignature (default configs) over the same JSONL corpus, on one core.

Usage: python datatrove_peer.py CORPUS.jsonl OUT_DIR  -> prints one JSON line.
"""
import json
import sys
import tempfile
import time

from datatrove.data import Document
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
from datatrove.pipeline.filters import GopherQualityFilter, GopherRepetitionFilter
from datatrove.utils.text import split_into_words


def main() -> None:
    corpus, out_dir = sys.argv[1], sys.argv[2]
    with open(corpus, encoding="utf-8") as f:
        docs = [Document(text=d["text"], id=d["id"]) for d in map(json.loads, f)]
    quality = GopherQualityFilter()
    repetition = GopherRepetitionFilter()
    signature = MinhashDedupSignature(output_folder=tempfile.mkdtemp(dir=out_dir), config=MinhashConfig())
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
    print(json.dumps({"docs": len(docs), "seconds": seconds, "cpuSeconds": cpu_seconds, "passedGopher": passed}))


if __name__ == "__main__":
    main()
