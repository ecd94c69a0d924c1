"""PyTorch eager peer for bench/gpu/check.ts: the same GPT-2 weights (HF export), batch and
sequence length, fp32, clip + AdamW, on the GPU; prints the best step's tokens/s as JSON.
The model, optimizer and step are bench/train/torch_train.py's, on device "cuda"."""
import json
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "train"))
from torch_train import make_step  # noqa: E402 (found through the path above)

model_dir, batch, seq, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.backends.cuda.matmul.allow_tf32 = False  # ours computes in plain fp32: compare like with like
step = make_step(model_dir, batch, seq, device="cuda")

best = 0.0
for i in range(steps + 1):
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    step()
    torch.cuda.synchronize()
    if i > 0:
        best = max(best, batch * seq / (time.perf_counter() - t0))
print(json.dumps({"tokens_per_s": best}))
