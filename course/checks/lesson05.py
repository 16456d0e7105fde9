"""Checks for lesson 05 (optimizers: from mini-batches to Adam).

Use in a notebook: ``from course.checks import lesson05 as check`` then ``check.adam_step(adam_step)``.

Conventions checked here (the lesson's, and nnlib.optim's): ``theta`` the parameters, ``g`` the
gradient at ``theta``, ``lr`` the learning rate; a step function takes arrays of one shape and
returns NEW arrays, ``(theta_new, state_new...)``, without changing its arguments in place.

A step function is checked over several steps with its state carried: the check calls it once per
gradient, each time with the state it returned the step before (the ``guard`` turns it into a
k-step run; the reference stays a step function, so that it passes its own check, and the
comparison ignores what it gives on the run's arguments). Every step is compared with the
reference step applied to the same inputs, so the
first wrong step is found and a catalogued mistake is recognised from what that one step did
(the numbers its formula gives on those inputs), however it is written.
"""
from __future__ import annotations

import copy
import itertools
from contextlib import contextmanager

import numpy as np

from ._framework import Case, Exercise, Failure, Mistake, check_type, compare_array

LESSON = "05-optimizers"


# --- running a step function for several steps ----------------------------------------------------

class _Run:
    """What a k-step run did: per step, the inputs the step function got and what it returned."""

    def __init__(self, steps, k):
        self.steps, self.k = steps, k                # steps: list of (inputs, output)

    def __repr__(self):
        return f"<a run of {len(self.steps)} of {self.k} steps>"


class _Bowl:
    """The gradient of a smooth bowl, elementwise: grad(p) = h (p - c) + 0.1 (p - c)^3.
    ``steps`` is how many Nesterov steps the check takes on it."""

    def __init__(self, h, c, steps):
        self.h, self.c, self.steps = np.asarray(h, dtype=float), np.asarray(c, dtype=float), steps

    def __call__(self, p):
        d = np.asarray(p, dtype=float) - self.c
        return self.h * d + 0.1 * d ** 3

    def __repr__(self):
        return "grad"


def _is_count(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _feedable(out, n, inputs):
    """The output can be fed to the next step: n values, each like the input it replaces."""
    if not isinstance(out, (tuple, list)) or len(out) != n:
        return False
    for o, i in zip(out, inputs):
        if isinstance(i, np.ndarray):
            if not isinstance(o, np.ndarray) or o.shape != i.shape:
                return False
        elif not _is_count(o):
            return False
    return True


def _run_steps(step, n_state, g_pos, args, kwargs):
    """Run ``step`` once per gradient in ``args[g_pos]`` (a (k, ...) array, or a gradient function
    with ``.steps``), feeding each step the first ``n_state`` values the previous one returned."""
    args = list(args)
    source = args[g_pos]
    k = source.steps if isinstance(source, _Bowl) else len(source)
    steps = []
    for j in range(k):
        if not isinstance(source, _Bowl):
            args[g_pos] = source[j]                  # a view: changing g in place shows in the case
        inputs = copy.deepcopy(args)
        out = step(*args, **kwargs)
        steps.append((inputs, copy.deepcopy(out)))
        if not _feedable(out, n_state, inputs):
            break
        args[:n_state] = [copy.deepcopy(o) for o in out]
    return _Run(steps, k)


def _stepping(n_state, g_pos):
    @contextmanager
    def guard(learner):
        yield lambda *args, **kwargs: _run_steps(learner, n_state, g_pos, args, kwargs)
    return guard


def _tol(expected):
    e = np.abs(np.asarray(expected, dtype=float))
    scale = float(e[np.isfinite(e)].max()) if np.any(np.isfinite(e)) else 0.0
    return 1e-9 * scale + 1e-300


def _check_step(names, out, exp, when):
    """Raise :class:`Failure` naming what is wrong in one step's output ``out`` (reference ``exp``)."""
    what = f"what your function returned {when}"
    together = ", ".join(names)
    check_type(out, exp, what)
    if isinstance(out, np.ndarray):
        raise Failure(f"your function returned one array {when}, expected the {len(names)} values "
                      f"({together}): return the new state too, e.g. `return {together}`")
    if not isinstance(out, (tuple, list)):
        raise Failure(f"your function returned a {type(out).__name__} {when}, expected a tuple "
                      f"({together})")
    if len(out) != len(names):
        raise Failure(f"your function returned {len(out)} values {when}, expected {len(names)} "
                      f"({together}), in that order")
    for name, o, e in zip(names, out, exp):
        if _is_count(e):
            if not _is_count(o):
                raise Failure(f"{name} {when} is {o!r} ({type(o).__name__}), expected the int {e}: "
                              f"the step count is a whole number")
            if int(o) != e:
                raise Failure(f"{name} {when} is {int(o)}, expected {e}")
        else:
            compare_array(o, e, f"{name} {when}", rtol=1e-6, atol=_tol(e))


def _first_failure(ref, names, run, kwargs):
    """``(inputs, output, expected)`` of the first step whose output is wrong, or None."""
    if not isinstance(run, _Run):
        return None
    for j, (inputs, out) in enumerate(run.steps):
        exp = ref(*copy.deepcopy(inputs), **kwargs)
        try:
            _check_step(names, out, exp, f"after step {j + 1} of {run.k}")
        except Failure:
            return inputs, out, exp
    return None


def _compare_run(ref, names):
    def compare(got, expected, case):
        if not isinstance(got, _Run):
            raise Failure(f"your function returned {type(got).__name__}")
        for j, (inputs, out) in enumerate(got.steps):
            exp = ref(*copy.deepcopy(inputs), **case.kwargs)
            _check_step(names, out, exp, f"after step {j + 1} of {got.k}")
    return compare


def _floats(values):
    try:
        return [np.asarray(v, dtype=float) for v in values]
    except (TypeError, ValueError):
        return None


def _close(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=_tol(b), equal_nan=True))


def _steps_like(ref, names, *variants):
    """Detector: on the first wrong step, one of ``variants`` (a step function with the reference's
    signature, and the indexes of the outputs it decides, None for all) gives the learner's output
    from the same inputs, and differs from the reference there."""
    def detect(got, expected, case):
        hit = _first_failure(ref, names, got, case.kwargs)
        if hit is None or not isinstance(hit[1], (tuple, list)) or len(hit[1]) != len(names):
            return False
        inputs, out, exp = hit
        out, exp = _floats(out), _floats(exp)
        if out is None:
            return False
        for variant, parts in variants:
            mine = _floats(variant(*copy.deepcopy(inputs), **case.kwargs))
            idx = range(len(names)) if parts is None else parts
            if all(_close(out[i], mine[i]) for i in idx) and not all(_close(exp[i], mine[i]) for i in idx):
                return True
        return False
    return detect


def _reordered(ref, names):
    """Detector: the first wrong step returned the right values in another order."""
    def detect(got, expected, case):
        hit = _first_failure(ref, names, got, case.kwargs)
        if hit is None or not isinstance(hit[1], (tuple, list)) or len(hit[1]) != len(names):
            return False
        out, exp = _floats(hit[1]), _floats(hit[2])
        if out is None:
            return False
        for perm in itertools.permutations(range(len(names))):
            if list(perm) != list(range(len(names))) and all(_close(out[i], exp[p]) for i, p in
                                                              enumerate(perm)):
                return True
        return False
    return detect


def _order_mistake(ref, names):
    together = ", ".join(names)
    return Mistake("wrong_order", f"the right values returned in another order than ({together})",
                   f"return them in the order of the statement: `return {together}`",
                   impl=lambda *a, **k: tuple(reversed(ref(*a, **k))), detect=_reordered(ref, names),
                   witnesses=(lambda *a, **k: list(ref(*a, **k))[1:] + list(ref(*a, **k))[:1],))


def _vectors(rng, shape, k, scale=1.0):
    return scale * rng.standard_normal(shape), scale * rng.standard_normal((k, *shape))


# --- 5.1 minibatches(N, B, rng) -------------------------------------------------------------------

def _minibatches(N, B, rng):
    perm = rng.permutation(N)
    return [perm[i:i + B] for i in range(0, N, B)]


def _batches(got):
    """The batches as 1-D int arrays, or None when ``got`` is not a list of them."""
    if not isinstance(got, (list, tuple)):
        return None
    out = []
    for b in got:
        if not isinstance(b, np.ndarray) or b.ndim != 1 or b.dtype.kind not in "iu":
            return None
        out.append(b)
    return out


