#!/usr/bin/env python3
"""Generate the PyTorch fixture a sweep task's one-shot pruning is checked against
(tests/unit/test_task_eval.cpp): the dense sentiment model (configs/apps/sentiment-dense) pruned
one shot by scripts/train_app.py's masks (sparrow's pruning, written again in numpy), then its
accuracy on the app's 600 held-out sentences evaluated by PyTorch in float64.

Writes tests/fixtures/torch/task_sentiment_dense.json: one entry per point, with the pattern,
s_x, s_h, the lanes, the kept LSTM weights and PyTorch's examples, correct and accuracy.

Needs Debian's python3-torch: run with /usr/bin/python3 (scripts/setup.sh --python installs it).
Usage: /usr/bin/python3 scripts/gen_task_fixture.py [OUT_FILE]
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_app  # noqa: E402

POINTS = [("dual_ratio", 0.75, 0.875), ("dual_ratio", 0.875, 0.5), ("single_ratio", 0.5, 0.5)]
LANES = 8


def main():
    app = os.path.join(train_app.ROOT, "configs", "apps", "sentiment-dense")
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        train_app.ROOT, "tests", "fixtures", "torch", "task_sentiment_dense.json")
    arrays = dict(np.load(os.path.join(app, "model.npz")))
    with open(os.path.join(app, "..", "sentiment", "vocab.txt"), encoding="utf-8") as f:
        vocab = f.read().split("\n")[:-1]
    task = train_app.Task.__new__(train_app.Task)  # the metric only: no training data
    task.name, task.p, task.vocab = "sentiment", train_app.TASKS["sentiment"], vocab
    test = os.path.join(app, "..", "sentiment", "test.tsv")
    points = []
    for pattern, sx, sh in POINTS:
        mi, mh = train_app.prune_masks(arrays["weight_ih_l0"], arrays["weight_hh_l0"], pattern, sx,
                                       sh, LANES)
        net = train_app.AppNet(len(vocab), 64, 128, 2, 0.0, True)
        state = {"embedding.weight": arrays["embedding"],
                 "decoder.weight": arrays["decoder_weight"], "decoder.bias": arrays["decoder_bias"],
                 "lstm.weight_ih_l0": arrays["weight_ih_l0"] * mi,
                 "lstm.weight_hh_l0": arrays["weight_hh_l0"] * mh,
                 "lstm.bias_ih_l0": arrays["bias_ih_l0"], "lstm.bias_hh_l0": arrays["bias_hh_l0"]}
        net.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
        metric = task.evaluate(net, test)
        points.append(dict(pattern=pattern, sx=sx, sh=sh, lanes=LANES,
                           kept=int(mi.sum() + mh.sum()), **metric))
        print(points[-1])
    with open(out, "w") as f:
        json.dump({"app": "configs/apps/sentiment-dense", "points": points}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
