"""Writes the PyTorch reference fixtures that the Java tests compare against.

Regenerate, from the repository root, with Debian's interpreter (torch 1.13; the `python3` that
pyenv puts first on PATH has no torch):

    /usr/bin/python3 lfssd-core/src/test/python/make_op_fixtures.py

Needs nothing beyond Debian's python3-torch: the safetensors files are written by the small
pure-Python writer below (struct + json), not by the `safetensors` package. The outputs are
committed, so CI and the Java build never need Python or torch.

Outputs (all tiny, deterministic: every case seeds its own generator from a CRC of its name, so
adding a case leaves the others byte-identical):

  src/test/resources/fixtures/ops/<case>.safetensors   one per op variant, listed in index.txt
  src/test/resources/fixtures/io/...                   files for the safetensors reader tests

Op fixture layout (read by org.lfssd.testing.Fixture and TorchOpParityTest):
  input.<name>    float32 inputs; parameters of the composites are inputs too
  labels          int64 class labels (cross-entropy cases only)
  output          the op's output
  output.<name>   further results (BatchNorm's updated running statistics)
  grad_output     the upstream gradient fed to backward
  grad.<name>     d(output . grad_output)/d(input.<name>) for every differentiable input
  __metadata__    "op" (which F method), "inputs" (input names in argument order) and the op's
                  arguments as strings: ints "1", floats "1e-06", booleans "true", int lists "0,2".

The inputs are float32 values; the reference outputs and gradients are computed in float64 from
those exact values and rounded to float32 once, so a Java/torch difference measures the Java
float32 error alone, not torch's own float32 rounding as well.
"""

import json
import struct
import zlib
from pathlib import Path

import torch
import torch.nn.functional as tf

RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "fixtures"
OPS_DIR = RESOURCES / "ops"
IO_DIR = RESOURCES / "io"

DTYPE_NAMES = {
    torch.float32: "F32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
}


# ----------------------------------------------------------------------------- safetensors writer

def tensor_bytes(t):
    """Raw little-endian bytes of a contiguous CPU tensor (the machine is little-endian x86)."""
    t = t.detach().contiguous().cpu()
    if t.dtype in (torch.float16, torch.bfloat16):
        # numpy has no bfloat16: reinterpret the 16-bit patterns as int16 instead.
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def write_safetensors(path, tensors, metadata=None):
    """Header: compact JSON, padded with spaces to a multiple of 8; data in dict order."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        data = tensor_bytes(t)
        header[name] = {
            "dtype": DTYPE_NAMES[t.dtype],
            "shape": list(t.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


# ----------------------------------------------------------------------------- op fixtures

def arg_str(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return ",".join(str(int(x)) for x in v)
    return repr(v) if isinstance(v, float) else str(v)


class Gen:
    """Inputs drawn from one case's private generator, always float32."""

    def __init__(self, name):
        self.g = torch.Generator().manual_seed(zlib.crc32(name.encode()))

    def randn(self, *shape, scale=1.0):
        return torch.randn(tuple(shape), generator=self.g) * scale

    def uniform(self, lo, hi, *shape):
        return lo + (hi - lo) * torch.rand(*shape, generator=self.g)

    def nonzero(self, *shape, lo=0.5, hi=1.5):
        """Magnitudes in [lo, hi) with random signs: keeps kinks (relu, abs) and poles (div) away."""
        sign = torch.where(torch.rand(*shape, generator=self.g) < 0.5, -1.0, 1.0)
        return sign * self.uniform(lo, hi, *shape)

    def labels(self, n, classes):
        return torch.randint(0, classes, (n,), generator=self.g)


CASES = []


def case(name, op, inputs, fn, args=None, grads=None, labels=None):
    """Registers one fixture: fn(dict of float64 inputs[, labels]) -> output or (output, extras)."""
    CASES.append((name, op, inputs, fn, args or {}, grads, labels))


