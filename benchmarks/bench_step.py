"""Time one training step of nnlib against the same arithmetic fused into one NumPy function.

One step is: forward, softmax cross-entropy (log-sum-exp), backward, optimizer update.
nnlib does it through its classes::

    model.zero_grad(); out = model.forward(X); loss_fn.forward(out, y)
    model.backward(loss_fn.backward(), input_grad=False); opt.step(model)

The reference does the same arithmetic in one plain function over the weight arrays
(``fused_sgd_step`` and ``fused_adam_step`` below). The ratio nnlib / fused is the price
of the library's structure: Python calls, validation, gradient accumulation.

Before timing, each pair is checked to give the same updated weights (``np.allclose``)
after one step from identical weights and data, so both sides do the same work.
The two sides are then timed in alternating blocks (the one that goes first alternates
too), so that noise from other processes hits both alike. A block's time per step is
its wall time (``time.perf_counter``) divided by its repetitions; the table shows the
median over blocks of each side, and the ratio is the median of the per-block ratios,
with its quartiles in brackets as a measure of the noise. The garbage collector is off
while a block runs, as in ``timeit``.

Run from the repository root::

    python benchmarks/bench_step.py           # about 50 s
    python benchmarks/bench_step.py --quick   # about 6 s, noisier

BLAS runs on one thread unless you set ``OPENBLAS_NUM_THREADS`` (or ``OMP_NUM_THREADS``,
``MKL_NUM_THREADS``) yourself: on a small machine shared with other jobs, multi-threaded
BLAS spin-waits for a busy core and turns their load into outliers of 100x.
"""
from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")                 # before NumPy loads its BLAS

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # time this checkout's nnlib
import nnlib as nn  # noqa: E402

TARGET = 1.25                      # nnlib may take at most 25% longer than the fused step
SIZES = [((2, 16, 16, 2), 32), ((64, 128, 10), 64), ((784, 256, 256, 10), 128)]
DTYPES = [np.float32, np.float64]
SGD_LR = 0.01
ADAM = dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)


# --- the fused reference: plain functions, no classes ------------------------------------

def fused_sgd_step(Ws, bs, X, y, lr, input_grad=False):
    """One SGD step of a ReLU MLP with softmax cross-entropy; updates ``Ws``, ``bs`` in place.

    Returns the mean loss over the batch (before the update). ``input_grad=True`` also
    computes dL/dX, which a training step does not need (``fit`` calls
    ``Sequential.backward(..., input_grad=False)``, as the nnlib side here does); it costs
    one more matmul the size of the first layer's forward pass.
    """
    N = X.shape[0]
    hs = [X]                                         # inputs of each Dense layer
    for W, b in zip(Ws[:-1], bs[:-1]):
        hs.append(np.maximum(hs[-1] @ W + b, 0))
    z = hs[-1] @ Ws[-1] + bs[-1]                     # logits (N, C)
    shifted = z - z.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N)
    loss = float(-logp[rows, y].mean())
    d = np.exp(logp)                                 # dL/dz = (softmax - onehot) / N
    d[rows, y] -= 1
    d /= N
    for i in range(len(Ws) - 1, -1, -1):
        h = hs[i]
        dW = h.T @ d
        db = d.sum(axis=0)
        if i:
            d = d @ Ws[i].T
            d *= h > 0                               # ReLU': h > 0 exactly where z > 0
        elif input_grad:
            dX = d @ Ws[0].T                         # noqa: F841 (computed, then dropped)
        Ws[i] -= lr * dW
        bs[i] -= lr * db
    return loss


