"""Checks for lesson 07 (dropout: forward and backward, the weight-scaling rule, Monte Carlo
averaging, choosing the drop probability).

Use in a notebook: ``from course.checks import lesson07 as check`` then
``check.dropout_forward(dropout_forward)``.

Conventions checked here (the lesson's and nnlib's): ``p_drop`` is the probability of dropping a
unit; kept units are divided by ``1 - p_drop`` in training (inverted dropout), except in 7.3, whose
network was trained with the paper's dropout (no scaling in training, the weights scaled at test time).

The random functions (7.1, 7.4) are checked by what their draws must satisfy, not against one
reference draw: the fraction dropped, one mask per example, the scale of what is kept, and, for 7.4,
the exact expectation over every mask of a 5-unit hidden layer. Every diagnosis is made from the
effect on the output: e.g. a mask shared by the batch is seen as identical rows of ``keep``, and a
test-time rule as the factors it applies to each weight matrix and bias (7.3).
"""

from __future__ import annotations

from itertools import product

import numpy as np

from ._framework import Case, Exercise, Failure, Mistake, check_type, compare_array

LESSON = "07-dropout"


def _softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _relu(z):
    return np.maximum(z, 0.0)


def _arrays(got, n, what="your result"):
    """``got`` as a tuple of ``n`` arrays, or Failure naming what came instead."""
    if isinstance(got, np.ndarray):
        raise Failure(
            f"{what} is one array of shape {got.shape}, expected a tuple of {n} arrays "
            f"(Y, keep): return both, e.g. `return Y, keep`"
        )
    if not isinstance(got, (tuple, list)) or len(got) != n:
        kind = (
            f"a {type(got).__name__} of {len(got)} items"
            if isinstance(got, (tuple, list))
            else type(got).__name__
        )
        raise Failure(f"{what} is {kind}, expected a tuple of {n} arrays (Y, keep)")
    out = []
    for name, a in zip(("Y", "keep"), got):
        if isinstance(a, (list, tuple)):
            raise Failure(f"{name} is a Python {type(a).__name__}, expected a NumPy array")
        if not isinstance(a, np.ndarray) or a.dtype.kind not in "biuf":
            raise Failure(f"{name} is {type(a).__name__}, expected a NumPy array of numbers")
        out.append(a)
    return out


# --- 7.1 dropout_forward(X, p_drop, rng, training=True) -> (Y, keep) -------------------------------


