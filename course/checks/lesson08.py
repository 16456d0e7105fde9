"""Checks for lesson 08 (unstable gradients: the backpropagated deltas, clipping by the global norm,
batch normalization forward and backward, a residual block's backward pass).

Use in a notebook: ``from course.checks import lesson08 as check`` then
``check.backprop_deltas(backprop_deltas)``.

Every exercise here is deterministic, so a mistake is recognised by its output: the learner's
result is compared with each catalogued formula on every case (a formula that matches on one case
by coincidence is not named). The cases are built so that the formulas differ: non-square layers
(a missing transpose cannot run), several gradients whose norms are each below the threshold while
their global norm is above it, columns with different means and variances, an eps large enough to
show where it is added. A changed argument, lists included, is reported as such.
"""

from __future__ import annotations


import numpy as np

from ._framework import Case, Exercise, Failure, Mistake, compare_array

LESSON = "08-unstable-gradients"


def _sig(z):
    return 1 / (1 + np.exp(-z))


def _seen_changed(case):
    """True when the learner's call changed an argument (arrays inside lists included)."""
    seen = getattr(case, "seen_args", None)
    if seen is None:
        return False

    def differs(a, b):
        if isinstance(a, (list, tuple)):
            return (
                not isinstance(b, (list, tuple))
                or len(a) != len(b)
                or any(differs(x, y) for x, y in zip(a, b))
            )
        if isinstance(a, np.ndarray):
            return not isinstance(b, np.ndarray) or a.shape != b.shape or not np.array_equal(a, b)
        return False

    return any(differs(a, b) for a, b in zip(case.args, seen))


def _unchanged(case):
    if _seen_changed(case):
        raise Failure(
            "your function changed its arguments in place (an array, or a list of arrays): work "
            "on new arrays and leave the inputs as they were"
        )


def _mutation_detect(got, expected, case):
    return _seen_changed(case)


def _compare_list(got, expected, what):
    if isinstance(got, np.ndarray) and got.dtype != object:
        raise Failure(f"{what} is one array of shape {got.shape}, expected a list of {len(expected)} arrays")
    if not isinstance(got, (list, tuple)):
        raise Failure(f"{what} is {type(got).__name__}, expected a list of {len(expected)} arrays")
    if len(got) != len(expected):
        raise Failure(f"{what} has {len(got)} arrays, expected {len(expected)}")
    for i, (g, e) in enumerate(zip(got, expected)):
        compare_array(g, e, f"{what}[{i}]")


def _tuple(got, n, names):
    if not isinstance(got, (tuple, list)) or len(got) != n:
        kind = (
            f"a {type(got).__name__} of {len(got)}" if isinstance(got, (tuple, list)) else type(got).__name__
        )
        raise Failure(f"your result is {kind}, expected a tuple of {n}: ({', '.join(names)})")


# --- 8.1 backprop_deltas(Ws, zs, delta_out) -----------------------------------------------------


def _deltas(Ws, zs, delta_out, deriv=None, order=1, include=False, transpose=True, next_layer=False):
    deriv = deriv or (lambda z: _sig(z) * (1 - _sig(z)))
    deltas = [delta_out]
    for l in range(len(zs) - 1, -1, -1):
        W = Ws[l + 1]
        back = deltas[0] @ (W.T if transpose else W)
        z = zs[l + 1] if next_layer and l + 1 < len(zs) else zs[l]
        deltas.insert(0, deriv(z) * back)
    out = deltas if include else deltas[:-1]
    return out if order == 1 else out[::-1]


def _backprop_deltas(Ws, zs, delta_out):
    return _deltas(Ws, zs, delta_out)


def _deltas_cases(rng):
    def net(widths, n):
        Ws = [np.round(rng.standard_normal((a, b)), 2) for a, b in zip(widths, widths[1:])]
        zs = [np.round(2 * rng.standard_normal((n, w)), 2) for w in widths[1:-1]]
        return Ws, zs, np.round(rng.standard_normal((n, widths[-1])), 2)

    return [
        Case(net([3, 4, 4, 4, 4], 3), label="widths 3-4-4-4-4 (square layers after the first)"),
        Case(net([3, 4, 5, 2], 6), label="widths 3-4-5-2, two hidden layers"),
        Case(net([4, 6, 3, 5, 2], 5), label="widths 4-6-3-5-2, three hidden layers"),
        Case(net([2, 3, 2], 4), label="widths 2-3-2, one hidden layer"),
    ]


def _compare_deltas(got, expected, case):
    _unchanged(case)
    _compare_list(got, expected, "your deltas")


def _d(**kw):
    return lambda Ws, zs, d: _deltas(Ws, zs, d, **kw)


def _above(Ws, zs, d, loop=False):
    dp = [_sig(z) * (1 - _sig(z)) for z in zs]
    out = [None] * len(zs)
    g = d
    for l in reversed(range(len(zs))):
        factor = dp[l + 1] if l + 1 < len(zs) else 1.0
        out[l] = (g * factor) @ Ws[l + 1].T if not loop else np.dot(g * factor, Ws[l + 1].T)
        g = out[l]
    return out


def _carried(Ws, zs, d, loop=False):
    out, g = [None] * len(zs), d
    for l in reversed(range(len(zs))):
        g = g @ Ws[l + 1].T  # dJ/da_l, never multiplied by sigma'
        out[l] = g * _sig(zs[l]) * (1 - _sig(zs[l])) if not loop else g * (_sig(zs[l]) - _sig(zs[l]) ** 2)
    return out


def _next_layer_loop(Ws, zs, d):
    out, delta = [], d
    for l in reversed(range(len(zs))):
        z = zs[min(l + 1, len(zs) - 1)]
        delta = (delta @ Ws[l + 1].T) * (_sig(z) * (1 - _sig(z)))
        out.append(delta)
    return out[::-1]


