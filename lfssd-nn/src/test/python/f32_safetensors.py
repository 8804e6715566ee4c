"""The float32 safetensors writer shared by the fixture scripts in this folder (make_eval_fixtures.py,
make_unlearn_fixtures.py, make_hf_vit_fixture.py). Every tensor is stored as F32 and the metadata goes
first in the header, as in the committed fixtures. make_model_fixtures.py keeps its own writer, which
stores each tensor in its own dtype (BF16, F16, ...) for the checkpoint-format tests."""

import json
import struct

import torch


def write_safetensors(path, tensors, metadata):
    """A minimal safetensors writer: 8-byte little-endian header length, JSON header, raw F32 data.
    Returns the size of the data section in bytes."""
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    return offset
