#!/usr/bin/env python3
"""Train, prune and export the LSTM of a sparrow host application (docs/apps.md).

Tasks, on the real data in ../shared/data (--data):
  sentiment  binary sentiment of the UCI "Sentiment Labelled Sentences" (amazon, imdb, yelp):
             words -> embedding -> LSTM -> last real step's h -> linear classifier (2 classes)
  charlm     character-level language model of tinyshakespeare: char -> embedding -> LSTM ->
             linear decoder -> softmax over the characters, at every step
  wordlm     word-level language model of tinyshakespeare (as BRDS's PTB experiments): word ->
             embedding -> 2-layer LSTM -> linear decoder -> softmax over the vocabulary

Steps: train the dense model (or reuse --dense CHECKPOINT), prune it gradually (cubic schedule of
Zhu & Gupta) to the pattern sparrow's compressor keeps (dual_ratio, single_ratio or unstructured,
exactly lib/compress/prune.cpp's definition), fine-tune with the mask, and export into --out:
  model.npz   nn.LSTM parameter names (weight_ih_l0, ... every layer), embedding, decoder_weight,
              decoder_bias
  vocab.txt   one token per line (line i = index i)
  test.tsv    sentiment: the held-out sentences (UCI format); charlm, wordlm: test.txt, the
              held-out text
  arch.yaml   the BRDS-style design with this pattern and weight formats fitted to the weights
  app.yaml    what `sparrow app` reads, with the accuracy PyTorch measured on the test file in
              float64 (the C++ float path must reproduce it)

Needs Debian's python3-torch: run with /usr/bin/python3 (scripts/setup.sh --python installs it).
Usage: /usr/bin/python3 scripts/train_app.py sentiment|charlm|wordlm [--out DIR] [--pattern P]
       [--sx S --sh S | --sparsity S] [--dense CKPT] [--threads N] ...
"""
import argparse
import math
import os
import re
import sys
import time

# One BLAS thread: OpenBLAS's spinning threads slow down badly on a shared 2-core machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SENTIMENT_FILES = ["amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt"]
TOKEN_RE = re.compile(rb"[a-z0-9']+|[!?]")
# Word LM: lowercased ASCII words [a-z0-9']+, every newline as the token <eol>, every other byte
# that is not blank (space, tab, CR, VT, FF) a token of its own (punctuation: , . : ; ! ? - ...).
WORD_RE = re.compile(rb"[a-z0-9']+|\n|[^a-z0-9' \t\r\x0b\x0c]")
PAD, UNK, EOL = "<pad>", "<unk>", "<eol>"

# ---------------------------------------------------------------- pruning (lib/compress/prune.cpp)


def kept_count(n, sparsity):
    """round((1 - s) * n) half away from zero, clamped to [1, n] (C++ std::lround)."""
    x = (1.0 - sparsity) * n
    k = int(x)
    if x - k >= 0.5:
        k += 1
    return min(max(k, 1), n)


