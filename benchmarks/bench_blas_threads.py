"""Does a multi-threaded BLAS help or hurt the course's networks? Time training steps with one
BLAS thread and with OpenBLAS's default, side by side, and print the ratios.

Each setting runs in its own Python process (the thread count is fixed when NumPy loads its
BLAS), and the two alternate in rounds so that whatever else the machine is doing hits both.
One step is what ``nn.fit`` does: zero_grad, forward, softmax cross-entropy, backward, Adam.

Run from the repository root::

    python benchmarks/bench_blas_threads.py            # about 30 s
    python benchmarks/bench_blas_threads.py --load     # the same with a busy-loop on every core

``--load`` imitates a shared workshop server (other kernels computing): that is where the
default threads lose, because a multi-threaded product waits for a core that is busy.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = [[64, 256, 10], [64, 256, 256, 256, 10]]
ROUNDS, STEPS = 5, 30

CHILD = r"""
import json, sys, time
import numpy as np
sys.path.insert(0, sys.argv[1])
import nnlib as nn
rng = nn.make_rng(0)
X, y = rng.standard_normal((64, 64)), rng.integers(0, 10, 64)
loss_fn, out = nn.SoftmaxCrossEntropy(), {}
for sizes in json.loads(sys.argv[2]):
    layers = []
    for a, b in zip(sizes[:-2], sizes[1:-1]):
        layers += [nn.Dense(a, b, rng=rng), nn.ReLU()]
    model = nn.Sequential(layers + [nn.Dense(sizes[-2], sizes[-1], rng=rng)])
    opt, times = nn.optim.Adam(lr=1e-3), []
    for _ in range(int(sys.argv[3]) + 3):
        t0 = time.perf_counter()
        model.zero_grad()
        loss_fn(model(X), y)
        model.backward(loss_fn.backward(), input_grad=False)
        opt.step(model)
        times.append(time.perf_counter() - t0)
    out["-".join(map(str, sizes))] = times[3:]          # the first steps warm up
print(json.dumps(out))
"""


def _run(threads):
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(var, None)
        if threads:
            env[var] = str(threads)
    res = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), json.dumps(SIZES), str(STEPS)],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def _spin(stop):
    while not stop.is_set():
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--load", action="store_true", help="keep every core busy while timing")
    args = parser.parse_args(argv)
    stop, spinners = mp.Event(), []
    if args.load:
        spinners = [mp.Process(target=_spin, args=(stop,), daemon=True) for _ in range(os.cpu_count() or 1)]
        for p in spinners:
            p.start()
    try:
        times = {"1 thread": {}, "default": {}}
        for r in range(ROUNDS):
            for name in (["1 thread", "default"] if r % 2 == 0 else ["default", "1 thread"]):
                for size, t in _run(1 if name == "1 thread" else None).items():
                    times[name].setdefault(size, []).extend(t)
    finally:
        stop.set()
        for p in spinners:
            p.join()
    import numpy as np
    print(f"{os.cpu_count()} CPUs; {'with a busy-loop on every core' if args.load else 'no extra load'}; "
          f"{ROUNDS} alternating rounds of {STEPS} steps each (batch 64, Adam)")
    print(f"{'network':<22} {'1 thread ms':>12} {'default ms':>11} {'default/1':>10} "
          f"{'max 1 / default ms':>19}")
    for size in times["1 thread"]:
        one, dflt = np.array(times["1 thread"][size]) * 1e3, np.array(times["default"][size]) * 1e3
        print(f"{size:<22} {np.median(one):12.2f} {np.median(dflt):11.2f} "
              f"{np.median(dflt) / np.median(one):10.2f} {one.max():9.1f} / {dflt.max():<7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