def run_case(name, op, inputs, fn, args, grads, labels):
    differentiable = set(inputs) if grads is None else set(grads)
    x64 = {k: v.double().requires_grad_(k in differentiable) for k, v in inputs.items()}
    result = fn(x64, labels) if labels is not None else fn(x64)
    out, extras = result if isinstance(result, tuple) else (result, {})
    grad_output = Gen(name + "/grad_output").randn(*out.shape)
    out.backward(grad_output.double())

    tensors = {}
    for k, v in inputs.items():
        tensors["input." + k] = v.float()
    if labels is not None:
        tensors["labels"] = labels.long()
    tensors["output"] = out.detach().float()
    for k, v in extras.items():
        tensors["output." + k] = v.detach().float()
    tensors["grad_output"] = grad_output.float()
    for k in inputs:
        if k in differentiable:
            tensors["grad." + k] = x64[k].grad.float()
    metadata = {"op": op, "inputs": ",".join(inputs)}
    metadata.update({k: arg_str(v) for k, v in args.items()})
    metadata["reference"] = "torch " + torch.__version__ + ", float64 from float32 inputs"
    write_safetensors(OPS_DIR / (name + ".safetensors"), tensors, metadata)


def elementwise_cases():
    binary = {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b,
    }
    shapes = {
        "same": ((2, 3), (2, 3)),
        "broadcast": ((2, 3, 4), (3, 1)),
        "broadcast_both": ((3, 1), (2, 1, 4)),
        "broadcast_vector": ((2, 3, 4), (4,)),
    }
    for op, f in binary.items():
        for variant, (sa, sb) in shapes.items():
            name = op + "__" + variant
            g = Gen(name)
            b = g.nonzero(*sb) if op == "div" else g.randn(*sb)
            case(name, op, {"a": g.randn(*sa), "b": b}, lambda x, f=f: f(x["a"], x["b"]))

    g = Gen("add_scalar")
    case("add_scalar", "add_scalar", {"a": g.randn(2, 3)}, lambda x: x["a"] + 0.75, {"scalar": 0.75})
    g = Gen("mul_scalar")
    case("mul_scalar", "mul_scalar", {"a": g.randn(2, 3)}, lambda x: x["a"] * -1.5, {"scalar": -1.5})

    g = Gen("neg")
    case("neg", "neg", {"a": g.randn(3, 4)}, lambda x: -x["a"])
    g = Gen("exp")
    case("exp", "exp", {"a": g.randn(3, 4)}, lambda x: torch.exp(x["a"]))
    g = Gen("log")
    case("log", "log", {"a": g.uniform(0.2, 3.0, 3, 4)}, lambda x: torch.log(x["a"]))
    g = Gen("sqrt")
    case("sqrt", "sqrt", {"a": g.uniform(0.2, 3.0, 3, 4)}, lambda x: torch.sqrt(x["a"]))
    g = Gen("abs")
    case("abs", "abs", {"a": g.nonzero(3, 4, lo=0.05, hi=2.0)}, lambda x: torch.abs(x["a"]))

    # Integer exponents on mixed signs (x^2 appears in variances and norms); fractional ones need x > 0.
    for label, exponent, positive in (("2", 2.0, False), ("3", 3.0, False), ("0.5", 0.5, True), ("-1.5", -1.5, True)):
        name = "pow__" + label
        g = Gen(name)
        a = g.uniform(0.3, 2.0, 3, 4) if positive else g.randn(3, 4)
        case(name, "pow", {"a": a}, lambda x, e=exponent: torch.pow(x["a"], e), {"exponent": exponent})


def activation_cases():
    g = Gen("relu")
    case("relu", "relu", {"x": g.nonzero(3, 5, lo=0.01, hi=2.0)}, lambda x: torch.relu(x["x"]))
    g = Gen("gelu")
    case("gelu", "gelu", {"x": g.randn(3, 5, scale=2.0)}, lambda x: tf.gelu(x["x"]))


