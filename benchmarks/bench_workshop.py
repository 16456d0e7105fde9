"""How many learners does one workshop machine hold? N simulated learners on a JupyterHub, each moving
a slider of a lesson's live figure in their own kernel at a learner's pace, all at once.

The hub is the one tests/test_workshop.py runs (workshop/jupyterhub_test_config.py: the production
settings, a test spawner), on loopback ports; each learner has a server and one kernel, reached
through the proxy over the kernel's websocket, as JupyterLab does (tests/workshop_harness.py). Each
kernel builds lesson 05's momentum explorer; then, for each N, N learners move its β slider together
for --seconds: one move (a new value, as a key press or a click on the track sends it) every 1-2 s,
the pause drawn from a seeded generator, each learner starting at a random offset. A move is timed
from the comm message sent to the new PNG frame received (the browser's own drawing of the PNG,
~10-20 ms in tests/test_browser.py, is not included).

Printed per N: the moves timed, their median, 95th percentile and maximum, each learner's memory
(server + kernel: resident set and proportional set size, MB), the hub's and the proxy's, and the CPU
time that the hub's processes (hub, proxy, servers, kernels) used during the round, per move and as a
share of the machine's cores. Growing stops after the first N whose median passes --stop-ms.

Needs the workshop tools beside the environment (bash workshop/install-beside.sh). Run from the
repository root, on an otherwise idle machine (about 13 minutes and 9 GB of memory with the defaults)::

    NNLIB_WORKSHOP=.workshop .venv/bin/python benchmarks/bench_workshop.py
    NNLIB_WORKSHOP=.workshop .venv/bin/python benchmarks/bench_workshop.py --learners 1,2,4 --seconds 20

Every process it started is stopped by its pid when it ends, also on failure, Ctrl-C or SIGTERM.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import workshop_harness as wh  # noqa: E402

WIDGET_CELL = """%matplotlib inline
from course.widgets import lesson05
explorer = lesson05.momentum_explorer()
display(explorer)"""
SLIDER = "momentum β"
START_BATCH = 4              # servers started at once (the hub allows 10; a small machine prefers fewer)
TARGET_MS = 150


class Learner:
    """One learner: a server, a kernel with the live figure, and the comm ids of its slider and image."""

    def __init__(self, hub, index):
        self.name = f"learner{index}"
        self.index = index
        self.hub = hub

    def open_figure(self):
        self.kernel = wh.Kernel(self.hub, self.name, "")
        _, got = self.kernel.execute(WIDGET_CELL)
        models = wh.widget_models(got)
        (self.slider, state), = [(cid, s) for cid, (s, _) in models.items()
                                 if s["_model_name"] == "FloatSliderModel" and s["description"] == SLIDER]
        self.image, = [cid for cid, (s, _) in models.items() if s["_model_name"] == "ImageModel"]
        steps = round((state["max"] - state["min"]) / state["step"])
        self.values = [round(state["min"] + i * state["step"], 10) for i in range(steps + 1)]
        self.value = state["value"]
        self.move(random.Random(self.index))                      # warm-up, not timed

    def move(self, rng):
        """One slider move; returns seconds from the comm message to the new frame."""
        value = rng.choice([v for v in self.values if abs(v - self.value) > 1e-9])
        t0 = time.perf_counter()
        msg_id = self.kernel.move(self.slider, value)
        framed, idle = None, False
        while framed is None or not idle:
            msg, _ = self.kernel.recv()
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if framed is None and wh.is_frame(msg, self.image):
                framed = time.perf_counter() - t0
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
                if framed is None:
                    raise AssertionError(f"{self.name}: a slider move brought no new frame")
        self.value = value
        return framed

    def play(self, seconds, pace, seed, out, errors):
        """Move at a learner's pace for ``seconds``; append the timings to ``out``."""
        rng = random.Random(seed)
        start = time.perf_counter()
        due = start + rng.uniform(0, pace[1])
        try:
            while True:
                now = time.perf_counter()
                if due - start > seconds:
                    return
                if due > now:
                    time.sleep(due - now)
                out.append(self.move(rng))
                due = max(due + rng.uniform(*pace), time.perf_counter())
        except Exception as e:                                  # reported by the main thread
            errors.append(f"{self.name}: {e!r}")


def _processes(hub):
    """The hub's process tree by role: hub, proxy, and per learner [server, kernel, ...]."""
    import psutil
    hub_proc = psutil.Process(hub.processes.root)
    roles = {"hub": [hub_proc], "proxy": [], "learners": {}}
    for p in hub_proc.children(recursive=True):
        try:
            cmd = " ".join(p.cmdline())
            if "configurable-http-proxy" in cmd:
                roles["proxy"].append(p)
            elif "jupyterhub.singleuser" in cmd or "jupyterhub-singleuser" in cmd:
                user = p.environ().get("JUPYTERHUB_USER", "?")
                roles["learners"].setdefault(user, []).extend([p, *p.children(recursive=True)])
        except psutil.Error:
            continue
    return roles


def _cpu(procs):
    import psutil
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _memory(procs):
    """(RSS, PSS) in MB summed over ``procs``."""
    import psutil
    rss = pss = 0
    for p in procs:
        try:
            m = p.memory_full_info()
            rss, pss = rss + m.rss, pss + m.pss
        except psutil.Error:
            pass
    return rss / 2**20, pss / 2**20


