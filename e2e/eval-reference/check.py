"""Reference side of e2e/eval-reference: scores cases.json with sacrebleu and rouge-score and
prints one JSON line. Usage: check.py <cases.json>.
cases: {pairs: [{hypothesis, references}], answers: [{hypothesis, references}], words: [str]}."""
import json
import re
import string
import sys

import sacrebleu
from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU, CHRF

cases = json.load(open(sys.argv[1], encoding="utf-8"))
pairs = cases["pairs"]
hyps = [p["hypothesis"] for p in pairs]
width = max(len(p["references"]) for p in pairs)
# sacrebleu takes reference *streams*; a segment with fewer references has None in the rest.
streams = [[p["references"][k] if k < len(p["references"]) else None for p in pairs] for k in range(width)]
single = [[p["references"][0] for p in pairs]]


def bleu_json(metric, score):
    return {"score": score.score, "counts": score.counts, "totals": score.totals, "bp": score.bp, "sys_len": score.sys_len, "ref_len": score.ref_len, "signature": str(metric.get_signature())}


def chrf_json(metric, score):
    return {"score": score.score, "signature": str(metric.get_signature())}


out = {"sacrebleu_version": sacrebleu.__version__, "corpus": {}, "segments": []}
for name, kwargs, refs in [
    ("bleu", {}, streams),
    ("bleu_single_ref", {}, single),
    ("bleu_lowercase", {"lowercase": True}, streams),
]:
    metric = BLEU(**kwargs)
    out["corpus"][name] = bleu_json(metric, metric.corpus_score(hyps, refs))
for name, kwargs in [("chrf", {}), ("chrf_plusplus", {"word_order": 2}), ("chrf_whitespace", {"whitespace": True})]:
    metric = CHRF(**kwargs)
    out["corpus"][name] = chrf_json(metric, metric.corpus_score(hyps, streams))

scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
stemming_scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
sentence_chrf = CHRF()
for p in pairs:
    bleu = sacrebleu.sentence_bleu(p["hypothesis"], p["references"])
    chrf = sentence_chrf.sentence_score(p["hypothesis"], p["references"])
    rouge = scorer.score_multi(p["references"], p["hypothesis"])
    stemmed = stemming_scorer.score_multi(p["references"], p["hypothesis"])
    out["segments"].append({
        "sentence_bleu": bleu.score,
        "sentence_chrf": chrf.score,
        "rouge": {k: [v.precision, v.recall, v.fmeasure] for k, v in rouge.items()},
        "rouge_stemmed": {k: [v.precision, v.recall, v.fmeasure] for k, v in stemmed.items()},
    })


# SQuAD v1.1 evaluate-v1.1.py, verbatim.
def normalize_answer(s):
    def remove_articles(text):
        return re.sub(r"\b(a|an|the)\b", " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    def lower(text):
        return text.lower()

    return white_space_fix(remove_articles(remove_punc(lower(s))))


out["answers"] = [
    {"normalized": normalize_answer(a["hypothesis"]), "match": any(normalize_answer(a["hypothesis"]) == normalize_answer(r) for r in a["references"])}
    for a in cases["answers"]
]
from nltk.stem import porter

stemmer = porter.PorterStemmer()  # what rouge-score's DefaultTokenizer(use_stemmer=True) uses
out["stems"] = [stemmer.stem(w) for w in cases["words"]]
print(json.dumps(out))
