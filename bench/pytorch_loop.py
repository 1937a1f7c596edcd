"""The hand-written PyTorch twin of bench/Trainer.Bench/RawLoop.cs: the same data (the tensors the C# side prepared,
read from DATA_DIR), architecture, Adam, batch size, seed and threads; a seeded permutation per epoch, index_select
batches, a validation pass per epoch. Prints one line: RESULT {json}, as the C# children do.

Run by the benchmark with Debian's python3-torch on the OpenMP OpenBLAS (see bench/README.md):
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp python3 bench/pytorch_loop.py mlp|cnn|linear EPOCHS DATA_DIR
"""
import json
import os
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

THREADS, SEED = 2, 42


def load(folder, split, shape):
    count = shape[split]
    features = np.fromfile(os.path.join(folder, f"{split}-x.f32"), dtype=np.float32).reshape(count, *shape["featureShape"])
    labels = np.fromfile(os.path.join(folder, f"{split}-y.i64"), dtype=np.int64)
    return torch.from_numpy(features), torch.from_numpy(labels)


def build(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(),
                             nn.Linear(784, 256, bias=False), nn.BatchNorm1d(256), nn.ReLU(),
                             nn.Linear(256, 256, bias=False), nn.BatchNorm1d(256), nn.ReLU(),
                             nn.Linear(256, 10))
    if name == "cnn":
        return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten(),
                             nn.Linear(64 * 7 * 7, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU(),
                             nn.Linear(128, 10))
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 10))


def init(module):
    # He initialisation, as the Trainer's default "he".
    if isinstance(module, (nn.Linear, nn.Conv2d)):
        nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
        if module.bias is not None:
            nn.init.zeros_(module.bias)


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576.0


def main():
    name, epochs, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    torch.set_num_threads(THREADS)
    torch.manual_seed(SEED)
    with open(os.path.join(folder, "shape.json")) as f:
        shape = json.load(f)
    train_x, train_y = load(folder, "train", shape)
    val_x, val_y = load(folder, "val", shape)
    net = build(name)
    net.apply(init)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    shuffle = torch.Generator().manual_seed(SEED)
    batch = 32 if name == "linear" else 128
    count = train_x.shape[0]
    epoch_seconds, samples, steps, rss = [], 0, 0, []
    for _ in range(epochs):
        net.train()
        start = time.perf_counter()
        order = torch.randperm(count, generator=shuffle)
        for first in range(0, count, batch):
            index = order.narrow(0, first, min(batch, count - first))
            x = train_x.index_select(0, index)
            y = train_y.index_select(0, index)
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(net(x), y)
            loss.backward()
            optimizer.step()
            samples += index.shape[0]
            steps += 1
        epoch_seconds.append(time.perf_counter() - start)
        net.eval()
        with torch.no_grad():
            nn.functional.cross_entropy(net(val_x), val_y).item()
        rss.append(rss_mb())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    # After a warm-up epoch when there are several, as every side measures (see RawLoop.cs).
    measured = epoch_seconds[1:] if len(epoch_seconds) > 1 else epoch_seconds
    share = len(measured) / len(epoch_seconds)
    seconds = sum(measured)
    print("RESULT " + json.dumps({"Variant": "pytorch", "SamplesPerSecond": samples * share / seconds, "StepsPerSecond": steps * share / seconds,
                                  "PeakRssMegabytes": peak, "RssMegabytesByEpoch": rss}))


if __name__ == "__main__":
    main()