backprop_deltas = Exercise(
    LESSON,
    "8.1",
    "backprop_deltas",
    _backprop_deltas,
    _deltas_cases,
    compare=_compare_deltas,
    check_mutation=False,
    mistakes=[
        Mistake(
            "args_changed",
            "the inputs were changed in place (e.g. zs[l] *= ... or a list appended to)",
            "build new arrays and a new list; leave Ws, zs and delta_out as they were",
            impl=lambda Ws, zs, d: (zs.append(zs[0]), _backprop_deltas(Ws, zs[:-1], d))[1],
            witnesses=(
                lambda Ws, zs, d: (
                    zs[0].__imul__(1.0),
                    zs[0].__iadd__(1e-3),
                    _backprop_deltas(Ws, [zs[0] - 1e-3] + zs[1:], d),
                )[-1],
            ),
            detect=_mutation_detect,
        ),
        Mistake(
            "sigma_not_derivative",
            "σ(z) is used where σ'(z) belongs",
            "multiply by the derivative, σ(z)(1 - σ(z)), not by σ(z) itself",
            impl=_d(deriv=_sig),
            witnesses=(_d(deriv=lambda z: 1 / (1 + np.exp(-z)) + 0.0),),
        ),
        Mistake(
            "no_derivative",
            "the σ'(z_l) factor is left out",
            "each step back multiplies by σ'(z_l) element-wise: δ_l = σ'(z_l) ⊙ (δ_{l+1} W_{l+1}ᵀ); this "
            "factor, at most 1/4, is what makes the sigmoid's gradients vanish",
            impl=_d(deriv=lambda z: np.ones_like(z)),
            witnesses=(_d(deriv=lambda z: 1.0 + 0 * z),),
        ),
        Mistake(
            "tanh_derivative",
            "the derivative of tanh, 1 - tanh²(z), is used for a sigmoid network",
            "the sigmoid's derivative is σ(z)(1 - σ(z))",
            impl=_d(deriv=lambda z: 1 - np.tanh(z) ** 2),
            witnesses=(_d(deriv=lambda z: np.cosh(z) ** -2.0),),
        ),
        Mistake(
            "reversed",
            "the deltas are returned last layer first",
            "return [δ_1, ..., δ_{L-1}], the first hidden layer first (reverse the list you built backwards)",
            impl=_d(order=-1),
            witnesses=(lambda Ws, zs, d: list(reversed(_backprop_deltas(Ws, zs, d))),),
        ),
        Mistake(
            "includes_output",
            "δ_L (delta_out) is included in the list",
            "return the hidden layers' deltas only: L - 1 arrays",
            impl=_d(include=True),
            witnesses=(lambda Ws, zs, d: _backprop_deltas(Ws, zs, d) + [d.copy()],),
        ),
        Mistake(
            "next_layer_derivative",
            "the derivative is taken at the next layer's z_{l+1}",
            "δ_l uses σ'(z_l), the pre-activation of the same layer l",
            impl=_d(next_layer=True),
            witnesses=(lambda Ws, zs, d: _next_layer_loop(Ws, zs, d),),
        ),
        Mistake(
            "derivative_above",
            "σ'(z_{l+1}) of the layer above is applied before going back through W",
            "δ_{l+1} already contains its own σ'; going back to layer l multiplies by σ'(z_l): "
            "δ_l = σ'(z_l) ⊙ (δ_{l+1} W_{l+1}ᵀ)",
            impl=lambda Ws, zs, d: _above(Ws, zs, d),
            witnesses=(lambda Ws, zs, d: _above(Ws, zs, d, loop=True),),
        ),
        Mistake(
            "z_times_one_minus_z",
            "σ'(z) is computed as z(1 - z) on the pre-activation",
            "σ'(z) = σ(z)(1 - σ(z)): apply the sigmoid first (a(1 - a) holds for a = σ(z), not for z)",
            impl=_d(deriv=lambda z: z * (1 - z)),
            witnesses=(_d(deriv=lambda z: z - z * z),),
        ),
        Mistake(
            "relu_derivative",
            "the ReLU's derivative (z > 0) is used for a sigmoid network",
            "the sigmoid's derivative is σ(z)(1 - σ(z))",
            impl=_d(deriv=lambda z: (z > 0).astype(float)),
            witnesses=(_d(deriv=lambda z: np.heaviside(z, 0.0)),),
        ),
        Mistake(
            "dJ_da_carried",
            "the recursion carries ∂J/∂a downwards and applies σ' only to the stored deltas",
            "each step back starts from δ_{l+1} = ∂J/∂z_{l+1}, which includes σ'(z_{l+1}): compute "
            "δ_l = σ'(z_l) ⊙ (δ_{l+1} W_{l+1}ᵀ) and pass δ_l on",
            impl=lambda Ws, zs, d: _carried(Ws, zs, d),
            witnesses=(lambda Ws, zs, d: _carried(Ws, zs, d, loop=True),),
        ),
        Mistake(
            "derivative_twice",
            "each stored δ_l is multiplied by σ'(z_l) a second time",
            "multiply by σ'(z_l) once, when δ_l is computed",
            impl=lambda Ws, zs, d: [
                dl * _sig(z) * (1 - _sig(z)) for dl, z in zip(_backprop_deltas(Ws, zs, d), zs)
            ],
            witnesses=(
                lambda Ws, zs, d: [
                    dl * (_sig(z) - _sig(z) ** 2) for dl, z in zip(_backprop_deltas(Ws, zs, d), zs)
                ],
            ),
        ),
        Mistake(
            "divided_by_n",
            "the deltas are divided by the batch size N",
            "the 1/N of the mean loss is already inside delta_out; the recursion adds no factor",
            impl=lambda Ws, zs, d: [x / len(d) for x in _backprop_deltas(Ws, zs, d)],
            witnesses=(lambda Ws, zs, d: _backprop_deltas(Ws, zs, d / len(d)),),
        ),
        Mistake(
            "transposed",
            "each δ_l is returned transposed, shape (n_l, N)",
            "keep the course's row convention: δ_l has shape (N, n_l), like z_l",
            impl=lambda Ws, zs, d: [x.T for x in _backprop_deltas(Ws, zs, d)],
            witnesses=(lambda Ws, zs, d: [np.transpose(x) for x in _backprop_deltas(Ws, zs, d)],),
        ),
        Mistake(
            "first_missing",
            "δ_1 is missing: the loop stops one layer early",
            "return one delta per hidden layer, δ_1 to δ_{L-1}",
            impl=lambda Ws, zs, d: _backprop_deltas(Ws, zs, d)[1:],
            witnesses=(lambda Ws, zs, d: [x for i, x in enumerate(_backprop_deltas(Ws, zs, d)) if i > 0],),
        ),
        Mistake(
            "no_transpose",
            "δ_{l+1} is multiplied by W_{l+1} instead of its transpose",
            "δ_{l+1} has shape (N, n_{l+1}) and W_{l+1} (n_l, n_{l+1}): go back with δ_{l+1} @ W_{l+1}.T",
            impl=_d(transpose=False),
            witnesses=(lambda Ws, zs, d: _deltas([W.T.T for W in Ws], zs, d, transpose=False),),
        ),
    ],
)