def linear_algebra_cases():
    for name, sa, sb in (("matmul__2d", (3, 4), (4, 5)),
                         ("matmul__batched", (2, 3, 4), (2, 4, 5)),
                         ("matmul__batched_4d", (2, 2, 3, 4), (2, 2, 4, 3))):
        g = Gen(name)
        case(name, "matmul", {"a": g.randn(*sa), "b": g.randn(*sb)}, lambda x: x["a"] @ x["b"])
    g = Gen("linear__bias")
    case("linear__bias", "linear", {"x": g.randn(2, 3, 4), "w": g.randn(5, 4), "b": g.randn(5)},
         lambda x: tf.linear(x["x"], x["w"], x["b"]))
    g = Gen("linear__no_bias")
    case("linear__no_bias", "linear", {"x": g.randn(3, 4), "w": g.randn(5, 4)},
         lambda x: tf.linear(x["x"], x["w"]))
    g = Gen("linearGelu__bias")
    case("linearGelu__bias", "linearGelu", {"x": g.randn(2, 3, 4), "w": g.randn(5, 4), "b": g.randn(5)},
         lambda x: tf.gelu(tf.linear(x["x"], x["w"], x["b"])))
    g = Gen("linearGelu__no_bias")
    case("linearGelu__no_bias", "linearGelu", {"x": g.randn(3, 4), "w": g.randn(5, 4)},
         lambda x: tf.gelu(tf.linear(x["x"], x["w"])))
    g = Gen("mlp")
    case("mlp", "mlp", {"x": g.randn(2, 3, 4), "w1": g.randn(6, 4), "b1": g.randn(6), "w2": g.randn(4, 6),
                        "b2": g.randn(4)},
         lambda x: tf.linear(tf.gelu(tf.linear(x["x"], x["w1"], x["b1"])), x["w2"], x["b2"]))


def conv_pool_cases():
    convs = (
        ("conv2d__s1_p1_bias", (2, 3, 5, 5), (4, 3, 3, 3), True, 1, 1),
        ("conv2d__s2_p1_no_bias", (2, 3, 6, 6), (4, 3, 3, 3), False, 2, 1),
        ("conv2d__s1_p0_bias", (1, 2, 5, 5), (3, 2, 3, 3), True, 1, 0),
        ("conv2d__s2_p0_odd_bias", (2, 2, 7, 7), (3, 2, 3, 3), True, 2, 0),
        ("conv2d__1x1_s2_no_bias", (2, 3, 6, 6), (4, 3, 1, 1), False, 2, 0),
        ("conv2d__1x1_s1_bias", (2, 3, 4, 4), (5, 3, 1, 1), True, 1, 0),
    )
    for name, sx, sw, bias, stride, padding in convs:
        g = Gen(name)
        inputs = {"x": g.randn(*sx), "w": g.randn(*sw, scale=0.5)}
        if bias:
            inputs["b"] = g.randn(sw[0])
        case(name, "conv2d", inputs,
             lambda x, s=stride, p=padding: tf.conv2d(x["x"], x["w"], x.get("b"), stride=s, padding=p),
             {"stride": stride, "padding": padding})

    g = Gen("globalAvgPool")
    case("globalAvgPool", "globalAvgPool", {"x": g.randn(2, 3, 4, 4)}, lambda x: tf.adaptive_avg_pool2d(x["x"], 1))
    for start in (0, 1, 2):
        name = "flatten__start%d" % start
        g = Gen(name)
        case(name, "flatten", {"x": g.randn(2, 3, 2, 2)}, lambda x, s=start: torch.flatten(x["x"], s),
             {"startDim": start})