def _dropout_forward(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones_like(X)
    keep = (rng.random(X.shape) >= p_drop).astype(float)
    return X * keep / (1.0 - p_drop), keep


def _forward_cases(rng):
    def X(n, h):
        signs = rng.choice([-1.0, 1.0], size=(n, h))
        return np.round(signs * rng.uniform(0.5, 2.0, size=(n, h)), 3)

    g = lambda seed: np.random.default_rng(seed)  # noqa: E731
    return [
        Case((X(4, 3), 0.6, g(1)), label="X of shape (4, 3), p_drop = 0.6"),
        Case((X(400, 250), 0.3, g(2)), label="X of shape (400, 250), p_drop = 0.3"),
        Case((X(300, 120), 0.75, g(3)), label="X of shape (300, 120), p_drop = 0.75"),
        Case((X(1, 2000), 0.4, g(4)), label="one example of 2000 units, p_drop = 0.4"),
        Case((X(50, 40), 0.4, g(5)), {"training": False}, label="evaluation mode, p_drop = 0.4", draws=False),
        Case((X(60, 30), 0.0, g(6)), label="p_drop = 0", draws=False),
        Case(
            (rng.integers(1, 9, size=(80, 60)) * rng.choice([-1, 1], size=(80, 60)), 0.3, g(7)),
            label="X of integers, p_drop = 0.3",
        ),
    ]


_FORWARD = {}


def _forward_effect(got, case):
    """(message, key) for what is wrong with a forward result, or None when it is right."""
    memo = _FORWARD.get(id(got))
    if memo is not None and memo[0] is got and memo[1] is case:
        return memo[2]
    result = _forward_effect_uncached(got, case)
    _FORWARD.clear()
    _FORWARD[id(got)] = (got, case, result)
    return result


def _forward_effect_uncached(got, case):
    X, p = case.args[0], case.args[1]
    training = case.kwargs.get("training", True)
    q = 1.0 - p
    try:
        Y, keep = _arrays(got, 2)
    except Failure as f:
        if isinstance(got, np.ndarray) and got.shape == X.shape:
            return f"{f}", "only_y"
        return f"{f}", None
    seen = getattr(case, "seen_args", None)
    if seen is not None and (Y is seen[0] or keep is seen[0]) and training is False:
        return (
            "in evaluation mode you returned X itself: return a new array (X.copy()), so that changing "
            "Y later cannot change the caller's X"
        ), "returned_x"
    if Y.shape != X.shape or keep.shape != X.shape:
        bad = ("Y", Y) if Y.shape != X.shape else ("keep", keep)
        key = "batch_mask" if training and keep.shape in ((1, X.shape[1]), (X.shape[1],)) else None
        return f"{bad[0]} has shape {bad[1].shape}, expected {X.shape} (the shape of X)", key
    if X.dtype.kind in "iu" and Y.dtype.kind in "iu" and training and p > 0:
        return (
            f"Y has X's integer dtype ({Y.dtype}), so the kept units, divided by 1 - p_drop, were "
            f"truncated to integers: compute Y in floats, e.g. Y = X * keep / (1 - p_drop)"
        ), "integer_y"
    Yf, kf = Y.astype(float), keep.astype(float)
    zero_one = np.all((kf == 0) | (kf == 1))
    if not zero_one:
        if np.all(np.isin(Yf, (0.0, 1.0))) and np.allclose(kf, X * Yf / q, atol=1e-9) and training:
            return (
                "the first array returned holds only 0s and 1s and the second looks like Y: the order "
                "is (Y, keep)",
                "order_swapped",
            )
        if training and q > 0 and np.all(np.isclose(kf, 0) | np.isclose(kf, 1 / q)):
            return (
                f"keep holds 0 and {1 / q:.4g} (1 / (1 - p_drop)): that is the scaled mask; keep should "
                f"hold 1 for a kept unit and 0 for a dropped one"
            ), "keep_scaled"
        return "keep should hold only 0 (dropped) and 1 (kept)", None
    if not training:
        if np.all(kf == 1) and np.allclose(Yf, X * q) and p > 0:
            return (
                f"in evaluation mode Y is X times {q:g} (1 - p_drop): with inverted dropout the scaling "
                f"happened during training, so the test-time pass leaves X unchanged"
            ), "eval_scaled"
        if np.any(kf == 0) or np.any((Yf == 0) & (X != 0)):
            return (
                "in evaluation mode some units were dropped: nothing is dropped at test time "
                "(training=False): Y = X and keep is all ones"
            ), "dropout_at_eval"
        if not np.allclose(Yf, X):
            return "in evaluation mode Y should equal X", None
        return None
    kept, dropped = kf == 1, kf == 0
    if np.any(Yf[dropped] != 0):
        if np.allclose(Yf[dropped], X[dropped] / q) and np.all(Yf[kept] == 0):
            return (
                "Y is zero where keep is 1 and nonzero where keep is 0: the mask used on X is the "
                "opposite of the keep you returned"
            ), "keep_inverted"
        if p > 0 and np.all(np.isclose(Yf, 0) | np.isclose(Yf, X / q)):
            return (
                "Y is a correctly scaled dropout of X, but its zeros are not where keep is 0: Y and keep "
                "come from two different masks; draw one mask and use it for both"
            ), "two_masks"
        return "Y is not 0 where keep is 0 (a dropped unit outputs 0)", None
    if np.any(kept):
        ratio = Yf[kept] / X[kept]
        for factor, key, what in (
            (1.0, "no_scaling", "kept units are not divided by 1 - p_drop"),
            (q, "multiplied_by_keep", "kept units are multiplied by 1 - p_drop instead of divided by it"),
            (
                1 / p if p else None,
                "divided_by_p_drop",
                "kept units are divided by p_drop instead of 1 - p_drop",
            ),
            (p, "multiplied_by_p_drop", "kept units are multiplied by p_drop"),
        ):
            if factor is not None and not np.isclose(factor, 1 / q) and np.allclose(ratio, factor):
                return f"{what}: a kept unit is {factor:.4g} x, expected x / {q:g}", key
        if not np.allclose(ratio, 1 / q, rtol=1e-6, atol=1e-9):
            i = int(np.argmax(np.abs(ratio - 1 / q)))
            return (
                f"a kept unit of Y is {ratio[i]:.4g} times its input, expected 1 / (1 - p_drop) = "
                f"{1 / q:.4g}",
                None,
            )
    n, h = X.shape
    if n >= 50 and p > 0:
        if np.all(kf == kf[:1]):
            return (
                "every example has the same mask (the rows of keep are identical): draw one mask per "
                "example, of the shape of X"
            ), "batch_mask"
        if np.all(kf == kf[:, :1]):
            return (
                "each example is dropped or kept as a whole (every row of keep is all 0 or all 1): draw "
                "one value per unit, of the shape of X"
            ), "row_mask"
        counts = dropped.sum(axis=1)
        if h >= 100 and np.std(counts) < 0.25 * np.sqrt(h * p * q):
            return (
                f"every example drops almost exactly the same number of units (the counts per row have a "
                f"spread of {np.std(counts):.2f}, expected about {np.sqrt(h * p * q):.1f} for independent "
                f"draws): each unit is dropped independently with probability p_drop"
            ), "fixed_count"
    frac = float(np.mean(dropped))
    if n * h >= 2000:
        sd = np.sqrt(p * q / (n * h))
        if abs(frac - p) > max(6 * sd, 0.01):
            if abs(frac - q) <= max(6 * sd, 0.01):
                return (
                    f"{frac:.3f} of the units were dropped, expected about p_drop = {p:g}: the mask keeps "
                    f"a unit with probability p_drop; keep it with probability 1 - p_drop"
                ), "keep_drop_swapped"
            return f"{frac:.3f} of the units were dropped, expected about p_drop = {p:g}", None
    if n == 1 and h >= 1000 and p > 0:
        runs = np.sum(np.diff(kf[0]) != 0)
        expected_runs = 2 * p * q * (h - 1)
        if runs < 0.5 * expected_runs:
            return ("the dropped units come in long runs: the units are not dropped independently", None)
    return None


def _compare_forward(got, expected, case):
    effect = _forward_effect(got, case)
    if effect is not None:
        raise Failure(effect[0])


def _forward_detect(key):
    def detect(got, expected, case):
        effect = _forward_effect(got, case)
        return effect is not None and effect[1] == key

    return detect


def _fwd(mask_fn=None, scale=None, eval_fn=None, order=None, only_y=False):
    """A forward pass with one part replaced (for the catalogue's implementations)."""

    def f(X, p_drop, rng, training=True):
        if not training:
            if eval_fn is not None:
                return eval_fn(X, p_drop, rng)
            return X.copy(), np.ones_like(X)
        keep = mask_fn(X, p_drop, rng) if mask_fn else (rng.random(X.shape) >= p_drop).astype(float)
        factor = 1 / (1 - p_drop) if scale is None else scale(p_drop)
        Y = X * keep * factor
        if only_y:
            return Y
        return (keep, Y) if order else (Y, keep)

    return f


def _inverse_p(p):
    return 1 / p if p else 1.0


def _fill_like(X, p, rng, training):
    if not training:
        return X.copy(), np.ones_like(X)
    keep = rng.random(X.shape) >= p
    Y = np.zeros_like(X)
    Y[keep] = X[keep] / (1 - p)
    return Y, keep


def _in_place_forward(X, p, rng, training, divide=False):
    if not training:
        return X.copy(), np.ones_like(X)
    keep = (rng.random(X.shape) >= p).astype(float)
    if X.dtype.kind != "f":
        X[...] = 0  # an integer X cannot hold the scaled values
        return X.astype(float), keep
    if divide:
        X /= 1 - p
        X *= keep
    else:
        X *= keep / (1 - p)
    return X.copy(), keep


dropout_forward = Exercise(
    LESSON,
    "7.1",
    "dropout_forward",
    _dropout_forward,
    _forward_cases,
    compare=_compare_forward,
    reproducible=True,
    mistakes=[
        Mistake(
            "keep_drop_swapped",
            "the mask keeps each unit with probability p_drop (keep and drop swapped)",
            "keep a unit when rng.random(X.shape) >= p_drop (probability 1 - p_drop); p_drop is the "
            "probability of dropping it",
            impl=_fwd(mask_fn=lambda X, p, rng: (rng.random(X.shape) < p).astype(float)),
            witnesses=(_fwd(mask_fn=lambda X, p, rng: rng.binomial(1, p, size=X.shape).astype(float)),),
            detect=_forward_detect("keep_drop_swapped"),
        ),
        Mistake(
            "no_scaling",
            "kept units are not divided by 1 - p_drop",
            "return Y = X * keep / (1 - p_drop): inverted dropout scales up what it keeps so that "
            "E[Y] = X, and the test-time pass needs no change",
            impl=_fwd(scale=lambda p: 1.0),
            witnesses=(
                lambda X, p, rng, training=True: (
                    (X * (k := rng.random(X.shape) >= p), k) if training else (X.copy(), np.ones_like(X))
                ),
            ),
            detect=_forward_detect("no_scaling"),
        ),
        Mistake(
            "multiplied_by_keep",
            "kept units are multiplied by 1 - p_drop instead of divided by it",
            "divide by (1 - p_drop): multiplying is the paper's test-time rule, not inverted dropout's "
            "training step",
            impl=_fwd(scale=lambda p: 1 - p),
            witnesses=(
                _fwd(mask_fn=lambda X, p, rng: (rng.uniform(size=X.shape) > p) * 1.0, scale=lambda p: 1 - p),
            ),
            detect=_forward_detect("multiplied_by_keep"),
        ),
        Mistake(
            "divided_by_p_drop",
            "kept units are divided by p_drop (the drop probability)",
            "divide by the keep probability, 1 - p_drop",
            impl=_fwd(scale=_inverse_p),
            witnesses=(
                _fwd(mask_fn=lambda X, p, rng: (rng.random(X.shape) > p).astype(float), scale=_inverse_p),
            ),
            detect=_forward_detect("divided_by_p_drop"),
        ),
        Mistake(
            "multiplied_by_p_drop",
            "kept units are multiplied by p_drop",
            "divide the kept units by 1 - p_drop",
            impl=_fwd(scale=lambda p: p),
            witnesses=(_fwd(mask_fn=lambda X, p, rng: 1.0 * (rng.random(X.shape) >= p), scale=lambda p: p),),
            detect=_forward_detect("multiplied_by_p_drop"),
        ),
        Mistake(
            "batch_mask",
            "one mask for the whole batch",
            "draw keep with the shape of X, rng.random(X.shape) >= p_drop, so that every example gets "
            "its own thinned network",
            impl=_fwd(
                mask_fn=lambda X, p, rng: np.broadcast_to(
                    (rng.random(X.shape[1]) >= p).astype(float), X.shape
                ).copy()
            ),
            witnesses=(
                _fwd(
                    mask_fn=lambda X, p, rng: np.tile(
                        rng.random((1, X.shape[1])) >= p, (X.shape[0], 1)
                    ).astype(float)
                ),
            ),
            detect=_forward_detect("batch_mask"),
        ),
        Mistake(
            "row_mask",
            "one draw per example: each example is kept or dropped as a whole",
            "draw one value per unit, rng.random(X.shape), not one per row",
            impl=_fwd(
                mask_fn=lambda X, p, rng: np.repeat(
                    rng.random((X.shape[0], 1)) >= p, X.shape[1], axis=1
                ).astype(float)
            ),
            witnesses=(_fwd(mask_fn=lambda X, p, rng: np.ones_like(X) * (rng.random((len(X), 1)) >= p)),),
            detect=_forward_detect("row_mask"),
        ),
        Mistake(
            "fixed_count",
            "the same number of units is dropped in every example",
            "draw each unit independently, keep = rng.random(X.shape) >= p_drop; the number dropped "
            "then varies from example to example, as in the paper",
            impl=_fwd(
                mask_fn=lambda X, p, rng: np.array(
                    [rng.permutation(X.shape[1]) >= round(p * X.shape[1]) for _ in range(len(X))], dtype=float
                )
            ),
            witnesses=(
                _fwd(
                    mask_fn=lambda X, p, rng: (
                        np.argsort(rng.random(X.shape), axis=1) >= int(p * X.shape[1])
                    ).astype(float)
                ),
            ),
            detect=_forward_detect("fixed_count"),
        ),
        Mistake(
            "eval_scaled",
            "the evaluation pass multiplies X by 1 - p_drop",
            "with inverted dropout return Y = X unchanged at evaluation: the division by 1 - p_drop in "
            "training already made E[Y] = X",
            impl=_fwd(eval_fn=lambda X, p, rng: (X * (1 - p), np.ones_like(X))),
            witnesses=(_fwd(eval_fn=lambda X, p, rng: (X - p * X, np.ones(X.shape))),),
            detect=_forward_detect("eval_scaled"),
        ),
        Mistake(
            "dropout_at_eval",
            "dropout is left on in evaluation mode",
            "when training is False, drop nothing: return X and a keep of ones",
            impl=_fwd(eval_fn=lambda X, p, rng: _fwd()(X, p, rng)),
            witnesses=(lambda X, p, rng, training=True: _fwd()(X, p, rng),),
            detect=_forward_detect("dropout_at_eval"),
        ),
        Mistake(
            "two_masks",
            "Y and keep come from two different masks",
            "draw the mask once, keep = rng.random(X.shape) >= p_drop, and use that array for Y too",
            impl=lambda X, p, rng, training=True: (
                (X * (rng.random(X.shape) >= p) / (1 - p), (rng.random(X.shape) >= p).astype(float))
                if training
                else (X.copy(), np.ones_like(X))
            ),
            witnesses=(
                lambda X, p, rng, training=True: (
                    (_fwd()(X, p, rng)[0], _fwd()(X, p, rng)[1]) if training else (X.copy(), np.ones_like(X))
                ),
            ),
            detect=_forward_detect("two_masks"),
        ),
        Mistake(
            "keep_inverted",
            "the mask applied to X is the opposite of the keep returned",
            "return the same array you multiplied X by (1 where kept)",
            impl=lambda X, p, rng, training=True: (
                (X * (k := (rng.random(X.shape) >= p)) / (1 - p), (~k).astype(float))
                if training
                else (X.copy(), np.ones_like(X))
            ),
            witnesses=(
                lambda X, p, rng, training=True: (
                    (X * (k := (rng.random(X.shape) >= p).astype(float)) / (1 - p), 1 - k)
                    if training
                    else (X.copy(), np.ones_like(X))
                ),
            ),
            detect=_forward_detect("keep_inverted"),
        ),
        Mistake(
            "keep_scaled",
            "keep returned as the scaled mask (0 and 1 / (1 - p_drop))",
            "return keep as 0/1 and Y = X * keep / (1 - p_drop); backward then divides by 1 - p_drop",
            impl=lambda X, p, rng, training=True: (
                (X * (m := (rng.random(X.shape) >= p) / (1 - p)), m)
                if training
                else (X.copy(), np.ones_like(X))
            ),
            witnesses=(
                lambda X, p, rng, training=True: (
                    (lambda m: (X * m, m))((rng.random(X.shape) >= p).astype(float) / (1 - p))
                    if training
                    else (X.copy(), np.ones_like(X))
                ),
            ),
            detect=_forward_detect("keep_scaled"),
        ),
        Mistake(
            "order_swapped",
            "returned (keep, Y) instead of (Y, keep)",
            "return Y first, then keep",
            impl=_fwd(order=True),
            witnesses=(lambda X, p, rng, training=True: tuple(reversed(_fwd()(X, p, rng, training))),),
            detect=_forward_detect("order_swapped"),
        ),
        Mistake(
            "only_y",
            "returned only Y",
            "return both: `return Y, keep`",
            impl=_fwd(only_y=True),
            witnesses=(lambda X, p, rng, training=True: _fwd()(X, p, rng, training)[0],),
            detect=_forward_detect("only_y"),
        ),
        Mistake(
            "integer_y",
            "Y keeps the dtype of an integer X, so the scaled values are truncated",
            "compute Y as a float array, Y = X * keep / (1 - p_drop), not by filling np.zeros_like(X)",
            impl=lambda X, p, rng, training=True: _fill_like(X, p, rng, training),
            witnesses=(
                lambda X, p, rng, training=True: (lambda Y, keep: (Y.astype(X.dtype), keep))(
                    *_fwd()(X, p, rng, training)
                ),
            ),
            detect=_forward_detect("integer_y"),
        ),
        Mistake(
            "returned_x",
            "X itself is returned in evaluation mode",
            "return X.copy() (and np.ones_like(X) as keep)",
            impl=lambda X, p, rng, training=True: _fwd()(X, p, rng) if training else (X, np.ones_like(X)),
            witnesses=(
                lambda X, p, rng, training=True: _fwd()(X, p, rng) if training else (X, np.ones(X.shape)),
            ),
            detect=_forward_detect("returned_x"),
        ),
        Mistake(
            "x_changed",
            "X was changed in place (e.g. X *= keep)",
            "compute a new array, Y = X * keep / (1 - p_drop), and leave X as it was",
            impl=lambda X, p, rng, training=True: _in_place_forward(X, p, rng, training),
            witnesses=(lambda X, p, rng, training=True: _in_place_forward(X, p, rng, training, divide=True),),
            mutation=True,
        ),
        Mistake(
            "global_rng",
            "the mask is drawn with np.random (or a generator of the function's own), not "
            "with the rng argument",
            "draw with the generator you are given, rng.random(X.shape): the caller seeds it so that a "
            "run can be repeated",
            impl=lambda X, p, rng, training=True: _fwd()(X, p, np.random.default_rng(), training),
            witnesses=(
                lambda X, p, rng, training=True: _fwd(
                    mask_fn=lambda X, p, r: (np.random.rand(*X.shape) >= p).astype(float)
                )(X, p, rng, training),
            ),
            irreproducible=True,
        ),
    ],
)


# --- 7.2 dropout_backward(dY, keep, p_drop) -> dX ---------------------------------------------------


def _dropout_backward(dY, keep, p_drop):
    return dY * keep / (1.0 - p_drop)


def _backward_cases(rng):
    def case(n, h, p, as_bool=False):
        dY = np.round(rng.uniform(0.5, 2.0, size=(n, h)) * rng.choice([-1.0, 1.0], size=(n, h)), 3)
        keep = rng.random((n, h)) >= p
        return (dY, keep if as_bool else keep.astype(float), p)

    return [
        Case(case(5, 4, 0.5), label="dY of shape (5, 4), p_drop = 0.5"),
        Case(case(60, 50, 0.3), label="dY of shape (60, 50), p_drop = 0.3"),
        Case(case(40, 30, 0.8, as_bool=True), label="keep as booleans, p_drop = 0.8"),
        Case(case(20, 10, 0.0), label="p_drop = 0"),
    ]


def _backward_effect(got, case):
    dY, keep, p = case.args
    k = np.asarray(keep, dtype=float)
    q = 1.0 - p
    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None
    if g.shape == (dY.shape[1],) and np.allclose(g, np.sum(dY * k / q, axis=0)):
        return "summed_over_batch"
    if g.shape != dY.shape:
        return None
    if getattr(got, "dtype", None) == np.bool_:
        return "bool_result"
    for cand, key in (
        (dY / q, "not_masked"),
        (dY * k, "not_scaled"),
        (dY * k * q, "multiplied_by_keep"),
        (dY * k / p if p else None, "divided_by_p_drop"),
        (dY * (1 - k) / q, "mask_inverted"),
        (dY * k / q**2, "divided_twice"),
        (dY * k / np.sqrt(q), "sqrt_scale"),
        (k / q, "no_upstream"),
        (dY * k / q / len(dY), "divided_by_n"),
    ):
        if cand is not None and not np.allclose(cand, dY * k / q) and np.allclose(g, cand):
            return key
    zeros = g == 0
    nonzero = ~zeros
    if (
        p > 0
        and np.any(zeros != (k == 0))
        and np.allclose(g[nonzero], dY[nonzero] / q)
        and abs(np.mean(zeros) - p) < max(0.15, 4 * np.sqrt(p * q / zeros.size))
    ):
        return "fresh_mask"
    return None


def _backward_detect(key):
    return lambda got, expected, case: _backward_effect(got, case) == key


def _compare_backward(got, expected, case):
    seen = getattr(case, "seen_args", None)
    if seen is not None and got is seen[0]:
        raise Failure(
            "you returned dY itself: return a new array (the caller may change the gradient it "
            "gets back, and with it its own dY)"
        )
    compare_array(got, expected, "your result")


def _alias_backward(dY, keep, p):
    return dY if p == 0 else dY * keep / (1 - p)


def _fresh_mask_backward(dY, keep, p_drop):
    return dY * (np.random.default_rng().random(dY.shape) >= p_drop) / (1 - p_drop)


def _keep_as_bool(exercise, error, case):
    return isinstance(error, TypeError) and "invert" in str(error) and case.args[1].dtype != np.bool_


dropout_backward = Exercise(
    LESSON,
    "7.2",
    "dropout_backward",
    _dropout_backward,
    _backward_cases,
    compare=_compare_backward,
    named_errors=[(_keep_as_bool, "keep_as_bool")],
    mistakes=[
        Mistake(
            "not_masked",
            "the gradient is not masked: dropped units get a gradient",
            "multiply by keep: a dropped unit's output was 0 whatever its input, so its input gets no "
            "gradient, dX = dY * keep / (1 - p_drop)",
            impl=lambda dY, keep, p: dY / (1 - p),
            witnesses=(lambda dY, keep, p: dY * (1 / (1 - p)),),
            detect=_backward_detect("not_masked"),
        ),
        Mistake(
            "not_scaled",
            "the gradient is masked but not divided by 1 - p_drop",
            "the forward pass divided the kept units by 1 - p_drop, so the gradient is divided too: "
            "dX = dY * keep / (1 - p_drop)",
            impl=lambda dY, keep, p: dY * keep,
            witnesses=(lambda dY, keep, p: np.where(keep, dY, 0.0),),
            detect=_backward_detect("not_scaled"),
        ),
        Mistake(
            "multiplied_by_keep",
            "the gradient is multiplied by 1 - p_drop instead of divided by it",
            "divide by (1 - p_drop), as the forward pass did",
            impl=lambda dY, keep, p: dY * keep * (1 - p),
            witnesses=(lambda dY, keep, p: np.where(keep, dY * (1 - p), 0.0),),
            detect=_backward_detect("multiplied_by_keep"),
        ),
        Mistake(
            "divided_by_p_drop",
            "the gradient is divided by p_drop instead of 1 - p_drop",
            "divide by the keep probability, 1 - p_drop",
            impl=lambda dY, keep, p: dY * keep / p if p else dY * keep,
            witnesses=(lambda dY, keep, p: np.where(keep, dY / p, 0.0) if p else dY * keep,),
            detect=_backward_detect("divided_by_p_drop"),
        ),
        Mistake(
            "mask_inverted",
            "the gradient flows to the dropped units and not to the kept ones",
            "multiply by keep (1 where the unit was kept), not by 1 - keep",
            impl=lambda dY, keep, p: dY * (1 - np.asarray(keep, dtype=float)) / (1 - p),
            witnesses=(lambda dY, keep, p: np.where(keep, 0.0, dY) / (1 - p),),
            detect=_backward_detect("mask_inverted"),
        ),
        Mistake(
            "fresh_mask",
            "backward draws a new mask instead of using the forward pass's keep",
            "use the keep you were given: the gradient must go through the same thinned network the "
            "forward pass used",
            impl=_fresh_mask_backward,
            witnesses=(lambda dY, keep, p: dY * (np.random.rand(*dY.shape) >= p) / (1 - p),),
            detect=_backward_detect("fresh_mask"),
        ),
        Mistake(
            "divided_twice",
            "the gradient is divided by (1 - p_drop) squared",
            "divide once: the forward pass multiplied by keep / (1 - p_drop), so "
            "dX = dY * keep / (1 - p_drop)",
            impl=lambda dY, keep, p: dY * keep / (1 - p) ** 2,
            witnesses=(lambda dY, keep, p: dY * keep / (1 - p) / (1 - p),),
            detect=_backward_detect("divided_twice"),
        ),
        Mistake(
            "sqrt_scale",
            "the gradient is divided by sqrt(1 - p_drop)",
            "divide by 1 - p_drop itself, the factor of the forward pass",
            impl=lambda dY, keep, p: dY * keep / np.sqrt(1 - p),
            witnesses=(lambda dY, keep, p: dY * keep * (1 - p) ** -0.5,),
            detect=_backward_detect("sqrt_scale"),
        ),
        Mistake(
            "no_upstream",
            "returned the local derivative keep / (1 - p_drop) without multiplying by dY",
            "chain rule: multiply the local derivative by the upstream gradient, "
            "dX = dY * keep / (1 - p_drop)",
            impl=lambda dY, keep, p: keep / (1 - p),
            witnesses=(lambda dY, keep, p: np.asarray(keep, dtype=float) * (1 / (1 - p)),),
            detect=_backward_detect("no_upstream"),
        ),
        Mistake(
            "divided_by_n",
            "the gradient is also divided by the batch size N",
            "the mean over the batch is taken once, in the loss; a layer's backward only applies its own "
            "derivative: dX = dY * keep / (1 - p_drop)",
            impl=lambda dY, keep, p: dY * keep / (1 - p) / len(dY),
            witnesses=(lambda dY, keep, p: dY * keep / ((1 - p) * dY.shape[0]),),
            detect=_backward_detect("divided_by_n"),
        ),
        Mistake(
            "summed_over_batch",
            "the gradient is summed over the batch (shape (H,), like a bias gradient)",
            "dropout has no parameters: return dX with the shape of dY, one gradient per example and unit",
            impl=lambda dY, keep, p: np.sum(dY * keep / (1 - p), axis=0),
            witnesses=(lambda dY, keep, p: (dY * keep).sum(0) / (1 - p),),
            detect=_backward_detect("summed_over_batch"),
        ),
        Mistake(
            "bool_result",
            "the result is a boolean array (e.g. filled into np.zeros_like(keep))",
            "build dX from dY, e.g. dX = dY * keep / (1 - p_drop), which is float for a float "
            "or boolean keep",
            impl=lambda dY, keep, p: _fill_keep_like(dY, keep, p),
            witnesses=(lambda dY, keep, p: (dY * keep / (1 - p)).astype(np.asarray(keep).dtype),),
            detect=_backward_detect("bool_result"),
        ),
        Mistake(
            "keep_as_bool",
            "~keep assumes a boolean mask (TypeError for a 0/1 float mask)",
            "multiply by keep, dX = dY * keep / (1 - p_drop), which works for 0/1 floats and booleans",
            impl=lambda dY, keep, p: _bool_index_backward(dY, keep, p),
            witnesses=(lambda dY, keep, p: np.where(~keep, 0.0, dY / (1 - p)),),
        ),
        Mistake(
            "returned_dy",
            "dY itself is returned when p_drop = 0",
            "return a new array in every case, e.g. dY * keep / (1 - p_drop), which is a copy",
            impl=_alias_backward,
            witnesses=(lambda dY, keep, p: dY if not p else dY * keep / (1 - p),),
            detect=lambda got, expected, case: getattr(case, "seen_args", (None,))[0] is got,
        ),
        Mistake(
            "in_place",
            "dY was changed in place (e.g. dY *= keep)",
            "compute a new array, dX = dY * keep / (1 - p_drop); the caller may still need dY",
            impl=lambda dY, keep, p: _in_place_backward(dY, keep, p),
            witnesses=(lambda dY, keep, p: np.multiply(dY, np.asarray(keep) / (1 - p), out=dY),),
            mutation=True,
        ),
    ],
)


def _fill_keep_like(dY, keep, p):
    dX = np.zeros_like(keep)
    dX[...] = dY * keep / (1 - p)
    return dX


def _bool_index_backward(dY, keep, p):
    dX = dY / (1 - p)
    dX[~keep] = 0.0
    return dX


def _in_place_backward(dY, keep, p):
    dY *= keep
    dY /= 1 - p
    return dY


# --- 7.3 test_time_logits(params, X, p_drop_input, p_drop_hidden) -> logits --------------------------


def _test_time_logits(params, X, p_drop_input, p_drop_hidden):
    W1 = (1.0 - p_drop_input) * params["W1"]
    W2 = (1.0 - p_drop_hidden) * params["W2"]
    return _relu(X @ W1 + params["b1"]) @ W2 + params["b2"]


def _net_params(rng, d, h, c):
    r = lambda *s: np.round(rng.standard_normal(s), 2)  # noqa: E731
    return {
        "W1": r(d, h),
        "b1": np.round(rng.uniform(0.2, 1.0, h), 2),
        "W2": r(h, c),
        "b2": np.round(rng.uniform(0.5, 1.5, c) * rng.choice([-1, 1], c), 2),
    }


def _test_time_cases(rng):
    out = []
    for (d, h, c, n), (pi, ph) in zip(
        [(4, 6, 3, 5), (3, 8, 2, 7), (5, 5, 4, 6), (6, 7, 3, 4), (2, 9, 3, 8)],
        [(0.2, 0.5), (0.1, 0.35), (0.3, 0.0), (0.0, 0.6), (0.45, 0.15)],
    ):
        params = _net_params(rng, d, h, c)
        X = np.round(rng.standard_normal((n, d)), 2)
        out.append(Case((params, X, pi, ph), label=f"p_drop_input = {pi}, p_drop_hidden = {ph}"))
    return out


def _factors(pi, ph):
    """Candidate factors of a test-time rule, by name."""
    ki, kh = 1 - pi, 1 - ph
    return {
        "1": 1.0,
        "keep_in": ki,
        "keep_hid": kh,
        "drop_in": pi,
        "drop_hid": ph,
        "keep_in2": ki * ki,
        "keep_both": ki * kh,
        "1/keep_in": 1 / ki if ki else None,
        "1/keep_hid": 1 / kh if kh else None,
    }


_RULES = {
    # (a on W1, s1 on b1, c on W2, s2 on b2) -> key
    ("1", "1", "1", "1"): "no_scaling",
    ("drop_in", "1", "drop_hid", "1"): "scaled_by_drop",
    ("1/keep_in", "1", "1/keep_hid", "1"): "divided_by_keep",
    ("keep_in", "keep_in", "keep_hid", "keep_hid"): "biases_scaled",
    ("keep_in", "keep_in", "keep_hid", "1"): "input_factor_after_layer",
    ("keep_in", "1", "keep_hid", "keep_hid"): "biases_scaled",
    ("keep_hid", "1", "keep_in", "1"): "layers_swapped",
    ("1", "1", "keep_hid", "1"): "input_not_scaled",
    ("keep_in", "1", "1", "1"): "hidden_not_scaled",
    ("keep_in", "1", "keep_in", "1"): "one_probability",
    ("keep_hid", "1", "keep_hid", "1"): "one_probability",
    ("keep_in2", "1", "keep_hid", "1"): "input_scaled_twice",
    ("1", "1", "keep_both", "keep_both"): "scaled_logits",
}


def _rule_output(params, X, f, rule):
    a, s1, c, s2 = (f[name] for name in rule)
    if None in (a, s1, c, s2):
        return None
    return _relu(X @ (a * params["W1"]) + s1 * params["b1"]) @ (c * params["W2"]) + s2 * params["b2"]


def _rule_matches(ex, key, got, case):
    """True when the learner's logits equal one of ``key``'s rules on this case and on every other
    case of the check."""
    params, X, pi, ph = case.args
    for rule, name in _RULES.items():
        if name != key:
            continue
        here = _rule_output(params, X, _factors(pi, ph), rule)
        if here is None or not _close(got, here):
            continue
        ok = True
        for case in ex.running_cases:
            params, X, pi, ph = case.args
            got, error = ex.call_learner(*case.args)
            out = _rule_output(params, X, _factors(pi, ph), rule)
            if error is not None or out is None or not _close(got, out):
                ok = False
                break
        if ok:
            return True
    return False


def _close(got, out):
    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return g.shape == out.shape and np.allclose(g, out, rtol=1e-6, atol=1e-9)


def _rule_detect(key):
    return lambda got, expected, case: _rule_matches(test_time_logits, key, got, case)


def _probabilities_detect(got, expected, case):
    return _close(got, _softmax(expected))


def _compare_test_time(got, expected, case):
    if _params_mutated(case):
        raise Failure(
            "your function changed the arrays in params in place (e.g. params['W1'] *= ...); "
            "build scaled copies and leave params as it was"
        )
    again, error = test_time_logits.call_learner(*case.args)
    if error is None and not _close(again, np.asarray(got, dtype=float)) and _close(got, np.asarray(got)):
        case.random_at_test = True
        raise Failure(
            "two calls with the same inputs gave different logits: something random runs at test time"
        )
    compare_array(got, expected, "your logits")


def _params_mutated(case):
    seen = getattr(case, "seen_args", None)
    if seen is None:
        return False
    return any(not np.array_equal(seen[0][k], v) for k, v in case.args[0].items())


def _random_at_test(got, expected, case):
    return getattr(case, "random_at_test", False)


def _rule_impl(a, s1, c, s2):
    def f(params, X, pi, ph):
        fac = _factors(pi, ph)
        return _rule_output(params, X, fac, (a, s1, c, s2))

    return f


def _scale_in_place(params, X, pi, ph):
    params["W1"] *= 1 - pi
    params["W2"] *= 1 - ph
    return _relu(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]


def _mask_at_test(params, X, pi, ph, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    Xd = X * (rng.random(X.shape) >= pi)
    h = _relu(Xd @ params["W1"] + params["b1"])
    return (h * (rng.random(h.shape) >= ph)) @ params["W2"] + params["b2"]


def _detect_mutation(got, expected, case):
    return _params_mutated(case)


test_time_logits = Exercise(
    LESSON,
    "7.3",
    "test_time_logits",
    _test_time_logits,
    _test_time_cases,
    compare=_compare_test_time,
    check_mutation=False,
    mistakes=[
        Mistake(
            "params_changed",
            "the weights in params were scaled in place",
            "build scaled copies, e.g. W1 = (1 - p_drop_input) * params['W1'], and leave params as it "
            "was: calling the function twice would scale them twice",
            impl=_scale_in_place,
            witnesses=(
                lambda params, X, pi, ph: (
                    params.update(W1=params["W1"] * (1 - pi), W2=params["W2"] * (1 - ph)),
                    _rule_impl("1", "1", "1", "1")(params, X, pi, ph),
                )[1],
            ),
            detect=_detect_mutation,
        ),
        Mistake(
            "dropout_at_test",
            "units are dropped at random at test time",
            "keep every unit at test time and scale the weights instead: the weight-scaling rule "
            "replaces the random masks by their expected value",
            impl=_mask_at_test,
            witnesses=(lambda params, X, pi, ph: _mask_at_test(params, X, pi, ph, np.random.default_rng()),),
            detect=_random_at_test,
        ),
        Mistake(
            "no_scaling",
            "the weights are not scaled at test time",
            "this network was trained without inverted scaling, so every unit's input was on average "
            "(1 - p_drop) times what it is with every unit kept: multiply W1 by 1 - p_drop_input and "
            "W2 by 1 - p_drop_hidden",
            impl=_rule_impl("1", "1", "1", "1"),
            witnesses=(
                lambda params, X, pi, ph: (
                    np.maximum(X @ params["W1"] + params["b1"], 0) @ params["W2"] + params["b2"]
                ),
            ),
            detect=_rule_detect("no_scaling"),
        ),
        Mistake(
            "scaled_by_drop",
            "the weights are scaled by p_drop instead of the keep probability",
            "scale by the probability that a unit was KEPT, 1 - p_drop (the paper's p)",
            impl=_rule_impl("drop_in", "1", "drop_hid", "1"),
            witnesses=(
                lambda params, X, pi, ph: (
                    np.maximum((pi * X) @ params["W1"] + params["b1"], 0) @ (ph * params["W2"]) + params["b2"]
                ),
            ),
            detect=_rule_detect("scaled_by_drop"),
        ),
        Mistake(
            "divided_by_keep",
            "the weights are divided by the keep probability (inverted dropout's "
            "training rule applied at test time)",
            "this network was trained with the paper's dropout: at test time multiply by 1 - p_drop",
            impl=_rule_impl("1/keep_in", "1", "1/keep_hid", "1"),
            witnesses=(
                lambda params, X, pi, ph: (
                    np.maximum(X / (1 - pi) @ params["W1"] + params["b1"], 0) / (1 - ph) @ params["W2"]
                    + params["b2"]
                ),
            ),
            detect=_rule_detect("divided_by_keep"),
        ),
        Mistake(
            "biases_scaled",
            "the biases are scaled too",
            "scale only the weights: a bias's input is the constant 1, which was never dropped",
            impl=_rule_impl("keep_in", "keep_in", "keep_hid", "keep_hid"),
            witnesses=(
                lambda params, X, pi, ph: (
                    (1 - ph)
                    * (
                        np.maximum((1 - pi) * (X @ params["W1"] + params["b1"]), 0) @ params["W2"]
                        + params["b2"]
                    )
                ),
            ),
            detect=_rule_detect("biases_scaled"),
        ),
        Mistake(
            "input_factor_after_layer",
            "the input's factor 1 - p_drop_input is applied after the first "
            "layer (to relu(X @ W1 + b1), or to W2), which scales b1 as well",
            "apply 1 - p_drop_input where the inputs enter: to X or to W1, before b1 is added; the "
            "constant input of b1 was never dropped",
            impl=_rule_impl("keep_in", "keep_in", "keep_hid", "1"),
            witnesses=(
                lambda params, X, pi, ph: (
                    np.maximum(X @ params["W1"] + params["b1"], 0) @ ((1 - pi) * (1 - ph) * params["W2"])
                    + params["b2"]
                ),
            ),
            detect=_rule_detect("input_factor_after_layer"),
        ),
        Mistake(
            "layers_swapped",
            "the input's probability scales W2 and the hidden layer's scales W1",
            "W1 carries the inputs, so it takes 1 - p_drop_input; W2 carries the hidden units, so it "
            "takes 1 - p_drop_hidden",
            impl=_rule_impl("keep_hid", "1", "keep_in", "1"),
            witnesses=(lambda params, X, pi, ph: _test_time_logits(params, X, ph, pi),),
            detect=_rule_detect("layers_swapped"),
        ),
        Mistake(
            "input_not_scaled",
            "only W2 is scaled: the input dropout is forgotten",
            "the inputs were dropped too: multiply W1 by 1 - p_drop_input",
            impl=_rule_impl("1", "1", "keep_hid", "1"),
            witnesses=(lambda params, X, pi, ph: _test_time_logits(params, X, 0.0, ph),),
            detect=_rule_detect("input_not_scaled"),
        ),
        Mistake(
            "hidden_not_scaled",
            "only W1 is scaled: the hidden dropout is forgotten",
            "the hidden units were dropped too: multiply W2 by 1 - p_drop_hidden",
            impl=_rule_impl("keep_in", "1", "1", "1"),
            witnesses=(lambda params, X, pi, ph: _test_time_logits(params, X, pi, 0.0),),
            detect=_rule_detect("hidden_not_scaled"),
        ),
        Mistake(
            "one_probability",
            "one probability is used for both layers",
            "scale W1 by 1 - p_drop_input and W2 by 1 - p_drop_hidden",
            impl=_rule_impl("keep_hid", "1", "keep_hid", "1"),
            witnesses=(lambda params, X, pi, ph: _test_time_logits(params, X, pi, pi),),
            detect=_rule_detect("one_probability"),
        ),
        Mistake(
            "input_scaled_twice",
            "the input factor is applied twice (to X and to W1)",
            "scale either X or W1 by 1 - p_drop_input, not both: (c X) @ W1 = X @ (c W1)",
            impl=_rule_impl("keep_in2", "1", "keep_hid", "1"),
            witnesses=(
                lambda params, X, pi, ph: (
                    np.maximum(((1 - pi) * X) @ ((1 - pi) * params["W1"]) + params["b1"], 0)
                    @ ((1 - ph) * params["W2"])
                    + params["b2"]
                ),
            ),
            detect=_rule_detect("input_scaled_twice"),
        ),
        Mistake(
            "scaled_logits",
            "the logits (b2 included) are scaled instead of the weights",
            "scale each weight matrix by its own layer's keep probability and leave the biases alone; a "
            "factor on the output is not the same once the ReLU and the biases are in between",
            impl=_rule_impl("1", "1", "keep_both", "keep_both"),
            witnesses=(
                lambda params, X, pi, ph: (
                    (1 - pi)
                    * (1 - ph)
                    * (np.maximum(X @ params["W1"] + params["b1"], 0) @ params["W2"] + params["b2"])
                ),
            ),
            detect=_rule_detect("scaled_logits"),
        ),
        Mistake(
            "returned_probabilities",
            "returned the softmax of the logits",
            "return the logits themselves (before any softmax)",
            impl=lambda params, X, pi, ph: _softmax(_test_time_logits(params, X, pi, ph)),
            witnesses=(
                lambda params, X, pi, ph: (lambda z: np.exp(z) / np.exp(z).sum(1, keepdims=True))(
                    _test_time_logits(params, X, pi, ph)
                ),
            ),
            detect=_probabilities_detect,
        ),
    ],
)


# --- 7.4 mc_predict(params, X, p_drop, k, rng) -> probabilities ------------------------------------


def _mc_predict(params, X, p_drop, k, rng):
    h = _relu(X @ params["W1"] + params["b1"])
    total = np.zeros((len(X), params["W2"].shape[1]))
    for _ in range(k):
        keep = rng.random(h.shape) >= p_drop
        total += _softmax(h * keep / (1.0 - p_drop) @ params["W2"] + params["b2"])
    return total / k


def _mc_cases(rng):
    def params(d, h, c):
        p = _net_params(rng, d, h, c)
        p["W2"] = 1.5 * p["W2"]
        return p

    def big(p):
        p["W2"] = 150.0 * p["W2"]
        return p

    g = lambda seed: np.random.default_rng(seed)  # noqa: E731
    X = lambda n, d: np.round(rng.standard_normal((n, d)), 2)  # noqa: E731
    return [
        Case((params(3, 5, 3), X(40, 3), 0.5, 1, g(2)), label="k = 1 (one mask per example), N = 40"),
        Case((params(3, 5, 3), X(6, 3), 0.5, 3, g(1)), label="N = 6, H = 5, p_drop = 0.5, k = 3"),
        Case((params(3, 5, 3), X(8, 3), 0.3, 4000, g(3)), label="k = 4000, p_drop = 0.3"),
        Case((params(2, 5, 4), X(6, 2), 0.6, 4000, g(4)), label="k = 4000, p_drop = 0.6"),
        Case((params(3, 4, 3), X(5, 3), 0.0, 7, g(5)), label="p_drop = 0", draws=False),
        Case((params(3, 5, 3), X(1, 3), 0.5, 20, g(6)), label="one example, N = 1"),
        Case((big(params(3, 5, 3)), X(6, 3), 0.5, 10, g(7)), label="large logits (up to about 1000)"),
    ]


def _mask_outputs(params, X, scale, p, on="hidden"):
    """Softmax outputs (masks, N, C) of every mask, with kept units multiplied by ``scale``."""
    D, H = params["W1"].shape
    if on == "inputs":
        masks = np.array(list(product((0.0, 1.0), repeat=D)))
        h = _relu((masks[:, None, :] * X[None] * scale) @ params["W1"] + params["b1"])
        return _softmax(h @ params["W2"] + params["b2"]), masks
    if on == "both":
        masks = np.array(list(product((0.0, 1.0), repeat=D + H)))
        h = _relu((masks[:, None, :D] * X[None] * scale) @ params["W1"] + params["b1"])
        return _softmax((masks[:, None, D:] * h * scale) @ params["W2"] + params["b2"]), masks
    if on == "preact":
        masks = np.array(list(product((0.0, 1.0), repeat=H)))
        h = _relu(masks[:, None, :] * (X @ params["W1"])[None] * scale + params["b1"])
        return _softmax(h @ params["W2"] + params["b2"]), masks
    h = _relu(X @ params["W1"] + params["b1"])
    masks = np.array(list(product((0.0, 1.0), repeat=h.shape[1])))
    return _softmax((masks[:, None, :] * h[None] * scale) @ params["W2"] + params["b2"]), masks


def _expectation(params, X, keep_prob, scale, on="hidden"):
    outs, masks = _mask_outputs(params, X, scale, keep_prob, on)
    w = np.prod(np.where(masks == 1, keep_prob, 1 - keep_prob), axis=1)
    mean = np.tensordot(w, outs, axes=1)
    sd = np.sqrt(np.tensordot(w, (outs - mean) ** 2, axes=1))
    return mean, sd


def _mc_effect(got, case):
    """(message, key) for a wrong Monte Carlo answer, or None."""
    params, X, p, k = case.args[:4]
    q = 1 - p
    N, C = len(X), params["W2"].shape[1]
    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return "your result should be an array of probabilities", None
    if g.shape != (N, C):
        if N == 1 and g.shape == (C,):
            return (
                f"with one example your result has shape {g.shape}, expected {(N, C)}: np.squeeze (or "
                f"indexing [0]) removed the examples axis; keep the shape (N, C)"
            ), "squeezed"
        if g.shape == (k, N, C):
            return (
                f"your result has shape {g.shape}: the k predictions are stacked but not averaged",
                "no_mean",
            )
        if g.shape in ((k, C), (C,)) and N != C:
            return (
                f"your result has shape {g.shape}, expected {(N, C)}: the mean was taken over the examples "
                f"instead of over the k passes"
            ), "mean_over_examples"
        return f"your result has shape {g.shape}, expected {(N, C)}", None
    if not np.all(np.isfinite(g)):
        if np.max(np.abs(params["W2"])) > 50:
            return (
                "your result contains NaN where the logits are large (about 1000): exp overflows; "
                "subtract each row's largest logit before np.exp, as a stable softmax does"
            ), "unstable_softmax"
        return "your result contains NaN or inf", None
    sums = g.sum(axis=1)
    if np.allclose(sums, (k - 1) / k):
        return (
            f"the rows sum to {(k - 1) / k:.4g} = (k - 1) / k: one pass too few is summed (e.g. "
            f"range(1, k)) before dividing by k"
        ), "one_pass_short"
    if not np.allclose(sums, 1.0, atol=1e-6):
        if k > 1 and np.allclose(sums, k):
            return f"the rows sum to {k} (= k): the k probability arrays are summed, not averaged", "summed"
        if np.allclose(g.sum(axis=0), 1.0, atol=1e-6) or np.allclose(g.sum(axis=0), k):
            return (
                "the columns sum to 1 instead of the rows: the softmax runs over the examples (axis 0); "
                "take it over the classes, axis=1"
            ), "softmax_axis"
        return f"row 0 of your result sums to {sums[0]:.4g}, expected 1: these are not probabilities", None
    det = _softmax(_relu(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"])
    if k == 1 and p > 0 and np.all((g == 0) | (g == 1)) and not np.all((det == 0) | (det == 1)):
        return (
            "with k = 1 your result is one-hot: the passes voted with their argmax; average the "
            "probabilities themselves"
        ), "majority_vote"
    if p == 0:
        if not np.allclose(g, det, atol=1e-6):
            return (
                "with p_drop = 0 nothing is dropped, so the result is the softmax of the full network",
                None,
            )
        return None
    scales = {
        "correct": 1 / q,
        "no_inverted_scaling": 1.0,
        "multiplied_by_keep": q,
        "divided_by_p_drop": 1 / p,
    }
    if k == 1:
        matched = []
        for key, s in scales.items():
            outs, _ = _mask_outputs(params, X, s, q)
            rows = np.all(np.isclose(outs, g[None], rtol=1e-6, atol=1e-9), axis=2)  # (masks, N)
            if np.all(rows.any(axis=0)):
                matched.append((key, rows))
        if matched and matched[0][0] == "correct":
            rows = matched[0][1]
            common = np.all(rows, axis=1)
            if np.any(common) and N >= 20:
                return (
                    "with k = 1 every example used the same mask: draw a mask of the shape of the hidden "
                    "layer, (N, H), so that each example gets its own"
                ), "batch_mask"
            return None
        if np.allclose(g, det, atol=1e-9):
            return (
                "with k = 1 the result is the full network's prediction: no unit was dropped in the "
                "forward passes"
            ), "no_dropout"
        if matched:
            key = matched[0][0]
            what = {
                "no_inverted_scaling": "kept units are not divided by 1 - p_drop",
                "multiplied_by_keep": "kept units are multiplied by 1 - p_drop instead of divided by it",
                "divided_by_p_drop": "kept units are divided by p_drop instead of 1 - p_drop",
            }[key]
            return f"with k = 1, each row is one thinned network's prediction, but {what}", key
        for on, key, what in (
            (
                "inputs",
                "dropped_inputs",
                "the dropout masks were applied to the inputs X; this network drops its hidden units only",
            ),
            (
                "both",
                "dropped_inputs_too",
                "the inputs X were dropped as well as the hidden "
                "units; this network drops its hidden units only",
            ),
            (
                "preact",
                "bias_not_dropped",
                "the mask was applied to X @ W1 before b1 was added, "
                "so a dropped unit still outputs relu(b1); drop the unit's activation, "
                "relu(X @ W1 + b1)",
            ),
        ):
            outs, _ = _mask_outputs(params, X, 1 / q, q, on=on)
            rows = np.all(np.isclose(outs, g[None], rtol=1e-6, atol=1e-9), axis=2)
            if np.all(rows.any(axis=0)):
                return what, key
        return (
            "with k = 1 a row of your result is not the prediction of any thinned network (any mask of "
            "the hidden units)"
        ), None
    mean, sd = _expectation(params, X, q, 1 / q)
    tol = 6 * sd / np.sqrt(k) + 2e-3
    if np.all(np.abs(g - mean) <= tol):
        return None
    if np.all(np.abs(g - det) <= 0.03):
        return (
            "your mean is the softmax of the full network: averaging the logits (which inverted dropout "
            "keeps equal, in expectation, to the full network's) before the softmax gives the "
            "weight-scaling rule, not the mean of the k predictions"
        ), "averaged_logits"
    outs, _ = _mask_outputs(params, X, 1 / q, q)
    rows = np.all(np.isclose(outs, g[None], rtol=1e-6, atol=1e-9), axis=2)
    if np.all(rows.any(axis=0)):
        return (
            "with k = 4000 each row is still one thinned network's prediction: the same mask was used in "
            "every pass; draw a fresh mask inside the loop"
        ), "one_mask_for_all_k"
    for key, keep_prob, s in (
        ("keep_drop_swapped", p, 1 / q),
        ("keep_drop_swapped", p, 1 / p),
        ("no_inverted_scaling", q, 1.0),
        ("multiplied_by_keep", q, q),
        ("divided_by_p_drop", q, 1 / p),
    ):
        m2, sd2 = _expectation(params, X, keep_prob, s)
        if np.all(np.abs(g - m2) <= 6 * sd2 / np.sqrt(k) + 2e-3):
            what = {
                "keep_drop_swapped": "units are kept with probability p_drop instead of 1 - p_drop",
                "no_inverted_scaling": "kept units are not divided by 1 - p_drop",
                "multiplied_by_keep": "kept units are multiplied by 1 - p_drop",
                "divided_by_p_drop": "kept units are divided by p_drop",
            }[key]
            return f"your mean over {k} passes is not the expected prediction: {what}", key
    m3, sd3 = _expectation(params, X, q, 1 / q, on="inputs")
    if np.all(np.abs(g - m3) <= 6 * sd3 / np.sqrt(k) + 2e-3):
        return (
            "the dropout masks were applied to the inputs X; this network drops its hidden units",
            "dropped_inputs",
        )
    i, j = np.unravel_index(np.argmax(np.abs(g - mean)), g.shape)
    return (
        f"your mean over k = {k} passes is {g[i, j]:.4f} at index {(int(i), int(j))}, but the average over "
        f"every mask (weighted by its probability) is {mean[i, j]:.4f}; {k} samples cannot miss it by that "
        f"much"
    ), None


def _compare_mc(got, expected, case):
    if _params_mutated(case):
        case.params_changed = True
        raise Failure(
            "your function changed the arrays in params in place (e.g. params['W2'] /= ...); "
            "compute with new arrays and leave params as it was"
        )
    check_type(got, expected)
    effect = _mc_effect(got, case)
    if effect is not None:
        raise Failure(effect[0])


def _mc_detect(key):
    def detect(got, expected, case):
        effect = _mc_effect(got, case)
        return effect is not None and effect[1] == key

    return detect


def _mc(
    scale=None,
    keep_of=None,
    mask_shape=None,
    combine="probs",
    one_mask=False,
    stack=False,
    axis=1,
    on="hidden",
):
    """A Monte Carlo pass with one part replaced (for the catalogue's implementations)."""

    def f(params, X, p, k, rng):
        s = 1 / (1 - p) if scale is None else scale(p)
        kp = (1 - p) if keep_of is None else keep_of(p)
        outs = []
        mask = None
        for _ in range(k):
            if on == "inputs":
                m = rng.random(X.shape) < kp
                h = _relu(X * m * s @ params["W1"] + params["b1"])
                z = h @ params["W2"] + params["b2"]
            else:
                h = _relu(X @ params["W1"] + params["b1"])
                if mask is None or not one_mask:
                    shape = h.shape if mask_shape is None else mask_shape(h)
                    mask = rng.random(shape) < kp
                z = h * mask * s @ params["W2"] + params["b2"]
            outs.append(z if combine == "logits" else _softmax(z, axis=axis))
        if stack:
            return np.array(outs)
        mean = np.mean(outs, axis=0)
        return _softmax(mean) if combine == "logits" else (mean * k if combine == "sum" else mean)

    return f


def _mc_predict_unstable(params, X, p, k, rng, sum_first=False):
    h = _relu(X @ params["W1"] + params["b1"])
    total = 0.0
    for _ in range(k):
        e = np.exp((h * (rng.random(h.shape) >= p) / (1 - p)) @ params["W2"] + params["b2"])
        total = total + e / e.sum(axis=1, keepdims=True)
    return total / k


def _mc_vote(params, X, p, k, rng):
    h = _relu(X @ params["W1"] + params["b1"])
    C = params["W2"].shape[1]
    votes = np.zeros((len(X), C))
    for _ in range(k):
        z = (h * (rng.random(h.shape) >= p) / (1 - p)) @ params["W2"] + params["b2"]
        votes[np.arange(len(X)), np.argmax(z, axis=1)] += 1
    return votes / k


def _mc_both(params, X, p, k, rng, axis=1):
    out = 0.0
    for _ in range(k):
        Xd = X * (rng.random(X.shape) >= p) / (1 - p)
        h = _relu(Xd @ params["W1"] + params["b1"])
        out = out + _softmax(
            (h * (rng.random(h.shape) >= p) / (1 - p)) @ params["W2"] + params["b2"], axis=axis
        )
    return out / k


def _mc_preact(params, X, p, k, rng, axis=1):
    out = 0.0
    a = X @ params["W1"]
    for _ in range(k):
        h = _relu(a * (rng.random(a.shape) >= p) / (1 - p) + params["b1"])
        out = out + _softmax(h @ params["W2"] + params["b2"], axis=axis)
    return out / k


mc_predict = Exercise(
    LESSON,
    "7.4",
    "mc_predict",
    _mc_predict,
    _mc_cases,
    compare=_compare_mc,
    reproducible=True,
    rtol=1e-6,
    mistakes=[
        Mistake(
            "averaged_logits",
            "the logits are averaged and the softmax taken once",
            "take the softmax of each pass's logits, then average the k probability arrays",
            impl=_mc(combine="logits"),
            witnesses=(
                lambda params, X, p, k, rng: _softmax(
                    sum(
                        (
                            _relu(X @ params["W1"] + params["b1"])
                            * (rng.random((len(X), params["W1"].shape[1])) >= p)
                            / (1 - p)
                        )
                        @ params["W2"]
                        + params["b2"]
                        for _ in range(k)
                    )
                    / k
                ),
            ),
            detect=_mc_detect("averaged_logits"),
        ),
        Mistake(
            "one_mask_for_all_k",
            "the same mask is used in all k passes",
            "draw a fresh mask inside the loop over the k passes",
            impl=_mc(one_mask=True),
            witnesses=(
                lambda params, X, p, k, rng: (
                    lambda keep: np.mean(
                        [
                            _softmax(
                                _relu(X @ params["W1"] + params["b1"]) * keep / (1 - p) @ params["W2"]
                                + params["b2"]
                            )
                            for _ in range(k)
                        ],
                        axis=0,
                    )
                )(rng.random((len(X), params["W1"].shape[1])) >= p),
            ),
            detect=_mc_detect("one_mask_for_all_k"),
        ),
        Mistake(
            "batch_mask",
            "one mask for all the examples of a pass",
            "draw the mask with the shape of the hidden layer, (N, H)",
            impl=_mc(mask_shape=lambda h: (1, h.shape[1])),
            witnesses=(_mc(mask_shape=lambda h: h.shape[1]),),
            detect=_mc_detect("batch_mask"),
        ),
        Mistake(
            "no_dropout",
            "no unit is dropped in the passes",
            "in each pass, multiply the hidden units by a fresh mask (and divide by 1 - p_drop)",
            impl=lambda params, X, p, k, rng: (
                _softmax(_relu(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"])
                + 0 * rng.random()
            ),
            witnesses=(_mc(keep_of=lambda p: 1.0, scale=lambda p: 1.0),),
            detect=_mc_detect("no_dropout"),
        ),
        Mistake(
            "no_inverted_scaling",
            "kept units are not divided by 1 - p_drop",
            "this network was trained with inverted dropout: divide the kept units by 1 - p_drop in "
            "every pass",
            impl=_mc(scale=lambda p: 1.0),
            witnesses=(
                lambda params, X, p, k, rng: np.mean(
                    [
                        _softmax(
                            (
                                _relu(X @ params["W1"] + params["b1"])
                                * (rng.random((len(X), params["W1"].shape[1])) > p)
                            )
                            @ params["W2"]
                            + params["b2"]
                        )
                        for _ in range(k)
                    ],
                    axis=0,
                ),
            ),
            detect=_mc_detect("no_inverted_scaling"),
        ),
        Mistake(
            "multiplied_by_keep",
            "kept units are multiplied by 1 - p_drop instead of divided by it",
            "divide the kept units by 1 - p_drop",
            impl=_mc(scale=lambda p: 1 - p),
            witnesses=(_mc(scale=lambda p: (1 - p) * 1.0, axis=-1),),
            detect=_mc_detect("multiplied_by_keep"),
        ),
        Mistake(
            "divided_by_p_drop",
            "kept units are divided by p_drop instead of 1 - p_drop",
            "divide by the keep probability, 1 - p_drop",
            impl=_mc(scale=lambda p: 1 / p if p else 1.0),
            witnesses=(_mc(scale=lambda p: 1 / p if p else 1.0, axis=-1),),
            detect=_mc_detect("divided_by_p_drop"),
        ),
        Mistake(
            "keep_drop_swapped",
            "units are kept with probability p_drop",
            "keep a unit when rng.random(...) >= p_drop, i.e. with probability 1 - p_drop",
            impl=_mc(keep_of=lambda p: p if p else 1.0),
            witnesses=(_mc(keep_of=lambda p: p if p else 1.0, scale=lambda p: 1 / p if p else 1.0),),
            detect=_mc_detect("keep_drop_swapped"),
        ),
        Mistake(
            "dropped_inputs",
            "the inputs are dropped instead of the hidden units",
            "apply the mask to the hidden activations relu(X @ W1 + b1), not to X",
            impl=_mc(on="inputs"),
            witnesses=(_mc(on="inputs", axis=-1),),
            detect=_mc_detect("dropped_inputs"),
        ),
        Mistake(
            "summed",
            "the k probability arrays are summed, not averaged",
            "divide the sum by k (or take np.mean over the passes)",
            impl=_mc(combine="sum"),
            witnesses=(lambda params, X, p, k, rng: np.sum(_mc(stack=True)(params, X, p, k, rng), axis=0),),
            detect=_mc_detect("summed"),
        ),
        Mistake(
            "no_mean",
            "the k predictions are returned stacked, not averaged",
            "average over the first axis, np.mean(predictions, axis=0)",
            impl=_mc(stack=True),
            witnesses=(lambda params, X, p, k, rng: np.stack(list(_mc(stack=True)(params, X, p, k, rng))),),
            detect=_mc_detect("no_mean"),
        ),
        Mistake(
            "softmax_axis",
            "the softmax runs over the examples (axis 0)",
            "normalize over the classes: softmax along axis=1",
            impl=_mc(axis=0),
            witnesses=(lambda params, X, p, k, rng: _mc(axis=0)(params, X, p, k, rng) + 0.0,),
            detect=_mc_detect("softmax_axis"),
        ),
        Mistake(
            "params_changed",
            "the arrays in params were changed in place",
            "compute scaled copies (e.g. h * keep / (1 - p_drop)) and leave params as it was",
            impl=lambda params, X, p, k, rng: (
                params["W2"].__imul__(1.0),
                params["b2"].__iadd__(0.0),
                params["W1"].__imul__(0.5),
                _mc_predict(params, X, p, k, rng),
            )[-1],
            witnesses=(
                lambda params, X, p, k, rng: (
                    params.update(W1=params["W1"]),
                    params["b1"].fill(0.0),
                    _mc_predict(params, X, p, k, rng),
                )[-1],
            ),
            detect=lambda got, expected, case: getattr(case, "params_changed", False),
        ),
        Mistake(
            "squeezed",
            "the examples axis is squeezed away when N = 1",
            "return shape (N, C) for every N: drop np.squeeze (or the [0])",
            impl=lambda params, X, p, k, rng: np.squeeze(_mc_predict(params, X, p, k, rng)),
            witnesses=(
                lambda params, X, p, k, rng: (lambda r: r[0] if len(r) == 1 else r)(
                    _mc_predict(params, X, p, k, rng)
                ),
            ),
            detect=_mc_detect("squeezed"),
        ),
        Mistake(
            "unstable_softmax",
            "the softmax overflows for large logits (exp without the max shift)",
            "subtract each row's largest logit before np.exp: softmax(z) = softmax(z - max z)",
            impl=lambda params, X, p, k, rng: _mc_predict_unstable(params, X, p, k, rng),
            witnesses=(
                lambda params, X, p, k, rng: _mc_predict_unstable(params, X, p, k, rng, sum_first=True),
            ),
            detect=_mc_detect("unstable_softmax"),
        ),
        Mistake(
            "one_pass_short",
            "one pass too few is summed before dividing by k",
            "sum all k passes (for _ in range(k)) and divide by k",
            impl=lambda params, X, p, k, rng: (
                _mc_predict(params, X, p, k - 1, rng) * (k - 1) / k
                if k > 1
                else _mc_predict(params, X, p, 1, rng) * 0
            ),
            witnesses=(
                lambda params, X, p, k, rng: (
                    sum(
                        (_mc_predict(params, X, p, 1, rng) for _ in range(1, k)),
                        np.zeros((len(X), params["W2"].shape[1])),
                    )
                    / k
                ),
            ),
            detect=_mc_detect("one_pass_short"),
        ),
        Mistake(
            "majority_vote",
            "the passes vote with their argmax instead of averaging probabilities",
            "average the k softmax outputs themselves",
            impl=lambda params, X, p, k, rng: _mc_vote(params, X, p, k, rng),
            witnesses=(lambda params, X, p, k, rng: _mc_vote(params, X, p, k, rng) * 1.0,),
            detect=_mc_detect("majority_vote"),
        ),
        Mistake(
            "dropped_inputs_too",
            "the inputs are dropped as well as the hidden units",
            "drop only the hidden units: this network was trained with dropout on its hidden layer",
            impl=lambda params, X, p, k, rng: _mc_both(params, X, p, k, rng),
            witnesses=(lambda params, X, p, k, rng: _mc_both(params, X, p, k, rng, axis=-1),),
            detect=_mc_detect("dropped_inputs_too"),
        ),
        Mistake(
            "bias_not_dropped",
            "the mask multiplies X @ W1 before b1 is added",
            "drop the whole unit: apply the mask to h = relu(X @ W1 + b1)",
            impl=lambda params, X, p, k, rng: _mc_preact(params, X, p, k, rng),
            witnesses=(lambda params, X, p, k, rng: _mc_preact(params, X, p, k, rng, axis=-1),),
            detect=_mc_detect("bias_not_dropped"),
        ),
        Mistake(
            "global_rng",
            "the masks are drawn with np.random (or a generator of the function's own), not "
            "with the rng argument",
            "draw with the generator you are given, rng.random(h.shape): the caller seeds it",
            impl=lambda params, X, p, k, rng: _mc_predict(params, X, p, k, np.random.default_rng()),
            witnesses=(
                lambda params, X, p, k, rng: _mc_predict(params, X, p, k, np.random.default_rng(None)),
            ),
            irreproducible=True,
        ),
    ],
)


# --- 7.5 choose_p_drop(results) -> p_drop ------------------------------------------------------------


def _choose(results):
    best = max(r["val_acc"] for r in results.values())
    return min(p for p, r in results.items() if r["val_acc"] == best)


def _table(rows, order=None):
    keys = [r[0] for r in rows]
    order = order or keys
    d = {r[0]: {"train_acc": r[1], "val_acc": r[2], "test_acc": r[3]} for r in rows}
    return {k: d[k] for k in order}


def _choose_cases(rng):
    return [
        # each criterion picks another p: val -> 0.3, test -> 0.5, train -> 0.0, smallest gap -> 0.7,
        # lowest val -> 0.9, mean of train and val -> 0.1
        Case(
            (
                _table(
                    [
                        (0.0, 1.00, 0.70, 0.69),
                        (0.1, 0.99, 0.77, 0.72),
                        (0.3, 0.93, 0.79, 0.74),
                        (0.5, 0.85, 0.76, 0.78),
                        (0.7, 0.72, 0.71, 0.70),
                        (0.9, 0.55, 0.52, 0.50),
                    ]
                ),
            ),
            label="six probabilities, one best validation accuracy",
        ),
        Case(
            (
                _table(
                    [
                        (0.0, 1.00, 0.80, 0.79),
                        (0.2, 0.97, 0.86, 0.83),
                        (0.4, 0.94, 0.86, 0.85),
                        (0.6, 0.88, 0.84, 0.86),
                    ]
                ),
            ),
            label="a tie at the best validation accuracy",
        ),
        Case(
            (
                _table(
                    [
                        (0.0, 0.98, 0.88, 0.88),
                        (0.25, 0.95, 0.91, 0.93),
                        (0.5, 0.93, 0.91, 0.92),
                        (0.75, 0.80, 0.78, 0.77),
                    ],
                    order=[0.75, 0.5, 0.25, 0.0],
                ),
            ),
            label="keys in decreasing order, a tie",
        ),
        Case(
            (_table([(0.15, 0.99, 0.81, 0.80), (0.35, 0.96, 0.83, 0.85), (0.55, 0.90, 0.85, 0.83)]),),
            label="three probabilities",
        ),
        Case(
            (
                _table(
                    [
                        (0.125, 0.99, 0.842, 0.83),
                        (0.375, 0.95, 0.846, 0.84),
                        (0.625, 0.90, 0.850, 0.86),
                        (0.875, 0.70, 0.66, 0.66),
                    ]
                ),
            ),
            label="keys 0.125 ... 0.875, validation accuracies 0.004 apart",
        ),
    ]


def _pick(score, tie="smallest"):
    def f(results):
        best = max(score(r) for r in results.values())
        tied = [p for p, r in results.items() if score(r) == best]
        return {"smallest": min, "largest": max, "first": lambda t: t[0]}[tie](tied)

    return f


def _results_mutated(case):
    seen = getattr(case, "seen_args", None)
    if seen is None:
        return False
    before, after = case.args[0], seen[0]
    return (
        not isinstance(after, dict)
        or list(after) != list(before)
        or any(not isinstance(after[k], dict) or after[k] != v for k, v in before.items())
    )


def _compare_choose(got, expected, case):
    results = case.args[0]
    if _results_mutated(case):
        raise Failure(
            "your function changed the results dict it was given (added, removed or changed an "
            "entry); read it without writing to it"
        )
    if isinstance(got, dict):
        raise Failure("your result is a dict: return the drop probability (the key), not its results")
    if isinstance(got, (tuple, list)):
        raise Failure(f"your result is a {type(got).__name__}: return the drop probability alone")
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
        raise Failure(f"your result is {type(got).__name__}, expected the drop probability (a float key)")
    if float(got) == expected:
        return
    if float(got) not in [float(k) for k in results]:
        if abs(float(got) - expected) < 0.0051:
            raise Failure(
                f"your result {float(got)!r} is the right choice rounded; return the key itself, {expected!r}"
            )
        if float(got) in [r["val_acc"] for r in results.values()]:
            raise Failure(
                f"your result {float(got):g} is an accuracy, not one of the drop probabilities "
                f"{sorted(results)}: return the key"
            )
        if float(got) in range(len(results)):
            raise Failure(
                f"your result {got!r} is a position, not one of the drop probabilities "
                f"{sorted(results)}: return the key"
            )
        raise Failure(f"your result {got!r} is not one of the drop probabilities tried, {sorted(results)}")
    r = results[float(got)]
    raise Failure(
        f"you chose p_drop = {float(got):g} (validation accuracy {r['val_acc']:.2f}), expected "
        f"{expected:g} (validation accuracy {results[expected]['val_acc']:.2f})"
    )


def _best_set(score, results):
    """The drop probabilities whose ``score`` is the largest (rounded, so that 0.93 - 0.79 and
    0.95 - 0.81 tie as they do on paper)."""
    scores = {p: round(float(score(r)), 9) for p, r in results.items()}
    best = max(scores.values())
    return {p for p, v in scores.items() if v == best}


def _choose_detect(score, tie=None):
    """The learner's choice is a best key of ``score`` on every case (any tie rule), or, with ``tie``,
    exactly the key that tie rule picks among the highest validation accuracies."""

    def picks(results, got):
        try:
            got = float(got)
        except (TypeError, ValueError):
            return False
        if tie is not None:
            return got == float(tie(results))
        return got in _best_set(score, results)

    def detect(got, expected, case):
        if not picks(case.args[0], got):
            return False
        ex = choose_p_drop
        for c in ex.running_cases:
            g, error = ex.call_learner(*c.args)
            if error is not None or not picks(c.args[0], g):
                return False
        return True

    return detect


def _near_tie(got, expected, case):
    results = case.args[0]
    try:
        got = float(got)
    except (TypeError, ValueError):
        return False
    best = results[expected]["val_acc"]
    return got in results and got < expected and 0 < best - results[got]["val_acc"] <= 0.01


def _returned_accuracy_detect(got, expected, case):
    return (
        isinstance(got, (float, np.floating))
        and float(got) not in case.args[0]
        and float(got) == case.args[0][expected]["val_acc"]
    )


def _returned_index_detect(got, expected, case):
    results = case.args[0]
    keys = list(results)
    return (
        isinstance(got, (int, np.integer))
        and not isinstance(got, bool)
        and 0 <= got < len(keys)
        and float(got) not in results
        and keys[int(got)] == _pick(lambda r: r["val_acc"], "first")(results)
    )


_VAL = lambda r: r["val_acc"]  # noqa: E731
_MISTAKE_RULES = [
    (
        "on_test",
        "chose on the test accuracy",
        "choose on the validation accuracy: the test set is kept for one final measurement of "
        "the chosen model",
        lambda r: r["test_acc"],
        None,
        _pick(lambda r: r["test_acc"]),
        _pick(lambda r: r["test_acc"], "first"),
    ),
    (
        "on_train",
        "chose on the training accuracy",
        "choose on the validation accuracy: on the training set the least regularized network always wins",
        lambda r: r["train_acc"],
        None,
        _pick(lambda r: r["train_acc"]),
        _pick(lambda r: r["train_acc"], "largest"),
    ),
    (
        "smallest_gap",
        "chose the smallest gap between training and validation accuracy",
        "choose the highest validation accuracy: a network that cannot learn has no gap either",
        lambda r: r["val_acc"] - r["train_acc"],
        None,
        _pick(lambda r: -(r["train_acc"] - r["val_acc"])),
        _pick(lambda r: r["val_acc"] - r["train_acc"], "first"),
    ),
    (
        "lowest_val",
        "chose the lowest validation accuracy (min instead of max)",
        "choose the highest validation accuracy",
        lambda r: -r["val_acc"],
        None,
        _pick(lambda r: -r["val_acc"]),
        _pick(lambda r: -r["val_acc"], "largest"),
    ),
    (
        "mean_train_val",
        "chose on the mean of training and validation accuracy",
        "choose on the validation accuracy alone",
        lambda r: r["train_acc"] + r["val_acc"],
        None,
        _pick(lambda r: r["train_acc"] + r["val_acc"]),
        _pick(lambda r: (r["train_acc"] + r["val_acc"]) / 2, "first"),
    ),
    (
        "tie_largest",
        "on a tie, chose the largest drop probability",
        "among the tied probabilities return the smallest (min of the tied keys)",
        None,
        _pick(_VAL, "largest"),
        _pick(_VAL, "largest"),
        lambda res: max(p for p, r in res.items() if r["val_acc"] == max(x["val_acc"] for x in res.values())),
    ),
    (
        "tie_first",
        "on a tie, chose the one that comes first in the dict (max returns the first maximum)",
        "among the tied probabilities return the smallest: dict order is not sorted order",
        None,
        _pick(_VAL, "first"),
        _pick(_VAL, "first"),
        lambda res: max(res, key=lambda p: res[p]["val_acc"]),
    ),
]


choose_p_drop = Exercise(
    LESSON,
    "7.5",
    "choose_p_drop",
    _choose,
    _choose_cases,
    compare=_compare_choose,
    check_mutation=False,
    mistakes=[
        Mistake(key, title, fix, impl=impl, witnesses=(witness,), detect=_choose_detect(score, tie))
        for key, title, fix, score, tie, impl, witness in _MISTAKE_RULES
    ]
    + [
        Mistake(
            "tie_by_test",
            "ties are broken by the test accuracy",
            "among the tied probabilities return the smallest; the test set takes no part in any choice",
            impl=lambda res: max(sorted(res), key=lambda p: (res[p]["val_acc"], res[p]["test_acc"])),
            witnesses=(
                lambda res: sorted(
                    res.items(), key=lambda kv: (-kv[1]["val_acc"], -kv[1]["test_acc"], kv[0])
                )[0][0],
            ),
            detect=_choose_detect(
                None, lambda res: max(sorted(res), key=lambda p: (res[p]["val_acc"], res[p]["test_acc"]))
            ),
        ),
        Mistake(
            "rounded_key",
            "the chosen key is returned rounded",
            "return the key exactly as it is in results; rounding changes 0.125 into 0.12",
            impl=lambda res: round(_choose(res), 2),
            witnesses=(lambda res: float(f"{_choose(res):.2f}"),),
            detect=lambda got, expected, case: (
                isinstance(got, (float, np.floating))
                and float(got) not in case.args[0]
                and abs(float(got) - expected) < 0.0051
            ),
        ),
        Mistake(
            "near_tie",
            "validation accuracies close to the best are treated as ties",
            "a tie means exactly equal validation accuracies; otherwise take the highest, even by 0.004",
            impl=lambda res: min(
                p for p, r in res.items() if r["val_acc"] >= max(x["val_acc"] for x in res.values()) - 0.01
            ),
            witnesses=(
                lambda res: min(
                    p
                    for p, r in res.items()
                    if max(x["val_acc"] for x in res.values()) - r["val_acc"] <= 0.005
                ),
            ),
            detect=lambda got, expected, case: _near_tie(got, expected, case),
        ),
        Mistake(
            "results_changed",
            "the results dict (or an entry of it) was changed",
            "read results without writing to it: keep what you need in variables of your own",
            impl=lambda res: (res[next(iter(res))].update(p_drop=next(iter(res))), _choose(res))[1],
            witnesses=(lambda res: (res.pop(max(res)), _choose(res))[1] if len(res) > 1 else _choose(res),),
            detect=lambda got, expected, case: _results_mutated(case),
        ),
        Mistake(
            "returned_accuracy",
            "returned the best validation accuracy instead of its drop probability",
            "return the key: the drop probability whose validation accuracy is highest",
            impl=lambda res: max(r["val_acc"] for r in res.values()),
            witnesses=(lambda res: float(np.max([r["val_acc"] for r in res.values()])),),
            detect=_returned_accuracy_detect,
        ),
        Mistake(
            "returned_index",
            "returned the position of the best entry instead of its drop probability",
            "return the key itself, e.g. from a loop over results.items()",
            impl=lambda res: int(np.argmax([r["val_acc"] for r in res.values()])),
            witnesses=(
                lambda res: [r["val_acc"] for r in res.values()].index(
                    max(r["val_acc"] for r in res.values())
                ),
            ),
            detect=_returned_index_detect,
        ),
    ],
)


EXERCISES = [dropout_forward, dropout_backward, test_time_logits, mc_predict, choose_p_drop]
