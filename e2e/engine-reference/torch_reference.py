"""PyTorch/transformers side of the engine reference check (run by reference.check.ts).

Reads the exported HF GPT-2 model, the token batch and our results from a work directory,
recomputes them with transformers (eager attention, float32, CPU) and torch.optim.AdamW,
and prints the max absolute differences as JSON.
"""
import json
import sys

import torch
from safetensors.torch import load_file
from transformers import GPT2LMHeadModel

work = sys.argv[1]
h = json.load(open(f"{work}/hyper.json"))
ours = load_file(f"{work}/ours.safetensors")
torch.manual_seed(0)
torch.set_num_threads(2)

model = GPT2LMHeadModel.from_pretrained(f"{work}/hf", attn_implementation="eager").float()
x, y = ours["input_ids"].long(), ours["targets"].long()

model.eval()
with torch.no_grad():
    logits = model(x).logits
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
    # Last-position logits of each prompt (for our KV-cache Generator's prefill).
    prompt = ours["prompt"].long()
    prompt_last = model(prompt).logits[:, -1, :]

model.train()
decay = [p for n, p in model.named_parameters() if p.dim() == 2]
no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
opt = torch.optim.AdamW(
    [{"params": decay, "weight_decay": h["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}],
    lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"],
)
out = model(x).logits
step_loss = torch.nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
step_loss.backward()
norm = torch.nn.utils.clip_grad_norm_(model.parameters(), h["gradClip"])
opt.step()

params = dict(model.named_parameters())
param_diff = max((params[k].detach() - ours[f"new.{k}"]).abs().max().item() for k in params if f"new.{k}" in ours)
missing = [k for k in params if f"new.{k}" not in ours]

opt.zero_grad()
out = model(x).logits
torch.nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1)).backward()
torch.nn.utils.clip_grad_norm_(model.parameters(), h["gradClip"])
opt.step()
param_diff2 = max((params[k].detach() - ours[f"new2.{k}"]).abs().max().item() for k in params if f"new2.{k}" in ours)
# LoRA: peft on a fresh copy of the exported base model.
from peft import PeftModel  # noqa: E402

base = GPT2LMHeadModel.from_pretrained(f"{work}/hf", attn_implementation="eager").float().eval()
lora_model = PeftModel.from_pretrained(base, f"{work}/peft").eval()
with torch.no_grad():
    lora_last = lora_model(input_ids=prompt).logits[:, -1, :]

print(json.dumps({
    "logits_max_abs_diff": (logits - ours["logits"]).abs().max().item(),
    "loss_torch": loss.item(),
    "loss_ours": ours["loss"].item(),
    "loss_abs_diff": abs(loss.item() - ours["loss"].item()),
    "grad_norm_torch": norm.item(),
    "grad_norm_ours": ours["grad_norm"].item(),
    "adamw_params_max_abs_diff": param_diff,
    "adamw_step2_params_max_abs_diff": param_diff2,
    "params_compared": len(params) - len(missing),
    "params_missing": missing,
    "generator_logits_max_abs_diff": (prompt_last - ours["generator_logits"]).abs().max().item(),
    "lora_logits_max_abs_diff": (lora_last - ours["lora_generator_logits"]).abs().max().item(),
    "lora_changes_logits": (lora_last - prompt_last).abs().max().item(),
}))
