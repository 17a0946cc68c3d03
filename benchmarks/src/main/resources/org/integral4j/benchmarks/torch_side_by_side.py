#!/usr/bin/env python3
"""PyTorch side of Integral4J's side-by-side benchmark (org.integral4j.benchmarks.SideBySideBenchmark).

The Java program starts this script once and drives it over stdin/stdout, one JSON object per line,
so that PyTorch and Integral4J rounds can be interleaved (a drifting machine load then hits both
alike). Requests and replies:

  {"cmd": "hello"}                              -> {"ok": true, "torch": "1.13.0", "threads": 2,
                                                    "torch_integral": false, "note": "..."}
  {"cmd": "setup", "network": "cnn" | "resnet18", "batch": 64, "image": 28, "channels": 1,
   "classes": 10, "widths": [0.5, 0.3], "seed": 1} -> {"ok": true, "cases": [...], "params": {...}}
  {"cmd": "run", "case": "train_discrete", "n": 1} -> {"ok": true, "ms": [..], "cpu_ms": [..]}
  {"cmd": "quit"}

Cases: train_discrete (zero_grad, forward, cross-entropy, backward, Adam step), eval_discrete
(no_grad forward in eval mode), eval_width_<r> (the same network built with every width
round(r * width), as Integral4J exports it), and, when TorchIntegral is importable,
train_integral, train_integral_random and eval_integral.

The networks are the ones of the Java side: the small CNN (conv 3x3 32 - relu - maxpool 2 -
conv 3x3 64 - relu - maxpool 2 - dense 128 - relu - dense 10) and a ResNet-18 (torchvision's
layout: 7x7/2 stem, 3x3/2 max pool, four stages of two basic blocks with widths 64-128-256-512,
global average pooling, a dense classifier). Run standalone for a quick look:
  python3 torch_side_by_side.py --selftest
"""

import json
import math
import os
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    HAVE_TORCH = True
except ImportError as e:  # reported in the hello reply
    HAVE_TORCH = False
    TORCH_ERROR = str(e)

try:
    import torch_integral  # noqa: F401  (TheStageAI/TorchIntegral)
    HAVE_TORCH_INTEGRAL = True
    TORCH_INTEGRAL_NOTE = ""
except Exception as e:  # ImportError, or a broken install
    HAVE_TORCH_INTEGRAL = False
    TORCH_INTEGRAL_NOTE = "TorchIntegral is not importable (" + type(e).__name__ + ": " + str(e) + \
        "); its columns are skipped"


def scaled(width, ratio):
    """Integral4J's resize rule: max(2, round-half-up(ratio * width))."""
    return max(2, int(math.floor(ratio * width + 0.5)))