# --- 8.2 clip_by_global_norm(grads, max_norm) ----------------------------------------------------


def _clip(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g**2) for g in grads)))
    scale = max_norm / total if total >= max_norm else 1.0
    return [g * scale for g in grads], total


def _clip_cases(rng):
    def grads(*shapes, s=1.0):
        return [np.round(s * rng.standard_normal(sh), 2) for sh in shapes]

    g1 = grads((3, 4), (4,), (4, 2), (2,))
    n1 = float(np.sqrt(sum(np.sum(g**2) for g in g1)))
    small = grads((3, 3), (3,), s=0.1)
    each_below = grads((5,), (5,), (5,), (5,), s=0.6)  # every tensor below 2, together above
    norms = [np.linalg.norm(g) for g in each_below]
    t = float(np.sqrt(sum(n**2 for n in norms)))
    threshold = round(float(max(norms)) * 1.05 + 0.01, 2)
    assert threshold < t
    return [
        Case((g1, round(n1 / 3, 2)), label="four gradients, global norm about 3 x max_norm"),
        Case((small, 5.0), label="a global norm below max_norm: nothing changes"),
        Case((each_below, threshold), label="each gradient's norm below max_norm, the global norm above"),
        Case((grads((2, 6), s=3.0), 0.5), label="one gradient"),
    ]


def _compare_clip(got, expected, case):
    _unchanged(case)
    _tuple(got, 2, ("clipped", "total_norm"))
    seen = getattr(case, "seen_args", None)
    if (
        seen is not None
        and isinstance(got[0], (list, tuple))
        and (got[0] is seen[0] or any(any(g is a for a in seen[0]) for g in got[0]))
    ):
        case.aliased = True
        raise Failure(
            "your result holds the caller's own arrays (or list): return new ones, e.g. "
            "[g * scale for g in grads] or [g.copy() for g in grads]"
        )
    if isinstance(got[0], (int, float, np.floating)) and isinstance(got[1], (list, tuple)):
        raise Failure("your result is (total_norm, clipped): return (clipped, total_norm)")
    _compare_list(got[0], expected[0], "your clipped gradients")
    compare_array(got[1], expected[1], "your total_norm")


def _clip_variant(norm="global", rescale="threshold", returned="before", how="scale"):
    def f(grads, max_norm):
        sq = sum(np.sum(g**2) for g in grads)
        total = {"global": np.sqrt(sq), "squared": sq, "sum_of_norms": sum(np.linalg.norm(g) for g in grads)}[
            norm
        ]
        if how == "per_tensor":
            out = [
                g * (max_norm / np.linalg.norm(g) if np.linalg.norm(g) >= max_norm else 1.0) for g in grads
            ]
        elif how == "elementwise":
            out = [np.clip(g, -max_norm, max_norm) for g in grads]
        elif how == "inverted":
            out = [g * (total / max_norm if total >= max_norm else 1.0) for g in grads]
        else:
            scale = max_norm / total if (rescale == "always" or total >= max_norm) else 1.0
            out = [g * scale for g in grads]
        if returned == "after":
            total = np.sqrt(sum(np.sum(g**2) for g in out))
        return out, float(total)

    return f


def _clip_with(grads, max_norm, total):
    scale = max_norm / total if total >= max_norm else 1.0
    return [g * scale for g in grads], total


def _clip_in_place(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g**2) for g in grads)))
    if total >= max_norm:
        for g in grads:
            g *= max_norm / total
    return grads, total


