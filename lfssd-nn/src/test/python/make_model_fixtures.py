#!/usr/bin/python3
"""PyTorch parity fixtures for lfssd-nn's ResNet18 and ViT (run with Debian's /usr/bin/python3, torch 1.13).

    /usr/bin/python3 make_model_fixtures.py [--out DIR]
        Writes, under DIR (default: ../resources/fixtures/models next to this script):

        resnet18_w16/model.bf16.safetensors  reduced-width (1/16) CIFAR ResNet18, 10 classes, every float
                                             tensor in BF16 (the torch model computes with the rounded
                                             values), random BN running stats; counters as I64
        resnet18_w16/io.safetensors          input [3,3,16,16], eval logits, grad.<param> of the batch-mean
                                             squared logit norm (eval mode), after_train.<bn buffer> after one
                                             train-mode forward
        vit_d48/model.safetensors.index.json ViT (img 16, patch 4, dim 48, depth 2, 3 heads), F32, sharded
        vit_d48/model-0000{1,2}-of-00002.safetensors
        vit_d48/io.safetensors               input, eval logits, grad.<param>
        resnet18_full/io.safetensors         full ResNet18 (10 classes) with hashed weights: input [2,3,32,32], logits
        vit_tiny_p4_32_full/io.safetensors   full ViT-Tiny 32/4 (10 classes) with hashed weights: input, logits
        */keys.txt                           the full models' state_dict keys in order, with shapes

        The full-size weights are not stored: both sides generate them with hashed_state() below.

    /usr/bin/python3 make_model_fixtures.py --check-java-checkpoint PATH
        Loads a checkpoint written by lfssd-java (strict, dtypes checked) into the matching torch model,
        runs the input stored in the companion file named by its metadata, and compares logits.

The models mirror /work/shared/peers/models.py (our reference, same state_dict keys) with a width divisor
for ResNet18 and a configurable ViT size. Safetensors are written and read with the tiny struct+json
codec below (no pip packages).
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

# ----------------------------------------------------------------------------------------- safetensors

_DTYPES = {  # safetensors name -> (torch dtype, bytes per element)
    "F32": (torch.float32, 4),
    "F16": (torch.float16, 2),
    "BF16": (torch.bfloat16, 2),
    "I64": (torch.int64, 8),
}
_NAMES = {v[0]: k for k, v in _DTYPES.items()}


def _raw_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: reinterpret the bits
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def write_safetensors(path, tensors, metadata=None):
    """tensors: ordered dict name -> torch tensor (its dtype is the stored dtype)."""
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        b = _raw_bytes(t)
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)  # the data section starts 8-byte aligned, as the reference writer does
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Returns (dict name -> torch tensor in its stored dtype, metadata dict)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, info in header.items():
        dtype, _ = _DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        buf = bytearray(raw[base + begin:base + end])
        if dtype == torch.bfloat16:
            t = torch.frombuffer(buf, dtype=torch.int16).view(torch.bfloat16)
        else:
            t = torch.frombuffer(buf, dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    return out, metadata


def write_sharded(directory, tensors, shards, metadata=None):
    """Splits tensors (in order) into `shards` files plus model.safetensors.index.json."""
    names = list(tensors)
    per = math.ceil(len(names) / shards)
    weight_map = {}
    total = 0
    for s in range(shards):
        fname = "model-%05d-of-%05d.safetensors" % (s + 1, shards)
        part = {k: tensors[k] for k in names[s * per:(s + 1) * per]}
        write_safetensors(os.path.join(directory, fname), part, metadata)
        for k, t in part.items():
            weight_map[k] = fname
            total += t.numel() * t.element_size()
    with open(os.path.join(directory, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
        f.write("\n")


# ----------------------------------------------------------------------------------------- models


class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.residual_function = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
        )
        self.shortcut = nn.Sequential()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x):
        return nn.ReLU(inplace=True)(self.residual_function(x) + self.shortcut(x))


class ResNet18(nn.Module):
    """The SSD code's CIFAR ResNet18 with every width divided by `width_divisor`."""

    def __init__(self, num_classes=10, in_channels=3, width_divisor=1):
        super().__init__()
        w = [c // width_divisor for c in (64, 128, 256, 512)]
        self.conv1 = nn.Sequential(nn.Conv2d(in_channels, w[0], kernel_size=3, padding=1, bias=False),
                                   nn.BatchNorm2d(w[0]), nn.ReLU(inplace=True))
        c = w[0]
        for i, (out, stride) in enumerate(zip(w, (1, 2, 2, 2))):
            setattr(self, "conv%d_x" % (i + 2), nn.Sequential(BasicBlock(c, out, stride), BasicBlock(out, out, 1)))
            c = out
        self.avg_pool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(c, num_classes)

    def forward(self, x):
        x = self.conv1(x)
        x = self.conv5_x(self.conv4_x(self.conv3_x(self.conv2_x(x))))
        return self.fc(self.avg_pool(x).view(x.size(0), -1))


class PatchEmbed(nn.Module):
    def __init__(self, img_size, patch_size, in_chans, embed_dim):
        super().__init__()
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)
        self.num_patches = (img_size // patch_size) ** 2

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class Attention(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4).unbind(0)
        attn = ((q * self.scale) @ k.transpose(-2, -1)).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, num_heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, hidden)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class VisionTransformer(nn.Module):
    def __init__(self, img_size, patch_size, num_classes, embed_dim=192, depth=12, num_heads=3, in_chans=3):
        super().__init__()
        self.patch_embed = PatchEmbed(img_size, patch_size, in_chans, embed_dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = nn.Parameter(torch.randn(1, self.patch_embed.num_patches + 1, embed_dim) * 0.02)
        self.blocks = nn.Sequential(*[Block(embed_dim, num_heads, 4 * embed_dim) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)
        self.head = nn.Linear(embed_dim, num_classes)

    def forward(self, x):
        x = self.patch_embed(x)
        x = torch.cat((self.cls_token.expand(x.shape[0], -1, -1), x), dim=1) + self.pos_embed
        x = self.norm(self.blocks(x))
        return self.head(x[:, 0])


def build(meta):
    """The torch model described by checkpoint metadata (see the Java test that writes it)."""
    if meta["arch"] == "resnet18":
        return ResNet18(int(meta["num_classes"]), int(meta["in_channels"]), int(meta["width_divisor"]))
    if meta["arch"] == "vit":
        return VisionTransformer(int(meta["img_size"]), int(meta["patch_size"]), int(meta["num_classes"]),
                                 int(meta["embed_dim"]), int(meta["depth"]), int(meta["num_heads"]))
    raise ValueError("unknown arch " + meta["arch"])


# ----------------------------------------------------------------------------------------- hashed weights


def hashed_uniform(tensor_index, n):
    """n values in [-1, 1), 24-bit (exact in float32): splitmix64 of the counter (tensor_index << 32) + i."""
    with np.errstate(over="ignore"):
        x = (np.uint64(tensor_index) << np.uint64(32)) + np.arange(n, dtype=np.uint64)
        z = (x + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(40)).astype(np.int64)  # top 24 bits
    return ((u - (1 << 23)).astype(np.float32) / np.float32(1 << 23)).astype(np.float32)


def hashed_state(model):
    """A deterministic state dict, identical to the Java test helper HashedWeights:
    tensor k (state_dict order) gets v = hashed_uniform(k, numel) and
      num_batches_tracked -> 0;  running_var -> 1 + 0.5 v;  running_mean -> 0.1 v;
      BN/LN weight -> 1 + 0.1 v;  BN/LN bias -> 0.1 v;
      other tensors of rank >= 2 named *weight -> v * float32(sqrt(6/fan_in)) (He-uniform bound, so the
      input still matters after 18 layers);  anything else -> 0.1 v.
    All arithmetic in float32."""
    norm_prefixes = {name + "." for name, m in model.named_modules()
                     if isinstance(m, (nn.BatchNorm2d, nn.LayerNorm))}
    out = {}
    for k, (key, t) in enumerate(model.state_dict().items()):
        if key.endswith("num_batches_tracked"):
            out[key] = torch.zeros_like(t)
            continue
        v = hashed_uniform(k, t.numel())
        prefix, leaf = key[:key.rfind(".") + 1], key[key.rfind(".") + 1:]
        if leaf == "running_var":
            a = np.float32(1) + np.float32(0.5) * v
        elif leaf == "running_mean":
            a = np.float32(0.1) * v
        elif prefix in norm_prefixes and leaf == "weight":
            a = np.float32(1) + np.float32(0.1) * v
        elif prefix in norm_prefixes and leaf == "bias":
            a = np.float32(0.1) * v
        elif leaf == "weight" and t.dim() >= 2:
            fan_in = t.numel() // t.shape[0]
            a = v * np.float32(math.sqrt(6.0 / fan_in))
        else:
            a = np.float32(0.1) * v
        out[key] = torch.from_numpy(a.astype(np.float32)).reshape(t.shape)
    return out


# ----------------------------------------------------------------------------------------- fixtures


def randomise_for_parity(model, gen):
    """Makes every tensor non-trivial: BN/LN affine params and running stats random, cls token visible,
    conv weights scaled up to He-uniform size (x sqrt 6) so that the input is not washed out by depth."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d) and isinstance(model, ResNet18):
                m.weight.mul_(math.sqrt(6.0))
            if isinstance(m, (nn.BatchNorm2d, nn.LayerNorm)):
                m.weight.copy_(1 + 0.2 * torch.randn(m.weight.shape, generator=gen))
                m.bias.copy_(0.2 * torch.randn(m.bias.shape, generator=gen))
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(0.2 * torch.randn(m.running_mean.shape, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=gen))
                m.num_batches_tracked.fill_(7)
        if isinstance(model, VisionTransformer):
            model.cls_token.copy_(0.5 * torch.randn(model.cls_token.shape, generator=gen))


def eval_logits_and_grads(model, x):
    model.eval()
    model.zero_grad(set_to_none=True)
    logits = model(x)
    loss = logits.pow(2).sum(dim=1).mean()  # == torch.norm(out, p="fro", dim=1).pow(2).mean()
    loss.backward()
    grads = {"grad." + n: p.grad.detach().clone() for n, p in model.named_parameters()}
    return logits.detach(), grads


def make_resnet_reduced(out_dir):
    torch.manual_seed(1234)
    gen = torch.Generator().manual_seed(99)
    model = ResNet18(num_classes=10, in_channels=3, width_divisor=16)
    randomise_for_parity(model, gen)
    # Round every float tensor to BF16; the reference computes with the rounded values.
    with torch.no_grad():
        for t in model.state_dict().values():
            if t.is_floating_point():
                t.copy_(t.to(torch.bfloat16).float())
    stored = {k: (t.to(torch.bfloat16) if t.is_floating_point() else t) for k, t in model.state_dict().items()}
    d = os.path.join(out_dir, "resnet18_w16")
    write_safetensors(os.path.join(d, "model.bf16.safetensors"), stored, {"format": "pt", "arch": "resnet18"})

    x = torch.randn(3, 3, 16, 16, generator=gen)
    logits, grads = eval_logits_and_grads(model, x)
    model.train()
    with torch.no_grad():
        model(x)
    after = {"after_train." + k: t.clone() for k, t in model.state_dict().items()
             if k.rsplit(".", 1)[1] in ("running_mean", "running_var", "num_batches_tracked")}
    io = {"input": x, "logits": logits, **grads, **after}
    write_safetensors(os.path.join(d, "io.safetensors"), io, {"loss": "batch-mean squared logit norm, eval mode"})
    return logits


def make_vit_reduced(out_dir):
    torch.manual_seed(4321)
    gen = torch.Generator().manual_seed(77)
    model = VisionTransformer(img_size=16, patch_size=4, num_classes=10, embed_dim=48, depth=2, num_heads=3)
    randomise_for_parity(model, gen)
    d = os.path.join(out_dir, "vit_d48")
    write_sharded(d, dict(model.state_dict()), shards=2, metadata={"format": "pt", "arch": "vit"})
    x = torch.randn(3, 3, 16, 16, generator=gen)
    logits, grads = eval_logits_and_grads(model, x)
    write_safetensors(os.path.join(d, "io.safetensors"), {"input": x, "logits": logits, **grads})
    return logits


def make_full(out_dir, name, model, img):
    model.load_state_dict(hashed_state(model), strict=True)
    model.eval()
    gen = torch.Generator().manual_seed(2024)
    x = torch.randn(2, 3, img, img, generator=gen)
    with torch.no_grad():
        logits = model(x)
    write_safetensors(os.path.join(out_dir, name, "io.safetensors"), {"input": x, "logits": logits})
    # The exact state_dict keys, order and shapes, for the Java structure tests.
    with open(os.path.join(out_dir, name, "keys.txt"), "w") as f:
        for k, t in model.state_dict().items():
            f.write("%s %s\n" % (k, ",".join(str(d) for d in t.shape)))
    return logits


def check_java_checkpoint(path):
    state, meta = read_safetensors(path)
    model = build(meta)
    expected = model.state_dict()
    for k, t in expected.items():
        want = "I64" if t.dtype == torch.int64 else "F32"
        got = _NAMES[state[k].dtype] if k in state else None
        if got != want:
            raise SystemExit("%s: stored dtype %s, torch expects %s" % (k, got, want))
    model.load_state_dict(state, strict=True)  # raises on missing/unexpected keys and shape mismatches
    io, _ = read_safetensors(os.path.join(os.path.dirname(path), meta["io_file"]))
    model.eval()
    with torch.no_grad():
        logits = model(io["input"])
    err = (logits - io["logits"]).abs().max().item()
    scale = io["logits"].abs().max().item()
    print("%s: strict load OK (%d tensors, counters I64); logits max abs err %.3g, rel to max|logit| %.3g"
          % (path, len(state), err, err / scale))
    nbt = [int(t) for k, t in state.items() if k.endswith("num_batches_tracked")]
    if nbt:
        print("  num_batches_tracked values: %s" % sorted(set(nbt)))
    if err > 1e-4 * scale:
        raise SystemExit("logits differ from Java's")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(here, "..", "resources", "fixtures", "models"))
    ap.add_argument("--check-java-checkpoint", metavar="PATH")
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.check_java_checkpoint:
        check_java_checkpoint(args.check_java_checkpoint)
        return
    out = os.path.normpath(args.out)
    make_resnet_reduced(out)
    make_vit_reduced(out)
    make_full(out, "resnet18_full", ResNet18(num_classes=10), 32)
    make_full(out, "vit_tiny_p4_32_full", VisionTransformer(32, 4, num_classes=10), 32)
    print("fixtures written to " + out)


if __name__ == "__main__":
    sys.exit(main())
