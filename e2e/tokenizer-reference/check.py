"""Reference check: load each tokenizer.json we wrote with Hugging Face `tokenizers` and compare
its ids with ours on every case. Usage: check.py <dir> (dir holds cases.json and *.tokenizer.json).
Exit status 1 on any mismatch; prints one JSON summary line."""
import json
import sys
from pathlib import Path

from tokenizers import Tokenizer

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
print(json.dumps(summary))
sys.exit(1 if failed else 0)
