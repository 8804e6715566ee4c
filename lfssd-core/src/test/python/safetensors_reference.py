#!/usr/bin/env python3
"""Writer and validator around the reference safetensors implementation (Hugging Face, Rust core).

Debian has no python3-safetensors; install the reference into a virtual environment:

    python3 -m venv ~/st-venv && ~/st-venv/bin/pip install safetensors==0.8.0 numpy

Two commands:

  write-fixtures DIR   Writes the edge-case corpus with the reference writer (0-d scalars, empty
                       tensors, every dtype, special float values, metadata, a big header) and, for
                       each file X.safetensors, X.expected.safetensors holding what a reader must
                       return: each convertible tensor as float32 (same name and shape), and metadata
                       "dtype/<name>" = header dtype, "error/<name>" = why reading it must fail,
                       "metadata/<key>" = the file's metadata. The output is committed under
                       lfssd-core/src/test/resources/fixtures/io/reference; ReferenceWrittenFilesTest
                       checks that Java reads every file identically.

  check DIR            Opens every *.safetensors file in DIR with the reference reader and prints one
                       JSON line per file: {"file": name, "accept": bool, "error": message}. The Java
                       differential test (ReferenceDifferentialTest, lfssd-bench) runs it on mutated
                       files when LFSSD_REFERENCE_PYTHON names an interpreter with the reference.
"""
import json
import os
import sys

import numpy as np
from safetensors import TensorSpec, safe_open, serialize_file

SPECIALS_F32 = np.array([0.0, -0.0, 1.0, -2.5, 65504.0, 6.1035156e-05, 5.9604645e-08, np.inf, -np.inf, np.nan],
                        dtype=np.float32)


def spec(dtype, shape, array):
    """A TensorSpec over the bytes of `array` (kept alive by the caller)."""
    data = np.ascontiguousarray(array)
    return TensorSpec(dtype=dtype, shape=list(shape), data_ptr=data.ctypes.data, data_len=data.nbytes), data


def bf16_bits(values):
    """Round-to-nearest-even float32 -> bfloat16 bits (NaN kept quiet)."""
    bits = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    nan = np.isnan(np.asarray(values, dtype=np.float32))
    rounded[nan] = (bits[nan] >> 16) | 0x40
    return rounded.astype(np.uint16)


