"""Checks for lesson 06 (regularization: penalties, data splits, early stopping, bagging, AdamW).

Use in a notebook: ``from course.checks import lesson06 as check`` then
``check.l2_penalty_and_grad(l2_penalty_and_grad)``.

Conventions checked here (the lesson's, and nnlib's): a model's parameters are a dict ``params``
with nnlib's names (``"0.W"``, ``"0.b"``, ...); only the weights (names ending in ``.W``) are
penalized; functions return NEW arrays and dicts and never change their arguments; a function
that takes ``rng`` draws all its randomness from it.

The random functions (6.3, 6.5) are checked by properties, not against one reference draw: many
correct implementations exist. The penalties (6.1, 6.2) are diagnosed from what a mistake does to
the output: how it changes when ``alpha``, the weights or the biases change (the check calls the
learner's function again on those inputs). ``adamw_step`` (6.7) runs for several steps with its
state carried, with lesson 05's machinery.
"""
from __future__ import annotations

import copy
import math
from contextlib import contextmanager

import numpy as np

import nnlib as nn

from ._framework import Case, Exercise, Failure, Mistake, check_type, compare_array
from .lesson05 import (_adam_with, _close, _compare_run, _first_failure, _floats, _order_mistake, _stepping,
                       _steps_like, _vectors)

LESSON = "06-regularization"


# --- shared by 6.1 and 6.2: params dicts and what a penalty's output does --------------------------

def _is_weight(name):
    return str(name).endswith(".W")


def _layers(rng, sizes, zeros=0):
    """nnlib-style params of a stack of Dense layers (numbered 0, 2, 4, ...) with the given sizes;
    ``zeros`` entries of every weight matrix set to exactly 0."""
    params = {}
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        W = np.round(rng.standard_normal((n_in, n_out)), 2)
        W[W == 0] = 0.5
        if zeros:
            W.flat[rng.choice(W.size, zeros, replace=False)] = 0.0
        b = np.round(0.5 * rng.standard_normal(n_out), 2)
        b[b == 0] = -0.25
        params[f"{2 * i}.W"], params[f"{2 * i}.b"] = W, b
    return params


def _number(x):
    """``x`` as a float when it is one real number (a Python or NumPy scalar, a 0-d array), else None."""
    if isinstance(x, (bool, np.bool_)):
        return None
    if isinstance(x, (int, float, np.integer, np.floating)):
        return float(x)
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
        return float(x)
    return None


def _params_unchanged(case):
    """Raise :class:`Failure` when the learner's call changed the params dict it was given."""
    seen = getattr(case, "seen_args", None)
    if seen is None:
        return
    before, after = case.args[0], seen[0]
    if not isinstance(after, dict) or after.keys() != before.keys():
        raise Failure("your function changed the params dict in place (added or removed a key); build a "
                      "new dict for grads and leave params as it was")
    for k, p in before.items():
        a = after[k]
        if not isinstance(a, np.ndarray) or a.shape != p.shape or not np.array_equal(a, p):
            raise Failure(f"your function changed params[{k!r}] in place (e.g. W *= alpha, or grads = params "
                          f"and then grads[...] = ...); compute new arrays and leave params as it was")


def _compare_penalty(got, expected, case):
    _params_unchanged(case)
    params = case.args[0]
    exp_omega, exp_grads = expected
    if isinstance(got, dict):
        raise Failure("your function returned only a dict, expected a tuple (omega, grads): return the "
                      "penalty too, `return omega, grads`")
    if _number(got) is not None:
        raise Failure("your function returned one number, expected a tuple (omega, grads): return the "
                      "gradients too, `return omega, grads`")
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        what = f"{len(got)} values" if isinstance(got, (tuple, list)) else f"a {type(got).__name__}"
        raise Failure(f"your function returned {what}, expected a tuple of two values (omega, grads)")
    omega, grads = got
    if isinstance(omega, dict) and _number(grads) is not None:
        raise Failure("your function returned (grads, omega), expected (omega, grads), in that order")
    check_type(omega, exp_omega, "omega")
    if _number(omega) is None:
        if isinstance(omega, np.ndarray):
            raise Failure(f"omega is an array of shape {omega.shape}, expected one number: add up every "
                          f"entry of every weight matrix")
        raise Failure(f"omega is a {type(omega).__name__}, expected one number (a float)")
    if not isinstance(grads, dict):
        raise Failure(f"grads is a {type(grads).__name__}, expected a dict with the keys of params "
                      f"({', '.join(params)})")
    missing = [k for k in params if k not in grads]
    if missing:
        hint = " (an array of zeros of the bias's shape)" if not _is_weight(missing[0]) else ""
        raise Failure(f"grads has no key {missing[0]!r}: it needs every key of params ({', '.join(params)})"
                      f"{hint}")
    extra = [k for k in grads if k not in params]
    if extra:
        raise Failure(f"grads has the key {extra[0]!r}, which params does not have")
    compare_array(omega, exp_omega, "omega")
    for k in params:
        compare_array(grads[k], exp_grads[k], f"grads[{k!r}]")


def _parts(got, params):
    """``(omega, grads)`` of a learner's output: omega a float (or None), grads a dict of float arrays of
    the params' shapes, with None for an entry that is missing or not such an array; or None."""
    if not isinstance(got, (tuple, list)) or len(got) != 2 or not isinstance(got[1], dict):
        return None
    grads = {}
    for k, p in params.items():
        g = got[1].get(k)
        try:
            g = np.asarray(g, dtype=float) if isinstance(g, np.ndarray) else None
        except (TypeError, ValueError):
            g = None
        grads[k] = g if g is not None and g.shape == p.shape else None
    return _number(got[0]), grads


def _near(a, b):
    return a is not None and b is not None and bool(np.isclose(a, b, rtol=1e-6, atol=1e-12))


def _near_arrays(a, b):
    return a is not None and b is not None and a.shape == b.shape and bool(
        np.allclose(a, b, rtol=1e-6, atol=1e-12))


def _factor(g, e):
    """c with g = c e (elementwise, one c), or None."""
    if g is None or e is None or g.shape != e.shape or not np.all(np.isfinite(g)) or not np.any(e):
        return None
    c = float(np.sum(g * e) / np.sum(e * e))
    return c if np.allclose(g, c * e, rtol=1e-6, atol=1e-12 * max(1.0, abs(c))) else None


def _weight_factors(grads, expected, params):
    """One factor per weight matrix with grads[k] = c expected[k], or None when one has none."""
    out = [_factor(grads[k], np.asarray(expected[k], dtype=float)) for k in params if _is_weight(k)]
    return None if any(c is None for c in out) else out


def _weights_right(grads, expected, params):
    return all(_near_arrays(grads[k], np.asarray(expected[k], dtype=float)) for k in params if _is_weight(k))


class _Penalty:
    """The effect detectors of a penalty exercise: ``name`` is the exercise's (module-level) name, whose
    ``call_learner`` the probes use while a check runs."""

    def __init__(self, name, ref):
        self.name, self.ref = name, ref

    def _state(self, got, expected, case):
        params = case.args[0]
        parts = _parts(got, params)
        if parts is None:
            return None
        omega, grads = parts
        return params, case.args[1], omega, grads, float(expected[0]), expected[1]

    def probe(self, params, alpha):
        """The learner's ``(omega, grads)`` on other arguments, or None."""
        got, error = globals()[self.name].call_learner(params, alpha)
        return None if error is not None else _parts(got, params)

    def changed(self, case):
        seen = getattr(case, "seen_args", None)
        if seen is None:
            return False
        try:
            _params_unchanged(case)
        except Failure:
            return True
        return False

    def bias_grads_missing(self, got, expected, case):
        if not isinstance(got, (tuple, list)) or len(got) != 2 or not isinstance(got[1], dict):
            return False
        params, grads = case.args[0], got[1]
        biases = [k for k in params if not _is_weight(k)]
        weights_there = all(isinstance(grads.get(k), np.ndarray) for k in params if _is_weight(k))

        def bad(k):
            g = grads.get(k)
            return not isinstance(g, np.ndarray) or g.shape != params[k].shape
        return weights_there and bool(biases) and all(bad(k) for k in biases)

    def biases_penalized(self, got, expected, case):
        """A bias gradient is not zero, or omega is wrong and changes when the biases are set to 0."""
        s = self._state(got, expected, case)
        if s is None:
            return False
        params, alpha, omega, grads, exp_omega, _ = s
        biases = [k for k in params if not _is_weight(k)]
        if any(grads[k] is not None and np.any(grads[k] != 0) for k in biases):
            return True
        if omega is None or _near(omega, exp_omega):
            return False
        no_bias = {k: (p.copy() if _is_weight(k) else np.zeros_like(p)) for k, p in params.items()}
        other = self.probe(no_bias, alpha)
        return other is not None and other[0] is not None and not _near(other[0], omega)

    def _alpha_ratio(self, got, expected, case):
        """How omega and the weight gradients scale when alpha is tripled: the ratios of the parts that
        are wrong, or None."""
        s = self._state(got, expected, case)
        if s is None:
            return None
        params, alpha, omega, grads, exp_omega, exp_grads = s
        wrong_omega = omega is not None and not _near(omega, exp_omega)
        wrong_grads = not _weights_right(grads, exp_grads, params)
        if not (wrong_omega or wrong_grads):
            return None
        other = self.probe(copy.deepcopy(params), 3 * alpha)
        if other is None:
            return None
        ratios = []
        if wrong_omega and other[0] is not None and omega != 0:
            ratios.append(other[0] / omega)
        if wrong_grads:
            for k in params:
                if _is_weight(k):
                    c = _factor(other[1][k], grads[k])
                    if c is not None:
                        ratios.append(c)
        return ratios

    def no_alpha(self, got, expected, case):
        ratios = self._alpha_ratio(got, expected, case)
        return bool(ratios) and any(np.isclose(r, 1.0, rtol=1e-6) for r in ratios)

    def alpha_squared(self, got, expected, case):
        ratios = self._alpha_ratio(got, expected, case)
        return bool(ratios) and any(np.isclose(r, 9.0, rtol=1e-6) for r in ratios)

    def grows_by(self, ratio):
        """Detector: omega is wrong and is multiplied by ``ratio`` when every weight doubles (2: a norm, 4:
        a square)."""
        def detect(got, expected, case):
            s = self._state(got, expected, case)
            if s is None or s[2] is None or _near(s[2], s[4]) or s[2] == 0:
                return False
            params, alpha, omega = s[:3]
            doubled = {k: (2 * p if _is_weight(k) else p.copy()) for k, p in params.items()}
            other = self.probe(doubled, alpha)
            return other is not None and other[0] is not None and bool(
                np.isclose(other[0] / omega, ratio, rtol=1e-6))
        return detect

    def only_totals(self, got, expected, case):
        """omega is wrong, grows 4 times when the weights double, and stays the same when each weight matrix
        is replaced by one with the same total (every entry its mean): it squares a sum of the entries."""
        s = self._state(got, expected, case)
        if s is None or s[2] is None or _near(s[2], s[4]) or s[2] == 0:
            return False
        params, alpha, omega = s[:3]
        if not self.grows_by(4.0)(got, expected, case):
            return False
        evened = {k: (np.full(p.shape, p.mean()) if _is_weight(k) else p.copy()) for k, p in params.items()}
        other = self.probe(evened, alpha)
        return other is not None and other[0] is not None and _near(other[0], omega)

    def matrix_norm(self, got, expected, case):
        """omega is wrong, smaller than the right one, and a matrix norm's: the same when every weight matrix
        is repeated side by side (more columns), twice as big when it is repeated below (more rows), or the
        other way round (np.linalg.norm(W, 1) is the largest column sum, ord=np.inf the largest row sum)."""
        s = self._state(got, expected, case)
        if s is None or s[2] is None or _near(s[2], s[4]) or not 0 < s[2] < s[4]:
            return False
        params, alpha, omega = s[:3]
        ratios = []
        for axis in (0, 1):
            tiled = {k: (np.concatenate([p, p], axis=axis) if _is_weight(k)     # a bias follows the columns
                         else np.concatenate([p, p]) if axis == 1 else p.copy()) for k, p in params.items()}
            other = self.probe(tiled, alpha)
            if other is None or other[0] is None:
                return False
            ratios.append(other[0] / omega)
        return any(np.isclose(ratios[0], a, rtol=1e-6) and np.isclose(ratios[1], b, rtol=1e-6)
                   for a, b in ((2.0, 1.0), (1.0, 2.0)))

    def averaged(self, got, expected, case):
        """omega is wrong and stays the same when every weight matrix is repeated twice (a sum would
        double), or each weight's gradient is the right one divided by a count of entries."""
        s = self._state(got, expected, case)
        if s is None:
            return False
        params, alpha, omega, grads, exp_omega, exp_grads = s
        factors = _weight_factors(grads, exp_grads, params)
        weights = [k for k in params if _is_weight(k)]
        total = sum(params[k].size for k in weights)
        if factors is not None and not all(np.isclose(c, 1.0) for c in factors) and (
                all(np.isclose(c * params[k].size, 1.0) for c, k in zip(factors, weights))
                or all(np.isclose(c * total, 1.0) for c in factors)):
            return True
        if omega is None or _near(omega, exp_omega) or omega == 0:
            return False
        tiled = {k: (np.concatenate([p, p]) if _is_weight(k) else p.copy()) for k, p in params.items()}
        other = self.probe(tiled, alpha)
        return other is not None and other[0] is not None and _near(other[0], omega)

    def omega_ratio(self, r, grads_too=()):
        """omega is r times the right one (the weight gradients right or ``grads_too`` times), or omega
        is right and the weight gradients are ``grads_too`` times the right ones."""
        def detect(got, expected, case):
            s = self._state(got, expected, case)
            if s is None:
                return False
            params, alpha, omega, grads, exp_omega, exp_grads = s
            factors = _weight_factors(grads, exp_grads, params)
            same = factors is not None and len({round(c, 6) for c in factors}) == 1
            c = factors[0] if same else None
            if omega is not None and exp_omega != 0 and np.isclose(omega / exp_omega, r, rtol=1e-6):
                return c is not None and any(np.isclose(c, x) for x in (1.0, *grads_too))
            return _near(omega, exp_omega) and c is not None and any(np.isclose(c, x) for x in grads_too)
        return detect

    def grads_factor(self, test):
        """Every weight gradient is c times the right one, one c, and test(c)."""
        def detect(got, expected, case):
            s = self._state(got, expected, case)
            if s is None:
                return False
            factors = _weight_factors(s[3], s[5], s[0])
            return factors is not None and len({round(c, 6) for c in factors}) == 1 and bool(test(factors[0]))
        return detect


