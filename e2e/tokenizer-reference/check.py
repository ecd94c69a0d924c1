"""Reference check, both directions.
1. Load each tokenizer.json we wrote with Hugging Face `tokenizers` and compare its ids with ours
   on every case.
2. Train a tokenizer with HF on the same training texts and save it as hf-trained.tokenizer.json
   with HF's ids for the cases in hf-trained.ids.json, for the TypeScript side to load and compare.
Usage: check.py <dir> (dir holds cases.json and *.tokenizer.json). Exit status 1 on any mismatch
in step 1; prints one JSON summary line."""
import json
import sys
from pathlib import Path

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

root = Path(sys.argv[1])
cases = json.loads((root / "cases.json").read_text(encoding="utf-8"))
summary = {"tokenizers_version": __import__("tokenizers").__version__, "results": []}
failed = False
for entry in cases["tokenizers"]:
    tok = Tokenizer.from_file(str(root / entry["file"]))
    mismatches = []
    for i, (text, ours) in enumerate(zip(cases["texts"], entry["ids"])):
        theirs = tok.encode(text, add_special_tokens=False).ids
        if theirs != ours:
            first = next((k for k, (a, b) in enumerate(zip(theirs, ours)) if a != b), min(len(theirs), len(ours)))
            mismatches.append({"case": i, "first_diff": first, "ours": ours[first : first + 5], "hf": theirs[first : first + 5]})
        elif tok.decode(theirs, skip_special_tokens=False) != text:
            mismatches.append({"case": i, "decode": "HF decode differs from the text"})
    tokens = sum(len(ids) for ids in entry["ids"])
    summary["results"].append({"file": entry["file"], "cases": len(cases["texts"]), "tokens": tokens, "mismatches": mismatches[:5], "mismatch_count": len(mismatches)})
    failed = failed or bool(mismatches)
hf = Tokenizer(models.BPE())
hf.pre_tokenizer = pre_tokenizers.Sequence(
    [pre_tokenizers.Split(Regex(cases["pattern"]), behavior="isolated"), pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)]
)
hf.decoder = decoders.ByteLevel()
trainer = trainers.BpeTrainer(
    vocab_size=cases["vocab_size"], special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False
)
hf.train_from_iterator(json.loads((root / "train.json").read_text(encoding="utf-8")), trainer=trainer)
hf.save(str(root / "hf-trained.tokenizer.json"))
(root / "hf-trained.ids.json").write_text(json.dumps([hf.encode(t, add_special_tokens=False).ids for t in cases["texts"]]))
print(json.dumps(summary))
sys.exit(1 if failed else 0)