if HAVE_TORCH:

    class SmallCnn(nn.Module):
        def __init__(self, channels=1, image=28, classes=10, ratio=1.0):
            super().__init__()
            c1, c2, f1 = scaled(32, ratio), scaled(64, ratio), scaled(128, ratio)
            self.conv1 = nn.Conv2d(channels, c1, 3)
            self.conv2 = nn.Conv2d(c1, c2, 3)
            side = ((image - 2) // 2 - 2) // 2
            self.fc1 = nn.Linear(c2 * side * side, f1)
            self.fc2 = nn.Linear(f1, classes)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), 2)
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = F.relu(self.fc1(torch.flatten(x, 1)))
            return self.fc2(x)

    class BasicBlock(nn.Module):
        def __init__(self, cin, width, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, width, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(width)
            self.conv2 = nn.Conv2d(width, width, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(width)
            self.downsample = None
            if stride != 1 or cin != width:
                self.downsample = nn.Sequential(nn.Conv2d(cin, width, 1, stride, bias=False), nn.BatchNorm2d(width))

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            shortcut = x if self.downsample is None else self.downsample(x)
            return F.relu(out + shortcut)

    class ResNet18(nn.Module):
        def __init__(self, channels=3, classes=1000, ratio=1.0):
            super().__init__()
            widths = [scaled(w, ratio) for w in (64, 128, 256, 512)]
            self.conv1 = nn.Conv2d(channels, widths[0], 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(widths[0])
            blocks = []
            cin = widths[0]
            for stage, width in enumerate(widths):
                for block in range(2):
                    blocks.append(BasicBlock(cin, width, 2 if stage > 0 and block == 0 else 1))
                    cin = width
            self.blocks = nn.Sequential(*blocks)
            self.fc = nn.Linear(cin, classes)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
            x = self.blocks(x)
            return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def counts(model):
    """Trainable parameters, and parameters plus batch-norm running statistics (DL4J's numParams)."""
    params = sum(p.numel() for p in model.parameters())
    stats = sum(b.numel() for name, b in model.named_buffers() if name.endswith("running_mean")
                or name.endswith("running_var"))
    return {"trainable": params, "with_running_stats": params + stats}


class Bench:
    def __init__(self, req):
        torch.manual_seed(req.get("seed", 1))
        self.network = req["network"]
        batch, image, channels, classes = req["batch"], req["image"], req["channels"], req["classes"]
        self.x = torch.rand(batch, channels, image, image)
        self.y = torch.arange(batch) % classes
        self.models = {}
        self.cases = {}
        build = (lambda r: SmallCnn(channels, image, classes, r)) if self.network == "cnn" \
            else (lambda r: ResNet18(channels, classes, r))
        full = build(1.0)
        self.opt = torch.optim.Adam(full.parameters(), lr=1e-3)
        self.models["full"] = full
        self.cases["train_discrete"] = lambda: self.train_step(full, self.opt)
        self.cases["eval_discrete"] = lambda: self.eval_step(full)
        self.params = {"full": counts(full)}
        for r in req.get("widths", []):
            m = build(r)
            m.eval()
            key = "eval_width_%g" % r
            self.models[key] = m
            self.cases[key] = (lambda mm: (lambda: self.eval_step(mm)))(m)
            self.params[key] = counts(m)

    def train_step(self, model, opt):
        model.train()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(self.x), self.y)
        loss.backward()
        opt.step()

    def eval_step(self, model):
        model.eval()
        with torch.no_grad():
            model(self.x)

    def run(self, case, n):
        fn = self.cases[case]
        ms, cpu = [], []
        for _ in range(n):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            ms.append((time.perf_counter() - t0) * 1e3)
            cpu.append((time.process_time() - c0) * 1e3)
        return ms, cpu


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def serve():
    bench = None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            cmd = req.get("cmd")
            if cmd == "hello":
                if not HAVE_TORCH:
                    reply({"ok": False, "error": "PyTorch is not importable: " + TORCH_ERROR})
                    continue
                threads = int(req.get("threads", os.cpu_count() or 1))
                torch.set_num_threads(threads)
                reply({"ok": True, "torch": torch.__version__, "threads": torch.get_num_threads(),
                       "torch_integral": HAVE_TORCH_INTEGRAL, "note": TORCH_INTEGRAL_NOTE,
                       "python": sys.version.split()[0]})
            elif cmd == "setup":
                bench = Bench(req)
                reply({"ok": True, "cases": sorted(bench.cases), "params": bench.params})
            elif cmd == "run":
                ms, cpu = bench.run(req["case"], int(req.get("n", 1)))
                reply({"ok": True, "ms": ms, "cpu_ms": cpu})
            elif cmd == "quit":
                reply({"ok": True})
                return
            else:
                reply({"ok": False, "error": "unknown command " + str(cmd)})
        except Exception as e:  # report and keep serving
            reply({"ok": False, "error": type(e).__name__ + ": " + str(e)})


def selftest():
    torch.set_num_threads(os.cpu_count() or 1)
    for network, batch, image, channels, classes in (("cnn", 64, 28, 1, 10), ("resnet18", 16, 64, 3, 200)):
        b = Bench({"network": network, "batch": batch, "image": image, "channels": channels, "classes": classes,
                   "widths": [0.5, 0.3]})
        for case in sorted(b.cases):
            b.run(case, 2)
            ms, _ = b.run(case, 5)
            print("%-9s %-18s %8.2f ms (median of 5)" % (network, case, sorted(ms)[2]))
        print(network, b.params)


if __name__ == "__main__":
    if "--selftest" in sys.argv:
        selftest()
    else:
        serve()