def fused_adam_step(Ws, bs, ms, vs, t, X, y, lr, beta1, beta2, eps, input_grad=False):
    """One Adam step (Kingma & Ba 2015, alg. 1) of the same network; ``t`` counts from 1.

    ``ms`` and ``vs`` hold the first and second moments, weights first then biases.
    """
    N = X.shape[0]
    hs = [X]
    for W, b in zip(Ws[:-1], bs[:-1]):
        hs.append(np.maximum(hs[-1] @ W + b, 0))
    z = hs[-1] @ Ws[-1] + bs[-1]
    shifted = z - z.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N)
    loss = float(-logp[rows, y].mean())
    d = np.exp(logp)
    d[rows, y] -= 1
    d /= N
    L = len(Ws)
    c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
    for i in range(L - 1, -1, -1):
        h = hs[i]
        dW = h.T @ d
        db = d.sum(axis=0)
        if i:
            d = d @ Ws[i].T
            d *= h > 0
        elif input_grad:
            dX = d @ Ws[0].T                         # noqa: F841
        for p, g, m, v in ((Ws[i], dW, ms[i], vs[i]), (bs[i], db, ms[L + i], vs[L + i])):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            p -= lr * (m / c1) / (np.sqrt(v / c2) + eps)
    return loss


# --- one benchmark case -------------------------------------------------------------------

