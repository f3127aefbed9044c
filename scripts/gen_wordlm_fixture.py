#!/usr/bin/env python3
"""Generate the PyTorch fixture the word LM is checked against (tests/unit/test_wordlm.cpp):

- tokens: texts and scripts/train_app.py's word_tokenize of each (apps/app/app_data.cpp's
  word_tokenize must give the same tokens);
- points: the committed word LM (configs/apps/wordlm) as exported, and pruned one shot further by
  train_app.py's masks (sparrow's pruning, written again in numpy), each evaluated by PyTorch in
  float64 on the first WINDOWS windows of the app's test file (a subset: the test stays fast).

Writes tests/fixtures/torch/task_wordlm.json.

Needs Debian's python3-torch: run with /usr/bin/python3 (scripts/setup.sh --python installs it).
Usage: /usr/bin/python3 scripts/gen_wordlm_fixture.py [OUT_FILE]
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_app  # noqa: E402

# (pattern, s_x, s_h); the first is the exported model's own pruning (no further change).
POINTS = [("dual_ratio", 0.875, 0.75), ("dual_ratio", 0.9375, 0.875),
          ("single_ratio", 0.9375, 0.9375)]
LANES = 8
WINDOWS = 32
TEXTS = [
    "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n",
    "KING RICHARD III:\n'Tis true -- O'er the\tsea, 3 ships; & $5?!\r\nNay--\x0bgo\x0c\n",
    "   ",
    "a/b [c] (d) e_f 10x 'quoted'",
]


def main():
    app = os.path.join(train_app.ROOT, "configs", "apps", "wordlm")
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        train_app.ROOT, "tests", "fixtures", "torch", "task_wordlm.json")
    arrays = dict(np.load(os.path.join(app, "model.npz")))
    with open(os.path.join(app, "vocab.txt"), encoding="latin-1") as f:
        vocab = f.read().split("\n")[:-1]
    p = train_app.TASKS["wordlm"]
    task = train_app.Task.__new__(train_app.Task)  # the metric only: no training data
    task.name, task.p, task.vocab = "wordlm", p, vocab
    task.index = {w: i for i, w in enumerate(vocab)}
    with open(os.path.join(app, "test.txt"), "rb") as f:
        tokens = train_app.word_tokenize(f.read())
    points = []
    for pattern, sx, sh in POINTS:
        state = {"embedding.weight": arrays["embedding"],
                 "decoder.weight": arrays["decoder_weight"], "decoder.bias": arrays["decoder_bias"]}
        kept = 0
        for layer in range(p["layers"]):
            wi, wh = arrays[f"weight_ih_l{layer}"], arrays[f"weight_hh_l{layer}"]
            mi, mh = train_app.prune_masks(wi, wh, pattern, sx, sh, LANES)
            kept += int(np.count_nonzero(wi * mi) + np.count_nonzero(wh * mh))
            state[f"lstm.weight_ih_l{layer}"] = wi * mi
            state[f"lstm.weight_hh_l{layer}"] = wh * mh
            for b in ("bias_ih", "bias_hh"):
                state[f"lstm.{b}_l{layer}"] = arrays[f"{b}_l{layer}"]
        net = train_app.AppNet(len(vocab), p["embed"], p["hidden"], len(vocab), 0.0, False,
                               p["layers"])
        net.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
        metric = task.lm_metric(net, tokens[:WINDOWS * p["seq_len"] + 1])
        points.append(dict(pattern=pattern, sx=sx, sh=sh, lanes=LANES, kept=kept, **metric))
        print(points[-1])
    fixture = {"app": "configs/apps/wordlm", "windows": WINDOWS,
               "tokens": [{"text": t, "tokens": train_app.word_tokenize(t.encode())}
                          for t in TEXTS],
               "points": points}
    with open(out, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