def normalisation_cases():
    for training in (True, False):
        name = "batchNorm2d__" + ("train" if training else "eval")
        g = Gen(name)
        inputs = {
            "x": g.randn(4, 3, 3, 3, scale=1.5) + 0.5,
            "gamma": g.uniform(0.5, 1.5, 3),
            "beta": g.randn(3),
            "running_mean": g.randn(3, scale=0.3),
            "running_var": g.uniform(0.5, 2.0, 3),
        }

        def bn(x, training=training):
            rm = x["running_mean"].detach().clone()
            rv = x["running_var"].detach().clone()
            y = tf.batch_norm(x["x"], rm, rv, x["gamma"], x["beta"], training=training, momentum=0.1, eps=1e-5)
            return y, {"running_mean": rm, "running_var": rv}

        case(name, "batchNorm2d", inputs, bn, {"training": training, "momentum": 0.1, "eps": 1e-5},
             grads=("x", "gamma", "beta"))

    g = Gen("layerNorm__affine")
    case("layerNorm__affine", "layerNorm",
         {"x": g.randn(2, 3, 8, scale=2.0) + 1.0, "gamma": g.uniform(0.5, 1.5, 8), "beta": g.randn(8)},
         lambda x: tf.layer_norm(x["x"], (8,), x["gamma"], x["beta"], eps=1e-6), {"eps": 1e-6})
    g = Gen("layerNorm__plain")
    case("layerNorm__plain", "layerNorm", {"x": g.randn(4, 6)},
         lambda x: tf.layer_norm(x["x"], (6,), None, None, eps=1e-5), {"eps": 1e-5})


def softmax_loss_cases():
    for op, f in (("softmax", torch.softmax), ("logSoftmax", torch.log_softmax)):
        for label, shape, dim in (("dim0", (3, 5), 0), ("dim-1", (3, 5), -1), ("dim1_3d", (2, 3, 4), 1)):
            name = op + "__" + label
            g = Gen(name)
            case(name, op, {"x": g.randn(*shape, scale=2.0)}, lambda x, f=f, d=dim: f(x["x"], d), {"dim": dim})

    g = Gen("crossEntropy")
    case("crossEntropy", "crossEntropy", {"logits": g.randn(4, 5, scale=2.0)},
         lambda x, y: tf.cross_entropy(x["logits"], y), labels=g.labels(4, 5))
    g = Gen("squaredNorm")
    case("squaredNorm", "squaredNorm", {"x": g.randn(3, 2, 4)}, lambda x: x["x"].pow(2).flatten(1).sum(1))
    g = Gen("meanSquaredNorm")
    case("meanSquaredNorm", "meanSquaredNorm", {"x": g.randn(3, 2, 4)},
         lambda x: x["x"].pow(2).flatten(1).sum(1).mean())


def reduction_cases():
    for op, f_all, f_dims in (("sum", torch.sum, torch.sum), ("mean", torch.mean, torch.mean)):
        g = Gen(op + "__all")
        case(op + "__all", op, {"x": g.randn(2, 3, 4)}, lambda x, f=f_all: f(x["x"]))
        for label, dims, keep in (("dim1", [1], False), ("dims02_keep", [0, 2], True), ("dim-1_keep", [-1], True),
                                  ("dims12", [1, 2], False)):
            name = op + "__" + label
            g = Gen(name)
            case(name, op, {"x": g.randn(2, 3, 4)}, lambda x, f=f_dims, d=dims, k=keep: f(x["x"], d, keepdim=k),
                 {"dims": dims, "keepDim": keep})