clip_by_global_norm = Exercise(
    LESSON,
    "8.2",
    "clip_by_global_norm",
    _clip,
    _clip_cases,
    compare=_compare_clip,
    check_mutation=False,
    mistakes=[
        Mistake(
            "in_place",
            "the caller's gradients were scaled in place",
            "return new arrays, e.g. [g * scale for g in grads]",
            impl=_clip_in_place,
            witnesses=(
                lambda grads, m: (lambda t: ([np.multiply(g, min(1.0, m / t), out=g) for g in grads], t))(
                    float(np.sqrt(sum(np.sum(g * g) for g in grads)))
                ),
            ),
            detect=_mutation_detect,
        ),
        Mistake(
            "returned_inputs",
            "the caller's arrays are returned when nothing is clipped",
            "return new arrays in every case: [g.copy() for g in grads] when the norm is below max_norm",
            impl=lambda grads, m: _clip(grads, m) if _clip(grads, m)[1] >= m else (grads, _clip(grads, m)[1]),
            witnesses=(
                lambda grads, m: (lambda t: ([g * (m / t) for g in grads] if t >= m else list(grads), t))(
                    float(np.sqrt(sum(np.sum(g * g) for g in grads)))
                ),
            ),
            detect=lambda got, expected, case: getattr(case, "aliased", False),
        ),
        Mistake(
            "order_swapped",
            "returned (total_norm, clipped)",
            "return (clipped, total_norm)",
            impl=lambda grads, m: _clip(grads, m)[::-1],
            witnesses=(lambda grads, m: (lambda r: (r[1], r[0]))(_clip(grads, m)),),
            detect=lambda got, expected, case: (
                isinstance(got, (tuple, list))
                and len(got) == 2
                and isinstance(got[0], (int, float, np.floating))
                and isinstance(got[1], (list, tuple))
            ),
        ),
        Mistake(
            "threshold_reversed",
            "the test is the wrong way round: short gradients are stretched, long ones kept",
            "scale only when total_norm >= max_norm",
            impl=lambda grads, m: (lambda t: ([g * (m / t) if t <= m else g.copy() for g in grads], t))(
                float(np.sqrt(sum(np.sum(g * g) for g in grads)))
            ),
            witnesses=(
                lambda grads, m: (lambda t: ([g * (m / t if t < m else 1.0) for g in grads], t))(
                    float(np.sqrt(sum(np.sum(g * g) for g in grads)))
                ),
            ),
        ),
        Mistake(
            "mean_of_squares",
            "the norm uses the mean of each gradient's squared entries, not their sum",
            "sum the squares of every entry of every gradient, then take the square root",
            impl=lambda grads, m: _clip_with(grads, m, float(np.sqrt(sum(np.mean(g**2) for g in grads)))),
            witnesses=(
                lambda grads, m: _clip_with(
                    grads, m, float(np.sqrt(np.sum([np.mean(g * g) for g in grads])))
                ),
            ),
        ),
        Mistake(
            "unit_norm",
            "the gradients are divided by total_norm but not multiplied by max_norm",
            "multiply by max_norm / total_norm, so that the clipped norm is max_norm, not 1",
            impl=lambda grads, m: (lambda t: ([g / t if t >= m else g.copy() for g in grads], t))(
                float(np.sqrt(sum(np.sum(g * g) for g in grads)))
            ),
            witnesses=(
                lambda grads, m: (lambda t: ([g * (1 / t) if t >= m else g + 0 for g in grads], t))(
                    float(np.linalg.norm(np.concatenate([g.ravel() for g in grads])))
                ),
            ),
        ),
        Mistake(
            "last_tensor_norm",
            "the norm of one gradient (the last) is used instead of the global norm",
            "accumulate the squares over every gradient before the square root",
            impl=lambda grads, m: _clip_with(grads, m, float(np.linalg.norm(grads[-1]))),
            witnesses=(lambda grads, m: _clip_with(grads, m, float(np.sqrt(np.sum(grads[-1] ** 2)))),),
        ),
        Mistake(
            "per_tensor",
            "each gradient is clipped by its own norm",
            "compute one norm over all the gradients together, sqrt(sum of every squared entry), and "
            "scale them all by the same factor: clipping each tensor separately changes the direction",
            impl=_clip_variant(how="per_tensor"),
            witnesses=(
                lambda grads, m: (
                    [g * min(1.0, m / np.sqrt(np.sum(g * g))) for g in grads],
                    float(np.sqrt(sum(np.sum(g * g) for g in grads))),
                ),
            ),
        ),
        Mistake(
            "squared_norm",
            "the squared norm is used as the norm",
            "take the square root of the sum of squares",
            impl=_clip_variant(norm="squared"),
            witnesses=(lambda grads, m: _clip_variant(norm="squared")(list(grads), m),),
        ),
        Mistake(
            "sum_of_norms",
            "the norms of the gradients are added instead of their squares",
            "the global norm is sqrt(sum over the gradients of ||g||²), not the sum of the ||g||",
            impl=_clip_variant(norm="sum_of_norms"),
            witnesses=(lambda grads, m: _clip_variant(norm="sum_of_norms")(grads[:], m),),
        ),
        Mistake(
            "always_rescale",
            "the gradients are rescaled to max_norm even when their norm is smaller",
            "only scale when total_norm >= max_norm; a short gradient is left as it is",
            impl=_clip_variant(rescale="always"),
            witnesses=(
                lambda grads, m: (lambda t: ([g / t * m for g in grads], t))(
                    float(np.sqrt(sum(np.sum(g**2) for g in grads)))
                ),
            ),
        ),
        Mistake(
            "elementwise",
            "the entries are clipped element-wise to [-max_norm, max_norm]",
            "clip the norm: multiply every gradient by max_norm / total_norm, which keeps the direction "
            "(element-wise clipping is Mikolov's older variant, not this exercise)",
            impl=_clip_variant(how="elementwise"),
            witnesses=(
                lambda grads, m: (
                    [np.minimum(np.maximum(g, -m), m) for g in grads],
                    float(np.sqrt(sum(np.sum(g**2) for g in grads))),
                ),
            ),
        ),
        Mistake(
            "norm_after",
            "the norm after clipping is returned",
            "return the norm measured before clipping (it is what a training log records)",
            impl=_clip_variant(returned="after"),
            witnesses=(
                lambda grads, m: (lambda out: (out, float(np.sqrt(sum(np.sum(g**2) for g in out)))))(
                    _clip(grads, m)[0]
                ),
            ),
        ),
        Mistake(
            "inverted_scale",
            "the gradients are multiplied by total_norm / max_norm (the factor upside down)",
            "multiply by max_norm / total_norm, which is below 1 when clipping",
            impl=_clip_variant(how="inverted"),
            witnesses=(lambda grads, m: _clip_variant(how="inverted")(grads, float(m)),),
        ),
    ],
)


# --- 8.3 batchnorm_forward(X, gamma, beta, eps) -----------------------------------------------------


def _bn(X, gamma, beta, eps=1e-5, axis=0, ddof=0, eps_where="inside", use_gamma=True, use_beta=True):
    mu = X.mean(axis=axis, keepdims=True)
    var = X.var(axis=axis, ddof=ddof, keepdims=True)
    if eps_where == "inside":
        xhat = (X - mu) / np.sqrt(var + eps)
    elif eps_where == "outside":
        xhat = (X - mu) / (np.sqrt(var) + eps)
    elif eps_where == "none":
        xhat = (X - mu) / np.sqrt(var)
    else:  # divided by the variance, not the std
        xhat = (X - mu) / (var + eps)
    return xhat * (gamma if use_gamma else 1.0) + (beta if use_beta else 0.0)


def _batchnorm_forward(X, gamma, beta, eps=1e-5):
    return _bn(X, gamma, beta, eps)


def _bn_cases(rng):
    def case(n, h, eps):
        X = np.round(rng.normal(rng.uniform(-3, 3, h), rng.uniform(0.2, 2.0, h), size=(n, h)), 2)
        return (X, np.round(rng.uniform(0.5, 2.0, h), 2), np.round(rng.uniform(-1, 1, h), 2), eps)

    return [
        Case(case(6, 4, 1e-5), label="X of shape (6, 4)"),
        Case(case(5, 3, 0.5), label="X of shape (5, 3), eps = 0.5"),
        Case(case(8, 6, 0.1), label="X of shape (8, 6), eps = 0.1"),
        Case(case(4, 2, 1e-3), label="X of shape (4, 2)"),
    ]