def _in_place_mistake(penalty, fix, impl, witness):
    return Mistake("params_changed", "params changed in place (W *= ..., or grads = params and then "
                   "grads[...] = ...), which changes the caller's model", fix, impl=impl,
                   witnesses=(witness,), detect=lambda got, exp, case: penalty.changed(case))


def _bias_missing_mistake(penalty, impl, witness):
    return Mistake("bias_grads_missing", "the bias entries of grads left out (or not arrays of the bias's "
                   "shape): grads must have every key of params",
                   "give each bias an array of zeros of its shape, np.zeros_like(b): the penalty does "
                   "not depend on the biases, so their gradient is 0",
                   impl=impl, witnesses=(witness,), detect=penalty.bias_grads_missing)


def _biases_mistake(penalty, fix, impl, witnesses):
    return Mistake("biases_penalized", "the biases penalized too (in omega or in their gradients): only "
                   "weight matrices are penalized (Goodfellow et al. sec. 7.1)", fix,
                   impl=impl, witnesses=witnesses, detect=penalty.biases_penalized)


def _alpha_mistakes(penalty, impls):
    (no_alpha, no_alpha_2), (squared, squared_2) = impls
    return [
        Mistake("alpha_missing", "alpha left out (in omega or in the gradients): the result does not change "
                "when alpha does",
                "multiply by the strength alpha: omega and every weight gradient are proportional to alpha",
                impl=no_alpha, witnesses=(no_alpha_2,), detect=penalty.no_alpha),
        Mistake("alpha_squared", "alpha used twice (alpha ** 2): the result grows 9 times when alpha "
                "triples",
                "use alpha once: omega and every weight gradient are proportional to alpha",
                impl=squared, witnesses=(squared_2,), detect=penalty.alpha_squared),
    ]


def _returned_swapped(got, expected, case):
    return isinstance(got, (tuple, list)) and len(got) == 2 and isinstance(got[0], dict) \
        and _number(got[1]) is not None


def _order_of_pair_mistake(ref):
    return Mistake("wrong_order", "omega and grads swapped in the returned tuple",
                   "return them in the order of the statement: `return omega, grads`",
                   impl=lambda params, alpha: tuple(reversed(ref(params, alpha))),
                   witnesses=(lambda params, alpha: (lambda omega, grads: [grads, omega])(
                       *ref(params, alpha)),),
                   detect=_returned_swapped)


def _omega_not_summed(got, expected, case):
    """omega is several numbers (a list, a tuple or an array) that add up to the right omega."""
    if not isinstance(got, (tuple, list)) or len(got) != 2 or not isinstance(got[1], dict):
        return False
    omega = got[0]
    if _number(omega) is not None or not isinstance(omega, (list, tuple, np.ndarray)):
        return False
    try:
        values = np.asarray(omega, dtype=float)
    except (TypeError, ValueError):
        return False
    return values.size > 0 and bool(np.all(np.isfinite(values))) and _near(float(values.sum()),
                                                                             float(expected[0]))


def _not_summed_mistake(ref, per_matrix):
    """``per_matrix(W, alpha)``: one weight matrix's share of omega."""
    def as_list(params, alpha):
        return [per_matrix(p, alpha) for k, p in params.items() if _is_weight(k)], ref(params, alpha)[1]

    def as_array(params, alpha):
        return np.array([float(per_matrix(params[k], alpha)) for k in params if k[-2:] == ".W"]), \
            ref(params, alpha)[1]
    return Mistake("omega_not_summed", "omega left as several numbers (e.g. one per weight matrix), not "
                   "their sum", "add them up into one float: omega = sum(...) over the weight matrices",
                   impl=as_list, witnesses=(as_array,), detect=_omega_not_summed)


def _cases_penalty(rng, zeros):
    return [
        Case((_layers(rng, (2, 4, 3), zeros), 0.3), label="a 2-4-3 network, alpha = 0.3"),
        Case((_layers(rng, (3, 5, 5, 2), zeros), 0.05), label="a 3-5-5-2 network, alpha = 0.05"),
        Case((_layers(rng, (4, 3), zeros), 1.7), label="one layer, alpha = 1.7"),
    ]


# --- 6.1 l2_penalty_and_grad(params, alpha) ------------------------------------------------------

def _l2(params, alpha):
    omega = 0.5 * alpha * sum(float(np.sum(p * p)) for k, p in params.items() if _is_weight(k))
    grads = {k: alpha * p if _is_weight(k) else np.zeros_like(p) for k, p in params.items()}
    return omega, grads


def _l2_with(omega_of=lambda W, alpha: 0.5 * alpha * np.sum(W * W), grad_of=lambda W, alpha: alpha * W,
             biases=False, bias_grads=True):
    """An L2 penalty with one change: omega and a weight's gradient computed by ``omega_of`` and
    ``grad_of``; ``biases`` penalizes the biases like weights; ``bias_grads=False`` leaves them out."""
    def penalty(params, alpha):
        omega, grads = 0.0, {}
        for k, p in params.items():
            if _is_weight(k) or biases:
                omega += omega_of(p, alpha)
                grads[k] = grad_of(p, alpha)
            elif bias_grads:
                grads[k] = np.zeros_like(p)
        return omega, grads
    return penalty


def _l2_all_weights(params, alpha, combine):
    """omega from all the weights together: combine(vector of every weight entry, alpha)."""
    ws = np.concatenate([p.ravel() for k, p in params.items() if _is_weight(k)])
    grads = {k: alpha * p if _is_weight(k) else np.zeros_like(p) for k, p in params.items()}
    return combine(ws, alpha), grads


def _l2_in_place(params, alpha):
    omega = 0.5 * alpha * sum(np.sum(p ** 2) for k, p in params.items() if k.endswith(".W"))
    for k, p in params.items():
        p *= alpha if k.endswith(".W") else 0.0
    return omega, params


def _l2_grads_alias(params, alpha):
    grads = params
    omega = 0.0
    for k in list(grads):
        if k.endswith(".W"):
            omega += alpha / 2 * np.sum(grads[k] ** 2)
            grads[k] = alpha * grads[k]
        else:
            grads[k] = np.zeros_like(grads[k])
    return omega, grads


_L2 = _Penalty("l2_penalty_and_grad", _l2)

l2_penalty_and_grad = Exercise(
    LESSON, "6.1", "l2_penalty_and_grad", _l2, lambda rng: _cases_penalty(rng, 0),
    compare=_compare_penalty,
    mistakes=[
        _in_place_mistake(_L2, "build a new dict: grads = {} and grads[name] = alpha * W (a new array); "
                               "never assign into params or its arrays", _l2_in_place, _l2_grads_alias),
        _bias_missing_mistake(_L2, _l2_with(bias_grads=False),
                              lambda params, alpha: (_l2(params, alpha)[0], {
                                  k: (alpha * p if k.endswith(".W") else 0.0) for k, p in params.items()})),
        _biases_mistake(_L2, "sum over the weights only (names ending in '.W') and give each bias a gradient "
                        "of zeros", _l2_with(biases=True),
                        (lambda params, alpha: (alpha / 2 * sum(np.sum(p ** 2) for p in params.values()),
                                                _l2(params, alpha)[1]),)),
        *_alpha_mistakes(_L2, (
            (_l2_with(lambda W, a: 0.5 * np.sum(W * W), lambda W, a: W),
             _l2_with(grad_of=lambda W, a: W.copy())),
            (_l2_with(lambda W, a: 0.5 * a * a * np.sum(W * W), lambda W, a: a * a * W),
             _l2_with(omega_of=lambda W, a: a ** 2 / 2 * np.sum(W ** 2))))),
        Mistake("norm_not_squared", "the norm instead of its square (a square root too many): omega only "
                "doubles when the weights double",
                "omega uses the squared norm, the plain sum of W ** 2 (no np.sqrt, no np.linalg.norm)",
                impl=lambda params, alpha: _l2_all_weights(params, alpha,
                                                           lambda w, a: a / 2 * np.sqrt(w @ w)),
                witnesses=(_l2_with(omega_of=lambda W, a: a / 2 * np.linalg.norm(W)),
                           _l2_with(omega_of=lambda W, a: a * np.sqrt(np.sum(W ** 2)))),
                detect=_L2.grows_by(2.0)),
        Mistake("mean_not_sum", "a mean instead of a sum (np.mean, or divided by the number of entries): "
                "omega does not grow with the number of weights",
                "add up the squares, np.sum(W ** 2), over every weight matrix; the gradient is alpha * W, "
                "not divided by a count",
                impl=_l2_with(omega_of=lambda W, a: a / 2 * np.mean(W ** 2)),
                witnesses=(_l2_with(omega_of=lambda W, a: a / 2 * np.mean(W ** 2),
                                    grad_of=lambda W, a: a * W / W.size),
                           lambda params, alpha: _l2_all_weights(params, alpha,
                                                                 lambda w, a: a / 2 * np.mean(w * w))),
                detect=_L2.averaged),
        Mistake("missing_half", "the 1/2 of (alpha / 2) * sum(W ** 2) left out: omega (or its gradient) "
                "twice too big",
                "omega = (alpha / 2) * sum of W ** 2, whose gradient is alpha * W: the 1/2 cancels the 2 of "
                "the derivative",
                impl=_l2_with(omega_of=lambda W, a: a * np.sum(W * W)),
                witnesses=(_l2_with(omega_of=lambda W, a: a * np.sum(W ** 2), grad_of=lambda W, a: 2 * a * W),
                           _l2_with(grad_of=lambda W, a: 2 * a * W)),
                detect=_L2.omega_ratio(2.0, grads_too=(2.0,))),
        Mistake("half_in_gradient", "a 1/2 too many in the gradient (alpha / 2 * W): the derivative of "
                "(alpha / 2) * W ** 2 is alpha * W",
                "the gradient of each weight is alpha * W: the 2 of the square cancels the 1/2",
                impl=_l2_with(grad_of=lambda W, a: a / 2 * W),
                witnesses=(_l2_with(grad_of=lambda W, a: 0.5 * a * W),),
                detect=_L2.grads_factor(lambda c: np.isclose(c, 0.5))),
        Mistake("gradient_sign", "the gradient with the wrong sign (-alpha * W): it points towards larger "
                "weights",
                "the gradient of the penalty is + alpha * W (gradient descent subtracts it later)",
                impl=_l2_with(grad_of=lambda W, a: -a * W),
                witnesses=(_l2_with(grad_of=lambda W, a: 0 - W * a),),
                detect=_L2.grads_factor(lambda c: c < 0)),
        Mistake("square_of_sum", "the entries summed, then squared, (sum W) ** 2, instead of the squares "
                "summed", "square each entry, then add: np.sum(W ** 2)",
                impl=_l2_with(omega_of=lambda W, a: a / 2 * np.sum(W) ** 2),
                witnesses=(lambda params, alpha: _l2_all_weights(
                    params, alpha, lambda w, a: 0.5 * a * np.add.reduce(w) ** 2),
                           _l2_with(omega_of=lambda W, a: a * W.sum() * W.sum() / 2)),
                detect=_L2.only_totals),
        _order_of_pair_mistake(_l2),
        _not_summed_mistake(_l2, lambda W, a: 0.5 * a * np.sum(W * W)),
    ])


# --- 6.2 l1_penalty_and_grad(params, alpha) ------------------------------------------------------

def _l1(params, alpha):
    omega = alpha * sum(float(np.sum(np.abs(p))) for k, p in params.items() if _is_weight(k))
    grads = {k: alpha * np.sign(p) if _is_weight(k) else np.zeros_like(p) for k, p in params.items()}
    return omega, grads


def _l1_with(omega_of=lambda W, a: a * np.sum(np.abs(W)), grad_of=lambda W, a: a * np.sign(W), biases=False,
             bias_grads=True):
    def penalty(params, alpha):
        omega, grads = 0.0, {}
        for k, p in params.items():
            if _is_weight(k) or biases:
                omega += omega_of(p, alpha)
                grads[k] = grad_of(p, alpha)
            elif bias_grads:
                grads[k] = np.zeros_like(p)
        return omega, grads
    return penalty


