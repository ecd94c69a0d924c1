"""Child process of the benchmark: trains Hugging Face `tokenizers` BPE on the same corpus file
with the same setup as ours (cl100k Split + ByteLevel, byte alphabet, min_frequency 2, one
special token), single-threaded (RAYON_NUM_THREADS=1 set by the caller). Prints one JSON line.
Usage: train_hf.py <corpus.jsonl> <vocab_size> <pattern> [out.json]"""
import json
import resource
import sys
import time

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

corpus, vocab_size, pattern = sys.argv[1], int(sys.argv[2]), sys.argv[3]
out = sys.argv[4] if len(sys.argv) > 4 else None


def documents():
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)["text"]


t0 = time.perf_counter()
c0 = time.process_time()
tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.Sequence(
    [pre_tokenizers.Split(Regex(pattern), behavior="isolated"), pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)]
)
tok.decoder = decoders.ByteLevel()
trainer = trainers.BpeTrainer(
    vocab_size=vocab_size,
    min_frequency=2,
    special_tokens=["<|endoftext|>"],
    initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    show_progress=False,
)
tok.train_from_iterator(documents(), trainer=trainer)
seconds = time.perf_counter() - t0
cpu = time.process_time() - c0
if out:
    tok.save(out)
print(json.dumps({"seconds": seconds, "cpuSeconds": cpu, "maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "vocab": tok.get_vocab_size()}))