def _b(**kw):
    return lambda X, g, b, eps=1e-5: _bn(X, g, b, eps, **kw)


batchnorm_forward = Exercise(
    LESSON,
    "8.3",
    "batchnorm_forward",
    _batchnorm_forward,
    _bn_cases,
    mistakes=[
        Mistake(
            "wrong_axis",
            "the statistics are taken over each row (axis 1), not over the batch",
            "take the mean and the variance of each column over the examples: axis=0",
            impl=_b(axis=1),
            witnesses=(_b(axis=-1),),
        ),
        Mistake(
            "whole_array",
            "one mean and one variance for the whole array",
            "normalize every feature (column) with its own mean and variance, axis=0",
            impl=_b(axis=None),
            witnesses=(lambda X, g, b, eps=1e-5: (X - X.mean()) / np.sqrt(X.var() + eps) * g + b,),
        ),
        Mistake(
            "unbiased_variance",
            "the variance divides by N - 1",
            "Algorithm 1 uses the batch variance with 1/N (np.var's default, ddof=0)",
            impl=_b(ddof=1),
            witnesses=(
                lambda X, g, b, eps=1e-5: (X - X.mean(0)) / np.sqrt(X.std(0, ddof=1) ** 2 + eps) * g + b,
            ),
        ),
        Mistake(
            "eps_outside",
            "eps is added to the standard deviation instead of the variance",
            "divide by sqrt(var + eps): eps goes inside the square root",
            impl=_b(eps_where="outside"),
            witnesses=(lambda X, g, b, eps=1e-5: (X - X.mean(0)) / (X.std(0) + eps) * g + b,),
        ),
        Mistake(
            "no_eps",
            "eps is left out",
            "divide by sqrt(var + eps)",
            impl=_b(eps_where="none"),
            witnesses=(lambda X, g, b, eps=1e-5: (X - X.mean(0)) / X.std(0) * g + b,),
        ),
        Mistake(
            "divided_by_variance",
            "x - mu is divided by the variance, not the standard deviation",
            "divide by sqrt(var + eps)",
            impl=_b(eps_where="variance"),
            witnesses=(lambda X, g, b, eps=1e-5: (X - X.mean(0)) / (X.var(0) + eps) * g + b,),
        ),
        Mistake(
            "no_gamma",
            "gamma is not applied",
            "return gamma * x_hat + beta",
            impl=_b(use_gamma=False),
            witnesses=(lambda X, g, b, eps=1e-5: _bn(X, np.ones_like(g), b, eps),),
        ),
        Mistake(
            "no_beta",
            "beta is not added",
            "return gamma * x_hat + beta",
            impl=_b(use_beta=False),
            witnesses=(lambda X, g, b, eps=1e-5: _bn(X, g, np.zeros_like(b), eps),),
        ),
        Mistake(
            "uncentred_variance",
            "the variance is the mean of x² (not of (x - mu)²)",
            "use the variance about the mean, np.var(X, axis=0)",
            impl=lambda X, g, b, eps=1e-5: (X - X.mean(0)) / np.sqrt(np.mean(X**2, 0) + eps) * g + b,
            witnesses=(lambda X, g, b, eps=1e-5: (X - X.mean(0)) / np.sqrt((X * X).mean(0) + eps) * g + b,),
        ),
        Mistake(
            "gamma_before",
            "X is multiplied by gamma before the normalization (gamma cancels)",
            "normalize first, then scale: Y = gamma * x_hat + beta",
            impl=lambda X, g, b, eps=1e-5: _bn(X * g, np.ones_like(g), b, eps),
            witnesses=(
                lambda X, g, b, eps=1e-5: (lambda Z: (Z - Z.mean(0)) / np.sqrt(Z.var(0) + eps) + b)(g * X),
            ),
        ),
        Mistake(
            "mean_not_subtracted",
            "x_hat = x / sqrt(var + eps): the mean is not subtracted",
            "x_hat = (x - mu) / sqrt(var + eps)",
            impl=lambda X, g, b, eps=1e-5: X / np.sqrt(X.var(0) + eps) * g + b,
            witnesses=(lambda X, g, b, eps=1e-5: g * X * (X.var(0) + eps) ** -0.5 + b,),
        ),
        Mistake(
            "beta_subtracted",
            "beta is subtracted",
            "Y = gamma * x_hat + beta",
            impl=lambda X, g, b, eps=1e-5: _bn(X, g, -b, eps),
            witnesses=(lambda X, g, b, eps=1e-5: g * (X - X.mean(0)) / np.sqrt(X.var(0) + eps) - b,),
        ),
        Mistake(
            "x_changed",
            "X was changed in place (e.g. X -= mu)",
            "compute with new arrays: xc = X - mu",
            impl=lambda X, g, b, eps=1e-5: (lambda r: (X.__isub__(X.mean(0)), r)[1])(_bn(X, g, b, eps)),
            witnesses=(lambda X, g, b, eps=1e-5: (lambda r: (X.__imul__(2.0), r)[1])(_bn(X, g, b, eps)),),
            mutation=True,
        ),
        Mistake(
            "gamma_beta_swapped",
            "gamma and beta swapped",
            "scale by gamma, then shift by beta",
            impl=lambda X, g, b, eps=1e-5: _bn(X, b, g, eps),
            witnesses=(lambda X, g, b, eps=1e-5: b * (X - X.mean(0)) / np.sqrt(X.var(0) + eps) + g,),
        ),
    ],
)


# --- 8.4 batchnorm_backward(dY, X, gamma, eps) -----------------------------------------------------


def _bn_back(dY, X, gamma, eps=1e-5, mode="full", dgamma_of="xhat", reduce="sum", ddof=0, use_gamma=True):
    N = X.shape[0]
    mu = X.mean(0)
    var = X.var(0, ddof=ddof)
    inv = 1 / np.sqrt(var + eps)
    xhat = (X - mu) * inv
    g = dY * gamma if use_gamma else dY
    red = np.sum if reduce == "sum" else np.mean
    dgamma = red(dY * (xhat if dgamma_of == "xhat" else X), axis=0)
    dbeta = red(dY, axis=0)
    if mode == "constant":
        dX = g * inv
    elif mode == "mean_only":
        dX = inv * (g - g.mean(0))
    elif mode == "variance_only":
        dX = inv * (g - xhat * np.mean(g * xhat, axis=0))
    elif mode == "sign":
        dX = inv / N * (N * g - g.sum(0) + xhat * np.sum(g * xhat, axis=0))
    else:
        dX = inv / N * (N * g - g.sum(0) - xhat * np.sum(g * xhat, axis=0))
    return dX, dgamma, dbeta