def make_case(sizes, batch, dtype, opt_name, seed):
    """nnlib model, optimizer and data, and fused steps over copies of the same weights.

    Returns ``{name: (step, weights)}`` for "nnlib", "fused" and "fused+dX"; each ``step()``
    performs one training step and returns the loss, ``weights`` lists the arrays it updates.
    """
    rng = np.random.default_rng(seed)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nn.Dense(n_in, n_out, rng=rng, dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(layers)
    X = rng.standard_normal((batch, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], batch)
    loss_fn = nn.SoftmaxCrossEntropy()
    opt = nn.optim.SGD(lr=SGD_LR) if opt_name == "SGD" else nn.optim.Adam(**ADAM)
    dense = [layer for layer in layers if isinstance(layer, nn.Dense)]

    def nnlib_step():
        model.zero_grad()
        out = model.forward(X)
        loss = loss_fn.forward(out, y)
        model.backward(loss_fn.backward(), input_grad=False)
        opt.step(model)
        return loss

    def fused(input_grad):
        Ws = [layer.params["W"].copy() for layer in dense]
        bs = [layer.params["b"].copy() for layer in dense]
        weights = [a for pair in zip(Ws, bs) for a in pair]
        if opt_name == "SGD":
            def step():
                return fused_sgd_step(Ws, bs, X, y, SGD_LR, input_grad)
            return step, weights
        ms = [np.zeros_like(p) for p in Ws + bs]
        vs = [np.zeros_like(p) for p in Ws + bs]
        t = [0]

        def step():
            t[0] += 1
            return fused_adam_step(Ws, bs, ms, vs, t[0], X, y, **ADAM, input_grad=input_grad)
        return step, weights

    nnlib_weights = [a for layer in dense for a in (layer.params["W"], layer.params["b"])]
    return {"nnlib": (nnlib_step, nnlib_weights), "fused": fused(False), "fused+dX": fused(True)}


def check_same_step(case, dtype):
    """One step of each from identical weights; return the largest weight difference to nnlib."""
    ref_step, ref_weights = case["nnlib"]
    for _, weights in case.values():
        if not all(np.array_equal(a, b) for a, b in zip(ref_weights, weights)):
            raise AssertionError("initial weights differ")
    losses = {name: step() for name, (step, _) in case.items()}
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    diff = 0.0
    for name, (_, weights) in case.items():
        same = np.isclose(losses[name], losses["nnlib"], **tol) and all(
            a.dtype == b.dtype and np.allclose(a, b, **tol) for a, b in zip(ref_weights, weights))
        if not same:
            raise SystemExit(f"nnlib and {name} disagree after one step (losses {losses['nnlib']} and "
                             f"{losses[name]}); the comparison would not be of identical arithmetic.")
        diff = max([diff] + [float(np.max(np.abs(a - b))) for a, b in zip(ref_weights, weights)])
    return diff


def time_block(step, reps):
    gc.disable()
    try:
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        return (time.perf_counter() - t0) / reps
    finally:
        gc.enable()


def measure(steps, block_s, budget_s, min_blocks):
    """Time ``steps`` (a dict of callables) in rotating order, block after block.

    Returns ``(times, blocks)``: ``times[name]`` is an array of seconds per step, one per block.
    """
    names = list(steps)
    for _ in range(3):                                   # warm up caches and allocators
        for name in names:
            steps[name]()
    per_step = min(time_block(steps["fused"], 1) for _ in range(10))
    reps = max(1, round(block_s / per_step))            # a block of the fused step takes ~block_s
    times = {name: [] for name in names}
    start, k = time.perf_counter(), 0
    while k < min_blocks or time.perf_counter() - start < budget_s:
        for name in names[k % len(names):] + names[:k % len(names)]:
            times[name].append(time_block(steps[name], reps))
        k += 1
    return {name: np.array(t) for name, t in times.items()}, k


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="short run (~6 s), noisier numbers")
    parser.add_argument("--seed", type=int, default=0, help="seed of numpy.random.default_rng")
    args = parser.parse_args(argv)
    block_s, budget_s, min_blocks = (0.004, 0.35, 9) if args.quick else (0.015, 3.3, 25)

    threads = ", ".join(f"{k}={os.environ[k]}" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                                         "MKL_NUM_THREADS") if k in os.environ)
    print(f"nnlib {nn.__version__}, NumPy {np.__version__}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {threads}; {'quick' if args.quick else 'full'} run")
    print("µs/step: median over blocks; ratio: median over blocks of nnlib/fused [quartiles];")
    print("fused+dX also computes dL/dX, the input gradient that nnlib skips in training (input_grad=False).")
    header = (f"{'size':<15} {'batch':>5} {'dtype':<7} {'opt':<4} {'nnlib µs':>9} {'fused µs':>9} "
              f"{'ratio':>5} {'[q1, q3]':<12} {'fused+dX µs':>11} {'ratio':>5} {'blocks':>6} {'maxdiff':>7}")
    print(header)
    print("-" * len(header))
    t0 = time.perf_counter()
    results = []
    for sizes, batch in SIZES:
        for dtype in DTYPES:
            for opt_name in ("SGD", "Adam"):
                case = make_case(sizes, batch, dtype, opt_name, args.seed)
                with np.errstate(over="raise", invalid="raise", divide="raise"):
                    diff = check_same_step(case, dtype)
                times, blocks = measure({name: step for name, (step, _) in case.items()},
                                        block_s, budget_s, min_blocks)
                med = {name: np.median(t) * 1e6 for name, t in times.items()}
                q1, ratio, q3 = np.percentile(times["nnlib"] / times["fused"], [25, 50, 75])
                ratio_dx = np.median(times["nnlib"] / times["fused+dX"])
                name = f"{'-'.join(map(str, sizes))} {np.dtype(dtype).name} {opt_name}"
                results.append((name, ratio, ratio_dx))
                print(f"{'-'.join(map(str, sizes)):<15} {batch:>5} {np.dtype(dtype).name:<7} "
                      f"{opt_name:<4} {med['nnlib']:>9.1f} {med['fused']:>9.1f} {ratio:>5.2f} "
                      f"{f'[{q1:.2f}, {q3:.2f}]':<12} {med['fused+dX']:>11.1f} {ratio_dx:>5.2f} "
                      f"{blocks:>6} {diff:>7.0e}", flush=True)
    worst = max(results, key=lambda r: r[1])
    worst_dx = max(results, key=lambda r: r[2])
    print(f"every nnlib/fused ratio <= {TARGET}: {'yes' if worst[1] <= TARGET else 'NO'} "
          f"(worst {worst[1]:.2f}, {worst[0]})")
    print(f"every nnlib/(fused+dX) ratio <= {TARGET}: {'yes' if worst_dx[2] <= TARGET else 'NO'} "
          f"(worst {worst_dx[2]:.2f}, {worst_dx[0]}); total {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
