"""PyTorch eager peer for bench/gpu/check.ts: the same GPT-2 weights (HF export), batch and
sequence length, fp32, clip + AdamW, on the GPU; prints the best step's tokens/s as JSON."""
import json
import sys
import time

import torch
from transformers import GPT2LMHeadModel

model_dir, batch, seq, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.backends.cuda.matmul.allow_tf32 = False  # ours computes in plain fp32: compare like with like
torch.manual_seed(0)
model = GPT2LMHeadModel.from_pretrained(model_dir).float().cuda().train()
decay = [p for p in model.parameters() if p.dim() == 2]
no_decay = [p for p in model.parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}], lr=6e-4, betas=(0.9, 0.95), eps=1e-8)
V = model.config.vocab_size
x = torch.randint(0, V, (batch, seq), device="cuda")
y = torch.randint(0, V, (batch, seq), device="cuda")


def step():
    opt.zero_grad(set_to_none=True)
    logits = model(x).logits
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()


best = 0.0
for i in range(steps + 1):
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    step()
    torch.cuda.synchronize()
    if i > 0:
        best = max(best, batch * seq / (time.perf_counter() - t0))
print(json.dumps({"tokens_per_s": best}))