def _bn_back_terms(dY, X, gamma, eps=1e-5, s1=-1, eps_outside=False, loop=False):
    N = X.shape[0]
    mu, var = X.mean(0), X.var(0)
    inv = 1 / (np.sqrt(var) + eps) if eps_outside else 1 / np.sqrt(var + eps)
    xhat = (X - mu) * inv
    g = dY * gamma
    if loop:
        dX = np.stack([inv / N * (N * g[n] + s1 * g.sum(0) - xhat[n] * (g * xhat).sum(0)) for n in range(N)])
    else:
        dX = inv / N * (N * g + s1 * g.sum(0) - xhat * np.sum(g * xhat, axis=0))
    return dX, np.sum(dY * xhat, 0), dY.sum(0)


def _batchnorm_backward(dY, X, gamma, eps=1e-5):
    return _bn_back(dY, X, gamma, eps)


def _bn_back_cases(rng):
    out = []
    for n, h, eps in ((6, 4, 1e-5), (5, 3, 0.5), (8, 2, 1e-3)):
        X = np.round(rng.normal(rng.uniform(-3, 3, h), rng.uniform(0.3, 2.0, h), size=(n, h)), 2)
        out.append(
            Case(
                (np.round(rng.standard_normal((n, h)), 2), X, np.round(rng.uniform(0.5, 2.0, h), 2), eps),
                label=f"X of shape ({n}, {h}), eps = {eps:g}",
            )
        )
    return out


def _compare_bn_back(got, expected, case):
    _unchanged(case)
    _tuple(got, 3, ("dX", "dgamma", "dbeta"))
    N, H = case.args[1].shape
    shapes = [getattr(a, "shape", None) for a in got[1:]]
    if (N,) in shapes and N != H:
        raise Failure(
            f"dgamma or dbeta has shape ({N},): it was summed over the features (axis 1); sum over "
            f"the examples, axis 0, for one value per feature"
        )
    if (N, H) in shapes:
        raise Failure(f"dgamma or dbeta has shape ({N}, {H}): sum it over the examples (axis 0)")
    for name, g, e in zip(("dX", "dgamma", "dbeta"), got, expected):
        compare_array(g, e, f"your {name}")


def _bb(**kw):
    return lambda dY, X, g, eps=1e-5: _bn_back(dY, X, g, eps, **kw)