def row_balanced_mask(w, sparsity, lanes):
    """Segment-balanced row-balanced mask: each of `lanes` segments of ceil(C / lanes) columns of
    every row keeps its k largest |w|, ties to the lower column; padding columns (>= C) are the
    last resort and are not weights."""
    rows, cols = w.shape
    seg = -(-cols // lanes)
    k = kept_count(seg, sparsity)
    mag = np.full((rows, seg * lanes), -1.0)
    mag[:, :cols] = np.abs(w)
    mag = mag.reshape(rows, lanes, seg)
    order = np.argsort(-mag, axis=2, kind="stable")[:, :, :k]
    keep = np.zeros((rows, lanes, seg), dtype=bool)
    np.put_along_axis(keep, order, True, axis=2)
    return keep.reshape(rows, seg * lanes)[:, :cols]


def unstructured_masks(ws, sparsity):
    """One global magnitude threshold over the matrices, keeping round((1 - s) * total); ties to
    the earlier (matrix, row, column)."""
    flat = np.concatenate([np.abs(w).ravel() for w in ws])
    keep_n = min(max(kept_count(flat.size, sparsity), 1), flat.size)
    keep = np.zeros(flat.size, dtype=bool)
    keep[np.argsort(-flat, kind="stable")[:keep_n]] = True
    out, at = [], 0
    for w in ws:
        out.append(keep[at:at + w.size].reshape(w.shape))
        at += w.size
    return out


def prune_masks(w_ih, w_hh, pattern, sx, sh, lanes, lanes_h=None):
    """(W_x mask, W_h mask): `lanes` of the W_x array, `lanes_h` of the W_h array (the same when
    None: one size for both arrays)."""
    if pattern == "unstructured":
        return unstructured_masks([w_ih, w_hh], sx)
    if pattern == "single_ratio":
        sh = sx
    return row_balanced_mask(w_ih, sx, lanes), row_balanced_mask(w_hh, sh, lanes_h or lanes)


# ---------------------------------------------------------------- data


def tokenize(sentence):
    """Lowercase ASCII words [a-z0-9']+ and the single tokens ! and ?; every other byte
    separates (apps/app/app_data.cpp does the same)."""
    return [t.decode() for t in TOKEN_RE.findall(sentence.lower())]


def read_labelled(path):
    """UCI Sentiment Labelled Sentences: optional header 'reviews<TAB>sentiment', then
    SENTENCE<TAB>LABEL lines (label 0 or 1)."""
    out = []
    with open(path, "rb") as f:
        for n, line in enumerate(f.read().split(b"\n")):
            line = line.rstrip(b"\r")
            if not line.strip() or (n == 0 and line.startswith(b"reviews\t")):
                continue
            sentence, label = line.rsplit(b"\t", 1)
            out.append((sentence, int(label.strip())))
    return out


def sentiment_split(data_dir):
    """Every fifth sentence of each file (index 4, 9, ...) is held out: 600 test, 2400 train."""
    train, test = [], []
    for name in SENTIMENT_FILES:
        for i, item in enumerate(read_labelled(os.path.join(data_dir, "sentiment", name))):
            (test if i % 5 == 4 else train).append(item)
    return train, test


def sentiment_vocab(train, min_count):
    counts = {}
    for sentence, _ in train:
        for t in tokenize(sentence):
            counts[t] = counts.get(t, 0) + 1
    words = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return [PAD, UNK] + words


def encode_sentences(items, vocab, seq_len):
    """ids (seq_len x N, padded with 0 after the sentence), lengths (first seq_len tokens kept; an
    empty sentence is one <unk>), labels."""
    index = {w: i for i, w in enumerate(vocab)}
    ids = np.zeros((seq_len, len(items)), dtype=np.int64)
    lens, labels = [], []
    for n, (sentence, label) in enumerate(items):
        seq = [index.get(t, 1) for t in tokenize(sentence)][:seq_len] or [1]
        ids[:len(seq), n] = seq
        lens.append(len(seq))
        labels.append(label)
    return torch.tensor(ids), torch.tensor(lens), torch.tensor(labels)


def charlm_split(data_dir, test_chars):
    """The first 90% of tinyshakespeare trains; the held-out test text is the first test_chars
    characters of the last 10%."""
    with open(os.path.join(data_dir, "tinyshakespeare", "input.txt"), "rb") as f:
        text = f.read()
    cut = len(text) * 9 // 10
    return text[:cut], text[cut:cut + test_chars]


def word_tokenize(text):
    """The word LM's tokens (WORD_RE; apps/app/app_data.cpp's word_tokenize does the same)."""
    return [EOL if t == b"\n" else t.decode("latin-1") for t in WORD_RE.findall(text.lower())]


def wordlm_split(data_dir, test_lines):
    """tinyshakespeare cut at the start of the line holding its 90% byte: the lines before train;
    the held-out test text is the first test_lines lines after the cut."""
    with open(os.path.join(data_dir, "tinyshakespeare", "input.txt"), "rb") as f:
        text = f.read()
    cut = text.rfind(b"\n", 0, len(text) * 9 // 10) + 1
    return text[:cut], b"".join(text[cut:].splitlines(keepends=True)[:test_lines])


def wordlm_vocab(train_tokens, size):
    """<unk>, then the `size` most frequent training tokens (ties in byte order)."""
    counts = {}
    for t in train_tokens:
        counts[t] = counts.get(t, 0) + 1
    return [UNK] + sorted(counts, key=lambda w: (-counts[w], w))[:size]


def charlm_sequences(text, index, seq_len):
    """Consecutive windows: inputs text[iT:(i+1)T], targets shifted by one (seq_len x N each).
    `text` is a sequence of tokens (charlm: bytes; wordlm: words, <unk> = 0 if not in `index`)."""
    n = (len(text) - 1) // seq_len
    ids = np.array([index.get(c, 0) for c in text], dtype=np.int64)
    x = ids[:n * seq_len].reshape(n, seq_len).T
    y = ids[1:n * seq_len + 1].reshape(n, seq_len).T
    return torch.tensor(x), torch.tensor(y)


# ---------------------------------------------------------------- models


class AppNet(nn.Module):
    """Embedding -> nn.LSTM -> linear decoder (the host's post-processing)."""

    def __init__(self, vocab, embed, hidden, classes, dropout, padded, layers=1):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed, padding_idx=0 if padded else None)
        self.lstm = nn.LSTM(embed, hidden, num_layers=layers, dropout=dropout if layers > 1 else 0)
        self.drop = nn.Dropout(dropout)
        self.decoder = nn.Linear(hidden, classes)

    def forward(self, ids, lens=None):
        y, _ = self.lstm(self.drop(self.embedding(ids)))
        if lens is not None:  # sentiment: h at each sentence's last real step
            y = y[lens - 1, torch.arange(ids.shape[1])]
        return self.decoder(self.drop(y))


TASKS = {
    # embed, hidden, seq_len, lr, batch, dense/prune/finetune steps, dropout
    "sentiment": dict(embed=64, hidden=128, seq_len=32, lr=3e-3, batch=32, dense=600, prune=450,
                      finetune=300, dropout=0.4, min_count=2),
    "charlm": dict(embed=64, hidden=128, seq_len=128, train_len=64, lr=4e-3, batch=32, dense=1500,
                   prune=600, finetune=400, dropout=0.0, test_chars=32768),
    "wordlm": dict(embed=64, hidden=128, layers=2, seq_len=32, train_len=32, lr=3e-3, batch=32,
                   dense=3000, prune=900, finetune=600, dropout=0.2, vocab_size=1000,
                   test_lines=1200),
}


class Task:
    """Data, batches and the float64 metric of one task."""

    def __init__(self, name, args):
        self.name, self.p = name, TASKS[name]
        p = self.p
        if name == "sentiment":
            train, self.test_items = sentiment_split(args.data)
            self.vocab = sentiment_vocab(train, p["min_count"])
            self.train = encode_sentences(train, self.vocab, p["seq_len"])
            self.classes = 2
        elif name == "charlm":
            self.train_text, self.test_text = charlm_split(args.data, p["test_chars"])
            self.vocab = sorted(set(self.train_text) | set(self.test_text))
            self.index = {c: i for i, c in enumerate(self.vocab)}
            self.train_ids = torch.tensor([self.index[c] for c in self.train_text])
            self.classes = len(self.vocab)
        else:
            train_text, self.test_text = wordlm_split(args.data, p["test_lines"])
            train_tokens = word_tokenize(train_text)
            self.vocab = wordlm_vocab(train_tokens, p["vocab_size"])
            self.index = {w: i for i, w in enumerate(self.vocab)}
            self.train_ids = torch.tensor([self.index.get(w, 0) for w in train_tokens])
            self.classes = len(self.vocab)

    def batch(self, gen):
        p = self.p
        if self.name == "sentiment":
            ids, lens, labels = self.train
            pick = torch.randint(0, ids.shape[1], (p["batch"],), generator=gen)
            return ids[:, pick], lens[pick], labels[pick]
        n = p["train_len"]
        start = torch.randint(0, len(self.train_ids) - n - 1, (p["batch"],), generator=gen)
        idx = start[None, :] + torch.arange(n + 1)[:, None]
        chunk = self.train_ids[idx]
        return chunk[:-1], None, chunk[1:]

    def loss(self, net, batch):
        ids, lens, target = batch
        logits = net(ids, lens)
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1))

    def evaluate(self, net, test_path):
        """The metric on the exported test file, in float64 (what the C++ float path computes)."""
        net = net.double().eval()
        with torch.no_grad():
            if self.name == "sentiment":
                ids, lens, labels = encode_sentences(read_labelled(test_path), self.vocab,
                                                     self.p["seq_len"])
                pred = net(ids, lens).argmax(1)
                correct = int((pred == labels).sum())
                return dict(examples=int(labels.numel()), correct=correct,
                            accuracy=correct / labels.numel())
            with open(test_path, "rb") as f:
                text = f.read()
        return self.lm_metric(net, word_tokenize(text) if self.name == "wordlm" else text)

    def lm_metric(self, net, tokens):
        """A language model's metric on consecutive seq_len windows of `tokens`, in float64."""
        net = net.double().eval()
        with torch.no_grad():
            x, y = charlm_sequences(tokens, self.index, self.p["seq_len"])
            logp = torch.log_softmax(net(x), dim=-1)
            nll = -logp.gather(2, y[:, :, None]).sum().item()
        n = y.numel()
        unit = "bits_per_word" if self.name == "wordlm" else "bits_per_char"
        return {"sequences": int(x.shape[1]), "predictions": n, unit: nll / n / math.log(2),
                "perplexity": math.exp(nll / n)}


