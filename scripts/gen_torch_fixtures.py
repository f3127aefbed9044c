#!/usr/bin/env python3
"""Generate the nn.LSTM fixtures the float golden model is checked against.

Each fixture is a small seeded nn.LSTM run in float64: an .npz holding its parameters under
nn.LSTM's own names (weight_ih_l0, ..., *_reverse, weight_hr_l0), the input sequence `input`
(seq_len x input_size, batch 1), the output sequence `output`, and `config` =
[input_size, hidden_size, proj_size, layers, bidirectional, seq_len].

Needs Debian's python3-torch: run with /usr/bin/python3 (scripts/setup.sh --python installs it).
Usage: /usr/bin/python3 scripts/gen_torch_fixtures.py [OUT_DIR]   (default tests/fixtures/torch)
"""
import os
import sys

import numpy as np
import torch

CASES = {
    # name: (input_size, hidden_size, proj_size, layers, bidirectional, seq_len)
    "single": (5, 7, 0, 1, False, 6),
    "multilayer": (6, 8, 0, 3, False, 5),
    "bidirectional": (4, 6, 0, 2, True, 7),
    "projected": (5, 9, 4, 2, False, 6),
    "bidirectional_projected": (3, 7, 5, 2, True, 5),
}


def make(name, cfg, seed):
    inp, hid, proj, layers, bidir, seq = cfg
    torch.manual_seed(seed)
    lstm = torch.nn.LSTM(inp, hid, num_layers=layers, bidirectional=bidir, proj_size=proj)
    lstm = lstm.double()
    with torch.no_grad():
        for p in lstm.parameters():  # wider than the default init, so the gates saturate too
            p.uniform_(-0.8, 0.8)
        x = torch.empty(seq, 1, inp, dtype=torch.float64).uniform_(-2.0, 2.0)
        y, _ = lstm(x)
    arrays = {k: v.detach().numpy() for k, v in lstm.state_dict().items()}
    arrays["input"] = x[:, 0, :].numpy()
    arrays["output"] = y[:, 0, :].numpy()
    arrays["config"] = np.array([inp, hid, proj, layers, int(bidir), seq], dtype=np.int64)
    return arrays


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "torch")
    os.makedirs(out, exist_ok=True)
    for seed, (name, cfg) in enumerate(CASES.items(), start=11):
        path = os.path.join(out, name + ".npz")
        np.savez(path, **make(name, cfg, seed))
        print("wrote", os.path.normpath(path), "torch", torch.__version__)


if __name__ == "__main__":
    main()