def bf16_to_f32(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def write(path, tensors, metadata=None):
    """tensors: name -> (dtype, shape, raw array, expected float32 array or None, error or None)."""
    keep = []
    specs = {}
    for name, (dtype, shape, raw, _, _) in tensors.items():
        s, data = spec(dtype, shape, raw)
        keep.append(data)
        specs[name] = s
    serialize_file(specs, path, metadata)
    expected_specs = {}
    expected_meta = {}
    for name, (dtype, shape, raw, expected, error) in tensors.items():
        expected_meta["dtype/" + name] = HEADER_NAMES[dtype]
        if error is not None:
            expected_meta["error/" + name] = error
        if expected is not None:
            arr = np.ascontiguousarray(np.asarray(expected, dtype=np.float32).reshape(shape))
            keep.append(arr)
            expected_specs[name] = TensorSpec(dtype="float32", shape=list(shape), data_ptr=arr.ctypes.data,
                                             data_len=arr.nbytes)
    for k, v in (metadata or {}).items():
        expected_meta["metadata/" + k] = v
    serialize_file(expected_specs, path.replace(".safetensors", ".expected.safetensors"), expected_meta)


HEADER_NAMES = {"float64": "F64", "float32": "F32", "float16": "F16", "bfloat16": "BF16", "float8_e4m3fn": "F8_E4M3",
                "float8_e5m2": "F8_E5M2", "int64": "I64", "int32": "I32", "int16": "I16", "int8": "I8",
                "uint64": "U64", "uint32": "U32", "uint16": "U16", "uint8": "U8", "bool": "BOOL"}
UNSUPPORTED = "unsupported dtype"


def write_fixtures(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261201)

    f16 = SPECIALS_F32.astype(np.float16)
    bf16 = bf16_bits(SPECIALS_F32)
    write(os.path.join(out, "scalars.safetensors"), {
        "f32": ("float32", [], np.float32(3.5), np.float32(3.5), None),
        "f16": ("float16", [], np.float16(-2.0), np.float32(-2.0), None),
        "bf16": ("bfloat16", [], bf16_bits([1.5]), bf16_to_f32(bf16_bits([1.5])), None),
        "i64": ("int64", [], np.int64(-7), np.float32(-7), None),
        "f64": ("float64", [], np.float64(0.25), None, UNSUPPORTED),
        "u8": ("uint8", [], np.uint8(200), None, UNSUPPORTED),
        "flag": ("bool", [], np.bool_(True), None, UNSUPPORTED),
    })
    write(os.path.join(out, "empty.safetensors"), {
        "a": ("float32", [0], np.zeros(0, np.float32), np.zeros(0, np.float32), None),
        "b": ("float16", [3, 0], np.zeros(0, np.float16), np.zeros(0, np.float32), None),
        "c": ("int64", [0, 5], np.zeros(0, np.int64), np.zeros(0, np.float32), None),
        "d": ("bfloat16", [0], np.zeros(0, np.uint16), np.zeros(0, np.float32), None),
        "huge_but_empty": ("float32", [65536, 65536, 0], np.zeros(0, np.float32), np.zeros(0, np.float32), None),
        "after": ("float32", [2], np.array([1, 2], np.float32), np.array([1, 2], np.float32), None),
    })
    ints = np.array([0, 1, -1, 2 ** 24, -(2 ** 24), 123456], np.int64)
    random = rng.standard_normal(16).astype(np.float32)
    write(os.path.join(out, "dtypes.safetensors"), {
        "F32": ("float32", [2, 5], SPECIALS_F32, SPECIALS_F32, None),
        "F16": ("float16", [10], f16, f16.astype(np.float32), None),
        "F16_subnormal": ("float16", [3], np.array([1, 0x3ff, 0x8001], np.uint16).view(np.float16),
                          np.array([1, 0x3ff, 0x8001], np.uint16).view(np.float16).astype(np.float32), None),
        "BF16": ("bfloat16", [5, 2], bf16, bf16_to_f32(bf16), None),
        "I64": ("int64", [2, 3], ints, ints.astype(np.float32), None),
        "I64_beyond_2_24": ("int64", [1], np.array([2 ** 24 + 1], np.int64), None, "beyond 2^24"),
        "F64": ("float64", [2], np.array([1.0, 2.0]), None, UNSUPPORTED),
        "F8_E4M3": ("float8_e4m3fn", [2], np.array([0x38, 0x40], np.uint8), None, UNSUPPORTED),
        "F8_E5M2": ("float8_e5m2", [2], np.array([0x3c, 0x40], np.uint8), None, UNSUPPORTED),
        "I32": ("int32", [2], np.array([1, -1], np.int32), None, UNSUPPORTED),
        "I16": ("int16", [2], np.array([1, -1], np.int16), None, UNSUPPORTED),
        "I8": ("int8", [2], np.array([1, -1], np.int8), None, UNSUPPORTED),
        "U64": ("uint64", [1], np.array([5], np.uint64), None, UNSUPPORTED),
        "U32": ("uint32", [1], np.array([5], np.uint32), None, UNSUPPORTED),
        "U16": ("uint16", [1], np.array([5], np.uint16), None, UNSUPPORTED),
        "U8": ("uint8", [3], np.array([0, 128, 255], np.uint8), None, UNSUPPORTED),
        "BOOL": ("bool", [2], np.array([True, False]), None, UNSUPPORTED),
        "random": ("float32", [4, 4], random, random, None),
    })
    write(os.path.join(out, "metadata.safetensors"), {
        "w": ("float32", [1], np.array([0.5], np.float32), np.array([0.5], np.float32), None),
    }, {"format": "pt", "unicode": "é — 😀", "lines": "a\nb\tc \"quoted\" \\", "": "empty key", "empty": ""})
    names = {}
    for i in range(2000):
        v = np.array([i], np.float32)
        names["model.layers.%d.self_attn.q_proj.weight.%s" % (i, "é" if i % 7 == 0 else "x")] = (
            "float32", [1], v, v, None)
    write(os.path.join(out, "big-header.safetensors"), names, {"note": "z" * 100000})


def check(directory):
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".safetensors"):
            continue
        path = os.path.join(directory, name)
        try:
            with safe_open(path, "np") as f:
                list(f.keys())
            print(json.dumps({"file": name, "accept": True, "error": ""}))
        except Exception as e:  # the reference reports every malformed file as an exception
            print(json.dumps({"file": name, "accept": False, "error": str(e)[:300]}))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write-fixtures", "check"):
        print(__doc__)
        sys.exit(2)
    (write_fixtures if sys.argv[1] == "write-fixtures" else check)(sys.argv[2])
