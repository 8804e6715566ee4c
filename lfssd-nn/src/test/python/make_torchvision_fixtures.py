#!/usr/bin/python3
"""Parity fixtures for lfssd-nn's TorchvisionResNet18 (run with Debian's /usr/bin/python3 and
python3-torchvision; torch 1.13, torchvision 0.14).

    /usr/bin/python3 make_torchvision_fixtures.py [--out DIR]
        Writes, under DIR (default: ../resources/fixtures/models next to this script):

        resnet18_{imagenet,cifar}_w16/model.safetensors
              a reduced-width (1/16) ResNet18 with torchvision's module names, assembled from
              torchvision.models.resnet.BasicBlock exactly as torchvision.models.resnet.ResNet does it;
              random BN affine parameters and running statistics; F32, counters I64
        resnet18_{imagenet,cifar}_w16/io.safetensors
              input, eval logits and grad.<param> of the batch-mean squared logit norm (eval mode)
        resnet18_{imagenet,cifar}_full/io.safetensors
              torchvision.models.resnet18(num_classes=10) itself (for cifar: conv1 replaced by a 3x3/1 conv and
              maxpool by nn.Identity()), loaded with the hashed weights that the Java test generates too
              (HashedWeights); input [2,3,64,64] (imagenet stem) or [2,3,32,32] (cifar stem) and eval logits
        resnet18_{imagenet,cifar}_full/keys.txt
              torchvision's state_dict keys in order, with shapes
        torch_save/tiny_zip.pt, torch_save/tiny_legacy.pt
              a two-tensor state dict saved by torch.save in the zip format and the legacy pickle format,
              for the "this is a PyTorch file, export safetensors like this" error

The safetensors codec and hashed_state() come from make_model_fixtures.py next to this script.
"""

import argparse
import os
import sys

import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_model_fixtures import hashed_state, write_safetensors  # noqa: E402


class TorchvisionLayoutResNet18(nn.Module):
    """torchvision.models.resnet.ResNet(BasicBlock, [2, 2, 2, 2]) with every width divided by width_divisor
    (torchvision hard-codes 64/128/256/512). Same attribute names, same _make_layer, same forward."""

    def __init__(self, stem, num_classes=10, width_divisor=1):
        super().__init__()
        w = [c // width_divisor for c in (64, 128, 256, 512)]
        self.inplanes = w[0]
        if stem == "imagenet":
            self.conv1 = nn.Conv2d(3, w[0], kernel_size=7, stride=2, padding=3, bias=False)
        else:
            self.conv1 = nn.Conv2d(3, w[0], kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(w[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1) if stem == "imagenet" else nn.Identity()
        self.layer1 = self._make_layer(w[0], 1)
        self.layer2 = self._make_layer(w[1], 2)
        self.layer3 = self._make_layer(w[2], 2)
        self.layer4 = self._make_layer(w[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(w[3], num_classes)

    def _make_layer(self, planes, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(planes),
            )
        layers = [BasicBlock(self.inplanes, planes, stride, downsample), BasicBlock(planes, planes)]
        self.inplanes = planes
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def torchvision_resnet18(stem):
    """torchvision's own resnet18, with the usual CIFAR surgery for stem == 'cifar'."""
    model = torchvision.models.resnet18(num_classes=10)
    if stem == "cifar":
        model.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
        model.maxpool = nn.Identity()
    return model


def randomise(model, gen):
    """Non-trivial BN parameters and statistics; conv weights scaled to He-uniform size so depth keeps signal."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                m.weight.mul_(6.0 ** 0.5)
            if isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(1 + 0.2 * torch.randn(m.weight.shape, generator=gen))
                m.bias.copy_(0.2 * torch.randn(m.bias.shape, generator=gen))
                m.running_mean.copy_(0.2 * torch.randn(m.running_mean.shape, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=gen))
                m.num_batches_tracked.fill_(3)


def make_reduced(out_dir, stem, img):
    torch.manual_seed(5150)
    gen = torch.Generator().manual_seed(31)
    model = TorchvisionLayoutResNet18(stem, num_classes=10, width_divisor=16)
    # The layout must be torchvision's: same keys and order as the real resnet18 (shapes aside).
    assert list(model.state_dict()) == list(torchvision_resnet18(stem).state_dict())
    randomise(model, gen)
    d = os.path.join(out_dir, "resnet18_%s_w16" % stem)
    write_safetensors(os.path.join(d, "model.safetensors"), dict(model.state_dict()),
                      {"format": "pt", "arch": "torchvision resnet18 /16, %s stem" % stem})
    x = torch.randn(3, 3, img, img, generator=gen)
    model.eval()
    model.zero_grad(set_to_none=True)
    logits = model(x)
    logits.pow(2).sum(dim=1).mean().backward()
    grads = {"grad." + n: p.grad.detach().clone() for n, p in model.named_parameters()}
    write_safetensors(os.path.join(d, "io.safetensors"), {"input": x, "logits": logits.detach(), **grads},
                      {"loss": "batch-mean squared logit norm, eval mode"})


def make_full(out_dir, stem, img):
    model = torchvision_resnet18(stem)
    model.load_state_dict(hashed_state(model), strict=True)
    model.eval()
    gen = torch.Generator().manual_seed(2025)
    x = torch.randn(2, 3, img, img, generator=gen)
    with torch.no_grad():
        logits = model(x)
    d = os.path.join(out_dir, "resnet18_%s_full" % stem)
    write_safetensors(os.path.join(d, "io.safetensors"), {"input": x, "logits": logits})
    with open(os.path.join(d, "keys.txt"), "w") as f:
        for k, t in model.state_dict().items():
            f.write("%s %s\n" % (k, ",".join(str(s) for s in t.shape)))


def make_torch_save(out_dir):
    d = os.path.join(out_dir, "torch_save")
    os.makedirs(d, exist_ok=True)
    state = {"fc.weight": torch.arange(6, dtype=torch.float32).reshape(2, 3), "fc.bias": torch.zeros(2)}
    torch.save(state, os.path.join(d, "tiny_zip.pt"))
    torch.save(state, os.path.join(d, "tiny_legacy.pt"), _use_new_zipfile_serialization=False)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(here, "..", "resources", "fixtures", "models"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    out = os.path.normpath(args.out)
    make_reduced(out, "imagenet", 32)
    make_reduced(out, "cifar", 16)
    make_full(out, "imagenet", 64)
    make_full(out, "cifar", 32)
    make_torch_save(out)
    print("fixtures written to " + out)


if __name__ == "__main__":
    sys.exit(main())