def shape_cases():
    for label, shape in (("4x6", [4, 6]), ("3x2x2x2", [3, 2, 2, 2]), ("flat", [24])):
        name = "reshape__" + label
        g = Gen(name)
        case(name, "reshape", {"x": g.randn(2, 3, 4)}, lambda x, s=shape: x["x"].reshape(s), {"shape": shape})
    for label, d0, d1 in (("0_2", 0, 2), ("-1_-2", -1, -2)):
        name = "transpose__" + label
        g = Gen(name)
        case(name, "transpose", {"x": g.randn(2, 3, 4)}, lambda x, a=d0, b=d1: x["x"].transpose(a, b),
             {"d0": d0, "d1": d1})
    for label, shape, dims in (("201", (2, 3, 4), [2, 0, 1]), ("0213", (2, 3, 2, 4), [0, 2, 1, 3])):
        name = "permute__" + label
        g = Gen(name)
        case(name, "permute", {"x": g.randn(*shape)}, lambda x, d=dims: x["x"].permute(*d), {"dims": dims})

    g = Gen("concat__dim0")
    case("concat__dim0", "concat", {"a": g.randn(2, 3), "b": g.randn(1, 3), "c": g.randn(3, 3)},
         lambda x: torch.cat([x["a"], x["b"], x["c"]], 0), {"dim": 0})
    g = Gen("concat__dim-1")
    case("concat__dim-1", "concat", {"a": g.randn(2, 3, 2), "b": g.randn(2, 3, 4)},
         lambda x: torch.cat([x["a"], x["b"]], -1), {"dim": -1})
    g = Gen("concat__dim1")
    case("concat__dim1", "concat", {"a": g.randn(2, 1, 4), "b": g.randn(2, 2, 4)},
         lambda x: torch.cat([x["a"], x["b"]], 1), {"dim": 1})

    for label, shape, dim, start, end in (("dim1", (4, 5), 1, 1, 4), ("dim0", (4, 5), 0, 0, 2),
                                          ("dim-1_3d", (2, 3, 5), -1, 2, 5)):
        name = "slice__" + label
        g = Gen(name)
        case(name, "slice", {"x": g.randn(*shape)},
             lambda x, d=dim, s=start, e=end: x["x"].narrow(d, s, e - s),
             {"dim": dim, "start": start, "end": end})
    for label, shape, dim, index in (("dim1_0", (2, 3, 4), 1, 0), ("dim-1_2", (2, 3, 4), -1, 2),
                                     ("dim0_1", (3, 2, 4), 0, 1)):
        name = "select__" + label
        g = Gen(name)
        case(name, "select", {"x": g.randn(*shape)}, lambda x, d=dim, i=index: x["x"].select(d, i),
             {"dim": dim, "index": index})
    for label, shape, target in (("3x1_to_2x3x4", (3, 1), [2, 3, 4]), ("1x4_to_3x4", (1, 4), [3, 4]),
                                 ("4_to_2x3x4", (4,), [2, 3, 4])):
        name = "expand__" + label
        g = Gen(name)
        case(name, "expand", {"x": g.randn(*shape)}, lambda x, t=target: x["x"].expand(*t), {"shape": target})


def sdpa(q, k, v):
    """softmax(q k^T / sqrt(d)) v, spelled out: torch 1.13 has no fused SDPA."""
    scores = q @ k.transpose(-2, -1) / (q.shape[-1] ** 0.5)
    return torch.softmax(scores, dim=-1) @ v


def mhsa(qkv, b, n, heads, d):
    """timm's Attention without its Linears: split heads, attend, merge heads."""
    q, k, v = qkv.reshape(b, n, 3, heads, d).permute(2, 0, 3, 1, 4).unbind(0)
    return sdpa(q, k, v).transpose(1, 2).reshape(b, n, heads * d)


def attention_dropout_cases():
    g = Gen("scaledDotProductAttention__self")
    case("scaledDotProductAttention__self", "scaledDotProductAttention",
         {"q": g.randn(2, 2, 3, 4), "k": g.randn(2, 2, 3, 4), "v": g.randn(2, 2, 3, 4)},
         lambda x: sdpa(x["q"], x["k"], x["v"]))
    g = Gen("scaledDotProductAttention__cross")
    case("scaledDotProductAttention__cross", "scaledDotProductAttention",
         {"q": g.randn(1, 2, 3, 4), "k": g.randn(1, 2, 5, 4), "v": g.randn(1, 2, 5, 4)},
         lambda x: sdpa(x["q"], x["k"], x["v"]))
    # The packed form nn.Attention uses: qkv [B, N, 3*H*d] in timm's [B, N, 3, H, d] order, heads merged back.
    for label, (b, n, heads, d) in (("b2_n5_h2_d3", (2, 5, 2, 3)), ("b1_n7_h3_d4", (1, 7, 3, 4))):
        name = "multiHeadSelfAttention__" + label
        g = Gen(name)
        case(name, "multiHeadSelfAttention", {"qkv": g.randn(b, n, 3 * heads * d)},
             lambda x, b=b, n=n, h=heads, d=d: mhsa(x["qkv"], b, n, h, d), {"heads": heads})
    g = Gen("dropout__eval")
    case("dropout__eval", "dropout", {"x": g.randn(3, 4)},
         lambda x: tf.dropout(x["x"], p=0.1, training=False), {"p": 0.1, "training": False})