batchnorm_backward = Exercise(
    LESSON,
    "8.4",
    "batchnorm_backward",
    _batchnorm_backward,
    _bn_back_cases,
    compare=_compare_bn_back,
    check_mutation=False,
    rtol=1e-5,
    atol=1e-8,
    mistakes=[
        Mistake(
            "stats_constant",
            "the batch mean and variance are treated as constants",
            "mu and sigma² depend on every row of X: dX = (1 / (N sqrt(var + eps))) (N g - sum(g) - "
            "x_hat sum(g x_hat)) with g = dY * gamma (Ioffe & Szegedy §3, the chain rule through mu and "
            "sigma²)",
            impl=_bb(mode="constant"),
            witnesses=(
                lambda dY, X, g, eps=1e-5: (dY * g / np.sqrt(X.var(0) + eps), *_bn_back(dY, X, g, eps)[1:]),
            ),
        ),
        Mistake(
            "mean_only",
            "only the path through the mean is included (the variance is a constant)",
            "add the path through sigma²: the term - x_hat * mean(g * x_hat)",
            impl=_bb(mode="mean_only"),
            witnesses=(
                lambda dY, X, g, eps=1e-5: (
                    (dY * g - np.mean(dY * g, 0)) / np.sqrt(X.var(0) + eps),
                    *_bn_back(dY, X, g, eps)[1:],
                ),
            ),
        ),
        Mistake(
            "variance_only",
            "only the path through the variance is included (the mean is a constant)",
            "add the path through mu: the term - mean(g)",
            impl=_bb(mode="variance_only"),
            witnesses=(
                lambda dY, X, g, eps=1e-5: (
                    _bn_back(dY, X, g, eps, mode="variance_only")[0] + 0.0,
                    *_bn_back(dY, X, g, eps)[1:],
                ),
            ),
        ),
        Mistake(
            "sign_of_variance_term",
            "the variance term has the wrong sign",
            "dX = (1 / (N sqrt(var + eps))) (N g - sum(g) - x_hat sum(g x_hat)): minus, not plus",
            impl=_bb(mode="sign"),
            witnesses=(
                lambda dY, X, g, eps=1e-5: (
                    2 * dY * g / np.sqrt(X.var(0) + eps)
                    - _bn_back(dY, X, g, eps)[0]
                    - 2 * np.mean(dY * g, 0) / np.sqrt(X.var(0) + eps),
                    *_bn_back(dY, X, g, eps)[1:],
                ),
            ),
        ),
        Mistake(
            "dgamma_of_x",
            "dgamma sums dY * X instead of dY * x_hat",
            "gamma multiplies x_hat, so dgamma = sum over the batch of dY * x_hat",
            impl=_bb(dgamma_of="x"),
            witnesses=(
                lambda dY, X, g, eps=1e-5: (_bn_back(dY, X, g, eps)[0], np.sum(dY * X, 0), dY.sum(0)),
            ),
        ),
        Mistake(
            "mean_not_sum",
            "dgamma and dbeta are means over the batch, not sums",
            "sum over the examples (axis 0): every example's contribution adds up",
            impl=_bb(reduce="mean"),
            witnesses=(
                lambda dY, X, g, eps=1e-5: (
                    _bn_back(dY, X, g, eps)[0],
                    *(a / len(X) for a in _bn_back(dY, X, g, eps)[1:]),
                ),
            ),
        ),
        Mistake(
            "no_gamma",
            "gamma is left out of dX",
            "dX goes through Y = gamma * x_hat: use g = dY * gamma",
            impl=_bb(use_gamma=False),
            witnesses=(
                lambda dY, X, g, eps=1e-5: (
                    _bn_back(dY, X, np.ones_like(g), eps)[0],
                    *_bn_back(dY, X, g, eps)[1:],
                ),
            ),
        ),
        Mistake(
            "unbiased_variance",
            "the variance divides by N - 1",
            "use the variance of the forward pass, with 1/N",
            impl=_bb(ddof=1),
            witnesses=(lambda dY, X, g, eps=1e-5: _bn_back(dY, X, g, eps, ddof=1),),
        ),
        Mistake(
            "sum_sign",
            "the - sum(g) term of dX has the wrong sign",
            "dX = (1 / (N sqrt(var + eps))) (N g - sum(g) - x_hat sum(g x_hat))",
            impl=lambda dY, X, g, eps=1e-5: _bn_back_terms(dY, X, g, eps, s1=+1),
            witnesses=(lambda dY, X, g, eps=1e-5: _bn_back_terms(dY, X, g, eps, s1=+1, loop=True),),
        ),
        Mistake(
            "dbeta_mean",
            "dbeta is the mean of dY over the batch, not its sum",
            "dbeta = sum of dY over the examples (axis 0)",
            impl=lambda dY, X, g, eps=1e-5: (lambda r: (r[0], r[1], r[2] / len(X)))(_bn_back(dY, X, g, eps)),
            witnesses=(lambda dY, X, g, eps=1e-5: (*_bn_back(dY, X, g, eps)[:2], dY.mean(axis=0)),),
        ),
        Mistake(
            "eps_outside",
            "eps is added to the standard deviation, 1 / (std + eps)",
            "use the forward pass's 1 / sqrt(var + eps)",
            impl=lambda dY, X, g, eps=1e-5: _bn_back_terms(dY, X, g, eps, eps_outside=True),
            witnesses=(
                lambda dY, X, g, eps=1e-5: _bn_back_terms(dY, X, g, eps, eps_outside=True, loop=True),
            ),
        ),
        Mistake(
            "no_inv_std",
            "dX lacks the factor 1 / sqrt(var + eps)",
            "x_hat = (x - mu) / sqrt(var + eps), so every term of dX carries 1 / sqrt(var + eps)",
            impl=lambda dY, X, g, eps=1e-5: (lambda r: (r[0] * np.sqrt(X.var(0) + eps), r[1], r[2]))(
                _bn_back(dY, X, g, eps)
            ),
            witnesses=(
                lambda dY, X, g, eps=1e-5: (lambda r: (r[0] / (X.var(0) + eps) ** -0.5, r[1], r[2]))(
                    _bn_back(dY, X, g, eps)
                ),
            ),
        ),
        Mistake(
            "dgamma_dbeta_swapped",
            "returned (dX, dbeta, dgamma)",
            "return (dX, dgamma, dbeta)",
            impl=lambda dY, X, g, eps=1e-5: (lambda r: (r[0], r[2], r[1]))(_bn_back(dY, X, g, eps)),
            witnesses=(lambda dY, X, g, eps=1e-5: tuple(_bn_back(dY, X, g, eps)[i] for i in (0, 2, 1)),),
        ),
        Mistake(
            "in_place",
            "an argument was changed in place",
            "compute with new arrays",
            impl=lambda dY, X, g, eps=1e-5: (lambda r: (X.__isub__(X.mean(0)), r)[1])(
                _bn_back(dY, X, g, eps)
            ),
            witnesses=(
                lambda dY, X, g, eps=1e-5: (lambda r: (dY.__imul__(g), r)[1])(_bn_back(dY, X, g, eps)),
            ),
            detect=_mutation_detect,
        ),
    ],
)


# --- 8.5 residual_backward(dY, X, W, b) -------------------------------------------------------------


def _res_back(
    dY, X, W, b, skip=True, mask_on="z", dW_form="xt", db_reduce="sum", through_W=True, transpose=True
):
    z = X @ W + b
    y = X + np.maximum(z, 0)
    mask = {"z": z > 0, "y": y > 0, "x": X > 0, "none": np.ones_like(z, dtype=bool)}[mask_on]
    dz = dY * mask
    dW = X.T @ dz if dW_form == "xt" else dz.T @ X
    db = dz.sum(0) if db_reduce == "sum" else dz.mean(0)
    back = (dz @ (W.T if transpose else W)) if through_W else dz
    dX = (dY + back) if skip else back
    return dX, dW, db


def _res_mask(dY, X, W, b, mask_fn):
    z = X @ W + b
    dz = dY * mask_fn(z)
    return dY + dz @ W.T, X.T @ dz, dz.sum(0)


def _residual_backward(dY, X, W, b):
    return _res_back(dY, X, W, b)


def _res_cases(rng):
    X0 = np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -1.0], [1.5, 0.5, 0.5], [-1.0, 1.0, 2.0]])
    W0 = np.array([[1.0, -0.5, 0.5], [1.0, 0.5, -1.0], [-1.0, 1.0, 0.5]])
    b0 = np.array([0.0, 0.5, -0.25])  # X0 @ W0 + b0 has exact zeros (z = 0: relu' = 0)
    out = [Case((np.round(rng.standard_normal((4, 3)), 2), X0, W0, b0), label="some z exactly 0")]
    for n, h in ((5, 3), (6, 4), (4, 2)):
        X = np.round(rng.standard_normal((n, h)), 2)
        W = np.round(rng.standard_normal((h, h)), 2)
        b = np.round(rng.uniform(-0.5, 0.5, h), 2)
        out.append(Case((np.round(rng.standard_normal((n, h)), 2), X, W, b), label=f"X of shape ({n}, {h})"))
    return out


def _compare_res(got, expected, case):
    _unchanged(case)
    _tuple(got, 3, ("dX", "dW", "db"))
    N, H = case.args[1].shape
    if getattr(got[2], "shape", None) == (N,) and N != H:
        raise Failure(
            f"db has shape ({N},): it was summed over the features (axis 1); sum over the examples, axis 0"
        )
    for name, g, e in zip(("dX", "dW", "db"), got, expected):
        compare_array(g, e, f"your {name}")


def _r(**kw):
    return lambda dY, X, W, b: _res_back(dY, X, W, b, **kw)


