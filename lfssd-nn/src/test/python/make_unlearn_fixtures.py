#!/usr/bin/python3
"""Parity fixtures for org.lfssd.unlearn: SSD and LFSSD exactly as the authors' code computes them.

Run with Debian's interpreter (torch 1.13):  /usr/bin/python3 make_unlearn_fixtures.py
Writes ../resources/fixtures/unlearn/small_resnet.safetensors (a few hundred KiB).

What it reproduces (see ALGORITHM.md): ssd.py::ParameterPerturber.calc_importance and modify_weight,
with the model in eval() mode, non-shuffled loaders in their natural order, the last batch partial;
SSD = squared gradient of the batch-mean cross-entropy, LFSSD = absolute gradient of the batch mean of
||logits||_2^2 (the README patch); both divided by the number of batches. D = concat(retain, forget), so
the forget samples are the last ones of D. In addition the per-sample (MAS / empirical Fisher) variant
is computed with batch-1 passes.

The model is a small ResNet-like net with the CIFAR ResNet18 naming: conv-BN-ReLU stem, one identity
BasicBlock, one strided BasicBlock with a 1x1 conv + BN shortcut, global average pool, linear head.
BatchNorm has non-trivial affine parameters and running statistics.
"""

import math
import os

import numpy as np
import torch
import torch.nn as nn
from f32_safetensors import write_safetensors

SEED = 20240229
N_RETAIN = 32
N_FORGET = 20
BATCH = 16          # the reference uses 64; smaller here to keep the fixture small, same semantics
CLASSES = 5
ALPHA = 1.5         # |D_f|/|D| = 20/52, so ratios hardly exceed 2.6; alpha = 10 would select nothing
LAMBDA = 1.0


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.residual_function = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False),
            nn.BatchNorm2d(cout),
        )
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False),
                nn.BatchNorm2d(cout),
            )

    def forward(self, x):
        return torch.relu(self.residual_function(x) + self.shortcut(x))


class SmallResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(inplace=True))
        self.conv2_x = nn.Sequential(BasicBlock(8, 8, 1))
        self.conv3_x = nn.Sequential(BasicBlock(8, 16, 2))
        self.avg_pool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(16, CLASSES)

    def forward(self, x):
        x = self.conv3_x(self.conv2_x(self.conv1(x)))
        return self.fc(self.avg_pool(x).view(x.size(0), -1))


def randomize_batchnorm(model, gen):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            with torch.no_grad():
                m.weight.copy_(torch.rand(c, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(c, generator=gen) * 0.2)
                m.running_mean.copy_(torch.randn(c, generator=gen) * 0.3)
                m.running_var.copy_(torch.rand(c, generator=gen) + 0.5)


def calc_importance(model, x, y, method, batch):
    """ssd.py::calc_importance with the LFSSD README patch; batch=1 gives the per-sample variant."""
    criterion = nn.CrossEntropyLoss()
    importances = {n: torch.zeros_like(p) for n, p in model.named_parameters()}
    n_batches = 0
    for start in range(0, x.shape[0], batch):
        xb, yb = x[start:start + batch], y[start:start + batch]
        model.zero_grad(set_to_none=True)
        out = model(xb)
        if method == "lfssd":
            loss = torch.norm(out, p="fro", dim=1).pow(2).mean()
        else:
            loss = criterion(out, yb)
        loss.backward()
        for n, p in model.named_parameters():
            if p.grad is not None:
                importances[n].data += p.grad.data.clone().abs() if method == "lfssd" else p.grad.data.clone().pow(2)
        n_batches += 1
    for imp in importances.values():
        imp.data /= float(n_batches)
    model.zero_grad(set_to_none=True)
    return importances


def modify_weight(model, original, forget, alpha, lam):
    """ssd.py::modify_weight (exponent 1, lower_bound 1); returns the selection masks."""
    masks = {}
    with torch.no_grad():
        for n, p in model.named_parameters():
            oimp, fimp = original[n], forget[n]
            oimp_norm = oimp.mul(alpha)
            locations = torch.where(fimp > oimp_norm)
            weight = ((oimp.mul(lam)).div(fimp)).pow(1)
            update = weight[locations]
            min_locs = torch.where(update > 1)
            update[min_locs] = 1
            p[locations] = p[locations].mul(update)
            masks[n] = (fimp > oimp_norm).float()
    return masks


def adaptive_alpha(forget, original, n_forget, n_full):
    ratios = torch.cat([(forget[n] / original[n]).flatten() for n in forget]).numpy()
    ratios = ratios[np.isfinite(ratios)]
    p = 100 - math.log(1 + 100 * n_forget / n_full)
    return float(np.nanpercentile(ratios, p)), p


def main():
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    model = SmallResNet()
    randomize_batchnorm(model, gen)
    model.eval()

    n_full = N_RETAIN + N_FORGET
    x = torch.randn(n_full, 3, 8, 8, generator=gen)
    y = torch.randint(0, CLASSES, (n_full,), generator=gen)
    xf, yf = x[N_RETAIN:], y[N_RETAIN:]

    out = {}
    for n, t in model.state_dict().items():
        if not n.endswith("num_batches_tracked"):
            out["model." + n] = t.clone()
    out["data.x"] = x
    out["data.y"] = y.float()

    meta = {"alpha": repr(ALPHA), "lambda": repr(LAMBDA), "batch_size": str(BATCH), "n_full": str(n_full),
            "n_forget": str(N_FORGET), "classes": str(CLASSES), "torch": torch.__version__,
            "generator": "lfssd-nn/src/test/python/make_unlearn_fixtures.py"}
    for method in ("lfssd", "ssd"):
        for reduction, batch in (("reference", BATCH), ("per_sample", 1)):
            original = calc_importance(model, x, y, method, batch)
            forget = calc_importance(model, xf, yf, method, batch)
            prefix = f"{method}.{reduction}."
            for n in original:
                out[prefix + "omega_D." + n] = original[n]
                out[prefix + "omega_f." + n] = forget[n]
            a, p = adaptive_alpha(forget, original, N_FORGET, n_full)
            meta[prefix + "adaptive_alpha"] = repr(a)
            meta[prefix + "adaptive_percentile"] = repr(p)
            if reduction == "reference":
                damped = SmallResNet()
                damped.load_state_dict(model.state_dict())
                damped.eval()
                masks = modify_weight(damped, original, forget, ALPHA, LAMBDA)
                meta[prefix + "selected"] = str(int(sum(m.sum().item() for m in masks.values())))
                for n, p_ in damped.named_parameters():
                    out[prefix + "mask." + n] = masks[n]
                    out[prefix + "dampened." + n] = p_.detach().clone()

    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "resources", "fixtures", "unlearn", "small_resnet.safetensors")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    write_safetensors(target, out, meta)
    print("wrote", os.path.normpath(target), len(out), "tensors;",
          {k: v for k, v in meta.items() if k.endswith("selected") or k.endswith("adaptive_alpha")})


if __name__ == "__main__":
    main()