def mean_squared_norm(y):
    return y.pow(2).flatten(1).sum(1).mean()


def composite_cases():
    """(a) the ResNet stem pattern with both unlearning losses, (b) one ViT encoder block."""
    for loss in ("meanSquaredNorm", "crossEntropy"):
        name = "composite__cnn_" + loss
        g = Gen(name)
        inputs = {
            "x": g.randn(3, 3, 6, 6),
            "conv.weight": g.randn(4, 3, 3, 3, scale=0.3),
            "bn.weight": g.uniform(0.5, 1.5, 4),
            "bn.bias": g.randn(4, scale=0.5),
            "bn.running_mean": g.randn(4, scale=0.3),
            "bn.running_var": g.uniform(0.5, 2.0, 4),
            "fc.weight": g.randn(3, 4, scale=0.5),
            "fc.bias": g.randn(3, scale=0.5),
        }

        def cnn(x, labels=None, loss=loss):
            h = tf.conv2d(x["x"], x["conv.weight"], None, stride=1, padding=1)
            h = tf.batch_norm(h, x["bn.running_mean"].detach().clone(), x["bn.running_var"].detach().clone(),
                              x["bn.weight"], x["bn.bias"], training=False, momentum=0.1, eps=1e-5)
            h = torch.flatten(tf.adaptive_avg_pool2d(torch.relu(h), 1), 1)
            logits = tf.linear(h, x["fc.weight"], x["fc.bias"])
            return tf.cross_entropy(logits, labels) if labels is not None else mean_squared_norm(logits)

        grads = [k for k in inputs if "running" not in k]
        case(name, "composite_cnn", inputs, cnn, {"loss": loss, "eps": 1e-5}, grads=grads,
             labels=g.labels(3, 3) if loss == "crossEntropy" else None)

    name = "composite__vit_block"
    g = Gen(name)
    dim, heads, hidden, batch, tokens = 8, 2, 16, 2, 5
    inputs = {
        "x": g.randn(batch, tokens, dim),
        "norm1.weight": g.uniform(0.5, 1.5, dim),
        "norm1.bias": g.randn(dim, scale=0.2),
        "attn.qkv.weight": g.randn(3 * dim, dim, scale=0.3),
        "attn.qkv.bias": g.randn(3 * dim, scale=0.2),
        "attn.proj.weight": g.randn(dim, dim, scale=0.3),
        "attn.proj.bias": g.randn(dim, scale=0.2),
        "norm2.weight": g.uniform(0.5, 1.5, dim),
        "norm2.bias": g.randn(dim, scale=0.2),
        "mlp.fc1.weight": g.randn(hidden, dim, scale=0.3),
        "mlp.fc1.bias": g.randn(hidden, scale=0.2),
        "mlp.fc2.weight": g.randn(dim, hidden, scale=0.3),
        "mlp.fc2.bias": g.randn(dim, scale=0.2),
    }

    def vit_block(x):
        t = x["x"]
        b, n, c = t.shape
        h = tf.layer_norm(t, (c,), x["norm1.weight"], x["norm1.bias"], eps=1e-6)
        qkv = tf.linear(h, x["attn.qkv.weight"], x["attn.qkv.bias"])
        qkv = qkv.reshape(b, n, 3, heads, c // heads).permute(2, 0, 3, 1, 4)
        a = sdpa(qkv.select(0, 0), qkv.select(0, 1), qkv.select(0, 2))
        a = a.transpose(1, 2).reshape(b, n, c)
        t = t + tf.linear(a, x["attn.proj.weight"], x["attn.proj.bias"])
        h = tf.layer_norm(t, (c,), x["norm2.weight"], x["norm2.bias"], eps=1e-6)
        h = tf.linear(tf.gelu(tf.linear(h, x["mlp.fc1.weight"], x["mlp.fc1.bias"])),
                      x["mlp.fc2.weight"], x["mlp.fc2.bias"])
        return mean_squared_norm(t + h)

    case(name, "composite_vit_block", inputs, vit_block, {"heads": heads, "eps": 1e-6})


# ----------------------------------------------------------------------------- io fixtures

def io_fixtures():
    """Files for the Java reader: torch's own float16/bfloat16/int64 conversions, and a sharded checkpoint."""
    # Exact values, round-to-even ties, subnormals, overflow and specials for both 16-bit formats.
    values = torch.tensor([
        0.0, -0.0, 1.0, -2.5, 0.1, 1.0 / 3.0, 65504.0, 65519.99, 65520.0, -70000.0,
        2.0 ** -14, 2.0 ** -24, 2.0 ** -25, 3 * 2.0 ** -26, 1e-8, 1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11,
        1.0 + 2.0 ** -8, 1.0 + 3 * 2.0 ** -8, 3.0e38, float("inf"), float("-inf"), float("nan"),
    ], dtype=torch.float32)
    g = Gen("io/random")
    random = g.randn(5, 7, scale=100.0)
    write_safetensors(IO_DIR / "torch_dtypes.safetensors", {
        "values.f32": values,
        "values.f16": values.half(),
        "values.bf16": values.bfloat16(),
        "random.f32": random,
        "random.f16": random.half(),
        "random.bf16": random.bfloat16(),
        "ints.i64": torch.tensor([[0, 1, -1], [2 ** 24, -(2 ** 24), 123456]], dtype=torch.int64),
        "scalar": torch.tensor(3.25),
        "empty": torch.zeros(0, 3),
    }, {"format": "pt", "written_by": "make_op_fixtures.py"})

    shard_dir = IO_DIR / "sharded"
    shards = {
        "model-00001-of-00002.safetensors": {"a.weight": g.randn(2, 3), "a.bias": g.randn(3)},
        "model-00002-of-00002.safetensors": {"b.weight": g.randn(4), "b.scale": g.randn(1).half()},
    }
    weight_map = {}
    total = 0
    for file, tensors in shards.items():
        write_safetensors(shard_dir / file, tensors, {"format": "pt"})
        for k, t in tensors.items():
            weight_map[k] = file
            total += t.numel() * t.element_size()
    index = {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}
    (shard_dir / "model.safetensors.index.json").write_text(json.dumps(index, indent=2) + "\n")
    # The expected contents, as one plain F32 file.
    write_safetensors(shard_dir / "expected.safetensors",
                      {k: t.float() for tensors in shards.values() for k, t in sorted(tensors.items())})


def main():
    torch.set_default_dtype(torch.float32)
    elementwise_cases()
    activation_cases()
    linear_algebra_cases()
    conv_pool_cases()
    normalisation_cases()
    softmax_loss_cases()
    reduction_cases()
    shape_cases()
    attention_dropout_cases()
    composite_cases()

    OPS_DIR.mkdir(parents=True, exist_ok=True)
    for old in OPS_DIR.glob("*.safetensors"):
        old.unlink()
    names = []
    for name, *rest in CASES:
        run_case(name, *rest)
        names.append(name + ".safetensors")
    (OPS_DIR / "index.txt").write_text("\n".join(sorted(names)) + "\n")
    io_fixtures()
    size = sum(p.stat().st_size for p in RESOURCES.rglob("*") if p.is_file())
    print("wrote %d op fixtures and the io files, %d bytes in all, under %s" % (len(names), size, RESOURCES))


if __name__ == "__main__":
    main()