# ---------------------------------------------------------------- training


def run_steps(task, net, steps, lr, gen, masks=None, schedule=None, log=""):
    """Adam steps; after each, pruned weights are zeroed and the embedding clamped to [-1, 1]
    (the accelerator's activation range). schedule(step) -> new masks, or None to keep them."""
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    net.train()
    for step in range(steps):
        if schedule is not None:
            masks = schedule(step) or masks
        loss = task.loss(net, task.batch(gen))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            if masks is not None:
                for layer, (mi, mh) in enumerate(masks):
                    getattr(net.lstm, f"weight_ih_l{layer}").mul_(mi)
                    getattr(net.lstm, f"weight_hh_l{layer}").mul_(mh)
            net.embedding.weight.clamp_(-1.0, 1.0)
        if (step + 1) % max(1, steps // 5) == 0:
            print(f"  {log} step {step + 1}/{steps}: loss {loss.item():.4f}", flush=True)
    return masks


def masks_at(net, pattern, sx, sh, lanes):
    """Per layer, the (W_x, W_h) masks (unstructured: one threshold per layer, as sparrow's)."""
    out = []
    for layer in range(net.lstm.num_layers):
        wi = getattr(net.lstm, f"weight_ih_l{layer}").detach().numpy()
        wh = getattr(net.lstm, f"weight_hh_l{layer}").detach().numpy()
        out.append([torch.tensor(m, dtype=torch.float32)
                    for m in prune_masks(wi, wh, pattern, sx, sh, lanes)])
    return out


def train(task, args):
    p = task.p
    gen = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    net = AppNet(len(task.vocab), p["embed"], p["hidden"], task.classes, p["dropout"],
                 task.name == "sentiment", p.get("layers", 1))
    if args.dense and os.path.exists(args.dense):
        net.load_state_dict(torch.load(args.dense))
        print(f"dense model: reused {args.dense}")
    else:
        run_steps(task, net, p["dense"], p["lr"], gen, log="dense")
        if args.dense:
            os.makedirs(os.path.dirname(os.path.abspath(args.dense)), exist_ok=True)
            torch.save(net.state_dict(), args.dense)
    if args.pattern == "dense":  # the same steps as the pruned models, without a mask
        run_steps(task, net, p["prune"], p["lr"] / 2, gen, log="dense (2)")
        run_steps(task, net, p["finetune"], p["lr"] / 4, gen, log="dense (3)")
        return net
    # Gradual pruning: sparsity s_f (1 - (1 - t / P)^3), the mask recomputed 10 times.
    every = max(1, p["prune"] // 10)

    def schedule(step):
        if step % every:
            return None
        frac = 1.0 - (1.0 - min(1.0, (step + every) / p["prune"])) ** 3
        return masks_at(net, args.pattern, args.sx * frac, args.sh * frac, args.lanes)

    masks = run_steps(task, net, p["prune"], p["lr"] / 2, gen, schedule=schedule, log="prune")
    final = masks_at(net, args.pattern, args.sx, args.sh, args.lanes)
    assert all(bool((a == b).all()) for la, lb in zip(masks, final) for a, b in zip(la, lb)), \
        "final mask moved"
    run_steps(task, net, p["finetune"], p["lr"] / 4, gen, masks=final, log="fine-tune")
    return net


# ---------------------------------------------------------------- export


def fitted_format(values, bits):
    """Q<bits>.<frac> with the largest frac (at least 0, sparrow's minimum) whose range still
    holds max |values|."""
    m = float(np.max(np.abs(values))) if values.size else 0.0
    int_bits = max(0, math.floor(math.log2(m)) + 1) if m > 0 else 0
    return dict(bits=bits, frac=max(0, bits - 1 - int_bits))


def arch_yaml(args, arrays):
    """One W_x and one W_h format for every layer, fitted to the largest weight of any layer."""
    wx = fitted_format(np.concatenate([v.ravel() for k, v in arrays.items()
                                       if k.startswith("weight_ih_l")]), args.wx_bits)
    wh = fitted_format(np.concatenate([v.ravel() for k, v in arrays.items()
                                       if k.startswith("weight_hh_l")]), args.wh_bits)
    if args.pattern in ("dual_ratio", "dense"):
        comp = f"  pattern: dual_ratio\n  sx: {args.sx}\n  sh: {args.sh}\n  segment_balanced: true\n"
    elif args.pattern == "single_ratio":
        comp = f"  pattern: single_ratio\n  sparsity: {args.sx}\n  segment_balanced: true\n"
    else:
        comp = f"  pattern: unstructured\n  sparsity: {args.sx}\n"
    return f"""# Written by scripts/train_app.py: configs/arch/brds.yaml's hardware with this model's pattern
# and weight formats fitted to its largest weights.
name: app-{args.task}
description: BRDS-style design for the {args.task} application (16 PEs x {args.lanes} lanes per array).
clock_mhz: 200
mac_array:
  pes: 16
  lanes: {args.lanes}
  shared: false
weight_bank:
  wx_kbit_per_pe: 512
  wh_kbit_per_pe: 512
gate_unit:
  lanes: 4
  pipeline_depth: 4
memory:
  latency_cycles: 100
  bytes_per_cycle: 16
  burst_bytes: 256
compression:
{comp}arith:
  act: {{bits: 8, frac: 6}}
  wx: {{bits: {wx['bits']}, frac: {wx['frac']}}}
  wh: {{bits: {wh['bits']}, frac: {wh['frac']}}}
  bias: {{bits: 16, frac: 12}}
  acc_bits: 32
  preact: {{bits: 16, frac: 12}}
  gate: {{bits: 16, frac: 14}}
  cell: {{bits: 16, frac: 12}}
  activation:
    kind: lut
    sigmoid: {{range: 8, entries: 256}}
    tanh: {{range: 4, entries: 256}}
"""


def vocab_lines(task):
    if task.name != "charlm":
        return task.vocab
    return ["\\n" if c == 10 else "\\\\" if c == 92 else chr(c) for c in task.vocab]


def export(task, net, args, seconds):
    os.makedirs(args.out, exist_ok=True)
    arrays = {k: v.detach().float().numpy() for k, v in net.lstm.state_dict().items()}
    arrays["embedding"] = net.embedding.weight.detach().float().numpy()
    arrays["decoder_weight"] = net.decoder.weight.detach().float().numpy()
    arrays["decoder_bias"] = net.decoder.bias.detach().float().numpy()
    if args.pattern != "dense":  # sparrow re-pruning the export must keep exactly these weights
        for layer in range(net.lstm.num_layers):
            wi, wh = arrays[f"weight_ih_l{layer}"], arrays[f"weight_hh_l{layer}"]
            mi, mh = prune_masks(wi, wh, args.pattern, args.sx, args.sh, args.lanes)
            assert np.all(wi[~mi] == 0) and np.all(wh[~mh] == 0)
    np.savez_compressed(os.path.join(args.out, "model.npz"), **arrays)
    # The word LM's tokens are bytes (latin-1 keeps each as one); the others' are ASCII or UTF-8.
    encoding = "latin-1" if task.name == "wordlm" else "utf-8"
    with open(os.path.join(args.out, "vocab.txt"), "w", encoding=encoding) as f:
        f.write("\n".join(vocab_lines(task)) + "\n")
    if task.name == "sentiment":
        test_name = "test.tsv"
        with open(os.path.join(args.out, test_name), "wb") as f:
            f.write(b"reviews\tsentiment\n")
            for sentence, label in task.test_items:
                f.write(sentence + b"\t" + str(label).encode() + b"\n")
    else:
        test_name = "test.txt"
        with open(os.path.join(args.out, test_name), "wb") as f:
            f.write(task.test_text)
    with open(os.path.join(args.out, "arch.yaml"), "w") as f:
        f.write(arch_yaml(args, arrays))
    # The float64 metric of exactly the exported (float32) parameters.
    ref = AppNet(len(task.vocab), task.p["embed"], task.p["hidden"], task.classes, 0.0,
                 task.name == "sentiment", task.p.get("layers", 1))
    ref.load_state_dict({k: torch.tensor(v) for k, v in
                         [(f"lstm.{k}", arrays[k]) for k in net.lstm.state_dict()] +
                         [("embedding.weight", arrays["embedding"]),
                          ("decoder.weight", arrays["decoder_weight"]),
                          ("decoder.bias", arrays["decoder_bias"])]})
    metric = task.evaluate(ref, os.path.join(args.out, test_name))
    torch_lines = "".join(f"  {k}: {v!r}\n" for k, v in metric.items())
    sparsity = (f"{args.pattern} sx {args.sx} sh {args.sh}" if args.pattern == "dual_ratio"
                else f"{args.pattern} {args.sx}" if args.pattern != "dense" else "dense")
    layers = f"layers: {task.p['layers']}\n" if "layers" in task.p else ""
    with open(os.path.join(args.out, "app.yaml"), "w") as f:
        f.write(f"""# Written by scripts/train_app.py ({sparsity}, lanes {args.lanes}, seed {args.seed},
# {seconds:.0f} s of training); read by `sparrow app` (docs/apps.md).
name: {task.name}
task: {task.name}
model: model.npz
vocab: vocab.txt
test: {test_name}
seq_len: {task.p['seq_len']}
input_size: {task.p['embed']}
hidden_size: {task.p['hidden']}
{layers}arch: arch.yaml
torch:  # measured by PyTorch in float64 on the test file with the exported parameters
{torch_lines}""")
    return metric


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("task", choices=sorted(TASKS))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"),
                    help="the shared data folder (sentiment/, tinyshakespeare/)")
    ap.add_argument("--out", help="export folder (default out/apps/TASK)")
    ap.add_argument("--pattern", default="dual_ratio",
                    choices=["dual_ratio", "single_ratio", "unstructured", "dense"])
    ap.add_argument("--sx", type=float, default=0.875, help="W_x sparsity (dual_ratio)")
    ap.add_argument("--sh", type=float, default=0.75, help="W_h sparsity (dual_ratio)")
    ap.add_argument("--sparsity", type=float, help="single_ratio and unstructured")
    ap.add_argument("--lanes", type=int, default=8, help="MAC lanes per PE (lane segments)")
    ap.add_argument("--wx-bits", type=int, default=8)
    ap.add_argument("--wh-bits", type=int, default=8)
    ap.add_argument("--dense", help="dense checkpoint: reused if it exists, written otherwise")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1, help="PyTorch threads")
    args = ap.parse_args()
    if args.sparsity is not None:
        args.sx = args.sh = args.sparsity
    if args.pattern == "dense":  # exported unpruned; sparrow keeps every weight at 0 / 0
        args.sx = args.sh = 0.0
    args.out = args.out or os.path.join(ROOT, "out", "apps", args.task)
    torch.set_num_threads(args.threads)
    if not os.path.isdir(args.data):
        sys.exit(f"train_app.py: error: --data {args.data}: not a folder (need sentiment/ and "
                 "tinyshakespeare/ of the shared data)")
    t0 = time.time()
    task = Task(args.task, args)
    net = train(task, args)
    seconds = time.time() - t0
    metric = export(task, net, args, seconds)
    print(f"{args.task}: trained, pruned and exported to {args.out} in {seconds:.0f} s; "
          f"PyTorch float64 on the test file: {metric}")


if __name__ == "__main__":
    main()
