"""transformers peer for bench:generate: greedy decoding with the KV cache on CPU, same
weights (our HF export), prompt length, new tokens, batch and threads; prints tokens/s."""
import json
import sys
import time

import torch
from transformers import GPT2LMHeadModel

model_dir, prompt_len, new_tokens, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
batches = [int(b) for b in sys.argv[5].split(",")]
torch.set_num_threads(threads)
model = GPT2LMHeadModel.from_pretrained(model_dir).float().eval()
V = model.config.vocab_size
result = {}
for batch in batches:
    g = torch.Generator().manual_seed(batch)
    ids = torch.randint(0, V, (batch, prompt_len), generator=g)
    kwargs = dict(max_new_tokens=new_tokens, min_new_tokens=new_tokens, do_sample=False, use_cache=True, pad_token_id=0, eos_token_id=None, attention_mask=torch.ones_like(ids))
    with torch.no_grad():
        model.generate(ids, **{**kwargs, "max_new_tokens": 4, "min_new_tokens": 4})  # warm-up
        dt = float("inf")
        for _ in range(2):
            t0 = time.perf_counter()
            out = model.generate(ids, **kwargs)
            dt = min(dt, time.perf_counter() - t0)
    result[str(batch)] = {"tokens_per_sec": batch * (out.shape[1] - prompt_len) / dt, "seconds": dt}
print(json.dumps({"results": result, "torch": torch.__version__}))