def _compare_batches(got, expected, case):
    N, B = case.args[:2]
    where = f"(N = {N}, B = {B})"
    if isinstance(got, np.ndarray):
        raise Failure(f"your function returned one array of shape {got.shape}, expected a list of 1-D index "
                      f"arrays, one per batch: a 2-D array cannot hold a smaller last batch")
    if not isinstance(got, (list, tuple)):
        hint = " (it uses `yield`?): return a list, e.g. list(...)" if hasattr(got, "__next__") else ""
        raise Failure(f"your function returned a {type(got).__name__}{hint}; expected a list of index arrays")
    for j, b in enumerate(got, 1):
        if isinstance(b, (list, tuple)):
            raise Failure(f"batch {j} is a Python {type(b).__name__}, expected a NumPy int array: slice the "
                          f"permutation, perm[i:i + B]")
        if not isinstance(b, np.ndarray) or b.ndim != 1:
            raise Failure(f"batch {j} is {type(b).__name__} {np.shape(b)}, expected a 1-D NumPy int array")
        if b.dtype.kind not in "iu":
            raise Failure(f"batch {j} has dtype {b.dtype}, expected integers: indexes must be ints "
                          f"(rng.permutation(N) gives them)")
    n = -(-N // B)
    if len(got) != n:
        raise Failure(f"your function returned {len(got)} batches {where}, expected {n}")
    for j, b in enumerate(got, 1):
        size = B if j < n else N - (n - 1) * B
        if len(b) != size:
            raise Failure(f"batch {j} holds {len(b)} indexes {where}, expected {size}")
    flat = np.concatenate(got) if got else np.array([], dtype=int)
    outside = flat[(flat < 0) | (flat >= N)]
    if len(outside):
        raise Failure(f"index {outside[0]} is outside 0..{N - 1} {where}")
    values, counts = np.unique(flat, return_counts=True)
    if np.any(counts > 1):
        raise Failure(f"index {values[counts > 1][0]} appears {counts[counts > 1][0]} times in the epoch "
                      f"{where}: each example is used once per epoch")
    if N >= 3 and np.array_equal(flat, np.arange(N)):
        raise Failure(f"the indexes come in order 0, 1, ..., {N - 1} {where}: they were not shuffled")


def _flat(batches):
    return np.concatenate(batches) if batches else np.array([], dtype=int)


def _sizes_right(batches, N, B):
    n = -(-N // B)
    return len(batches) == n and all(len(b) == (B if j < n - 1 else N - (n - 1) * B)
                                     for j, b in enumerate(batches))


def _dropped(got, expected, case):
    N, B = case.args[:2]
    b = _batches(got)
    if b is None or N % B == 0:
        return False
    flat = _flat(b)
    return len(b) == N // B and all(len(x) == B for x in b) and len(np.unique(flat)) == len(flat) \
        and bool(np.all((flat >= 0) & (flat < N)))


def _padded(got, expected, case):
    N, B = case.args[:2]
    b = _batches(got)
    if b is None or N % B == 0:
        return False
    flat = _flat(b)
    return len(b) == -(-N // B) and all(len(x) == B for x in b) and set(flat.tolist()) == set(range(N))


def _sequential(got, expected, case):
    # from N = 10 on, a random permutation is the identity with probability below 3e-7
    N = case.args[0]
    b = _batches(got)
    return b is not None and N >= 10 and np.array_equal(_flat(b), np.arange(N))


def _wrong_length(got, expected, case):
    N = case.args[0]
    b = _batches(got)
    if b is None:
        return False
    flat, seen = _flat(b), set(_flat(b).tolist())
    return len(flat) > 0 and len(seen) == len(flat) and (
        (len(flat) != N and seen == set(range(len(flat)))) or seen == set(range(1, N + 1)))


def _resized(got, expected, case):
    N, B = case.args[:2]
    b = _batches(got)
    if b is None:
        return False
    flat = _flat(b)
    return len(flat) == N and set(flat.tolist()) == set(range(N)) and not _sizes_right(b, N, B)


_PROBE = (400, 100)


def _probe():
    """The learner's batches for N = 400, B = 100: large enough that draws with replacement repeat an
    index inside a batch (almost surely), while batches drawn without replacement never do."""
    got, error = minibatches.call_learner(*_PROBE, np.random.default_rng(2024))
    return None if error is not None else _batches(got)


def _repeats(got, case):
    """Batches of the right sizes (or a last batch of B), and fewer than N distinct indexes."""
    N, B = case.args[:2]
    b = _batches(got)
    if b is None or len(b) != -(-N // B) or not all(len(x) == B for x in b[:-1]) \
            or len(b[-1]) not in (B, N - (len(b) - 1) * B):
        return False
    return len(np.unique(_flat(b))) < N


def _with_replacement(got, expected, case):
    if not _repeats(got, case):
        return False
    probe = _probe()
    return probe is not None and any(len(np.unique(x)) < len(x) for x in probe)


def _fresh_per_batch(got, expected, case):
    if not _repeats(got, case) or any(len(np.unique(x)) < len(x) for x in _batches(got)):
        return False
    probe = _probe()
    return probe is not None and _sizes_right(probe, *_PROBE) \
        and all(len(np.unique(x)) == len(x) for x in probe) and len(np.unique(_flat(probe))) < _PROBE[0]


def _mb_cases(rng):
    seeds = rng.integers(0, 2**31, 5)
    sizes = [(10, 4), (12, 3), (7, 10), (23, 5), (5, 1)]
    labels = ["the statement's example", "B divides N", "B larger than N: one batch", "N = 23, B = 5",
              "B = 1"]
    return [Case((N, B, np.random.default_rng(int(s))), label=f"N = {N}, B = {B}, {lab}")
            for (N, B), s, lab in zip(sizes, seeds, labels)]


def _mb_loop(N, B, rng):
    idx = np.arange(N)
    rng.shuffle(idx)
    out, start = [], 0
    while start < N:
        out.append(idx[start:start + B])
        start += B
    return out


minibatches = Exercise(
    LESSON, "5.1", "minibatches", _minibatches, _mb_cases, compare=_compare_batches, reproducible=True,
    mistakes=[
        Mistake("last_dropped", "the last, smaller batch dropped: the N mod B examples it holds are never "
                "used in this epoch",
                "keep the remainder as a smaller last batch: range(0, N, B) with perm[i:i + B] (slicing "
                "past the end is fine)",
                impl=lambda N, B, rng: _minibatches(N, B, rng)[:N // B], detect=_dropped,
                witnesses=(lambda N, B, rng: [p[i * B:(i + 1) * B] for p in [rng.permutation(N)]
                                              for i in range(N // B)],)),
        Mistake("last_padded", "the last batch filled up to B (padded, or wrapped around to the start of "
                "the permutation): some examples are used twice in one epoch",
                "let the last batch be smaller: it holds the N - (number of full batches) * B indexes left",
                impl=lambda N, B, rng: [x for x in np.resize(rng.permutation(N), -(-N // B) * B)
                                        .reshape(-1, B)],
                detect=_padded,
                witnesses=(lambda N, B, rng: [np.concatenate([b, b[:1].repeat(B - len(b))])
                                              for b in _minibatches(N, B, rng)],)),
        Mistake("not_shuffled", "no shuffle: the batches hold 0, 1, ..., N - 1 in order",
                "draw one random order first, perm = rng.permutation(N), and slice that",
                impl=lambda N, B, rng: [np.arange(i, min(i + B, N)) for i in range(0, N, B)],
                detect=_sequential,
                witnesses=(lambda N, B, rng: np.array_split(np.arange(N), range(B, N, B)),)),
        Mistake("wrong_length", "a permutation of the wrong length or range (not of 0..N-1, e.g. of N - 1 "
                "or N + 1 indexes, or of 1..N): some indexes are missing or do not exist",
                "permute exactly the N examples, numbered from 0: rng.permutation(N)",
                impl=lambda N, B, rng: _minibatches(N - 1, B, rng) if N > 1 else [np.array([1])],
                detect=_wrong_length,
                witnesses=(lambda N, B, rng: _minibatches(N + 1, B, rng),
                           lambda N, B, rng: [b + 1 for b in _minibatches(N, B, rng)])),
        Mistake("wrong_batch_size", "every index once, but the batches are not of size B (e.g. "
                "np.array_split into equal parts, or B batches instead of batches of B)",
                "cut consecutive slices of B indexes: perm[i:i + B] for i in range(0, N, B); only the "
                "last one may be smaller",
                impl=lambda N, B, rng: np.array_split(rng.permutation(N), -(-N // B)), detect=_resized,
                witnesses=(lambda N, B, rng: np.array_split(rng.permutation(N), B),
                           lambda N, B, rng: _minibatches(N, B + 1, rng))),
        Mistake("with_replacement", "indexes drawn with replacement (rng.integers or rng.choice with "
                "replace=True): some examples repeat, others are missing",
                "draw a permutation, which has every index exactly once: rng.permutation(N)",
                impl=lambda N, B, rng: [rng.integers(0, N, len(b)) for b in _minibatches(N, B, rng)],
                detect=_with_replacement,
                witnesses=(lambda N, B, rng: [p[i:i + B] for p in [rng.choice(N, N, replace=True)]
                                              for i in range(0, N, B)],)),
        Mistake("permutation_per_batch", "a new random draw for every batch: each batch is free of repeats, "
                "but across the epoch some examples come twice and others never",
                "draw ONE permutation for the whole epoch, before the loop, and slice it",
                impl=lambda N, B, rng: [rng.permutation(N)[:len(b)] for b in _minibatches(N, B, rng)],
                detect=_fresh_per_batch,
                witnesses=(lambda N, B, rng: [rng.permutation(N)[i:i + B] for i in range(0, N, B)],
                           lambda N, B, rng: [rng.choice(N, min(B, N - i), replace=False)
                                              for i in range(0, N, B)])),
        Mistake("ignores_rng", "the permutation comes from another generator (np.random, or a default_rng "
                "of the function's own), not from the rng argument",
                "draw with the generator you are given, rng.permutation(N): the caller seeds it so that a "
                "run can be repeated",
                impl=lambda N, B, rng: _minibatches(N, B, np.random.default_rng()), irreproducible=True,
                witnesses=(lambda N, B, rng: _mb_loop(N, B, np.random.default_rng(0)),
                           lambda N, B, rng: [p[i:i + B] for p in [np.random.permutation(N)]
                                              for i in range(0, N, B)])),
    ])


# --- 5.2 momentum_step(theta, v, g, lr, mu) ----------------------------------------------------------

MOMENTUM = ("theta_new", "v_new")


def _momentum(theta, v, g, lr, mu):
    v_new = mu * v - lr * g
    return theta + v_new, v_new


def _momentum_plus(theta, v, g, lr, mu):            # v = mu v + lr g, theta - v
    v_new = mu * v + lr * g
    return theta - v_new, v_new


def _momentum_buffer(theta, b, g, lr, mu):          # PyTorch's buffer b = mu b + g, theta - lr b
    b_new = mu * b + g
    return theta - lr * b_new, b_new


def _velocity_rescaled(got, expected, case):
    """The right theta on the first wrong step, and v_new a constant multiple c != 1 of the right one:
    the velocity kept in another convention (-v, PyTorch's buffer -v / lr, v / lr, ...)."""
    hit = _first_failure(_momentum, MOMENTUM, got, case.kwargs)
    if hit is None or not isinstance(hit[1], (tuple, list)) or len(hit[1]) != 2:
        return False
    out, exp = _floats(hit[1]), _floats(hit[2])
    if out is None or not _close(out[0], exp[0]) or out[1].shape != exp[1].shape or not np.any(exp[1]):
        return False
    c = float(np.sum(out[1] * exp[1]) / np.sum(exp[1] * exp[1]))
    return not np.isclose(c, 1.0) and abs(c) > 1e-12 and _close(out[1], c * exp[1])


def _momentum_old_v(theta, v, g, lr, mu):
    return theta + v, mu * v - lr * g


def _momentum_ema(theta, v, g, lr, mu):
    v_new = mu * v + (1 - mu) * g
    return theta - lr * v_new, v_new


def _momentum_ema_scaled(theta, v, g, lr, mu):
    v_new = mu * v - (1 - mu) * lr * g
    return theta + v_new, v_new


def _momentum_in_place(theta, v, g, lr, mu):
    v *= mu
    v -= lr * g
    theta += v
    return theta, v


def _momentum_in_place_theta(theta, v, g, lr, mu):
    v_new = mu * v - lr * g
    np.add(theta, v_new, out=theta)
    return theta, v_new


def _momentum_cases(rng):
    theta2, gs2 = _vectors(rng, (5,), 5)
    theta3, gs3 = _vectors(rng, (3, 2), 3)
    return [
        Case((np.array([1.0, -2.0, 0.5]), np.zeros(3),
              np.array([[0.5, -1.0, 2.0], [0.3, 0.2, -0.4], [-1.0, 0.5, 0.1], [0.7, -0.6, 1.2]]), 0.05, 0.9),
             label="4 steps from v = 0, each step fed the v_new of the one before"),
        Case((theta2, np.zeros(5), gs2, 0.2, 0.6), label="5 steps of random gradients from v = 0"),
        Case((theta3, 0.3 * rng.standard_normal((3, 2)), gs3, 0.01, 0.99),
             label="3 steps of a (3, 2) parameter from a non-zero velocity"),
    ]


momentum_step = Exercise(
    LESSON, "5.2", "momentum_step", _momentum, _momentum_cases,
    compare=_compare_run(_momentum, MOMENTUM), guard=_stepping(2, 2),
    mistakes=[
        Mistake("in_place", "theta or v updated in place (+=, -=, *=, out=), which changes the caller's "
                "arrays",
                "compute new arrays, v_new = mu * v - lr * g and theta_new = theta + v_new, and return them",
                impl=_momentum_in_place, mutation=True, witnesses=(_momentum_in_place_theta,)),
        _order_mistake(_momentum, MOMENTUM),
        Mistake("opposite_velocity", "the right theta, but v stored with the opposite sign or another scale: "
                "another convention (v = mu v + lr g with theta - v, or PyTorch's buffer b = mu b + g with "
                "theta - lr b)",
                "this exercise stores the velocity itself, v_new = mu * v - lr * g, and adds it: "
                "theta_new = theta + v_new",
                impl=_momentum_plus, witnesses=(_momentum_buffer,),
                detect=lambda got, exp, case: _velocity_rescaled(got, exp, case) or _steps_like(
                    _momentum, MOMENTUM, (_momentum_plus, None), (_momentum_buffer, None))(got, exp, case)),
        Mistake("old_velocity", "theta moved with the old velocity v instead of the new one",
                "compute v_new first, then theta_new = theta + v_new",
                impl=_momentum_old_v,
                witnesses=(lambda theta, v, g, lr, mu: (theta + v, v * mu + (-lr) * g),),
                detect=_steps_like(_momentum, MOMENTUM, (_momentum_old_v, None))),
        Mistake("ema_form", "the average form v = mu v + (1 - mu) g: the gradient weighted by (1 - mu) "
                "instead of lr, so the steps are (1 - mu) times shorter",
                "in classical momentum the gradient enters as - lr * g: v_new = mu * v - lr * g",
                impl=_momentum_ema, witnesses=(_momentum_ema_scaled,),
                detect=_steps_like(_momentum, MOMENTUM, (_momentum_ema, None), (_momentum_ema_scaled, None))),
        Mistake("lr_mu_swapped", "lr and mu swapped (v_new = lr * v - mu * g, or the parameters in another "
                "order)",
                "mu multiplies the old velocity and lr the gradient, and the order is (theta, v, g, lr, mu)",
                impl=lambda theta, v, g, lr, mu: _momentum(theta, v, g, mu, lr),
                witnesses=(lambda theta, v, g, mu, lr: (theta + mu * v - lr * g, mu * v - lr * g),),
                detect=_steps_like(_momentum, MOMENTUM,
                                   (lambda theta, v, g, lr, mu: _momentum(theta, v, g, mu, lr), None))),
        Mistake("velocity_not_carried", "the velocity is not carried: theta moves by - lr * g alone (plain "
                "gradient descent), whatever v it was given",
                "use the v you are given: v_new = mu * v - lr * g, theta_new = theta + v_new, and return "
                "v_new",
                impl=lambda theta, v, g, lr, mu: (theta - lr * g, v),
                witnesses=(lambda theta, v, g, lr, mu: (theta - lr * g, -lr * g),),
                detect=_steps_like(_momentum, MOMENTUM,
                                   (lambda theta, v, g, lr, mu: (theta - lr * g, v), None),
                                   (lambda theta, v, g, lr, mu: (theta - lr * g, v), (0,)))),
        Mistake("gradient_ascent", "the gradient added instead of subtracted (v_new = mu v + lr g, then "
                "theta + v_new): the steps go uphill",
                "the velocity points downhill: v_new = mu * v - lr * g",
                impl=lambda theta, v, g, lr, mu: _momentum(theta, v, g, -lr, mu),
                witnesses=(lambda theta, v, g, lr, mu: (theta + (lr * g + mu * v), lr * g + mu * v),),
                detect=_steps_like(_momentum, MOMENTUM,
                                   (lambda theta, v, g, lr, mu: _momentum(theta, v, g, -lr, mu), None))),
    ])


# --- 5.3 nesterov_step(theta, v, grad, lr, mu) --------------------------------------------------------

def _nesterov(theta, v, grad, lr, mu):
    v_new = mu * v - lr * grad(theta + mu * v)
    return theta + v_new, v_new


def _nesterov_at(point):
    def step(theta, v, grad, lr, mu):
        v_new = mu * v - lr * grad(point(theta, v, mu))
        return theta + v_new, v_new
    return step


_AT_THETA = _nesterov_at(lambda theta, v, mu: theta)
_AT_THETA_PLUS_V = _nesterov_at(lambda theta, v, mu: theta + v)
_AT_THETA_MINUS = _nesterov_at(lambda theta, v, mu: theta - mu * v)


def _nesterov_bengio(theta, v, grad, lr, mu):       # theta is the look-ahead point (nnlib's SGD)
    g = grad(theta)
    v_new = mu * v - lr * g
    return theta + mu * v_new - lr * g, v_new


def _nesterov_pytorch(theta, b, grad, lr, mu):
    g = grad(theta)
    b_new = mu * b + g
    return theta - lr * (g + mu * b_new), b_new


def _nesterov_cs231n(theta, v, grad, lr, mu):
    v_prev = v
    v = mu * v - lr * grad(theta)
    return theta - mu * v_prev + (1 + mu) * v, v


def _nesterov_in_place(theta, v, grad, lr, mu):
    theta += mu * v
    v_new = mu * v - lr * grad(theta)
    theta += v_new - mu * v
    return theta, v_new


def _nesterov_in_place_v(theta, v, grad, lr, mu):
    v *= mu
    v -= lr * grad(theta + v)
    return theta + v, v


def _nesterov_cases(rng):
    theta3 = rng.standard_normal((2, 3))
    return [
        Case((np.array([2.0, -1.0, 0.5]), np.zeros(3), _Bowl([1.0, 3.0, 0.5], [0.0, 0.5, -1.0], 4), 0.1, 0.9),
             label="4 steps on a bowl from v = 0, each step fed the v_new of the one before"),
        Case((rng.standard_normal(4), np.zeros(4), _Bowl(rng.uniform(0.5, 2, 4), rng.standard_normal(4), 5),
              0.05, 0.7), label="5 steps on a random bowl from v = 0"),
        Case((theta3, 0.2 * rng.standard_normal((2, 3)),
              _Bowl(rng.uniform(0.5, 2, (2, 3)), np.zeros((2, 3)), 3), 0.02, 0.95),
             label="3 steps of a (2, 3) parameter from a non-zero velocity"),
    ]


NESTEROV = ("theta_new", "v_new")

nesterov_step = Exercise(
    LESSON, "5.3", "nesterov_step", _nesterov, _nesterov_cases,
    compare=_compare_run(_nesterov, NESTEROV), guard=_stepping(2, 2),
    mistakes=[
        Mistake("in_place", "theta or v changed in place (theta += mu * v to reach the look-ahead point, "
                "v *= mu, ...), which changes the caller's arrays",
                "build the look-ahead point as a new array, grad(theta + mu * v), and return new arrays",
                impl=_nesterov_in_place, mutation=True, witnesses=(_nesterov_in_place_v,)),
        _order_mistake(_nesterov, NESTEROV),
        Mistake("gradient_at_theta", "the gradient taken at theta instead of the look-ahead point "
                "theta + mu v: that is classical momentum, not Nesterov",
                "evaluate the gradient where the velocity is about to carry you: grad(theta + mu * v)",
                impl=_AT_THETA,
                witnesses=(lambda theta, v, grad, lr, mu: (theta + mu * v - lr * grad(theta),
                                                          mu * v - lr * grad(theta)),),
                detect=_steps_like(_nesterov, NESTEROV, (_AT_THETA, None))),
        Mistake("lookahead_with_v", "the look-ahead point theta + v instead of theta + mu v",
                "look ahead by the decayed velocity: grad(theta + mu * v)",
                impl=_AT_THETA_PLUS_V,
                witnesses=(lambda theta, v, grad, lr, mu: (theta + (mu * v - lr * grad(v + theta)),
                                                          mu * v - lr * grad(v + theta)),),
                detect=_steps_like(_nesterov, NESTEROV, (_AT_THETA_PLUS_V, None))),
        Mistake("lookahead_sign", "the look-ahead point on the wrong side, theta - mu v",
                "v already points the way theta moves: look ahead at theta + mu * v",
                impl=_AT_THETA_MINUS,
                witnesses=(lambda theta, v, grad, lr, mu: (theta + mu * v - lr * grad(theta - v * mu),
                                                          mu * v - lr * grad(theta - v * mu)),),
                detect=_steps_like(_nesterov, NESTEROV, (_AT_THETA_MINUS, None))),
        Mistake("reparametrized", "the reparametrized Nesterov of Bengio et al. (2013) (also CS231n's, "
                "nnlib's SGD(nesterov=True) and PyTorch's): it keeps the look-ahead point, so the theta it "
                "returns is theta + mu v_new, not the theta of this exercise",
                "this exercise uses the form of Sutskever et al. (2013): v_new = mu * v - lr * grad(theta + "
                "mu * v), theta_new = theta + v_new",
                impl=_nesterov_bengio, witnesses=(_nesterov_pytorch, _nesterov_cs231n),
                detect=_steps_like(_nesterov, NESTEROV, (_nesterov_bengio, (0,)))),
    ])


# --- 5.4 adagrad_step(theta, r, g, lr, eps=1e-7) ------------------------------------------------------

ADAGRAD = ("theta_new", "r_new")


def _adagrad(theta, r, g, lr, eps=1e-7):
    r_new = r + g * g
    return theta - lr * g / (eps + np.sqrt(r_new)), r_new


def _scaled_step(accumulate, denominator):
    """A step theta - lr g / denominator(r, r_new, eps) with r_new = accumulate(r, g)."""
    def step(theta, r, g, lr, eps=1e-7):
        r_new = accumulate(r, g)
        return theta - lr * g / denominator(r, r_new, eps), r_new
    return step


def _right_denominator(r, r_new, eps):
    return eps + np.sqrt(r_new)


_ADA_FRESH = _scaled_step(lambda r, g: g * g, _right_denominator)
_ADA_EPS_INSIDE = _scaled_step(lambda r, g: r + g * g, lambda r, r_new, eps: np.sqrt(r_new + eps))
_ADA_NO_SQRT = _scaled_step(lambda r, g: r + g * g, lambda r, r_new, eps: eps + r_new)
_ADA_OLD_R = _scaled_step(lambda r, g: r + g * g, lambda r, r_new, eps: eps + np.sqrt(r))
_ADA_NOT_SQUARED = _scaled_step(lambda r, g: r + g, _right_denominator)
_ADA_ABS = _scaled_step(lambda r, g: r + np.abs(g), _right_denominator)


def _decay_fit(r, r_new, g):
    """rho when r_new = rho r + (1 - rho) g^2 holds elementwise for one rho, else None."""
    r, r_new, g2 = (np.asarray(x, dtype=float).ravel() for x in (r, r_new, np.asarray(g) ** 2))
    a, b = r_new - g2, r - g2
    if not np.all(np.isfinite(a)) or np.sum(b * b) == 0:
        return None
    rho = float(np.sum(a * b) / np.sum(b * b))
    return rho if np.allclose(rho * r + (1 - rho) * g2, r_new, rtol=1e-6, atol=_tol(r_new)) else None


def _decayed(ref, names, denominator, default_eps, allowed=None):
    """Detector: on the first wrong step, r_new = rho r + (1 - rho) g^2 for a rho in (0, 1) other than
    ``allowed(case)``, and theta moved with that r_new."""
    def detect(got, expected, case):
        hit = _first_failure(ref, names, got, case.kwargs)
        if hit is None or not isinstance(hit[1], (tuple, list)) or len(hit[1]) != 2:
            return False
        (theta, r, g, lr, *rest), out = hit[0], _floats(hit[1])
        if out is None:
            return False
        rho = _decay_fit(r, out[1], g)
        eps = case.kwargs.get("eps", rest[-1] if len(rest) > 1 else default_eps)
        if rho is None or not 0 < rho < 1 or (allowed is not None and np.isclose(rho, allowed(case))):
            return False
        return eps is not None and _close(out[0], theta - lr * g / denominator(out[1], eps))
    return detect


def _other_eps(ref, names, default_eps, scale):
    """Detector: on the first wrong step, theta moved by lr * u / (e + s) with the right u and s
    (``scale(inputs, expected, kwargs)`` gives them) and one constant e for every entry, but not the
    eps asked for: another default, a hard-coded eps, or none."""
    def detect(got, expected, case):
        hit = _first_failure(ref, names, got, case.kwargs)
        if hit is None or not isinstance(hit[1], (tuple, list)) or len(hit[1]) != len(names):
            return False
        inputs, out, exp = hit
        out = _floats(out)
        if out is None or out[0].shape != np.shape(inputs[0]):
            return False
        lr = (inputs[5] if len(inputs) > 5 else case.kwargs.get("lr", 0.001)) if ref is _adam else inputs[3]
        u, root = scale(inputs, exp, case.kwargs)
        moved = np.asarray(inputs[0], dtype=float) - out[0]
        ok = np.abs(u) > 0
        if not np.any(ok) or np.any(moved[ok] == 0):
            return False
        e = lr * u[ok] / moved[ok] - root[ok]
        eps = case.kwargs.get("eps", default_eps)
        return bool(np.all(np.isfinite(e)) and np.allclose(e, np.median(e), rtol=1e-3, atol=1e-3 * eps)
                    and not np.isclose(np.median(e), eps, rtol=1e-2, atol=0))
    return detect


def _eps_mistake(ref, names, default_eps, scale, impl, witness):
    return Mistake("other_eps", f"theta moved with an eps other than the one asked (a default other than "
                   f"{default_eps:g}, a hard-coded eps, or none)",
                   f"use the eps argument, whose default is eps={default_eps:g}, where the formula has it",
                   impl=impl, witnesses=(witness,), detect=_other_eps(ref, names, default_eps, scale))


def _r_scale(inputs, exp, kwargs):
    return np.asarray(inputs[2], dtype=float), np.sqrt(np.asarray(exp[1], dtype=float))


def _adam_scale(inputs, exp, kwargs):
    theta, m, v, t, g, *rest = inputs
    names = ("lr", "beta1", "beta2", "eps")
    hyper = dict(zip(names, rest), **kwargs)
    b1, b2 = hyper.get("beta1", 0.9), hyper.get("beta2", 0.999)
    m_new, v_new = np.asarray(exp[1], dtype=float), np.asarray(exp[2], dtype=float)
    return m_new / (1 - b1 ** (t + 1)), np.sqrt(v_new / (1 - b2 ** (t + 1)))


def _adagrad_in_place(theta, r, g, lr, eps=1e-7):
    r += g * g
    return theta - lr * g / (eps + np.sqrt(r)), r


def _adagrad_in_place_theta(theta, r, g, lr, eps=1e-7):
    r_new = r + g ** 2
    theta -= lr * g / (np.sqrt(r_new) + eps)
    return theta, r_new


def _adagrad_cases(rng):
    theta2, gs2 = _vectors(rng, (5,), 5)
    theta3, gs3 = _vectors(rng, (2, 3), 3)
    theta4, gs4 = _vectors(rng, (4,), 3, scale=1e-7)
    return [
        Case((np.array([1.0, -2.0, 0.5]), np.zeros(3),
              np.array([[0.5, -1.0, 2.0], [0.3, 0.2, -0.4], [-1.0, 0.5, 0.1], [0.7, -0.6, 1.2]]), 0.1),
             label="4 steps from r = 0 (default eps), each step fed the r_new of the one before"),
        Case((theta2, np.zeros(5), gs2, 0.5), {"eps": 1e-6}, label="5 steps of random gradients, eps = 1e-6"),
        Case((theta3, rng.uniform(0.5, 3, (2, 3)), gs3, 0.01),
             label="3 steps of a (2, 3) parameter from a non-zero accumulator"),
        Case((1e-6 * theta4, np.zeros(4), gs4, 1e-6),
             label="gradients of size 1e-7, where eps = 1e-7 matters"),
    ]


adagrad_step = Exercise(
    LESSON, "5.4", "adagrad_step", _adagrad, _adagrad_cases,
    compare=_compare_run(_adagrad, ADAGRAD), guard=_stepping(2, 2),
    mistakes=[
        Mistake("in_place", "r or theta updated in place (r += g * g, theta -= ...), which changes the "
                "caller's arrays",
                "compute new arrays, r_new = r + g * g, and return them",
                impl=_adagrad_in_place, mutation=True, witnesses=(_adagrad_in_place_theta,)),
        _order_mistake(_adagrad, ADAGRAD),
        Mistake("not_accumulated", "the accumulator is not accumulated: only this step's g * g is used, "
                "so every step has size about lr",
                "add to the history you are given: r_new = r + g * g",
                impl=_ADA_FRESH,
                witnesses=(lambda theta, r, g, lr, eps=1e-7: (theta - lr * g / (eps + np.abs(g)),
                                                             r + g * g),),
                detect=_steps_like(_adagrad, ADAGRAD, (_ADA_FRESH, None), (_ADA_FRESH, (0,)))),
        Mistake("decayed", "the history decays, r_new = rho r + (1 - rho) g^2: that is RMSProp (exercise "
                "5.5), not AdaGrad",
                "AdaGrad keeps the whole history: r_new = r + g * g",
                impl=lambda theta, r, g, lr, eps=1e-7: _rmsprop(theta, r, g, lr, 0.9, eps),
                witnesses=(lambda theta, r, g, lr, eps=1e-7: _rmsprop(theta, r, g, lr, 0.99, eps),),
                detect=_decayed(_adagrad, ADAGRAD, lambda r, eps: eps + np.sqrt(r), 1e-7)),
        Mistake("eps_inside_root", "eps inside the square root, sqrt(r_new + eps): d2l's convention, not "
                "this exercise's (it differs when r is small)",
                "add eps outside the root, as nnlib and PyTorch do: g / (eps + np.sqrt(r_new))",
                impl=_ADA_EPS_INSIDE,
                witnesses=(lambda theta, r, g, lr, eps=1e-7: (theta - lr * g * (r + g * g + eps) ** -0.5,
                                                             r + g * g),),
                detect=_steps_like(_adagrad, ADAGRAD, (_ADA_EPS_INSIDE, None))),
        Mistake("no_sqrt", "the square root is missing: g divided by eps + r_new",
                "divide by the root of the accumulated squares: eps + np.sqrt(r_new)",
                impl=_ADA_NO_SQRT,
                witnesses=(lambda theta, r, g, lr, eps=1e-7: (theta - lr * g / (r + g ** 2 + eps),
                                                             r + g ** 2),),
                detect=_steps_like(_adagrad, ADAGRAD, (_ADA_NO_SQRT, None))),
        Mistake("old_accumulator", "theta scaled with the old r instead of r_new (the update computed before "
                "the accumulator)",
                "accumulate first, r_new = r + g * g, then divide by eps + np.sqrt(r_new)",
                impl=_ADA_OLD_R,
                witnesses=(lambda theta, r, g, lr, eps=1e-7: (theta - lr * g / (np.sqrt(r) + eps),
                                                             g * g + r),),
                detect=_steps_like(_adagrad, ADAGRAD, (_ADA_OLD_R, None))),
        Mistake("not_squared", "the gradient added to the accumulator without squaring it (g, or |g|)",
                "accumulate the squared gradient, elementwise: r_new = r + g * g",
                impl=_ADA_NOT_SQUARED, witnesses=(_ADA_ABS,),
                detect=_steps_like(_adagrad, ADAGRAD, (_ADA_NOT_SQUARED, None), (_ADA_ABS, None))),
        _eps_mistake(_adagrad, ADAGRAD, 1e-7, _r_scale,
                     lambda theta, r, g, lr, eps=1e-8: _adagrad(theta, r, g, lr, eps),
                     lambda theta, r, g, lr, eps=1e-7: _adagrad(theta, r, g, lr, 1e-7)),
    ])


# --- 5.5 rmsprop_step(theta, r, g, lr, rho=0.9, eps=1e-8) ----------------------------------------------

RMSPROP = ("theta_new", "r_new")


def _rmsprop(theta, r, g, lr, rho=0.9, eps=1e-8):
    r_new = rho * r + (1 - rho) * g * g
    return theta - lr * g / (eps + np.sqrt(r_new)), r_new


def _rms_step(accumulate, denominator):
    def step(theta, r, g, lr, rho=0.9, eps=1e-8):
        r_new = accumulate(r, g, rho)
        return theta - lr * g / denominator(r, r_new, eps), r_new
    return step


_RMS_NO_ONE_MINUS = _rms_step(lambda r, g, rho: rho * r + g * g, _right_denominator)
_RMS_SWAPPED = _rms_step(lambda r, g, rho: (1 - rho) * r + rho * g * g, _right_denominator)
_RMS_ADAGRAD = _rms_step(lambda r, g, rho: r + g * g, _right_denominator)
_RMS_RIGHT = lambda r, g, rho: rho * r + (1 - rho) * g * g  # noqa: E731
_RMS_EPS_INSIDE = _rms_step(_RMS_RIGHT, lambda r, r_new, eps: np.sqrt(eps + r_new))
_RMS_NO_SQRT = _rms_step(_RMS_RIGHT, lambda r, r_new, eps: eps + r_new)
_RMS_OLD_R = _rms_step(_RMS_RIGHT, lambda r, r_new, eps: eps + np.sqrt(r))


def _rmsprop_in_place(theta, r, g, lr, rho=0.9, eps=1e-8):
    r *= rho
    r += (1 - rho) * g * g
    return theta - lr * g / (eps + np.sqrt(r)), r


def _rmsprop_in_place_theta(theta, r, g, lr, rho=0.9, eps=1e-8):
    r_new = rho * r + (1 - rho) * g ** 2
    theta -= lr * g / (np.sqrt(r_new) + eps)
    return theta, r_new


def _default_rho(case):
    return case.kwargs.get("rho", 0.9)


def _rmsprop_cases(rng):
    theta2, gs2 = _vectors(rng, (5,), 5)
    theta3, gs3 = _vectors(rng, (2, 3), 3)
    theta4, gs4 = _vectors(rng, (4,), 3, scale=1e-8)
    return [
        Case((np.array([1.0, -2.0, 0.5]), np.array([0.5, 0.1, 2.0]),
              np.array([[0.5, -1.0, 2.0], [0.3, 0.2, -0.4], [-1.0, 0.5, 0.1], [0.7, -0.6, 1.2]]), 0.01),
             label="4 steps from a non-zero r (default rho and eps), each fed the r_new of the one before"),
        Case((theta2, np.zeros(5), gs2, 0.001), {"rho": 0.8}, label="5 steps of random gradients from r = 0, "
             "rho = 0.8"),
        Case((theta3, rng.uniform(0.5, 3, (2, 3)), gs3, 0.05), {"rho": 0.95, "eps": 1e-6},
             label="3 steps of a (2, 3) parameter, rho = 0.95, eps = 1e-6"),
        Case((1e-6 * theta4, np.zeros(4), gs4, 1e-6),
             label="gradients of size 1e-8, where eps = 1e-8 matters"),
    ]


rmsprop_step = Exercise(
    LESSON, "5.5", "rmsprop_step", _rmsprop, _rmsprop_cases,
    compare=_compare_run(_rmsprop, RMSPROP), guard=_stepping(2, 2),
    mistakes=[
        Mistake("in_place", "r or theta updated in place (r *= rho, theta -= ...), which changes the "
                "caller's arrays",
                "compute new arrays, r_new = rho * r + (1 - rho) * g * g, and return them",
                impl=_rmsprop_in_place, mutation=True, witnesses=(_rmsprop_in_place_theta,)),
        _order_mistake(_rmsprop, RMSPROP),
        Mistake("no_one_minus_rho", "the factor (1 - rho) on g * g is missing: r_new = rho r + g^2 grows to "
                "g^2 / (1 - rho), ten times the average",
                "weight the new square by (1 - rho): r_new = rho * r + (1 - rho) * g * g",
                impl=_RMS_NO_ONE_MINUS,
                witnesses=(lambda theta, r, g, lr, rho=0.9, eps=1e-8: (
                    theta - lr * g / (np.sqrt(g ** 2 + rho * r) + eps), g ** 2 + rho * r),),
                detect=_steps_like(_rmsprop, RMSPROP, (_RMS_NO_ONE_MINUS, None))),
        Mistake("rho_swapped", "rho and 1 - rho swapped: r_new = (1 - rho) r + rho g^2 forgets almost "
                "at once",
                "rho weights the old average: r_new = rho * r + (1 - rho) * g * g",
                impl=_RMS_SWAPPED,
                witnesses=(lambda theta, r, g, lr, rho=0.9, eps=1e-8: _rmsprop(theta, r, g, lr, 1 - rho,
                                                                              eps),),
                detect=_steps_like(_rmsprop, RMSPROP, (_RMS_SWAPPED, None))),
        Mistake("not_decayed", "the history does not decay, r_new = r + g^2: that is AdaGrad (exercise 5.4)",
                "decay the old average: r_new = rho * r + (1 - rho) * g * g",
                impl=_RMS_ADAGRAD,
                witnesses=(lambda theta, r, g, lr, rho=0.9, eps=1e-8: _adagrad(theta, r, g, lr, eps),),
                detect=_steps_like(_rmsprop, RMSPROP, (_RMS_ADAGRAD, None))),
        Mistake("other_default_rho", "a default rho other than 0.9 (PyTorch's RMSprop uses 0.99)",
                "the statement's default is rho=0.9, as in Hinton's lecture and nnlib",
                impl=lambda theta, r, g, lr, rho=0.99, eps=1e-8: _rmsprop(theta, r, g, lr, rho, eps),
                witnesses=(lambda theta, r, g, lr, rho=0.5, eps=1e-8: _rmsprop(theta, r, g, lr, rho, eps),),
                detect=_decayed(_rmsprop, RMSPROP, lambda r, eps: eps + np.sqrt(r), 1e-8, _default_rho)),
        Mistake("eps_inside_root", "eps inside the square root, sqrt(eps + r_new): the convention of "
                "Goodfellow et al. Alg. 8.5, not this exercise's (it differs when r is small)",
                "add eps outside the root, as nnlib and PyTorch do: g / (eps + np.sqrt(r_new))",
                impl=_RMS_EPS_INSIDE,
                witnesses=(lambda theta, r, g, lr, rho=0.9, eps=1e-8: (
                    theta - lr * g / (rho * r + (1 - rho) * g ** 2 + eps) ** 0.5,
                    rho * r + (1 - rho) * g ** 2),),
                detect=_steps_like(_rmsprop, RMSPROP, (_RMS_EPS_INSIDE, None))),
        Mistake("no_sqrt", "the square root is missing: g divided by eps + r_new",
                "divide by the root mean square: eps + np.sqrt(r_new)",
                impl=_RMS_NO_SQRT,
                witnesses=(lambda theta, r, g, lr, rho=0.9, eps=1e-8: (
                    theta - lr * g / (rho * r + (1 - rho) * g ** 2 + eps), rho * r + (1 - rho) * g ** 2),),
                detect=_steps_like(_rmsprop, RMSPROP, (_RMS_NO_SQRT, None))),
        Mistake("old_average", "theta scaled with the old r instead of r_new (the update computed before "
                "the average)",
                "update the average first, then divide by eps + np.sqrt(r_new)",
                impl=_RMS_OLD_R,
                witnesses=(lambda theta, r, g, lr, rho=0.9, eps=1e-8: (
                    theta - lr * g / (r ** 0.5 + eps), rho * r + (1 - rho) * g ** 2),),
                detect=_steps_like(_rmsprop, RMSPROP, (_RMS_OLD_R, None))),
        _eps_mistake(_rmsprop, RMSPROP, 1e-8, _r_scale,
                     lambda theta, r, g, lr, rho=0.9, eps=1e-7: _rmsprop(theta, r, g, lr, rho, eps),
                     lambda theta, r, g, lr, rho=0.9, eps=1e-8: _rmsprop(theta, r, g, lr, rho, 0.0)),
    ])


# --- 5.6 adam_step(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8) ----------------------

ADAM = ("theta_new", "m_new", "v_new", "t_new")


def _adam_with(correct_m=True, correct_v=True, t_used=1, t_returned=1, square=True, eps_inside=False,
               root=True, efficient=False, swap=False, return_hat=False):
    """The Adam step with one change; the default arguments give the reference."""
    def step(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        b1, b2 = (beta2, beta1) if swap else (beta1, beta2)
        tc = t + t_used
        m_new = b1 * m + (1 - b1) * g
        v_new = b2 * v + (1 - b2) * (g * g if square else g)
        m_hat = m_new / (1 - b1 ** tc) if correct_m else m_new
        v_hat = v_new / (1 - b2 ** tc) if correct_v else v_new
        if efficient:
            alpha = lr * np.sqrt(1 - b2 ** tc) / (1 - b1 ** tc)
            theta_new = theta - alpha * m_new / (np.sqrt(v_new) + eps)
        else:
            den = np.sqrt(v_hat + eps) if eps_inside else (np.sqrt(v_hat) if root else v_hat) + eps
            theta_new = theta - lr * m_hat / den
        if return_hat:
            return theta_new, m_hat, v_hat, t + t_returned
        return theta_new, m_new, v_new, t + t_returned
    return step


_adam = _adam_with()
_ADAM_T_FIRST = (_adam_with(t_used=0), (0, 1, 2))


def _adam_in_place(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g * g
    return theta - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v, t


def _adam_in_place_theta(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    out = _adam(theta, m, v, t, g, lr, beta1, beta2, eps)
    theta[...] = out[0]
    return (theta, *out[1:])


def _adam_loop(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, **change):
    """Adam written entry by entry, with ``change`` as in :func:`_adam_with` (a witness's style)."""
    step = _adam_with(**change)
    outs = [step(np.array(a), np.array(b), np.array(c), t, np.array(d), lr, beta1, beta2, eps)
            for a, b, c, d in zip(theta.flat, m.flat, v.flat, g.flat)]
    shape = theta.shape
    return tuple(np.array([o[i] for o in outs], dtype=float).reshape(shape) for i in range(3)) + (outs[0][3],)


def _adam_raises_at_zero(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    alpha = lr * (1 - beta2 ** t) ** 0.5 / (1 - beta1 ** t)      # t not incremented: 1 / 0 at t = 0
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    return theta - alpha * m_new / (np.sqrt(v_new) + eps), m_new, v_new, t + 1


def _adam_cases(rng):
    theta2, gs2 = _vectors(rng, (5,), 5)
    theta3, gs3 = _vectors(rng, (2, 3), 3)
    theta4, gs4 = _vectors(rng, (4,), 3, scale=1e-8)
    return [
        Case((np.array([1.0, -2.0, 0.5]), np.zeros(3), np.zeros(3), 0,
              np.array([[0.5, -1.0, 2.0], [0.3, 0.2, -0.4], [-1.0, 0.5, 0.1], [0.7, -0.6, 1.2]]), 0.1),
             label="4 steps from m = v = 0, t = 0 (default betas), each fed what the step before returned"),
        Case((theta2, np.zeros(5), np.zeros(5), 0, gs2, 0.01), {"beta1": 0.8, "beta2": 0.99},
             label="5 steps of random gradients, beta1 = 0.8, beta2 = 0.99"),
        Case((theta3, 0.1 * rng.standard_normal((2, 3)), rng.uniform(0.1, 1, (2, 3)), 7, gs3, 0.05),
             label="3 steps of a (2, 3) parameter from t = 7 and non-zero moments"),
        Case((theta4, np.zeros(4), np.zeros(4), 0, gs4),
             label="gradients of size 1e-8, where eps = 1e-8 matters (default lr)"),
    ]


def _one_step_from(t, case):
    """The learner's output of one step from the case's start with the count set to ``t`` (or None),
    and what correcting with the old count gives there."""
    theta, m, v, _, gs, *rest = copy.deepcopy(case.args)
    args = (theta, m, v, t, gs[:1], *rest)
    got, error = adam_step.call_learner(*args, **case.kwargs)
    if error is not None or not isinstance(got, _Run) or not got.steps:
        return None, None, error
    mine = _adam_with(t_used=0)(*copy.deepcopy(args[:4]), gs[0], *rest, **case.kwargs)
    return _floats(got.steps[0][1][:3]) if isinstance(got.steps[0][1], (tuple, list)) else None, \
        _floats(mine[:3]), None


def _corrects_with_old_t(case):
    """From t = 3 the step equals a correction with beta ** 3 (the old count), and from t = 0 it
    is not finite or raises: the count is incremented after the correction, not before."""
    later, mine, _ = _one_step_from(3, case)
    if later is None or len(later) != 3 or not all(_close(a, b) for a, b in zip(later, mine)):
        return False
    first, _, error = _one_step_from(0, case)
    return isinstance(error, ZeroDivisionError) or (first is not None and not np.all(np.isfinite(first[0])))


def _zero_division_at_t_zero(checker, error, case):
    return isinstance(error, ZeroDivisionError) and _corrects_with_old_t(case)


def _nonfinite_from_t_zero(got, expected, case):
    """theta non-finite everywhere on a step that started from t = 0, with the right m: the moments were
    divided by 1 - beta ** 0 = 0 (a nan only where g < 0 is g_not_squared's effect instead)."""
    hit = _first_failure(_adam, ADAM, got, case.kwargs)
    if hit is None or not isinstance(hit[1], (tuple, list)) or len(hit[1]) != 4 or hit[0][3] != 0:
        return False
    out = _floats(hit[1])
    return out is not None and not np.any(np.isfinite(out[0])) and _close(out[1], hit[2][1])


adam_step = Exercise(
    LESSON, "5.6", "adam_step", _adam, _adam_cases,
    compare=_compare_run(_adam, ADAM), guard=_stepping(4, 4),
    named_errors=[(_zero_division_at_t_zero, "t_not_incremented_first")],
    mistakes=[
        Mistake("in_place", "m, v or theta updated in place (m *= beta1, theta[...] = ...), which changes "
                "the caller's arrays",
                "compute new arrays, m_new = beta1 * m + (1 - beta1) * g and so on, and return them",
                impl=_adam_in_place, mutation=True, witnesses=(_adam_in_place_theta,)),
        _order_mistake(_adam, ADAM),
        Mistake("t_not_incremented_first", "the bias correction uses t before it is incremented: at t = 0 it "
                "divides by 1 - beta ** 0 = 0 (inf or nan, or ZeroDivisionError)",
                "increment first, t_new = t + 1, and correct with beta1 ** t_new and beta2 ** t_new",
                impl=_adam_with(t_used=0),
                witnesses=(_adam_with(t_used=0, t_returned=0), _adam_raises_at_zero),
                detect=lambda got, exp, case: (_nonfinite_from_t_zero(got, exp, case)
                                               or _steps_like(_adam, ADAM, _ADAM_T_FIRST)(got, exp, case))
                and _corrects_with_old_t(case)),
        Mistake("t_count", "the right step, but t_new is not t + 1 (not returned incremented, or incremented "
                "twice)",
                "increment the count once per step and return it: t_new = t + 1",
                impl=_adam_with(t_returned=0), witnesses=(_adam_with(t_returned=2),),
                detect=_steps_like(_adam, ADAM, (_adam_with(t_returned=0), None),
                                   (_adam_with(t_returned=2), None))),
        Mistake("no_bias_correction", "no bias correction: m and v used as they are, so the first steps are "
                "far too short or too long (m and v start at 0)",
                "divide by (1 - beta ** t_new): m_hat = m_new / (1 - beta1 ** t_new), v_hat likewise",
                impl=_adam_with(correct_m=False, correct_v=False),
                witnesses=(lambda *a, **k: _adam_loop(*a, **k, correct_m=False, correct_v=False),),
                detect=_steps_like(_adam, ADAM, (_adam_with(correct_m=False, correct_v=False), (0, 1, 2)))),
        Mistake("correction_m_only", "the bias correction applied to m only, not to v",
                "correct both moments: v_hat = v_new / (1 - beta2 ** t_new) too",
                impl=_adam_with(correct_v=False),
                witnesses=(lambda *a, **k: _adam_loop(*a, **k, correct_v=False),),
                detect=_steps_like(_adam, ADAM, (_adam_with(correct_v=False), (0, 1, 2)))),
        Mistake("correction_v_only", "the bias correction applied to v only, not to m",
                "correct both moments: m_hat = m_new / (1 - beta1 ** t_new) too",
                impl=_adam_with(correct_m=False),
                witnesses=(lambda *a, **k: _adam_loop(*a, **k, correct_m=False),),
                detect=_steps_like(_adam, ADAM, (_adam_with(correct_m=False), (0, 1, 2)))),
        Mistake("returns_corrected", "the bias-corrected m_hat and v_hat returned as the state instead of "
                "m_new and v_new: the next step corrects them again",
                "return the raw moments m_new and v_new; m_hat and v_hat are only for this step's update",
                impl=_adam_with(return_hat=True),
                witnesses=(lambda *a, **k: _adam_loop(*a, **k, return_hat=True),),
                detect=_steps_like(_adam, ADAM, (_adam_with(return_hat=True), None))),
        Mistake("betas_swapped", "beta1 and beta2 swapped (m averaged with beta2, v with beta1)",
                "beta1 (0.9) is the first moment's decay, beta2 (0.999) the second's",
                impl=_adam_with(swap=True),
                witnesses=(lambda theta, m, v, t, g, lr=0.001, beta2=0.9, beta1=0.999, eps=1e-8: _adam(
                    theta, m, v, t, g, lr, beta1, beta2, eps),),
                detect=_steps_like(_adam, ADAM, (_adam_with(swap=True), (0, 1, 2)))),
        Mistake("g_not_squared", "v averages g instead of g * g: its square root is nan where g < 0",
                "the second moment averages squared gradients: v_new = beta2 * v + (1 - beta2) * g * g",
                impl=_adam_with(square=False),
                witnesses=(lambda *a, **k: _adam_loop(*a, **k, square=False),),
                detect=_steps_like(_adam, ADAM, (_adam_with(square=False), (0, 1, 2)))),
        Mistake("no_sqrt", "the square root of v_hat is missing",
                "divide by np.sqrt(v_hat) + eps: v_hat is a mean square",
                impl=_adam_with(root=False),
                witnesses=(lambda *a, **k: _adam_loop(*a, **k, root=False),),
                detect=_steps_like(_adam, ADAM, (_adam_with(root=False), (0, 1, 2)))),
        Mistake("eps_inside_root", "eps inside the square root, sqrt(v_hat + eps), not Algorithm 1's "
                "sqrt(v_hat) + eps (it differs when v is small)",
                "add eps after the root: m_hat / (np.sqrt(v_hat) + eps)",
                impl=_adam_with(eps_inside=True),
                witnesses=(lambda *a, **k: _adam_loop(*a, **k, eps_inside=True),),
                detect=_steps_like(_adam, ADAM, (_adam_with(eps_inside=True), (0, 1, 2)))),
        Mistake("efficient_form", "the \"efficient\" form of Kingma & Ba section 2, alpha_t = lr sqrt(1 - "
                "beta2^t) / (1 - beta1^t) with eps not rescaled: a different epsilon convention (the same "
                "step except where eps matters)",
                "this exercise follows Algorithm 1: m_hat and v_hat first, then lr * m_hat / (np.sqrt(v_hat) "
                "+ eps)",
                impl=_adam_with(efficient=True),
                witnesses=(lambda *a, **k: _adam_loop(*a, **k, efficient=True),),
                detect=_steps_like(_adam, ADAM, (_adam_with(efficient=True), (0, 1, 2)))),
        _eps_mistake(_adam, ADAM, 1e-8, _adam_scale,
                     lambda theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7: _adam(
                         theta, m, v, t, g, lr, beta1, beta2, eps),
                     lambda theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8: _adam(
                         theta, m, v, t, g, lr, beta1, beta2, 0.0)),
    ])


# --- 5.7 linear_decay(k, lr0, lr_tau, tau) ---------------------------------------------------------

def _linear_decay(k, lr0, lr_tau, tau):
    if isinstance(k, list):                          # the check's run over a list of steps
        return [_linear_decay(j, lr0, lr_tau, tau) for j in k]
    if k > tau:
        return float(lr_tau)
    a = k / tau
    return float((1 - a) * lr0 + a * lr_tau)


def _schedule(learner, ks, lr0, lr_tau, tau):
    return [learner(k, lr0, lr_tau, tau) for k in ks]


@contextmanager
def _scheduled(learner):
    yield lambda ks, lr0, lr_tau, tau: _schedule(learner, ks, lr0, lr_tau, tau)


def _compare_schedule(got, expected, case):
    ks, _, _, tau = case.args
    for k, value, exp in zip(ks, got, expected):
        what = f"the learning rate for k = {k} (tau = {tau})"
        if isinstance(value, np.ndarray) and value.ndim > 0:
            raise Failure(f"{what} is an array of shape {value.shape}, expected one number (a float)")
        compare_array(value, exp, what)


def _values(got):
    try:
        out = np.array([float(v) for v in got])
    except (TypeError, ValueError):
        return None
    return out


def _decay_detector(test):
    """Detector over the whole schedule: wrong somewhere, and ``test(values, ks, lr0, lr_tau, tau)``."""
    def detect(got, expected, case):
        vals = _values(got)
        if vals is None or len(vals) != len(expected):
            return False
        if np.allclose(vals, expected, rtol=1e-6, atol=1e-12):
            return False
        ks, lr0, lr_tau, tau = case.args
        return bool(test(vals, np.array(ks), lr0, lr_tau, tau))
    return detect


def _line(ks, a, b, tau):
    return (1 - ks / tau) * a + ks / tau * b


def _unclamped(vals, ks, lr0, lr_tau, tau):
    return np.any(ks > tau) and np.allclose(vals, _line(ks, lr0, lr_tau, tau), rtol=1e-6, atol=1e-12)


def _rising(vals, ks, lr0, lr_tau, tau):
    up = ks <= tau
    return np.allclose(vals[up], _line(ks[up], lr_tau, lr0, tau), rtol=1e-6, atol=1e-12)


def _steps_only(vals, ks, lr0, lr_tau, tau):
    ends = np.isclose(vals, lr0, rtol=1e-6) | np.isclose(vals, lr_tau, rtol=1e-6)
    at_tau, at_0 = ks == tau, ks == 0
    return np.all(ends) and (not np.any(at_tau) or np.allclose(vals[at_tau], lr_tau, rtol=1e-6)) \
        and (not np.any(at_0) or np.allclose(vals[at_0], lr0, rtol=1e-6))


def _linear_fit(x, y):
    if len(x) < 3 or not np.all(np.isfinite(y)):
        return None
    slope, icpt = np.polyfit(x, y, 1)
    return slope if np.allclose(slope * x + icpt, y, rtol=1e-6, atol=1e-9 * np.max(np.abs(y))) else None


def _above_floor(vals, ks, lr_tau, tau, start):
    """The steps start..tau where the schedule is above lr_tau (not yet held at it by a max())."""
    return (ks >= start) & (ks <= tau) & (vals > lr_tau * (1 + 1e-9))


def _inverse_time(vals, ks, lr0, lr_tau, tau):
    sel = _above_floor(vals, ks, lr_tau, tau, 1)
    if not np.all(vals[sel] > 0):
        return False
    slope = _linear_fit(ks[sel].astype(float), 1 / vals[sel])
    return slope is not None and slope > 0


def _geometric(vals, ks, lr0, lr_tau, tau):
    sel = _above_floor(vals, ks, lr_tau, tau, 0)
    if not np.all(vals[sel] > 0):
        return False
    slope = _linear_fit(ks[sel].astype(float), np.log(vals[sel]))
    return slope is not None and slope < 0


def _ref_values(ks, lr0, lr_tau, tau):
    return np.array([_linear_decay(int(k), lr0, lr_tau, tau) for k in ks])


def _ends_elsewhere(vals, ks, lr0, lr_tau, tau):
    """A straight line from lr0 at k = 0 over 0..tau, but not to lr_tau (to 0, to lr0 / 100, ...)."""
    up = ks <= tau
    if not np.any(ks == 0) or not np.isclose(vals[ks == 0][0], lr0, rtol=1e-6):
        return False
    slope = _linear_fit(ks[up].astype(float), vals[up])
    return slope is not None and not np.isclose(lr0 + slope * tau, lr_tau, rtol=1e-6)


def _shifted(vals, ks, lr0, lr_tau, tau):
    """The schedule one step ahead or behind: lr(k + 1) or lr(k - 1) returned for k."""
    return any(np.allclose(vals, _ref_values(np.maximum(ks + d, 0), lr0, lr_tau, tau), rtol=1e-6, atol=1e-12)
               for d in (1, -1))


def _restarts(vals, ks, lr0, lr_tau, tau):
    """Past tau the decay starts again (k % tau)."""
    return np.any(ks > tau) and np.allclose(vals, _ref_values(ks % tau, lr0, lr_tau, tau), rtol=1e-6)


def _other_tau(vals, ks, lr0, lr_tau, tau):
    """The right line, but reaching lr_tau at tau - 1 or tau + 1 (divided by the wrong count)."""
    return any(t >= 1 and np.allclose(vals, _ref_values(ks, lr0, lr_tau, t), rtol=1e-6, atol=1e-12)
               for t in (tau - 1, tau + 1))


def _decay_cases(rng):
    lr0 = float(np.round(rng.uniform(0.5, 1.0), 3))
    return [
        Case((list(range(15)) + [20, 100], 0.1, 0.001, 10), label="lr0 = 0.1, lr_tau = 0.001, tau = 10"),
        Case((list(range(8)), 0.5, 0.05, 4), label="lr0 = 0.5, lr_tau = 0.05, tau = 4"),
        Case((list(range(12)) + [int(rng.integers(20, 200))], lr0, lr0 / 20, 7),
             label=f"lr0 = {lr0}, lr_tau = lr0 / 20, tau = 7"),
    ]


linear_decay = Exercise(
    LESSON, "5.7", "linear_decay", _linear_decay, _decay_cases, compare=_compare_schedule, guard=_scheduled,
    named_errors=[(ZeroDivisionError, "inverse_time")],
    mistakes=[
        Mistake("no_clamp", "no clamp after tau: the line goes on falling past lr_tau (and below 0)",
                "for k > tau return lr_tau itself: e.g. a = min(k / tau, 1)",
                impl=lambda k, lr0, lr_tau, tau: (1 - k / tau) * lr0 + k / tau * lr_tau,
                witnesses=(lambda k, lr0, lr_tau, tau: lr0 + (lr_tau - lr0) * k / tau,),
                detect=_decay_detector(_unclamped)),
        Mistake("swapped", "lr0 and lr_tau swapped: the rate rises from lr_tau to lr0",
                "at k = 0 the rate is lr0 (weight 1 - k / tau), at k = tau it is lr_tau (weight k / tau)",
                impl=lambda k, lr0, lr_tau, tau: _linear_decay(k, lr_tau, lr0, tau),
                witnesses=(lambda k, lr_tau, lr0, tau: _linear_decay(k, lr0, lr_tau, tau),),
                detect=_decay_detector(_rising)),
        Mistake("integer_division", "k / tau rounded to a whole number (k // tau, int(...) or round(...)): "
                "the rate jumps from lr0 to lr_tau instead of sliding",
                "use true division, k / tau, which is a fraction between 0 and 1 for k <= tau",
                impl=lambda k, lr0, lr_tau, tau: (1 - min(k, tau) // tau) * lr0 + min(k, tau) // tau * lr_tau,
                witnesses=(lambda k, lr0, lr_tau, tau: lr_tau if k >= tau else
                           (1 - round(k / tau)) * lr0 + round(k / tau) * lr_tau,),
                detect=_decay_detector(_steps_only)),
        Mistake("inverse_time", "a 1/k-type schedule (lr0 / (1 + k), lr0 / k, ...) instead of a straight "
                "line",
                "interpolate linearly: (1 - k / tau) * lr0 + (k / tau) * lr_tau for k <= tau",
                impl=lambda k, lr0, lr_tau, tau: lr0 / (1 + k / tau),
                witnesses=(lambda k, lr0, lr_tau, tau: max(lr_tau, lr0 / (k + 1)) if k <= tau else lr_tau,
                           lambda k, lr0, lr_tau, tau: max(lr_tau, lr0 / k)),
                detect=_decay_detector(_inverse_time)),
        Mistake("exponential", "an exponential decay (lr0 * gamma ** k) instead of a straight line",
                "interpolate linearly: (1 - k / tau) * lr0 + (k / tau) * lr_tau for k <= tau",
                impl=lambda k, lr0, lr_tau, tau: lr0 * (lr_tau / lr0) ** (min(k, tau) / tau),
                witnesses=(lambda k, lr0, lr_tau, tau: lr0 * 0.9 ** k,
                           lambda k, lr0, lr_tau, tau: max(lr_tau, lr0 * 0.5 ** k)),
                detect=_decay_detector(_geometric)),
        Mistake("other_tau", "the line reaches lr_tau one step early or late (divided by tau - 1 or tau + 1)",
                "divide by tau itself: at k = tau the weight k / tau is exactly 1",
                impl=lambda k, lr0, lr_tau, tau: _linear_decay(k, lr0, lr_tau, tau - 1),
                witnesses=(lambda k, lr0, lr_tau, tau: _linear_decay(k, lr0, lr_tau, tau + 1),),
                detect=_decay_detector(_other_tau)),
        Mistake("ends_elsewhere", "a straight line from lr0 that does not end at lr_tau (e.g. at 0: the "
                "(k / tau) * lr_tau term left out, or a fixed fraction of lr0)",
                "interpolate between the two given rates: (1 - k / tau) * lr0 + (k / tau) * lr_tau",
                impl=lambda k, lr0, lr_tau, tau: (1 - min(k, tau) / tau) * lr0,
                witnesses=(lambda k, lr0, lr_tau, tau: _linear_decay(k, lr0, lr0 / 100, tau),),
                detect=_decay_detector(_ends_elsewhere)),
        Mistake("shifted_by_one", "the schedule shifted by one step (k + 1 or k - 1 used for k): the rate "
                "at k = 0 is not lr0",
                "k counts from 0: lr_0 = lr0 and lr_tau is reached at k = tau exactly",
                impl=lambda k, lr0, lr_tau, tau: _linear_decay(k + 1, lr0, lr_tau, tau),
                witnesses=(lambda k, lr0, lr_tau, tau: _linear_decay(max(k - 1, 0), lr0, lr_tau, tau),),
                detect=_decay_detector(_shifted)),
        Mistake("restarts", "the decay starts again after tau (k % tau): a sawtooth instead of a floor",
                "for k > tau keep lr_tau: the schedule falls once and then stays",
                impl=lambda k, lr0, lr_tau, tau: _linear_decay(k % tau, lr0, lr_tau, tau),
                witnesses=(lambda k, lr0, lr_tau, tau: (1 - (k % tau) / tau) * lr0
                           + (k % tau) / tau * lr_tau,),
                detect=_decay_detector(_restarts)),
    ])


EXERCISES = [minibatches, momentum_step, nesterov_step, adagrad_step, rmsprop_step, adam_step, linear_decay]