def _all(roles):
    return [*roles["hub"], *roles["proxy"], *(p for ps in roles["learners"].values() for p in ps)]


def percentile(values, q):
    """The q-th percentile (0-100), linear between the closest ranks."""
    xs = sorted(values)
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def run_round(hub, learners, seconds, pace, seed):
    import psutil
    roles = _processes(hub)
    procs = _all(roles)
    cpu0, me0, t0 = _cpu(procs), _cpu([psutil.Process()]), time.perf_counter()
    timings, errors = [], []
    threads = [threading.Thread(target=lr.play, args=(seconds, pace, seed * 1000 + lr.index, timings, errors),
                                daemon=True) for lr in learners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise AssertionError("; ".join(errors))
    roles = _processes(hub)                      # the same processes, read again
    cpu = _cpu(_all(roles)) - cpu0
    client = _cpu([psutil.Process()]) - me0
    per_learner = [_memory(ps) for name, ps in roles["learners"].items()
                   if name in {lr.name for lr in learners}]
    hub_mb = _memory(roles["hub"])[0] + _memory(roles["proxy"])[0]
    return {"N": len(learners), "moves": len(timings),
            "median": statistics.median(timings) * 1000, "p95": percentile(timings, 95) * 1000,
            "max": max(timings) * 1000,
            "rss": statistics.mean(m[0] for m in per_learner),
            "pss": statistics.mean(m[1] for m in per_learner),
            "hub": hub_mb, "cpu_ms_per_move": cpu / len(timings) * 1000,
            "busy": cpu / wall / os.cpu_count() * 100, "client": client / wall / os.cpu_count() * 100}


HEADER = (f"{'N':>3} {'moves':>6} {'median ms':>10} {'p95 ms':>7} {'max ms':>7} {'MB/learner':>11} "
          f"{'(PSS)':>6} {'hub+proxy MB':>13} {'CPU ms/move':>12} {'cores busy':>11}")


def row(r):
    return (f"{r['N']:>3} {r['moves']:>6} {r['median']:>10.0f} {r['p95']:>7.0f} {r['max']:>7.0f} "
            f"{r['rss']:>11.0f} {r['pss']:>6.0f} {r['hub']:>13.0f} {r['cpu_ms_per_move']:>12.0f} "
            f"{r['busy']:>10.0f}%")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--learners", default="1,2,4,8,16,24,32,40,48",
                    help="the values of N, comma-separated (default: 1,2,4,8,16,24,32,40,48)")
    ap.add_argument("--seconds", type=float, default=40, help="seconds of slider moves per N (default: 40)")
    ap.add_argument("--pace", default="1,2", help="pause between a learner's moves, min,max s (default: 1,2)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--stop-ms", type=float, default=2 * TARGET_MS,
                    help=f"stop after the first N whose median passes this (default: {2 * TARGET_MS} ms)")
    args = ap.parse_args(argv)
    # a plain `kill` stops the hub and everything it started too (Python's default would not clean up)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sizes = sorted({int(n) for n in args.learners.split(",")})
    pace = tuple(float(x) for x in args.pace.split(","))
    try:
        env = wh.tools_env()
    except wh.MissingTools as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    names = [f"learner{i}" for i in range(1, sizes[-1] + 1)]
    folder = Path(tempfile.mkdtemp(prefix="nnlib-bench-workshop-"))
    cores = os.cpu_count()
    print(f"{cores} cores; lesson 05 momentum explorer, slider '{SLIDER}', one move every "
          f"{pace[0]:g}-{pace[1]:g} s per learner, {args.seconds:g} s per N", flush=True)
    results, learners = [], []
    try:
        with wh.running_hub(folder, names, env=env) as hub:
            for n in sizes:
                new = [Learner(hub, i) for i in range(len(learners) + 1, n + 1)]
                for k in range(0, len(new), START_BATCH):
                    batch = [lr.name for lr in new[k:k + START_BATCH]]
                    wh.start_servers(hub, batch)
                    wh.wait_ready(hub, batch, timeout=180)
                for lr in new:
                    lr.open_figure()
                learners += new
                for lr in learners:          # sockets left unread while others started were closed
                    lr.kernel.connect()
                hub.processes.record()
                if not results:
                    print(HEADER, flush=True)
                results.append(run_round(hub, learners, args.seconds, pace, args.seed))
                print(row(results[-1]), flush=True)
                if results[-1]["median"] > args.stop_ms:
                    print(f"(stopped: the median passed {args.stop_ms:.0f} ms)")
                    break
            for lr in learners:
                lr.kernel.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    within = [r for r in results if r["median"] <= TARGET_MS]
    if within:
        best = within[-1]
        print(f"\nlargest N measured with median <= {TARGET_MS} ms: {best['N']} on {cores} cores "
              f"= {best['N'] / cores:g} learners per core")
    one = results[0]
    rate = 2 / (pace[0] + pace[1])
    print(f"CPU per learner: {one['cpu_ms_per_move']:.0f} ms per move x {rate:.2f} moves/s = "
          f"{one['cpu_ms_per_move'] * rate / 10:.1f} % of a core (N = 1); this script's own CPU: "
          f"{max(r['client'] for r in results):.0f} % of the machine at most")
    return 0


if __name__ == "__main__":
    sys.exit(main())
