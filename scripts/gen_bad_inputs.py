#!/usr/bin/python3
"""Writes the malformed .npy/.npz files of the bad-input corpus (tests/bad_inputs/) from the
nn.LSTM fixture tests/fixtures/torch/single.npz (input 5, hidden 7). Run with Debian's python:
/usr/bin/python3 scripts/gen_bad_inputs.py"""
import io
import os
import zipfile

import numpy as np

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
out = os.path.join(root, "tests", "bad_inputs")
good = dict(np.load(os.path.join(root, "tests", "fixtures", "torch", "single.npz")))
weights = {k: v for k, v in good.items() if k.startswith(("weight", "bias"))}


def npz(name, arrays):
    np.savez(os.path.join(out, name), **arrays)


def npy_bytes(a):
    b = io.BytesIO()
    np.save(b, a)
    return b.getvalue()


def raw(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


inf = dict(weights)
inf["weight_ih_l0"] = inf["weight_ih_l0"].copy()
inf["weight_ih_l0"][2, 3] = np.inf
npz("inf_weights.npz", inf)
npz("missing_bias.npz", {k: v for k, v in weights.items() if k != "bias_hh_l0"})
npz("int_weights.npz", dict(weights, weight_hh_l0=np.ones((28, 7), dtype=np.int32)))
npz("weights_3d.npz", dict(weights, weight_ih_l0=np.zeros((28, 5, 1))))
raw("not_a_zip.npz", b"this is not a zip archive\n")
member = zipfile.ZipFile(io.BytesIO(open(os.path.join(out, "inf_weights.npz"), "rb").read()))
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    for n in member.namelist():
        z.writestr(n, member.read(n))
    z.writestr("notes.txt", "a member that is not an array\n")
raw("extra_member.npz", buf.getvalue())

x = np.random.default_rng(1).uniform(-1, 1, (6, 5))
nan = x.copy()
nan[4, 1] = np.nan
np.save(os.path.join(out, "inputs_nan.npy"), nan)
np.save(os.path.join(out, "inputs_batch2.npy"), np.zeros((6, 2, 5)))
np.save(os.path.join(out, "inputs_int.npy"), np.zeros((6, 5), dtype=np.int16))
np.save(os.path.join(out, "inputs_strings.npy"), np.array([["a"] * 5] * 6))
np.save(os.path.join(out, "inputs_fortran.npy"), np.asfortranarray(x))
np.save(os.path.join(out, "inputs_empty.npy"), np.zeros((0, 5)))
raw("inputs_truncated.npy", npy_bytes(x)[:-17])
raw("inputs_bad_magic.npy", b"\x93NUMPX" + npy_bytes(x)[6:])
raw("inputs_header_garbage.npy", npy_bytes(x).replace(b"'descr'", b"'dexcr'"))

# A member far larger than any array the workload reads (deflated, so the file stays small).
np.savez_compressed(os.path.join(out, "member_too_large.npz"),
                    **dict(weights, weight_ih_l0=np.zeros((28, 5000), np.float32)))