def _l1_in_place(params, alpha):
    omega = alpha * sum(np.abs(p).sum() for k, p in params.items() if k.endswith(".W"))
    for k in params:
        if k.endswith(".W"):
            np.sign(params[k], out=params[k])
            params[k] *= alpha
        else:
            params[k][:] = 0
    return omega, params


def _l1_sign_loop(W, a):
    out = np.empty_like(W)
    for i, w in enumerate(W.flat):
        out.flat[i] = a if w >= 0 else -a
    return out


def _proportional_to_w(got, expected, case):
    """Every weight gradient is c W for one c > 0: L2's gradient."""
    params, alpha = case.args
    parts = _parts(got, params)
    if parts is None:
        return False
    cs = [_factor(parts[1][k], params[k]) for k in params if _is_weight(k)]
    return all(c is not None and c > 0 for c in cs) and len({round(c, 6) for c in cs}) == 1


def _sign_at_zero(got, expected, case):
    """The weight gradients are right except where a weight is exactly 0, where they are not 0."""
    params = case.args[0]
    parts = _parts(got, params)
    if parts is None:
        return False
    grads, wrong_at_zero = parts[1], False
    for k in params:
        if not _is_weight(k):
            continue
        g, W, e = grads[k], params[k], np.asarray(expected[1][k], dtype=float)
        if g is None:
            return False
        zero = W == 0
        if not np.allclose(g[~zero], e[~zero], rtol=1e-6, atol=1e-12):
            return False
        wrong_at_zero |= bool(np.any(zero & ~(g == 0)))
    return wrong_at_zero


def _odd_in_w(got, expected, case):
    """omega is wrong and changes sign when every weight does: a signed sum (no absolute value)."""
    params, alpha = case.args
    parts = _parts(got, params)
    if parts is None or parts[0] is None or _near(parts[0], expected[0]) or parts[0] == 0:
        return False
    flipped = {k: (-p if _is_weight(k) else p.copy()) for k, p in params.items()}
    other = _L1.probe(flipped, alpha)
    return other is not None and other[0] is not None and _near(other[0], -parts[0])


_L1 = _Penalty("l1_penalty_and_grad", _l1)

l1_penalty_and_grad = Exercise(
    LESSON, "6.2", "l1_penalty_and_grad", _l1, lambda rng: _cases_penalty(rng, 2),
    compare=_compare_penalty,
    mistakes=[
        _in_place_mistake(_L1, "build a new dict: grads = {} and grads[name] = alpha * np.sign(W) (a new "
                          "array); never assign into params or its arrays", _l1_in_place,
                          lambda params, alpha: (alpha * sum(np.abs(p).sum() for k, p in params.items()
                                                             if k.endswith(".W")),
                                                 params.update({k: alpha * np.sign(p) * k.endswith(".W")
                                                                for k, p in params.items()}) or params)),
        _bias_missing_mistake(_L1, _l1_with(bias_grads=False),
                              lambda params, alpha: (_l1(params, alpha)[0], {
                                  k: alpha * np.sign(p) for k, p in params.items() if k.endswith(".W")})),
        _biases_mistake(_L1, "sum |W| over the weights only (names ending in '.W') and give each bias a "
                        "gradient of zeros", _l1_with(biases=True),
                        (lambda params, alpha: (alpha * sum(np.abs(p).sum() for p in params.values()),
                                                _l1(params, alpha)[1]),
                         lambda params, alpha: (_l1(params, alpha)[0],
                                                {k: alpha * np.sign(p) for k, p in params.items()}))),
        *_alpha_mistakes(_L1, (
            (_l1_with(lambda W, a: np.sum(np.abs(W)), lambda W, a: np.sign(W)),
             _l1_with(grad_of=lambda W, a: np.sign(W))),
            (_l1_with(lambda W, a: a * a * np.abs(W).sum(), lambda W, a: a * a * np.sign(W)),
             _l1_with(omega_of=lambda W, a: a ** 2 * np.sum(np.abs(W)))))),
        Mistake("l2_gradient", "L2's gradient, alpha * W, instead of L1's: the L1 gradient does not depend "
                "on a weight's size, only on its sign",
                "the subgradient of alpha * |w| is alpha * np.sign(w): +alpha, -alpha, or 0 where w is 0 "
                "(and omega = alpha * sum of |W|)",
                impl=_l1_with(grad_of=lambda W, a: a * W),
                witnesses=(_l1_with(lambda W, a: a / 2 * np.sum(W ** 2), lambda W, a: a * W),),
                detect=_proportional_to_w),
        Mistake("l2_omega", "omega squares the weights (L2's sum of W ** 2) instead of adding their absolute "
                "values", "omega = alpha * np.sum(np.abs(W)) over the weight matrices: no squares",
                impl=_l1_with(omega_of=lambda W, a: a * np.sum(W * W)),
                witnesses=(_l1_with(omega_of=lambda W, a: a / 2 * np.vdot(W, W)),
                           _l1_with(omega_of=lambda W, a: a * np.linalg.norm(W) ** 2)),
                detect=_L1.grows_by(4.0)),
        Mistake("no_abs", "omega adds up the signed weights (no absolute value): negative weights lower it",
                "add up absolute values: alpha * np.sum(np.abs(W))",
                impl=_l1_with(omega_of=lambda W, a: a * np.sum(W)),
                witnesses=(_l1_with(omega_of=lambda W, a: a * W.sum()),), detect=_odd_in_w),
        Mistake("sign_at_zero", "a weight of exactly 0 given the gradient +alpha or -alpha (or nan, from W / "
                "|W|) instead of 0",
                "use np.sign(W), which is 0 where W is 0 (np.where(W >= 0, 1, -1) gives +1 there)",
                impl=_l1_with(grad_of=lambda W, a: a * np.where(W >= 0, 1.0, -1.0)),
                witnesses=(_l1_with(grad_of=_l1_sign_loop),
                           _l1_with(grad_of=lambda W, a: a * np.where(W > 0, 1.0, -1.0)),
                           _l1_with(grad_of=lambda W, a: a * W / np.abs(W))),
                detect=_sign_at_zero),
        Mistake("matrix_norm", "np.linalg.norm(W, 1) on a matrix: its largest column sum of |W| (ord=np.inf: "
                "row sum), not the sum of every |W|",
                "add up every entry: np.sum(np.abs(W)) (or np.linalg.norm(W.ravel(), 1))",
                impl=_l1_with(omega_of=lambda W, a: a * np.linalg.norm(W, 1)),
                witnesses=(_l1_with(omega_of=lambda W, a: a * np.abs(W).sum(axis=0).max()),
                           _l1_with(omega_of=lambda W, a: a * np.linalg.norm(W, np.inf))),
                detect=_L1.matrix_norm),
        Mistake("mean_not_sum", "a mean instead of a sum (np.mean, or divided by the number of entries): "
                "omega does not grow with the number of weights",
                "add up the absolute values, np.sum(np.abs(W)), over every weight matrix",
                impl=_l1_with(omega_of=lambda W, a: a * np.mean(np.abs(W))),
                witnesses=(_l1_with(omega_of=lambda W, a: a * np.abs(W).mean(),
                                    grad_of=lambda W, a: a * np.sign(W) / W.size),),
                detect=_L1.averaged),
        Mistake("half_omega", "omega halved (alpha / 2 * sum |W|, the 1/2 of L2 carried over): L1 has no 1/2",
                "omega = alpha * sum of |W| (Goodfellow et al. eq. 7.18); the 1/2 belongs to L2 only",
                impl=_l1_with(omega_of=lambda W, a: a / 2 * np.sum(np.abs(W))),
                witnesses=(_l1_with(omega_of=lambda W, a: 0.5 * a * np.abs(W).sum(),
                                    grad_of=lambda W, a: 0.5 * a * np.sign(W)),),
                detect=_L1.omega_ratio(0.5, grads_too=(0.5,))),
        Mistake("gradient_sign", "the gradient with the wrong sign (-alpha * sign(W))",
                "the subgradient of the penalty is + alpha * np.sign(W)",
                impl=_l1_with(grad_of=lambda W, a: -a * np.sign(W)),
                witnesses=(_l1_with(grad_of=lambda W, a: a * np.sign(-W)),),
                detect=_L1.grads_factor(lambda c: c < 0)),
        _order_of_pair_mistake(_l1),
        _not_summed_mistake(_l1, lambda W, a: a * np.abs(W).sum()),
    ])


# --- 6.3 split_indices(n, val_frac, test_frac, rng) ------------------------------------------------

SETS = ("train", "val", "test")


def _split(n, val_frac, test_frac, rng):
    perm = rng.permutation(n)
    n_test, n_val = round(test_frac * n), round(val_frac * n)
    return perm[n_test + n_val:], perm[n_test:n_test + n_val], perm[:n_test]


def _sizes(n, val_frac, test_frac):
    n_val, n_test = round(val_frac * n), round(test_frac * n)
    return n - n_val - n_test, n_val, n_test


