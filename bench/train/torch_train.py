"""PyTorch eager peer for bench:train: the same GPT-2 (HF export of our weights), batch,
sequence length, thread count and optimizer (clip + AdamW); prints tokens/s as JSON.
bench/gpu/torch_train_cuda.py runs the same training step on the GPU."""
import json
import sys
import time

import torch
from transformers import GPT2LMHeadModel


def make_step(model_dir, batch, seq, device="cpu"):
    """Loads the model onto `device` with its optimizer and one fixed random batch; returns one training step."""
    torch.manual_seed(0)
    model = GPT2LMHeadModel.from_pretrained(model_dir).float().to(device).train()
    decay = [p for p in model.parameters() if p.dim() == 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}], lr=6e-4, betas=(0.9, 0.95), eps=1e-8)
    V = model.config.vocab_size
    x = torch.randint(0, V, (batch, seq), device=device)
    y = torch.randint(0, V, (batch, seq), device=device)

    def step():
        opt.zero_grad(set_to_none=True)
        logits = model(x).logits
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    return step


def main():
    model_dir, batch, seq, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    step = make_step(model_dir, batch, seq)
    step()  # warm-up
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    best = min(times)
    print(json.dumps({"tokens_per_sec": batch * seq / best, "best_step_s": best, "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
