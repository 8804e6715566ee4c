#!/usr/bin/python3
"""Fixture for org.lfssd.models.HuggingFaceViT: a small ViT with Hugging Face transformers' parameter names.

Run with Debian's interpreter (torch 1.13):  /usr/bin/python3 make_hf_vit_fixture.py
Writes ../resources/fixtures/models/hf_vit/ (about 200 KiB):
  model.safetensors                  the ViTForImageClassification-style state dict ("vit." prefix, classifier,
                                     pooler), as transformers' save_pretrained would name it;
  sharded/model-0000{1,2}-of-00002.safetensors + model.safetensors.index.json   the same, sharded;
  io.safetensors                     input images and the reference logits.

Debian has no `transformers`, so the model is written out here in plain torch, following
transformers/models/vit/modeling_vit.py (v4.x): ViTEmbeddings (CLS token, Conv2d patch projection, learned
position embeddings, no interpolation), ViTLayer = layernorm_before -> ViTSelfAttention (separate query/key/value
Linears, softmax(QK^T / sqrt(d)) V, heads split as view(B, N, H, d)) -> attention.output.dense -> residual ->
layernorm_after -> intermediate.dense -> exact GELU -> output.dense -> residual; the final layernorm; the
pooler (dense + tanh on the CLS token, unused by the classifier); classifier = Linear on
last_hidden_state[:, 0]. LayerNorm eps is HF's 1e-12. Dropout is 0 (eval).
"""

import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from f32_safetensors import write_safetensors

SEED = 20240524
IMG, PATCH, CHANS, HIDDEN, DEPTH, HEADS, MLP, CLASSES = 32, 8, 3, 48, 2, 4, 96, 5
EPS = 1e-12


class Embeddings(nn.Module):
    def __init__(self):
        super().__init__()
        self.cls_token = nn.Parameter(torch.randn(1, 1, HIDDEN) * 0.5)
        self.patch_embeddings = nn.Module()
        self.patch_embeddings.projection = nn.Conv2d(CHANS, HIDDEN, PATCH, stride=PATCH)
        self.position_embeddings = nn.Parameter(torch.randn(1, (IMG // PATCH) ** 2 + 1, HIDDEN) * 0.5)

    def forward(self, x):
        e = self.patch_embeddings.projection(x).flatten(2).transpose(1, 2)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        return torch.cat([cls, e], dim=1) + self.position_embeddings


class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)

    def heads(self, x):
        b, n, _ = x.shape
        return x.view(b, n, HEADS, HIDDEN // HEADS).permute(0, 2, 1, 3)

    def forward(self, h):
        q, k, v = self.heads(self.query(h)), self.heads(self.key(h)), self.heads(self.value(h))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(HIDDEN // HEADS)
        ctx = torch.matmul(F.softmax(scores, dim=-1), v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(h.shape[0], h.shape[1], HIDDEN)


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = nn.Module()
        self.attention.attention = SelfAttention()
        self.attention.output = nn.Module()
        self.attention.output.dense = nn.Linear(HIDDEN, HIDDEN)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(HIDDEN, MLP)
        self.output = nn.Module()
        self.output.dense = nn.Linear(MLP, HIDDEN)
        self.layernorm_before = nn.LayerNorm(HIDDEN, eps=EPS)
        self.layernorm_after = nn.LayerNorm(HIDDEN, eps=EPS)

    def forward(self, h):
        h = self.attention.output.dense(self.attention.attention(self.layernorm_before(h))) + h
        return self.output.dense(F.gelu(self.intermediate.dense(self.layernorm_after(h)))) + h


class ViTForImageClassification(nn.Module):
    def __init__(self):
        super().__init__()
        self.vit = nn.Module()
        self.vit.embeddings = Embeddings()
        self.vit.encoder = nn.Module()
        self.vit.encoder.layer = nn.ModuleList([Layer() for _ in range(DEPTH)])
        self.vit.layernorm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.vit.pooler = nn.Module()
        self.vit.pooler.dense = nn.Linear(HIDDEN, HIDDEN)
        self.classifier = nn.Linear(HIDDEN, CLASSES)

    def forward(self, x):
        h = self.vit.embeddings(x)
        for layer in self.vit.encoder.layer:
            h = layer(h)
        h = self.vit.layernorm(h)
        return self.classifier(h[:, 0])


def main():
    torch.manual_seed(SEED)
    model = ViTForImageClassification().eval()
    with torch.no_grad():
        # Non-trivial LayerNorm affine parameters, so a swapped norm1/norm2 would show.
        for m in model.modules():
            if isinstance(m, nn.LayerNorm):
                m.weight.copy_(1 + 0.3 * torch.randn_like(m.weight))
                m.bias.copy_(0.2 * torch.randn_like(m.bias))
    state = dict(model.state_dict())
    x = torch.randn(3, CHANS, IMG, IMG)
    with torch.no_grad():
        logits = model(x)

    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "resources", "fixtures", "models", "hf_vit")
    os.makedirs(os.path.join(target, "sharded"), exist_ok=True)
    meta = {"format": "pt", "generator": "make_hf_vit_fixture.py", "torch": torch.__version__}
    write_safetensors(os.path.join(target, "model.safetensors"), state, meta)

    keys = list(state.keys())
    half = len(keys) // 2
    shards = [keys[:half], keys[half:]]
    weight_map = {}
    total = 0
    for i, part in enumerate(shards):
        name = "model-%05d-of-%05d.safetensors" % (i + 1, len(shards))
        total += write_safetensors(os.path.join(target, "sharded", name), {k: state[k] for k in part}, meta)
        for k in part:
            weight_map[k] = name
    with open(os.path.join(target, "sharded", "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
        f.write("\n")

    write_safetensors(os.path.join(target, "io.safetensors"), {"input": x, "logits": logits},
                      dict(meta, config=json.dumps({"img": IMG, "patch": PATCH, "chans": CHANS, "hidden": HIDDEN,
                                                    "depth": DEPTH, "heads": HEADS, "mlp": MLP, "classes": CLASSES})))
    print("keys:", len(keys), "logits[0]:", logits[0].tolist())


if __name__ == "__main__":
    main()