def _split_sets(got):
    """The three sets as 1-D int arrays, or None when ``got`` is not three of them."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return None
    if not all(isinstance(a, np.ndarray) and a.ndim == 1 and a.dtype.kind in "iu" for a in got):
        return None
    return [np.asarray(a, dtype=np.int64) for a in got]


def _compare_split(got, expected, case):
    n, val_frac, test_frac = case.args[:3]
    if isinstance(got, np.ndarray):
        raise Failure(f"your function returned one array of shape {got.shape}, expected three (train, val, "
                      f"test)")
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        what = f"{len(got)} values" if isinstance(got, (tuple, list, dict)) else f"a {type(got).__name__}"
        raise Failure(f"your function returned {what}, expected three arrays (train, val, test), in that "
                      "order")
    for name, a in zip(SETS, got):
        if isinstance(a, (list, tuple, range, set)):
            raise Failure(f"{name} is a Python {type(a).__name__}, expected a NumPy int array: cut the "
                          f"permutation with slices")
        if not isinstance(a, np.ndarray) or a.ndim != 1:
            raise Failure(f"{name} is {type(a).__name__} {np.shape(a)}, expected a 1-D NumPy int array")
        if a.dtype.kind not in "iu":
            raise Failure(f"{name} has dtype {a.dtype}, expected integers: row indices must be ints "
                          f"(rng.permutation(n) gives them)")
    sets = _split_sets(got)
    for name, a in zip(SETS, sets):
        out = a[(a < 0) | (a >= n)]
        if len(out):
            raise Failure(f"{name} holds the index {out[0]}, outside 0..{n - 1}")
    for name, a in zip(SETS, sets):
        values, counts = np.unique(a, return_counts=True)
        if np.any(counts > 1):
            raise Failure(f"the index {values[counts > 1][0]} appears {counts[counts > 1][0]} times in "
                          f"{name}: each row lands in one set, once")
    for (i, a), (j, b) in [((0, sets[0]), (1, sets[1])), ((0, sets[0]), (2, sets[2])),
                           ((1, sets[1]), (2, sets[2]))]:
        both = np.intersect1d(a, b)
        if len(both):
            raise Failure(f"the index {both[0]} is in both {SETS[i]} and {SETS[j]}: the sets must be "
                          f"disjoint")
    left = np.setdiff1d(np.arange(n), np.concatenate(sets))
    if len(left):
        rows = f"{len(left)} row{'s' if len(left) > 1 else ''}"
        raise Failure(f"the index {left[0]} is in none of the three sets ({rows} left out): every row lands "
                      f"in exactly one")
    sizes = _sizes(n, val_frac, test_frac)
    for i in (1, 2, 0):
        if len(sets[i]) != sizes[i]:
            raise Failure(f"{SETS[i]} holds {len(sets[i])} indices, expected {sizes[i]}")
    if n >= 20 and all(_contiguous(a) for a in sets):
        raise Failure("each set is a block of consecutive rows: the rows were not shuffled")


def _contiguous(a):
    return len(a) == 0 or int(a.max()) - int(a.min()) + 1 == len(a)


def _split_detector(test):
    def detect(got, expected, case):
        sets = _split_sets(got)
        if sets is None:
            return False
        n, val_frac, test_frac = case.args[:3]
        if any(np.any((a < 0) | (a >= n)) for a in sets):
            return False
        return bool(test(sets, n, val_frac, test_frac))
    return detect


def _unique(sets):
    return all(len(np.unique(a)) == len(a) for a in sets)


def _disjoint(sets):
    return _unique(sets) and len(np.unique(np.concatenate(sets))) == sum(len(a) for a in sets)


def _lengths(sets):
    return tuple(len(a) for a in sets)


def _repeats_inside(sets, n, vf, tf):
    return not _unique(sets)


def _overlapping(sets, n, vf, tf):
    return _unique(sets) and not _disjoint(sets)


def _unshuffled(sets, n, vf, tf):
    return n >= 20 and _disjoint(sets) and all(_contiguous(a) for a in sets)


def _val_test_swapped(sets, n, vf, tf):
    train, val, test = _sizes(n, vf, tf)
    return _disjoint(sets) and val != test and _lengths(sets) == (train, test, val)


def _in_another_order(sets, n, vf, tf):
    right = _sizes(n, vf, tf)
    got = _lengths(sets)
    return _disjoint(sets) and sum(got) == n and got != right and sorted(got) == sorted(right)


def _fraction_of_rest(sets, n, vf, tf):
    _, n_val, n_test = _sizes(n, vf, tf)
    got_val, got_test = len(sets[1]), len(sets[2])
    return _disjoint(sets) and (
        (got_test == n_test and got_val == round(vf * (n - n_test)) != n_val)
        or (got_val == n_val and got_test == round(tf * (n - n_val)) != n_test))


def _not_rounded(sets, n, vf, tf):
    """Both sizes truncated (int(), //, floor), or both rounded up (ceil)."""
    _, n_val, n_test = _sizes(n, vf, tf)
    got = len(sets[1]), len(sets[2])
    return _disjoint(sets) and got != (n_val, n_test) and any(
        got == (f(vf * n), f(tf * n)) for f in (math.floor, math.ceil))


def _train_rounded(sets, n, vf, tf):
    """train has (1 - val_frac - test_frac) n rows rounded (or truncated), one of val and test the right size,
    the other the rows left: three roundings that do not add up to n."""
    right, got = _sizes(n, vf, tf), _lengths(sets)
    share = (1 - vf - tf) * n
    return _disjoint(sets) and sum(got) == n and got != right \
        and got[0] in (round(share), math.floor(share)) \
        and (got[1] == right[1] or got[2] == right[2])


def _learner_lengths():
    """The sizes of the three sets the learner's function gives on every case of the running check, as
    ``[((n, val_frac, test_frac), (len(train), len(val), len(test))), ...]``, or None."""
    seen = []
    for other in split_indices.running_cases:
        out, error = split_indices.call_learner(*other.args)
        sets = _split_sets(out) if error is None else None
        if sets is None:
            return None
        seen.append((other.args[:3], _lengths(sets)))
    return seen


def _sized_everywhere(test, rules, rivals):
    """Detector: ``test`` holds on the failing case, and on every case of the check the learner's sizes are
    those of one of ``rules`` (rule(n, val_frac, test_frac) -> the three sizes) and of none of ``rivals``
    (other mistakes that would give the same sizes): a pattern singled out, not a coincidence of one case."""
    one = _split_detector(test)

    def detect(got, expected, case):
        if not one(got, expected, case):
            return False
        seen = _learner_lengths()

        def everywhere(rule):
            return all(rule(*spec) == lengths for spec, lengths in seen)
        return seen is not None and any(map(everywhere, rules)) and not any(map(everywhere, rivals))
    return detect


def _sizes_by(val_size, test_size):
    def rule(n, vf, tf):
        n_val, n_test = val_size(vf * n), test_size(tf * n)
        return n - n_val - n_test, n_val, n_test
    return rule


_ROUNDINGS = (round, math.floor, math.ceil)
_MIXED_SIZES = [_sizes_by(a, b) for a in _ROUNDINGS for b in _ROUNDINGS if (a, b) != (round, round)]


def _train_first(size, rest):
    """train = size((1 - val_frac - test_frac) n); ``rest`` (1: val, 2: test) gets the rows left."""
    def rule(n, vf, tf):
        train = size((1 - vf - tf) * n)
        kept = round(tf * n) if rest == 1 else round(vf * n)
        return (train, n - train - kept, kept) if rest == 1 else (train, kept, n - train - kept)
    return rule


_TRAIN_FIRST = [_train_first(size, rest) for size in (round, math.floor) for rest in (1, 2)]


def _as_lists(got, expected, case):
    """Three sets, at least one a Python list (or tuple, range) of row indices."""
    if not isinstance(got, (tuple, list)) or len(got) != 3 or not any(
            isinstance(a, (list, tuple, range)) for a in got):
        return False
    for a in got:
        if not isinstance(a, (list, tuple, range, np.ndarray)):
            return False
        values = np.asarray(a)
        if len(values) and (values.ndim != 1 or values.dtype.kind not in "iu"):
            return False
    return True


def _rows_dropped(sets, n, vf, tf):
    _, n_val, n_test = _sizes(n, vf, tf)
    return _disjoint(sets) and len(sets[1]) == n_val and len(sets[2]) == n_test \
        and sum(len(a) for a in sets) < n


def _split_cases(rng):
    seeds = [int(s) for s in rng.integers(0, 2**31, 4)] + [int(rng.integers(0, 2**31))]
    # the last case: round(0.33 * 20) + round(0.28 * 20) + round(0.39 * 20) = 7 + 6 + 8 = 21 rows, so a
    # train size rounded on its own leaves another set a row short
    specs = [(1000, 0.12, 0.25), (23, 0.25, 0.3), (47, 0.2, 0.1), (7, 0.3, 0.15), (20, 0.33, 0.28)]
    return [Case((n, vf, tf, np.random.default_rng(s)), label=f"n = {n}, val_frac = {vf}, "
                 f"test_frac = {tf}") for (n, vf, tf), s in zip(specs, seeds)]



def _split_cut(perm, n_val, n_test):
    return perm[n_val + n_test:], perm[:n_val], perm[n_val:n_val + n_test]


def _split_independent(n, val_frac, test_frac, rng):
    n_val, n_test = round(val_frac * n), round(test_frac * n)
    test = rng.choice(n, n_test, replace=False)
    val = rng.choice(n, n_val, replace=False)
    train = np.setdiff1d(np.arange(n), test)
    return train, val, test


split_indices = Exercise(
    LESSON, "6.3", "split_indices", _split, _split_cases, compare=_compare_split, reproducible=True,
    mistakes=[
        Mistake("ignores_rng", "the permutation comes from another generator (np.random, or a default_rng of "
                "the function's own), not from the rng argument",
                "draw with the generator you are given, perm = rng.permutation(n): the caller seeds it so "
                "that the split can be repeated",
                impl=lambda n, vf, tf, rng: _split(n, vf, tf, np.random.default_rng()), irreproducible=True,
                witnesses=(lambda n, vf, tf, rng: _split_cut(np.random.permutation(n), round(vf * n),
                                                             round(tf * n)),)),
        Mistake("with_replacement", "indices drawn with replacement (rng.integers, or rng.choice with its "
                "default replace=True): some rows repeat, others are never used",
                "draw a permutation, which holds every row exactly once: rng.permutation(n)",
                impl=lambda n, vf, tf, rng: _split_cut(rng.integers(0, n, n), round(vf * n), round(tf * n)),
                witnesses=(lambda n, vf, tf, rng: (rng.choice(n, n - round(vf * n) - round(tf * n)),
                                                   rng.choice(n, round(vf * n)),
                                                   rng.choice(n, round(tf * n))),),
                detect=_split_detector(_repeats_inside)),
        Mistake("overlapping", "each set drawn on its own (a separate draw per set): a row can land in two "
                "sets, e.g. in both training and test",
                "draw ONE permutation and cut it into three slices: the slices cannot share a row",
                impl=_split_independent,
                witnesses=(lambda n, vf, tf, rng: (rng.permutation(n)[:n - round(vf * n) - round(tf * n)],
                                                   rng.permutation(n)[:round(vf * n)],
                                                   rng.permutation(n)[:round(tf * n)]),),
                detect=_split_detector(_overlapping)),
        Mistake("not_shuffled", "no shuffle: each set is a block of consecutive rows (train = the first "
                "rows), so any order in the data set carries into the split",
                "draw a random permutation first, perm = rng.permutation(n), and cut that",
                impl=lambda n, vf, tf, rng: _split_cut(np.arange(n), round(vf * n), round(tf * n)),
                witnesses=(lambda n, vf, tf, rng: _split_cut(np.sort(rng.permutation(n)), round(vf * n),
                                                             round(tf * n)),
                           lambda n, vf, tf, rng: tuple(np.split(np.arange(n), [
                               n - round(vf * n) - round(tf * n), n - round(tf * n)]))),
                detect=_split_detector(_unshuffled)),
        Mistake("sizes_swapped", "the val and test sizes swapped (val gets test_frac of the rows and test "
                "gets val_frac)",
                "len(val) = round(val_frac * n) and len(test) = round(test_frac * n), returned as "
                "(train, val, test)",
                impl=lambda n, vf, tf, rng: _split(n, tf, vf, rng),
                witnesses=(lambda n, vf, tf, rng: (lambda tr, va, te: (tr, te, va))(
                    *_split(n, vf, tf, rng)),),
                detect=_split_detector(_val_test_swapped)),
        Mistake("wrong_order", "the three sets returned in another order than (train, val, test)",
                "return them in the order of the statement: `return train, val, test`",
                impl=lambda n, vf, tf, rng: tuple(reversed(_split(n, vf, tf, rng))),
                witnesses=(lambda n, vf, tf, rng: (lambda tr, va, te: (va, te, tr))(
                    *_split(n, vf, tf, rng)),),
                detect=_split_detector(_in_another_order)),
        Mistake("fraction_of_rest", "the val (or test) fraction taken of the rows left after the other set, "
                "not of the whole data set",
                "both fractions are of all n rows: round(val_frac * n) and round(test_frac * n)",
                impl=lambda n, vf, tf, rng: _split_cut(rng.permutation(n), round(vf * (n - round(tf * n))),
                                                       round(tf * n)),
                witnesses=(lambda n, vf, tf, rng: (lambda perm, nt: (perm[nt + round(vf * (n - nt)):],
                                                                     perm[nt:nt + round(vf * (n - nt))],
                                                                     perm[:nt]))(rng.permutation(n),
                                                                                 round(tf * n)),),
                detect=_split_detector(_fraction_of_rest)),
        Mistake("not_rounded", "the sizes truncated or rounded up (int(), //, np.floor or np.ceil) instead "
                "of rounded to the nearest whole number",
                "use round(val_frac * n) and round(test_frac * n): e.g. 0.25 * 23 = 5.75 gives 6 rows",
                impl=lambda n, vf, tf, rng: _split_cut(rng.permutation(n), int(vf * n), int(tf * n)),
                witnesses=(lambda n, vf, tf, rng: _split_cut(rng.permutation(n), math.floor(vf * n),
                                                             math.floor(tf * n)),
                           lambda n, vf, tf, rng: _split_cut(rng.permutation(n), math.ceil(vf * n),
                                                             math.ceil(tf * n))),
                detect=_sized_everywhere(_not_rounded, [_sizes_by(math.floor, math.floor),
                                                        _sizes_by(math.ceil, math.ceil)], _TRAIN_FIRST)),
        Mistake("rows_dropped", "some rows in none of the three sets (a gap between two slices, or the last "
                "one stops short): they are never used",
                "start each slice where the previous one ends and run the last one to the end, e.g. "
                "perm[n_test + n_val:]",
                impl=lambda n, vf, tf, rng: (lambda tr, va, te: (tr[:-1], va, te))(*_split(n, vf, tf, rng)),
                witnesses=(lambda n, vf, tf, rng: (lambda perm, a, b: (perm[a + b:n - 1], perm[:a],
                                                                       perm[a:a + b]))(
                    rng.permutation(n), round(vf * n), round(tf * n)),),
                detect=_split_detector(_rows_dropped)),
        Mistake("train_rounded", "train sized on its own from (1 - val_frac - test_frac) * n, and another "
                "set given the rest: the three roundings need not add up to n",
                "round val and test only and give train the rest: n - n_val - n_test rows",
                impl=lambda n, vf, tf, rng: (lambda perm, a, b: (perm[:a], perm[a:a + b], perm[a + b:]))(
                    rng.permutation(n), round((1 - vf - tf) * n), round(vf * n)),
                witnesses=(lambda n, vf, tf, rng: (lambda parts: (parts[2], parts[1], parts[0]))(np.split(
                    rng.permutation(n), [int(np.round(tf * n)), n - int(np.round((1 - vf - tf) * n))])),),
                detect=_sized_everywhere(_train_rounded, _TRAIN_FIRST, _MIXED_SIZES)),
        Mistake("python_lists", "the sets returned as Python lists (list(...), .tolist() or a list "
                "comprehension), not NumPy arrays",
                "return NumPy int arrays: the slices of rng.permutation(n) already are",
                impl=lambda n, vf, tf, rng: tuple(list(a) for a in _split(n, vf, tf, rng)),
                witnesses=(lambda n, vf, tf, rng: [a.tolist() for a in _split(n, vf, tf, rng)],),
                detect=_as_lists),
    ])


# --- 6.4 early_stopping(val_losses, patience) ----------------------------------------------------

def _early_stopping(val_losses, patience):
    best, best_epoch, wait = math.inf, 0, 0
    for epoch, loss in enumerate(val_losses, 1):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _stops(val_losses, patience):
    """True when the rule stops training (at the last epoch or before)."""
    best, wait = math.inf, 0
    for loss in val_losses:
        if loss < best:
            best, wait = loss, 0
        else:
            wait += 1
            if wait == patience:
                return True
    return False


def _es_ties(val_losses, patience):
    best, best_epoch, wait = math.inf, 0, 0
    for epoch, loss in enumerate(val_losses, 1):
        if loss <= best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _es_previous(val_losses, patience, best_rule="lowest"):
    """"No improvement" measured against the previous epoch; the best epoch is the lowest loss up to the
    stop (``best_rule="lowest"``) or the last epoch that beat its predecessor (``"last"``)."""
    prev, wait, stop = math.inf, 0, len(val_losses)
    last = 0
    for epoch, loss in enumerate(val_losses, 1):
        if loss < prev:
            wait, last = 0, epoch
        else:
            wait += 1
            if wait == patience:
                stop = epoch
                break
        prev = loss
    if best_rule == "last":
        return last, stop
    return int(np.argmin(val_losses[:stop])) + 1, stop


def _epochs(got):
    """``(best_epoch, stop_epoch)`` as Python ints (None for one that is not an int), or None."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None
    return tuple(int(x) if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)) else None
                 for x in got)


def _compare_epochs(got, expected, case):
    losses, patience = case.args
    seen = getattr(case, "seen_args", None)
    if seen is not None and list(seen[0]) != list(losses):
        raise Failure("your function changed val_losses in place (e.g. with .sort() or .pop()); work on a "
                      "copy, or use sorted(...) and slices")
    if not isinstance(got, (tuple, list)):
        raise Failure(f"your function returned a {type(got).__name__}, expected a tuple of two ints "
                      f"(best_epoch, stop_epoch)")
    if len(got) != 2:
        raise Failure(f"your function returned {len(got)} values, expected 2 (best_epoch, stop_epoch)")
    for name, x, e in zip(("best_epoch", "stop_epoch"), got, expected):
        if x is None:
            raise Failure(f"{name} is None, expected the int {e}")
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)):
            raise Failure(f"{name} is {x!r} ({type(x).__name__}), expected the int {e}: epochs are whole "
                          f"numbers (int(...) turns a NumPy index into one)")
    for name, x, e in zip(("best_epoch", "stop_epoch"), got, expected):
        if int(x) != e:
            raise Failure(f"{name} is {int(x)}, expected {e}")


def _epochs_like(*variants):
    """Detector: the output is what one of ``variants`` gives on this case, and that is wrong."""
    def detect(got, expected, case):
        epochs = _epochs(got)
        if epochs is None or epochs == tuple(expected):
            return False
        for variant in variants:
            mine = variant(*copy.deepcopy(case.args))
            if tuple(mine) == epochs and tuple(mine) != tuple(expected):
                return True
        return False
    return detect


def _es_detector(test):
    def detect(got, expected, case):
        epochs = _epochs(got)
        if epochs is None or epochs == tuple(expected):
            return False
        return bool(test(epochs, tuple(expected), *case.args))
    return detect


def _no_restore(epochs, expected, losses, patience):
    return epochs[0] == epochs[1] == expected[1] != expected[0]


def _looks_ahead(epochs, expected, losses, patience):
    return epochs[0] == int(np.argmin(losses)) + 1 != expected[0] and epochs[1] == expected[1]


def _other_patience(epochs, expected, losses, patience):
    others = [_early_stopping(losses, p) for p in (patience - 1, patience + 1) if p >= 1]
    return any(epochs == o or (epochs[1] == o[1] != expected[1] and epochs[0] == expected[0]) for o in others)


def _zero_based(epochs, expected, losses, patience):
    best, stop = expected
    return epochs[0] == best - 1 and epochs[1] in (stop, stop - 1)


def _past_the_end(got, expected, case):
    losses, patience = case.args
    if _stops(losses, patience) or not isinstance(got, (tuple, list)) or len(got) != 2:
        return False
    stop = got[1]
    if stop is None:
        return True
    try:
        stop = float(stop)
    except (TypeError, ValueError):
        return False
    return stop > len(losses) or stop < 0


def _es_cases(rng):
    noisy = np.round(1.0 + 0.02 * np.cumsum(rng.standard_normal(12)) - 0.03 * np.arange(12), 3)
    return [
        Case(([0.775, 0.75, 0.75, 0.8, 0.775, 0.8, 0.775, 0.725, 0.725, 0.675], 3),
             label="patience 3, a tie, a bump, and the lowest loss after the stop"),
        Case(([0.75, 0.7, 0.65, 0.6, 0.65, 0.575, 0.575, 0.5, 0.475, 0.425], 2),
             label="patience 2, a curve that never stops"),
        Case(([0.725, 0.65, 0.675, 0.725, 0.65, 0.575, 0.575, 0.5, 0.425], 2),
             label="patience 2, a tie with the best"),
        Case(([0.7, 0.64, 0.61, 0.61, 0.58, 0.6], 1), label="patience 1"),
        Case(([1.2, 1.1, 1.15, 1.12, 1.11, 1.14, 1.13, 1.0], 4), label="patience 4"),
        Case(([float(x) for x in noisy], 3), label="patience 3, a noisy curve of 12 epochs"),
        Case(([0.6, 0.599995, 0.599991, 0.599988, 0.599986, 0.599987, 0.599989, 0.599985], 2),
             label="patience 2, improvements of 2e-6 to 5e-6 (below any usual min_delta)"),
    ]



def _es_wait_over(val_losses, patience):
    best, best_epoch, wait = math.inf, 0, 0
    for epoch, loss in enumerate(val_losses, 1):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
        if wait > patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses)


def _es_margin(val_losses, patience, delta=1e-3, best_rule="improvement"):
    """An improvement must beat the best by more than ``delta``; best_epoch the last improvement, or the
    lowest loss up to the stop (``best_rule="lowest"``)."""
    best, best_epoch, wait, stop = math.inf, 0, 0, len(val_losses)
    for epoch, loss in enumerate(val_losses, 1):
        if loss < best - delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait == patience:
                stop = epoch
                break
    if best_rule == "lowest":
        return int(np.argmin(val_losses[:stop])) + 1, stop
    return best_epoch, stop


def _with_margin(epochs, expected, losses, patience):
    """The epochs of the rule with a margin (min_delta, 1e-6 to 1e-2) that an improvement must beat."""
    return any(_es_margin(losses, patience, d, rule) == epochs for d in np.geomspace(1e-6, 1e-2, 41)
               for rule in ("improvement", "lowest"))


def _es_no_reset(val_losses, patience):
    best, best_epoch, bad = math.inf, 0, 0
    for epoch, loss in enumerate(val_losses, 1):
        if loss < best:
            best, best_epoch = loss, epoch
        else:
            bad += 1
            if bad == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _es_no_reset_cumsum(val_losses, patience):
    losses = np.asarray(val_losses, dtype=float)
    improves = losses < np.concatenate([[np.inf], np.minimum.accumulate(losses)[:-1]])
    stale = np.flatnonzero(np.cumsum(~improves) == patience)
    stop = int(stale[0]) + 1 if stale.size else len(losses)
    return int(np.argmin(losses[:stop])) + 1, stop


def _es_latest_best(val_losses, patience):
    best, best_epoch, wait = math.inf, 0, 0
    for epoch, loss in enumerate(val_losses, 1):
        if loss <= best:                       # the best so far moves to a tie ...
            best_epoch = epoch
        if loss < best:                        # ... but only a strictly lower loss resets the count
            best, wait = loss, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _latest_tie(epochs, expected, losses, patience):
    """The right stop; best_epoch a later epoch with the same lowest loss (a tie) than the earliest one."""
    best, stop = epochs
    if best is None or stop != expected[1] or not expected[0] < best <= stop:
        return False
    seen = list(losses[:stop])
    return seen[best - 1] == min(seen)


def _es_zero_based(val_losses, patience):
    best, best_i, wait = math.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_i, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_i, i
    return best_i, len(val_losses) - 1


early_stopping = Exercise(
    LESSON, "6.4", "early_stopping", _early_stopping, _es_cases, compare=_compare_epochs,
    mistakes=[
        Mistake("wrong_order", "the right epochs returned in the other order, (stop_epoch, best_epoch)",
                "return them in the order of the statement: `return best_epoch, stop_epoch`",
                impl=lambda losses, patience: tuple(reversed(_early_stopping(losses, patience))),
                witnesses=(lambda losses, patience: [_early_stopping(losses, patience)[1],
                                                     _early_stopping(losses, patience)[0]],),
                detect=lambda got, exp, case: _epochs(got) is not None and exp[0] != exp[1]
                and _epochs(got) == (exp[1], exp[0])),
        Mistake("no_restore", "best_epoch is the last epoch trained (the weights are not restored): early "
                "stopping keeps the weights of the lowest validation loss",
                "remember the epoch of the lowest loss so far and return it as best_epoch",
                impl=lambda losses, patience: (_early_stopping(losses, patience)[1],) * 2,
                witnesses=(lambda losses, patience: (lambda s: (s, s))(
                    _early_stopping(losses, patience)[1]),),
                detect=_es_detector(_no_restore)),
        Mistake("looks_ahead", "best_epoch is the lowest loss of the whole curve, also after the stop: early "
                "stopping cannot use epochs it never trained",
                "take the lowest loss among the epochs up to and including stop_epoch: "
                "val_losses[:stop_epoch]",
                impl=lambda losses, patience: (int(np.argmin(losses)) + 1,
                                               _early_stopping(losses, patience)[1]),
                witnesses=(lambda losses, patience: (losses.index(min(losses)) + 1,
                                                     _early_stopping(losses, patience)[1]),),
                detect=_es_detector(_looks_ahead)),
        Mistake("patience_off_by_one", "training stops one epoch without improvement too early or too late "
                "(patience - 1 or patience + 1 of them)",
                "stop at the end of the epoch that makes exactly `patience` epochs in a row without an "
                "improvement: count them, and stop when the count reaches patience",
                impl=_es_wait_over,
                witnesses=(lambda losses, patience: _early_stopping(losses, max(patience - 1, 1))
                           if patience > 1 else _early_stopping(losses, 2),),
                detect=_es_detector(_other_patience)),
        Mistake("zero_based", "epochs counted from 0 (a list index): epoch i + 1 is val_losses[i]",
                "add 1 to a list index to get an epoch number: the first epoch is 1",
                impl=_es_zero_based,
                witnesses=(lambda losses, patience: (lambda b, s: (b - 1, s))(
                    *_early_stopping(losses, patience)),),
                detect=_es_detector(_zero_based)),
        Mistake("ties_improve", "a tie counted as an improvement (<= instead of <): an equal loss resets the "
                "count and moves best_epoch",
                "an epoch improves only when its loss is strictly lower than the best so far: loss < best",
                impl=_es_ties,
                witnesses=(lambda losses, patience: _es_ties(list(losses), patience),),
                detect=_epochs_like(_es_ties)),
        Mistake("against_previous", "\"no improvement\" measured against the previous epoch instead of the "
                "best so far: a small dip after a bump resets the count",
                "compare each loss with the lowest loss so far (best), not with the epoch before",
                impl=_es_previous,
                witnesses=(lambda losses, patience: _es_previous(losses, patience, "last"),),
                detect=_epochs_like(_es_previous,
                                    lambda losses, patience: _es_previous(losses, patience, "last"))),
        Mistake("past_the_end", "stop_epoch past the end (or a marker such as None or -1) when training "
                "never stops: it then ran all len(val_losses) epochs",
                "when the patience never runs out, return stop_epoch = len(val_losses)",
                impl=lambda losses, patience: _early_stopping(losses, patience) if _stops(losses, patience)
                else (_early_stopping(losses, patience)[0], len(losses) + 1),
                witnesses=(lambda losses, patience: _early_stopping(losses, patience)
                           if _stops(losses, patience) else (_early_stopping(losses, patience)[0], -1),),
                detect=_past_the_end),
        Mistake("latest_tie", "best_epoch is the latest of the epochs tied for the lowest loss, not the "
                "earliest",
                "keep the earliest: move best_epoch only when loss < best (np.argmin gives the first too)",
                impl=_es_latest_best,
                witnesses=(lambda losses, patience: (lambda stop: (
                    stop - int(np.argmin(np.asarray(losses[:stop])[::-1])), stop))(
                    _early_stopping(losses, patience)[1]),),
                detect=_es_detector(_latest_tie)),
        Mistake("count_not_reset", "the count of epochs without an improvement never reset: training stops "
                "after `patience` of them in all, not in a row",
                "reset the count to 0 at every improvement (loss < best): only epochs in a row count",
                impl=_es_no_reset, witnesses=(_es_no_reset_cumsum,),
                detect=_epochs_like(_es_no_reset)),
        Mistake("min_delta", "an improvement required to beat the best by a margin (a min_delta such as "
                "1e-3): smaller improvements are not counted",
                "any strictly lower loss is an improvement here: loss < best, with no margin",
                impl=_es_margin,
                witnesses=(lambda losses, patience: _es_margin(list(losses), patience, 0.001, "lowest"),),
                detect=_es_detector(_with_margin)),
    ])


# --- 6.5 bootstrap_indices(n, rng) ---------------------------------------------------------------

class _Repeated:
    """A case's ``n`` asking for many calls with one generator: the check calls the function ``times``
    times as ``f(n, rng)`` (the same rng, which advances) and looks at all the draws together."""

    def __init__(self, n, times):
        self.n, self.times = n, times

    def __repr__(self):
        return str(self.n)


def _bootstrap(n, rng):
    if isinstance(n, _Repeated):                     # the check's many calls
        return [_bootstrap(n.n, rng) for _ in range(n.times)]
    return rng.integers(0, n, size=n)


@contextmanager
def _repeating(learner):
    def run(n, rng):
        if isinstance(n, _Repeated):
            return [learner(n.n, rng) for _ in range(n.times)]
        return learner(n, rng)
    yield run


def _check_draw(a, n, what):
    """Raise :class:`Failure` unless ``a`` is a 1-D int array of n indices in 0..n-1."""
    check_type(a, np.zeros(n, dtype=int), what)
    if not isinstance(a, np.ndarray):
        raise Failure(f"{what} is a {type(a).__name__}, expected a 1-D NumPy int array of {n} indices")
    if a.shape != (n,):
        raise Failure(f"{what} has shape {a.shape}, expected ({n},): one index per row, n draws")
    if a.dtype.kind not in "iu":
        raise Failure(f"{what} has dtype {a.dtype}, expected integers: row indices must be ints "
                      f"(rng.integers gives them)")
    out = a[(a < 0) | (a >= n)]
    if len(out):
        raise Failure(f"{what} holds the index {out[0]}, outside 0..{n - 1}")


def _compare_bootstrap(got, expected, case):
    n = case.args[0]
    if isinstance(n, _Repeated):
        _compare_many(got, n)
        return
    _check_draw(got, n, "your result")
    distinct = len(np.unique(got))
    if n >= 50 and distinct == n:
        raise Failure(f"no index repeats among the {n}: they were drawn without replacement; a "
                      f"bootstrap sample draws with replacement, so some rows repeat and others are left out")
    if n >= 1000:
        if not 0.58 <= distinct / n <= 0.69:
            raise Failure(f"{distinct} distinct indices among {n} ({distinct / n:.2f} of them), expected "
                          f"about 1 - 1/e = 0.63 of them: each index is drawn uniformly from 0..n-1")
        counts = np.bincount(got * 10 // n, minlength=10)
        bad = np.flatnonzero((counts < 0.5 * n / 10) | (counts > 1.5 * n / 10))
        if len(bad):
            j = int(bad[0])
            raise Failure(f"the indices {j * n // 10}..{(j + 1) * n // 10 - 1} were drawn {counts[j]} times, "
                          f"expected about {n // 10}: the draws are not uniform over 0..n-1")


def _compare_many(got, rep):
    n, times = rep.n, rep.times
    if not isinstance(got, list) or len(got) != times:
        raise Failure(f"your function's results over {times} calls are {type(got).__name__}")
    for j, a in enumerate(got, 1):
        _check_draw(a, n, f"your result on call {j} of {times} with n = {n}")
    draws = np.concatenate(got)
    counts = np.bincount(draws, minlength=n)
    never = np.flatnonzero(counts == 0)
    if len(never):
        raise Failure(f"the index {never[0]} was never drawn in {times} calls with n = {n}, expected about "
                      f"{times} times (1/n of the {n * times} draws): each of 0..n-1 is equally likely")
    worst = int(np.argmax(np.abs(counts - times)))
    if not 0.75 * times <= counts[worst] <= 1.25 * times:
        raise Failure(f"the index {worst} was drawn {counts[worst]} times in {times} calls with n = {n}, "
                      f"expected about {times} (1/n of the {n * times} draws): each of 0..n-1 is equally "
                      f"likely")
    perms = sum(len(np.unique(a)) == n for a in got)
    if perms > 0.5 * times:
        raise Failure(f"{perms} of {times} calls with n = {n} returned every index once (a permutation), "
                      f"expected about {round(times * math.factorial(n) / n ** n)}: draw with replacement")


def _draws(got, case):
    """``(n, list of 1-D int arrays)`` of what the learner returned on a case, or None."""
    n = case.args[0]
    arrays = got if isinstance(n, _Repeated) else [got]
    n = n.n if isinstance(n, _Repeated) else n
    if not isinstance(arrays, list) or not all(isinstance(a, np.ndarray) and a.ndim == 1
                                               and a.dtype.kind in "iu" for a in arrays):
        return None
    return n, arrays


def _permutation(got, expected, case):
    d = _draws(got, case)
    if d is None:
        return False
    n, arrays = d
    perms = [len(a) == n and np.array_equal(np.sort(a), np.arange(n)) for a in arrays]
    return (len(arrays) > 1 and sum(perms) > 0.5 * len(arrays)) or (len(arrays) == 1 and n >= 50 and perms[0])


def _one_based(got, expected, case):
    d = _draws(got, case)
    if d is None:
        return False
    n, arrays = d
    values = np.concatenate(arrays)
    return len(values) > 0 and values.min() >= 1 and values.max() == n


def _never_last(got, expected, case):
    d = _draws(got, case)
    if d is None or not isinstance(case.args[0], _Repeated):
        return False
    n, arrays = d
    values = np.concatenate(arrays)
    return all(len(a) == n for a in arrays) and len(values) > 0 and values.min() == 0 \
        and values.max() == n - 2


def _wrong_size(got, expected, case):
    d = _draws(got, case)
    if d is None:
        return False
    n, arrays = d
    return any(len(a) != n for a in arrays) and all(np.all((a >= 0) & (a < n)) for a in arrays if len(a))


def _float_indices(got, expected, case):
    n = case.args[0]
    arrays = got if isinstance(n, _Repeated) else [got]
    return isinstance(arrays, list) and bool(arrays) and all(
        isinstance(a, np.ndarray) and a.dtype.kind == "f" for a in arrays) and all(
        np.all(np.isfinite(a)) and np.all(a == np.round(a)) for a in arrays)


def _draw_lists(got, case):
    """``(n, list of what each call returned)``, or None."""
    n = case.args[0]
    arrays = got if isinstance(n, _Repeated) else [got]
    return (n.n if isinstance(n, _Repeated) else n), arrays if isinstance(arrays, list) else None


def _python_list(got, expected, case):
    """A Python list (or tuple) of n indices in 0..n-1 where an array is asked."""
    n, arrays = _draw_lists(got, case)
    if not arrays or not any(isinstance(a, (list, tuple)) for a in arrays):
        return False
    for a in arrays:
        values = np.asarray(a) if isinstance(a, (list, tuple, np.ndarray)) else None
        if values is None or values.shape != (n,) or values.dtype.kind not in "iu" or np.any(
                (values < 0) | (values >= n)):
            return False
    return True


def _not_1d(got, expected, case):
    """n indices in 0..n-1, as a 2-D array of shape (n, 1) or (1, n)."""
    n, arrays = _draw_lists(got, case)
    if not arrays or not all(isinstance(a, np.ndarray) and a.dtype.kind in "iu" for a in arrays):
        return False
    return any(a.ndim == 2 for a in arrays) and all(
        a.shape in ((n,), (n, 1), (1, n)) and np.all((a >= 0) & (a < n)) for a in arrays)


def _ends_half(got, expected, case):
    """Over many calls, rows 0 and n - 1 each drawn about half as often as every row in between: indices
    rounded from a uniform number on [0, n - 1]."""
    d = _draws(got, case)
    if d is None or not isinstance(case.args[0], _Repeated) or d[0] < 3:
        return False
    n, arrays = d
    values = np.concatenate(arrays)
    if len(values) == 0 or values.min() < 0 or values.max() >= n:
        return False
    counts = np.bincount(values, minlength=n)
    inner = counts[1:-1]
    if inner.min() == 0 or inner.max() > 1.3 * inner.min():
        return False
    return all(0.35 <= c / inner.mean() <= 0.65 for c in (counts[0], counts[-1]))


def _counts(got, expected, case):
    """n numbers that add up to n (how often each row was drawn), where a sample of n indices adds up to
    about n (n - 1) / 2: on one call with n >= 50, or on every one of many calls."""
    d = _draws(got, case)
    if d is None:
        return False
    n, arrays = d
    return (n >= 50 or len(arrays) >= 20) and all(len(a) == n and a.min() >= 0 and a.sum() == n
                                                  for a in arrays)


def _deduplicated(got, expected, case):
    """Fewer than n indices, none repeated (two or more fewer: one fewer is as likely a draw one short)."""
    d = _draws(got, case)
    if d is None:
        return False
    n, arrays = d
    if isinstance(case.args[0], _Repeated) or n < 10:
        return False
    a = arrays[0]
    return 0 < len(a) <= n - 2 and len(np.unique(a)) == len(a) and bool(np.all((a >= 0) & (a < n)))


def _boot_cases(rng):
    seeds = [int(s) for s in rng.integers(0, 2**31, 4)]
    return [
        Case((10, np.random.default_rng(seeds[0])), label="n = 10"),
        Case((2000, np.random.default_rng(seeds[1])), label="n = 2000"),
        Case((_Repeated(3, 400), np.random.default_rng(seeds[2])),
             label="400 calls with n = 3 from one generator, their draws counted together"),
        Case((57, np.random.default_rng(seeds[3])), label="n = 57"),
    ]


bootstrap_indices = Exercise(
    LESSON, "6.5", "bootstrap_indices", _bootstrap, _boot_cases, compare=_compare_bootstrap, guard=_repeating,
    reproducible=True,
    mistakes=[
        Mistake("ignores_rng", "the indices come from another generator (np.random, or a default_rng of the "
                "function's own), not from the rng argument",
                "draw with the generator you are given, rng.integers(0, n, size=n): the caller seeds it so "
                "that a run can be repeated",
                impl=lambda n, rng: np.random.randint(0, n, n), irreproducible=True,
                witnesses=(lambda n, rng: np.random.default_rng().integers(0, n, n),)),
        Mistake("without_replacement", "drawn without replacement (a permutation, or rng.choice(..., "
                "replace=False)): every row appears exactly once, so the sample is the data set reordered",
                "draw with replacement: rng.integers(0, n, size=n) (or rng.choice(n, size=n)), so that "
                "some rows repeat and about 1/e of them are left out",
                impl=lambda n, rng: rng.permutation(n),
                witnesses=(lambda n, rng: rng.choice(n, size=n, replace=False),), detect=_permutation),
        Mistake("one_based", "indices 1..n instead of 0..n-1: the index n does not exist and row 0 is never "
                "drawn",
                "row indices start at 0: draw from 0..n-1, rng.integers(0, n, size=n) (the upper bound is "
                "excluded)",
                impl=lambda n, rng: rng.integers(1, n + 1, size=n),
                witnesses=(lambda n, rng: rng.integers(0, n, size=n) + 1,), detect=_one_based),
        Mistake("never_last", "the last row, n - 1, is never drawn (rng.integers(0, n - 1) excludes its "
                              "upper "
                "bound)",
                "rng.integers(0, n) already stops before n: its upper bound is excluded, so pass n itself",
                impl=lambda n, rng: rng.integers(0, n - 1, size=n),
                witnesses=(lambda n, rng: np.floor(rng.random(n) * (n - 1)).astype(int),),
                detect=_never_last),
        Mistake("duplicates_removed", "the repeated rows removed (np.unique, or a set): fewer than n "
                "indices, each once; a bootstrap sample keeps its repeats",
                "return all n draws as they come: rng.integers(0, n, size=n), with no np.unique",
                impl=lambda n, rng: np.unique(rng.integers(0, n, size=n)),
                witnesses=(lambda n, rng: np.array(sorted(set(rng.choice(n, size=n).tolist()))),),
                detect=_deduplicated),
        Mistake("wrong_size", "a sample of another size than n: a bootstrap sample has as many rows as the "
                "data set",
                "draw n indices: rng.integers(0, n, size=n)",
                impl=lambda n, rng: rng.integers(0, n, size=n - 1),
                witnesses=(lambda n, rng: rng.integers(0, n, size=max(n // 2, 1)),), detect=_wrong_size),
        Mistake("float_indices", "the indices are floats (e.g. rng.random(n) * n rounded down): NumPy "
                                 "refuses "
                "float arrays as indices",
                "return ints: rng.integers(0, n, size=n), or .astype(int) on whole numbers",
                impl=lambda n, rng: np.floor(rng.random(n) * n),
                witnesses=(lambda n, rng: rng.integers(0, n, size=n).astype(float),), detect=_float_indices),
        Mistake("python_list", "a Python list returned (a list comprehension, list(...) or .tolist()), not a "
                "NumPy array",
                "return a NumPy int array: rng.integers(0, n, size=n) already is one",
                impl=lambda n, rng: rng.integers(0, n, size=n).tolist(),
                witnesses=(lambda n, rng: [rng.integers(n) for _ in range(n)],), detect=_python_list),
        Mistake("not_1d", "a 2-D array of shape (n, 1) (or (1, n)) instead of a 1-D array of n indices",
                "draw with size=n, not size=(n, 1), or flatten the result with .ravel()",
                impl=lambda n, rng: rng.integers(0, n, size=(n, 1)),
                witnesses=(lambda n, rng: rng.choice(n, size=n)[None, :],), detect=_not_1d),
        Mistake("rounded_uniform", "indices rounded from a uniform number on [0, n - 1]: rows 0 and n - 1 "
                "come up half as often as the others", "draw integers directly: rng.integers(0, n, size=n)",
                impl=lambda n, rng: np.round(rng.uniform(0, n - 1, size=n)).astype(int),
                witnesses=(lambda n, rng: np.rint(rng.random(n) * (n - 1)).astype(np.int64),),
                detect=_ends_half),
        Mistake("counts_not_indices", "how often each row is drawn (rng.multinomial, np.bincount) returned "
                "instead of the drawn row indices",
                "return the n drawn indices themselves: rng.integers(0, n, size=n)",
                impl=lambda n, rng: rng.multinomial(n, np.full(n, 1.0 / n)),
                witnesses=(lambda n, rng: np.bincount(rng.integers(0, n, size=n), minlength=n),),
                detect=_counts),
    ])


# --- 6.6 ensemble_proba(logits) ------------------------------------------------------------------

def _ensemble(logits):
    return nn.softmax(np.asarray(logits, dtype=float), axis=-1).mean(axis=0)


def _softmax(Z, axis=-1):
    e = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _same_values(got, mine):
    got = np.asarray(got, dtype=float)
    return got.shape == mine.shape and bool(np.allclose(got, mine, rtol=1e-6, atol=1e-9))


def _as_float(got):
    try:
        return np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None


def _matches(formula):
    """Detector: the output is ``formula(logits)`` (stable where it matters), and that is wrong."""
    def detect(got, expected, case):
        g = _as_float(got)
        if g is None:
            return False
        mine = formula(np.asarray(case.args[0], dtype=float))
        return _same_values(g, mine) and not _same_values(expected, mine)
    return detect


def _softmax_wrong_axis(got, expected, case):
    return any(_matches(lambda Z, a=a: _softmax(Z, axis=a).mean(axis=0))(got, expected, case) for a in (0, 1))


def _mean_other_axis(got, expected, case):
    Z = np.asarray(case.args[0], dtype=float)
    g = _as_float(got)
    if g is None:
        return False
    P = _softmax(Z)
    return any(g.shape == mine.shape and _same_values(g, mine) for mine in (P.mean(axis=1), P.mean(axis=2)))


def _not_averaged(got, expected, case):
    Z = np.asarray(case.args[0], dtype=float)
    g = _as_float(got)
    return g is not None and g.shape == Z.shape and Z.shape[0] > 1 and _same_values(g, _softmax(Z))


def _on_vote_grid(got, expected, case):
    """Every entry a multiple of 1/k, every row summing to 1, not all entries equal: counted votes or a
    one-hot class instead of averaged probabilities."""
    k = np.shape(case.args[0])[0]
    g = _as_float(got)
    if g is None or g.shape != np.shape(expected) or not np.all(np.isfinite(g)) or k < 2:
        return False
    return bool(np.allclose(g * k, np.round(g * k), atol=1e-9) and np.allclose(g.sum(axis=-1), 1.0)
                and np.ptp(g) > 0 and not _same_values(g, expected))


def _times_k(got, expected, case):
    k = np.shape(case.args[0])[0]
    g = _as_float(got)
    return g is not None and k > 1 and _same_values(g, k * np.asarray(expected, dtype=float))


def _not_stable(got, expected, case):
    """Non-finite output on a case whose logits exp cannot take (above 709, or rows far below a shared
    maximum), or finite output that is wrong only for the examples with such logits."""
    Z = np.asarray(case.args[0], dtype=float)
    g = _as_float(got)
    if g is None or g.shape != np.shape(expected):
        return False
    risky = np.any(np.abs(Z) > 700, axis=(0, 2))          # per example, over the members and classes
    if not np.any(risky):
        return False
    if not np.all(np.isfinite(g)):
        return bool(np.all(np.isfinite(expected)))
    bad = ~np.all(np.isclose(g, expected, rtol=1e-6, atol=1e-9), axis=-1)
    return bool(np.any(bad) and np.all(risky[bad]))



def _geometric_mean(got, expected, case):
    """Rows proportional to the softmax of the mean logits (the normalised geometric mean of the members'
    probabilities) that do not sum to 1: the geometric mean, not normalised."""
    g = _as_float(got)
    if g is None or g.shape != np.shape(expected) or not np.all(np.isfinite(g)):
        return False
    sums = g.sum(axis=-1, keepdims=True)
    if not np.all(sums > 0) or np.allclose(sums, 1.0):
        return False
    return _same_values(g / sums, _softmax(np.asarray(case.args[0], dtype=float).mean(axis=0)))


def _shifted_once(Z, sign):
    """The softmax with the row maximum subtracted in the numerator only (sign = -1) or in the denominator
    only (sign = +1): the softmax times exp(sign * max)."""
    with np.errstate(over="ignore"):
        return (_softmax(Z) * np.exp(sign * Z.max(axis=-1, keepdims=True))).mean(axis=0)


def _max_once(got, expected, case):
    return any(_matches(lambda Z, s=s: _shifted_once(Z, s))(got, expected, case) for s in (-1.0, 1.0))


def _per_class(got, expected, case):
    """Rows that do not sum to 1, and each class's value ignores the other classes' logits: raising one
    class's logits (in every member) changes that class's output only; or exp(z - max) with no division."""
    Z = np.asarray(case.args[0], dtype=float)
    g = _as_float(got)
    if g is None or g.shape != np.shape(expected) or Z.shape[-1] < 2 or not np.all(np.isfinite(g)) \
            or np.allclose(g.sum(axis=-1), 1.0):
        return False
    if _same_values(g, np.exp(Z - Z.max(axis=-1, keepdims=True)).mean(axis=0)):
        return True
    raised = Z.copy()
    raised[..., 0] += 0.5
    other, error = ensemble_proba.call_learner(raised)
    o = _as_float(other) if error is None else None
    return o is not None and o.shape == g.shape \
        and bool(np.allclose(o[:, 1:], g[:, 1:], rtol=1e-9, atol=1e-12)) \
        and not np.allclose(o[:, 0], g[:, 0], rtol=1e-6, atol=1e-9)


def _ens_in_place(logits):
    logits -= logits.max(axis=-1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=-1, keepdims=True)
    return logits.mean(axis=0)


def _ens_in_place_shift(logits):
    logits -= np.max(logits, axis=2, keepdims=True)
    e = np.exp(logits)
    return (e / e.sum(axis=2, keepdims=True)).mean(axis=0)


def _naive(Z, axis=-1):
    e = np.exp(Z)
    return e / e.sum(axis=axis, keepdims=True)


def _votes(logits):
    k, N, C = logits.shape
    out = np.zeros((N, C))
    for member in logits:
        out[np.arange(N), member.argmax(axis=1)] += 1 / k
    return out


def _majority(logits):
    k, N, C = logits.shape
    counts = np.zeros((N, C))
    for member in logits:
        counts[np.arange(N), member.argmax(axis=1)] += 1
    return np.eye(C)[counts.argmax(axis=1)]


def _ens_cases(rng):
    far = np.array([[[1000.0, 998.0, 1001.0, 995.0], [-1000.0, -1003.0, -999.0, -1001.0],
                     [0.5, -0.5, 2.0, 1.0]],
                    [[-1000.0, -998.0, -1002.0, -1001.0], [1000.0, 1002.0, 999.0, 1001.0],
                     [1.5, 0.0, -1.0, 0.5]]])
    return [
        Case((2 * rng.standard_normal((3, 4, 5)),), label="3 members, 4 examples, 5 classes"),
        Case((3 * rng.standard_normal((5, 2, 3)),), label="5 members, 2 examples, 3 classes"),
        Case((1000 + rng.standard_normal((2, 6, 4)),), label="logits around 1000"),
        Case((far,), label="members a thousand apart: one near +1000, the other near -1000"),
        Case((rng.standard_normal((1, 3, 2)),), label="one member"),
    ]


ensemble_proba = Exercise(
    LESSON, "6.6", "ensemble_proba", _ensemble, _ens_cases,
    mistakes=[
        Mistake("in_place", "logits changed in place (logits -= ..., np.exp(..., out=logits)), which changes "
                "the caller's array",
                "compute new arrays: shifted = logits - logits.max(axis=-1, keepdims=True)",
                impl=_ens_in_place, mutation=True, witnesses=(_ens_in_place_shift,)),
        Mistake("not_averaged", "every member's probabilities returned, shape (k, N, C), not their average",
                "average over the members, the first axis: probs.mean(axis=0) has shape (N, C)",
                impl=lambda logits: _softmax(logits),
                witnesses=(lambda logits: np.stack([_softmax(z) for z in logits]),),
                detect=_not_averaged),
        Mistake("mean_wrong_axis", "the probabilities averaged over the wrong axis (over the examples or the "
                "classes instead of the members)",
                "the members are the first axis: average with .mean(axis=0)",
                impl=lambda logits: _softmax(logits).mean(axis=1),
                witnesses=(lambda logits: _softmax(logits).mean(axis=-1),), detect=_mean_other_axis),
        Mistake("softmax_wrong_axis", "the softmax taken over the wrong axis (over the members or the "
                                      "examples "
                "instead of the classes): a row does not sum to 1",
                "normalise over the classes, the last axis: max and sum with axis=-1, keepdims=True",
                impl=lambda logits: _softmax(logits, axis=0).mean(axis=0),
                witnesses=(lambda logits: _softmax(logits, axis=1).mean(axis=0),
                           lambda logits: np.mean([_softmax(z, axis=0) for z in logits], axis=0)),
                detect=_softmax_wrong_axis),
        Mistake("softmax_of_mean", "the softmax of the averaged logits instead of the average of the "
                                   "members' "
                "probabilities",
                "take each member's softmax first, then average the probabilities over the members",
                impl=lambda logits: _softmax(logits.mean(axis=0)),
                witnesses=(lambda logits: _softmax(np.sum(logits, axis=0) / len(logits)),),
                detect=_matches(lambda Z: _softmax(Z.mean(axis=0)))),
        Mistake("mean_logits", "the averaged logits returned, with no softmax: they are not probabilities",
                "turn each member's logits into probabilities (a stable softmax over the classes), then "
                "average",
                impl=lambda logits: logits.mean(axis=0),
                witnesses=(lambda logits: sum(logits) / len(logits),),
                detect=_matches(lambda Z: Z.mean(axis=0))),
        Mistake("sum_not_mean", "the members' probabilities added up instead of averaged: each row sums to k",
                "divide the sum by the number of members k, or use .mean(axis=0)",
                impl=lambda logits: _softmax(logits).sum(axis=0),
                witnesses=(lambda logits: sum(_softmax(z) for z in logits),), detect=_times_k),
        Mistake("hard_votes", "hard votes: each member's predicted class (argmax) counted, or the majority "
                "class one-hot, instead of averaging their probabilities",
                "average the probabilities themselves (soft voting): the mean over the members of each "
                "member's softmax",
                impl=_votes, witnesses=(_majority,), detect=_on_vote_grid),
        Mistake("not_stable", "not stable: exp of large logits overflows (inf / inf = nan), or logits far "
                              "below "
                "one shared maximum underflow to 0 / 0",
                "subtract each row's own maximum before exp: logits - logits.max(axis=-1, keepdims=True) "
                "(lesson 04); it changes nothing else",
                impl=lambda logits: _naive(logits).mean(axis=0),
                witnesses=(lambda logits: np.mean([_naive(z) for z in logits], axis=0),
                           lambda logits: _naive(logits - logits.max()).mean(axis=0),
                           lambda logits: _naive(np.clip(logits, -700, 700)).mean(axis=0)),
                detect=_not_stable),
        Mistake("geometric_mean", "the geometric mean of the members' probabilities (exp of the mean "
                "log-probability) instead of their mean: the rows do not sum to 1",
                "average the probabilities themselves, not their logs: np.mean(probs, axis=0)",
                impl=lambda logits: np.exp(np.log(_softmax(logits)).mean(axis=0)),
                witnesses=(lambda logits: np.prod(_softmax(logits), axis=0) ** (1 / len(logits)),),
                detect=_geometric_mean),
        Mistake("max_subtracted_once", "the row max subtracted in the numerator but not in the sum under it "
                "(or the other way round): rows do not sum to 1",
                "subtract the same max in both: e = np.exp(z - max), then e / e.sum(axis=-1, keepdims=True)",
                impl=lambda logits: (np.exp(logits - logits.max(axis=-1, keepdims=True))
                                     / np.exp(logits).sum(axis=-1, keepdims=True)).mean(axis=0),
                witnesses=(lambda logits: np.mean([
                    np.exp(z) / np.sum(np.exp(z - z.max(axis=1, keepdims=True)), axis=1, keepdims=True)
                    for z in logits], axis=0),),
                detect=_max_once),
        Mistake("median_not_mean", "the median of the members' probabilities instead of their mean",
                "average over the members: probs.mean(axis=0)",
                impl=lambda logits: np.median(_softmax(logits), axis=0),
                witnesses=(lambda logits: np.percentile(_softmax(logits), 50, axis=0),),
                detect=_matches(lambda Z: np.median(_softmax(Z), axis=0))),
        Mistake("not_softmax", "each class squashed on its own (a sigmoid, or exp without the division) "
                "instead of a softmax: rows do not sum to 1",
                "normalise over the classes: e = np.exp(z - z.max(axis=-1, keepdims=True)), then "
                "e / e.sum(axis=-1, keepdims=True)",
                impl=lambda logits: (1 / (1 + np.exp(-np.clip(logits, -500, 500)))).mean(axis=0),
                witnesses=(lambda logits: np.mean(0.5 * (1 + np.tanh(logits / 2)), axis=0),
                           lambda logits: np.exp(np.minimum(logits, 700)).mean(axis=0)),
                detect=_per_class),
    ])


# --- 6.7 adamw_step(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8) --

ADAMW = ("theta_new", "m_new", "v_new", "t_new")


def _adamw_with(l2=False, decoupled=True, with_lr=True, sign=1.0, after=False, scaled=False, **adam_change):
    """The AdamW step with one change; the default arguments give the reference. ``adam_change`` goes
    to lesson 05's Adam step (e.g. ``correct_m=False``)."""
    adam = _adam_with(**adam_change)

    def step(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
        fed = g + weight_decay * theta if l2 else g
        stepped, m_new, v_new, t_new = adam(theta, m, v, t, fed, lr, beta1, beta2, eps)
        if not decoupled:
            return stepped, m_new, v_new, t_new
        rate = lr if with_lr else 1.0
        if after:
            decay = rate * weight_decay * stepped
        elif scaled:
            decay = rate * weight_decay * theta / (np.sqrt(v_new / (1 - beta2 ** (t + 1))) + eps)
        else:
            decay = rate * weight_decay * theta
        return stepped - sign * decay, m_new, v_new, t_new
    return step


_adamw = _adamw_with()
_ADAMW_OLD_T = _adamw_with(t_used=0)


def _adamw_in_place(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    theta *= 1 - lr * weight_decay
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g * g
    t += 1
    return theta - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v, t


def _adamw_in_place_theta(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    out = _adamw(theta, m, v, t, g, lr, weight_decay, beta1, beta2, eps)
    theta[...] = out[0]
    return (theta, *out[1:])


def _adamw_loop(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8, **change):
    """AdamW written entry by entry, with ``change`` as in :func:`_adamw_with` (a witness's style)."""
    step = _adamw_with(**change)
    outs = [step(np.array(a), np.array(b), np.array(c), t, np.array(d), lr, weight_decay, beta1, beta2, eps)
            for a, b, c, d in zip(theta.flat, m.flat, v.flat, g.flat)]
    return tuple(np.array([o[i] for o in outs], dtype=float).reshape(theta.shape) for i in range(3)) \
        + (outs[0][3],)


def _adamw_l2_named(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    g = g + weight_decay * theta
    t = t + 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    return theta - lr * (m / (1 - beta1 ** t)) / ((v / (1 - beta2 ** t)) ** 0.5 + eps), m, v, t


def _adamw_raises_at_zero(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    alpha = lr * (1 - beta2 ** t) ** 0.5 / (1 - beta1 ** t)      # t not incremented: 1 / 0 at t = 0
    return theta - alpha * m_new / (np.sqrt(v_new) + eps) - lr * weight_decay * theta, m_new, v_new, t + 1


def _adamw_cases(rng):
    theta2, gs2 = _vectors(rng, (5,), 5)
    theta3, gs3 = _vectors(rng, (2, 3), 3)
    theta4, gs4 = _vectors(rng, (4,), 3, scale=1e-8)
    return [
        Case((np.array([1.0, -2.0, 0.5]), np.zeros(3), np.zeros(3), 0,
              np.array([[0.5, -1.0, 2.0], [0.3, 0.2, -0.4], [-1.0, 0.5, 0.1], [0.7, -0.6, 1.2]]), 0.1),
             {"weight_decay": 0.5},
             label="4 steps from m = v = 0, t = 0, lr = 0.1, weight_decay = 0.5, each fed what the step "
                   "before returned"),
        Case((theta2, np.zeros(5), np.zeros(5), 0, gs2), label="5 steps of random gradients, the default lr "
             "and weight_decay"),
        Case((theta3, 0.1 * rng.standard_normal((2, 3)), rng.uniform(0.1, 1, (2, 3)), 7, gs3, 0.05),
             {"weight_decay": 0.1, "beta1": 0.8, "beta2": 0.99},
             label="3 steps of a (2, 3) parameter from t = 7 and non-zero moments, beta1 = 0.8, "
                   "beta2 = 0.99"),
        Case((theta4, np.zeros(4), np.zeros(4), 0, gs4),
             label="gradients of size 1e-8, where eps = 1e-8 matters (default lr and weight_decay)"),
    ]


def _old_t_from_three(case):
    """From t = 3 one step of the learner's function equals a bias correction with the old count."""
    theta, m, v, _, gs, *rest = copy.deepcopy(case.args)
    args = (theta, m, v, 3, gs[:1], *rest)
    got, error = adamw_step.call_learner(*args, **case.kwargs)
    if error is not None or not hasattr(got, "steps") or not got.steps:
        return False
    out = got.steps[0][1]
    if not isinstance(out, (tuple, list)) or len(out) != 4:
        return False
    mine = _ADAMW_OLD_T(theta, m, v, 3, gs[0], *rest, **case.kwargs)
    out, mine = _floats(out[:3]), _floats(mine[:3])
    return out is not None and all(_close(a, b) for a, b in zip(out, mine))


def _ignores_weight_decay(got, expected, case):
    """On the first wrong step, m_new and v_new are right and theta_new is finite but wrong, and the learner's
    step from the same state with another weight_decay gives the same theta_new (the reference's does not)."""
    hit = _first_failure(_adamw, ADAMW, got, case.kwargs)
    if hit is None or not isinstance(hit[1], (tuple, list)) or len(hit[1]) != 4:
        return False
    out, exp = _floats(hit[1][:3]), _floats(hit[2][:3])
    if out is None or out[0].shape != exp[0].shape or not np.all(np.isfinite(out[0])) \
            or not (_close(out[1], exp[1]) and _close(out[2], exp[2])):
        return False
    theta, m, v, t, g, *rest = copy.deepcopy(hit[0])
    kwargs = dict(case.kwargs)
    kwargs["weight_decay"] = 3 * kwargs.get("weight_decay", 0.01) + 0.1
    other, error = adamw_step.call_learner(theta, m, v, t, np.asarray(g)[None], *rest, **kwargs)
    if error is not None or not hasattr(other, "steps") or not other.steps:
        return False
    out = other.steps[0][1]
    if not isinstance(out, (tuple, list)) or len(out) != 4:
        return False
    mine, theirs = _floats(out[:1]), _floats(hit[1][:1])
    moved = _adamw(theta, m, v, t, g, *rest, **kwargs)[0]
    return mine is not None and theirs is not None and _close(mine[0], theirs[0]) \
        and not _close(moved, hit[2][0])


def _zero_division_at_t_zero(checker, error, case):
    return isinstance(error, ZeroDivisionError) and _old_t_from_three(case)


adamw_step = Exercise(
    LESSON, "6.7", "adamw_step", _adamw, _adamw_cases,
    compare=_compare_run(_adamw, ADAMW), guard=_stepping(4, 4),
    named_errors=[(_zero_division_at_t_zero, "t_not_incremented_first")],
    mistakes=[
        Mistake("in_place", "theta, m or v updated in place (theta *= 1 - lr * weight_decay, m *= beta1, "
                "theta[...] = ...), which changes the caller's arrays",
                "compute new arrays, m_new = beta1 * m + (1 - beta1) * g and so on, and return them",
                impl=_adamw_in_place, mutation=True, witnesses=(_adamw_in_place_theta,)),
        _order_mistake(_adamw, ADAMW),
        Mistake("t_not_incremented_first", "the bias correction uses t before it is incremented: at t = 0 it "
                "divides by 1 - beta ** 0 = 0 (inf or nan, or ZeroDivisionError)",
                "increment first, t_new = t + 1, and correct with beta1 ** t_new and beta2 ** t_new",
                impl=_ADAMW_OLD_T, witnesses=(_adamw_with(t_used=0, t_returned=0), _adamw_raises_at_zero),
                detect=_steps_like(_adamw, ADAMW, (_ADAMW_OLD_T, (0, 1, 2)))),
        Mistake("t_count", "the right step, but t_new is not t + 1 (not returned incremented, or incremented "
                "twice)",
                "increment the count once per step and return it: t_new = t + 1",
                impl=_adamw_with(t_returned=0), witnesses=(_adamw_with(t_returned=2),),
                detect=_steps_like(_adamw, ADAMW, (_adamw_with(t_returned=0), None),
                                   (_adamw_with(t_returned=2), None))),
        Mistake("l2_in_adam", "L2 inside Adam: weight_decay * theta added to the gradient, so it enters m "
                              "and "
                "v and is rescaled by the adaptive step (Adam with L2, not AdamW)",
                "feed Adam the data gradient g alone, and subtract lr * weight_decay * theta from theta "
                "separately, outside m_hat / (sqrt(v_hat) + eps)",
                impl=_adamw_with(l2=True, decoupled=False),
                witnesses=(_adamw_l2_named, _adamw_with(l2=True)),
                detect=_steps_like(_adamw, ADAMW, (_adamw_with(l2=True, decoupled=False), None),
                                   (_adamw_with(l2=True), None))),
        Mistake("no_decay", "no weight decay at all: the plain Adam step of lesson 05",
                "subtract the decay too: theta_new = theta - lr * (m_hat / (sqrt(v_hat) + eps) + "
                "weight_decay * theta)",
                impl=_adamw_with(decoupled=False),
                witnesses=(lambda theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999,
                           eps=1e-8: _adam_with()(theta, m, v, t, g, lr, beta1, beta2, eps),),
                detect=_steps_like(_adamw, ADAMW, (_adamw_with(decoupled=False), None))),
        Mistake("decay_without_lr", "the decay not multiplied by lr (theta - weight_decay * theta): it "
                "shrinks theta by weight_decay itself every step",
                "scale the decay by the learning rate too: subtract lr * weight_decay * theta",
                impl=_adamw_with(with_lr=False),
                witnesses=(lambda *a, **k: _adamw_loop(*a, **k, with_lr=False),),
                detect=_steps_like(_adamw, ADAMW, (_adamw_with(with_lr=False), None))),
        Mistake("decay_sign", "the decay added instead of subtracted: it makes theta grow",
                "weight decay shrinks theta: theta_new = theta - lr * (... + weight_decay * theta)",
                impl=_adamw_with(sign=-1.0),
                witnesses=(lambda *a, **k: _adamw_loop(*a, **k, sign=-1.0),),
                detect=_steps_like(_adamw, ADAMW, (_adamw_with(sign=-1.0), None))),
        Mistake("decay_after_step", "the decay applied to the new theta, after the Adam step, instead of to "
                                    "the "
                "theta the step starts from",
                "decay the old theta: theta_new = theta - lr * (m_hat / (sqrt(v_hat) + eps) + weight_decay * "
                "theta), with theta the argument",
                impl=_adamw_with(after=True),
                witnesses=(lambda *a, **k: _adamw_loop(*a, **k, after=True),),
                detect=_steps_like(_adamw, ADAMW, (_adamw_with(after=True), None))),
        Mistake("decay_rescaled", "the decay divided by the adaptive denominator (sqrt(v_hat) + eps): the "
                "decoupled decay stays outside the adaptive step",
                "add weight_decay * theta after the division: lr * (m_hat / (sqrt(v_hat) + eps) + "
                "weight_decay * theta)",
                impl=_adamw_with(scaled=True),
                witnesses=(lambda *a, **k: _adamw_loop(*a, **k, scaled=True),),
                detect=_steps_like(_adamw, ADAMW, (_adamw_with(scaled=True), None))),
        Mistake("no_bias_correction", "no bias correction (on m, on v, or on both): the first steps are far "
                "too short or too long (m and v start at 0)",
                "divide by (1 - beta ** t_new): m_hat = m_new / (1 - beta1 ** t_new), v_hat likewise",
                impl=_adamw_with(correct_m=False, correct_v=False),
                witnesses=(lambda *a, **k: _adamw_loop(*a, **k, correct_m=False, correct_v=False),
                           _adamw_with(correct_v=False), _adamw_with(correct_m=False)),
                detect=_steps_like(_adamw, ADAMW, (_adamw_with(correct_m=False, correct_v=False), (0, 1, 2)),
                                   (_adamw_with(correct_v=False), (0, 1, 2)),
                                   (_adamw_with(correct_m=False), (0, 1, 2)))),
        Mistake("betas_swapped", "beta1 and beta2 swapped (m averaged with beta2, v with beta1)",
                "beta1 (0.9) is the first moment's decay, beta2 (0.999) the second's",
                impl=_adamw_with(swap=True),
                witnesses=(lambda theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta2=0.9, beta1=0.999,
                           eps=1e-8: _adamw(theta, m, v, t, g, lr, weight_decay, beta1, beta2, eps),),
                detect=_steps_like(_adamw, ADAMW, (_adamw_with(swap=True), (0, 1, 2)))),
        Mistake("eps_inside_root", "eps inside the square root, sqrt(v_hat + eps), not sqrt(v_hat) + eps (it "
                "differs when v is small)",
                "add eps after the root: m_hat / (np.sqrt(v_hat) + eps)",
                impl=_adamw_with(eps_inside=True),
                witnesses=(lambda *a, **k: _adamw_loop(*a, **k, eps_inside=True),),
                detect=_steps_like(_adamw, ADAMW, (_adamw_with(eps_inside=True), (0, 1, 2)))),
        Mistake("weight_decay_ignored", "the weight_decay argument ignored (a value written into the "
                "function): the step does not change with it",
                "use the weight_decay you are given: theta - lr * (... + weight_decay * theta)",
                impl=lambda theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8:
                _adamw(theta, m, v, t, g, lr, 0.01, beta1, beta2, eps),
                witnesses=(lambda *a, **k: _adamw_loop(*a, **{**k, "weight_decay": 1e-2}),),
                detect=_ignores_weight_decay),
    ])


EXERCISES = [l2_penalty_and_grad, l1_penalty_and_grad, split_indices, early_stopping, bootstrap_indices,
             ensemble_proba, adamw_step]