residual_backward = Exercise(
    LESSON,
    "8.5",
    "residual_backward",
    _residual_backward,
    _res_cases,
    compare=_compare_res,
    check_mutation=False,
    mistakes=[
        Mistake(
            "skip_dropped",
            "the skip connection's gradient is dropped: dX has no dY term",
            "y = x + relu(z), so the identity path adds dY itself: dX = dY + (dY ⊙ relu'(z)) Wᵀ; that "
            "term is why gradients reach early layers undiminished",
            impl=_r(skip=False),
            witnesses=(lambda dY, X, W, b: (((X @ W + b) > 0) * dY @ W.T, *_res_back(dY, X, W, b)[1:]),),
        ),
        Mistake(
            "mask_on_y",
            "relu' is taken on the block's output y instead of z = X W + b",
            "the ReLU acts on z: use the mask z > 0",
            impl=_r(mask_on="y"),
            witnesses=(lambda dY, X, W, b: _res_back(dY, X, W, b, mask_on="y"),),
        ),
        Mistake(
            "mask_on_x",
            "relu' is taken on the input X instead of z = X W + b",
            "the ReLU acts on z = X @ W + b: use the mask z > 0",
            impl=_r(mask_on="x"),
            witnesses=(lambda dY, X, W, b: _res_back(dY, X, W, b, mask_on="x"),),
        ),
        Mistake(
            "no_relu_mask",
            "the ReLU's derivative is left out",
            "multiply dY by relu'(z) = (z > 0) before going through W",
            impl=_r(mask_on="none"),
            witnesses=(lambda dY, X, W, b: (dY + dY @ W.T, X.T @ dY, dY.sum(0)),),
        ),
        Mistake(
            "dW_transposed",
            "dW is computed as dzᵀ X (transposed)",
            "W has shape (H_in, H_out): dW = Xᵀ dz",
            impl=_r(dW_form="zt"),
            witnesses=(lambda dY, X, W, b: (lambda r: (r[0], r[1].T, r[2]))(_res_back(dY, X, W, b)),),
        ),
        Mistake(
            "db_mean",
            "db is a mean over the batch",
            "sum dz over the examples (axis 0)",
            impl=_r(db_reduce="mean"),
            witnesses=(lambda dY, X, W, b: (lambda r: (r[0], r[1], r[2] / len(X)))(_res_back(dY, X, W, b)),),
        ),
        Mistake(
            "W_path_missing",
            "dX misses the path through W: dX = dY + dz",
            "the branch computes relu(X W + b), so its gradient with respect to X is dz Wᵀ",
            impl=_r(through_W=False),
            witnesses=(lambda dY, X, W, b: (dY + dY * ((X @ W + b) > 0), *_res_back(dY, X, W, b)[1:]),),
        ),
        Mistake(
            "W_not_transposed",
            "the branch's gradient uses W instead of Wᵀ",
            "go back through the layer with dz @ W.T",
            impl=_r(transpose=False),
            witnesses=(lambda dY, X, W, b: (dY + (dY * ((X @ W + b) > 0)) @ W, *_res_back(dY, X, W, b)[1:]),),
        ),
        Mistake(
            "mask_at_zero",
            "relu'(0) is taken as 1 (mask z >= 0)",
            "use z > 0: where z = 0 the ReLU's output does not change with z to the left, and the course "
            "(like the frameworks) takes relu'(0) = 0",
            impl=lambda dY, X, W, b: _res_mask(dY, X, W, b, lambda z: z >= 0),
            witnesses=(lambda dY, X, W, b: _res_mask(dY, X, W, b, lambda z: ~(z < 0)),),
        ),
        Mistake(
            "mask_without_b",
            "relu' is taken on X W without b",
            "the ReLU acts on z = X @ W + b: use the mask z > 0 with b included",
            impl=lambda dY, X, W, b: _res_mask(dY, X, W, b, lambda z: (z - b) > 0),
            witnesses=(lambda dY, X, W, b: _res_mask(dY, X, W, b, lambda z: (X @ W) > 0),),
        ),
        Mistake(
            "mask_everything",
            "the ReLU mask is applied to the whole dX, the skip path included",
            "the skip path bypasses the ReLU: dX = dY + (dY ⊙ relu'(z)) Wᵀ",
            impl=lambda dY, X, W, b: (lambda m, r: ((dY + dY @ W.T) * m, r[1], r[2]))(
                (X @ W + b) > 0, _res_back(dY, X, W, b)
            ),
            witnesses=(
                lambda dY, X, W, b: (lambda m, r: (np.where(m, dY + dY @ W.T, 0.0), r[1], r[2]))(
                    (X @ W + b) > 0, _res_back(dY, X, W, b)
                ),
            ),
        ),
        Mistake(
            "dW_unmasked",
            "dW = Xᵀ dY: the ReLU mask is missing from dW",
            "dW = Xᵀ (dY ⊙ relu'(z))",
            impl=lambda dY, X, W, b: (lambda r: (r[0], X.T @ dY, r[2]))(_res_back(dY, X, W, b)),
            witnesses=(
                lambda dY, X, W, b: (lambda r: (r[0], np.dot(X.T, dY), r[2]))(_res_back(dY, X, W, b)),
            ),
        ),
        Mistake(
            "db_unmasked",
            "db = sum of dY: the ReLU mask is missing from db",
            "db = sum over the examples of dY ⊙ relu'(z)",
            impl=lambda dY, X, W, b: (lambda r: (r[0], r[1], dY.sum(0)))(_res_back(dY, X, W, b)),
            witnesses=(lambda dY, X, W, b: (*_res_back(dY, X, W, b)[:2], np.sum(dY, axis=0)),),
        ),
        Mistake(
            "in_place",
            "an argument was changed in place",
            "compute with new arrays",
            impl=lambda dY, X, W, b: (lambda r: (dY.__imul__(1.5), r)[1])(_res_back(dY, X, W, b)),
            witnesses=(lambda dY, X, W, b: (lambda r: (W.__iadd__(0.1), r)[1])(_res_back(dY, X, W, b)),),
            detect=_mutation_detect,
        ),
    ],
)


EXERCISES = [backprop_deltas, clip_by_global_norm, batchnorm_forward, batchnorm_backward, residual_backward]
