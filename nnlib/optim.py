r"""Optimizers. ``opt.step(model)`` updates every parameter from its accumulated gradient.

Notation: :math:`\theta` a parameter, :math:`g = \nabla_\theta J` its gradient, :math:`\alpha` the
learning rate ``lr``. State (velocities, accumulators) is kept per parameter name, so one
optimizer belongs to one model: the first ``step(model)`` binds it to that model, and a step
on another model raises (make one optimizer per model, or call ``opt.reset()`` first).
Call ``model.zero_grad()`` before each backward pass.

Every optimizer takes ``weight_decay`` (:math:`\lambda`, default 0): *decoupled* weight decay
(Loshchilov & Hutter 2019, Algs. 1-2), in the form of PyTorch's ``AdamW``: before the update,
each weight matrix is shrunk by :math:`\theta \leftarrow (1 - \alpha\lambda)\,\theta`, outside
the adaptive step. Only weights are decayed (names ending in ``W``; biases are left alone, as in
:mod:`nnlib.regularization`). For plain SGD this is exactly ``fit(..., l2=weight_decay)``; with
momentum or an adaptive method (AdaGrad, RMSProp, Adam) it is not: an L2 term enters the gradient
and is rescaled by the adaptive denominator, the decoupled decay is not (their Prop. 2). PyTorch's
``Adam(weight_decay=...)`` and ``SGD(weight_decay=...)`` are the L2 kind, and they decay biases too.
"""
from __future__ import annotations

import weakref

import numpy as np

from ._validate import check_bool, check_int, check_model, check_positive, check_probability
from .regularization import PENALIZED


class Optimizer:
    """Base class: holds ``lr`` and per-parameter state; subclasses implement ``_update``."""

    def __init__(self, lr, weight_decay=0.0):
        self.lr = check_positive(lr, "lr", type(self).__name__)
        self.weight_decay = check_positive(weight_decay, "weight_decay", type(self).__name__,
                                           allow_zero=True, example=1e-2)
        if self.lr * self.weight_decay >= 1:
            raise ValueError(self._decay_too_big())
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.t = 0
        self._model = None                           # a weak reference to the model it updates

    def step(self, model):
        """Apply one update to every parameter of ``model``, in place, from its accumulated gradient.

        Parameters
        ----------
        model : Sequential
            Its ``named_parameters()`` gives each parameter θ with its gradient g (same shape);
            per-parameter state (velocities, accumulators) is kept under the parameter's name.
            The first step binds the optimizer to ``model``; a step on another model raises a
            ValueError (the state belongs to the first one): make a new optimizer, or ``reset()``.
        """
        if self._model is None or self._model() is not model:
            self._bind(model)
        self.t += 1
        if self.weight_decay:
            self._decay(model)
        state, update = self.state, self._update
        for name, p, g in model.named_parameters():
            s = state.get(name)
            if s is None:
                s = state[name] = self._new_state(p)
            update(p, g, s)

    def _bind(self, model):
        """Check ``model`` and remember it; refuse a second model (its state would carry over)."""
        name = type(self).__name__
        check_model(model, f"{name}.step")
        if self._model is not None:
            raise ValueError(f"{name}.step got a different model from the one this optimizer updates; one "
                             f"optimizer belongs to one model (its state, the step count and any velocities, "
                             f"is kept per parameter name and would carry over). Make a new optimizer for "
                             f"each model, e.g. nn.optim.{name}(lr={self.lr}), or call opt.reset() before "
                             f"using it on this model.")
        try:
            self._model = weakref.ref(model)
        except TypeError:                            # an object without weak references: keep it
            self._model = lambda: model

    def _decay(self, model):
        """Decoupled weight decay: every weight matrix times (1 - lr * weight_decay), biases untouched."""
        keep = 1.0 - self.lr * self.weight_decay
        if keep <= 0:                                # lr was raised after construction
            raise ValueError(self._decay_too_big())
        for name, p, _ in model.named_parameters():
            if name.rsplit(".", 1)[-1] in PENALIZED:
                p *= keep

    def _decay_too_big(self):
        return (f"{type(self).__name__} expected lr * weight_decay < 1 (each step multiplies the weights by "
                f"1 - lr * weight_decay), got lr={self.lr} and weight_decay={self.weight_decay}, a factor of "
                f"{1 - self.lr * self.weight_decay:g}; use a smaller weight_decay (typical values are 1e-4 "
                f"to 1e-1).")

    def _decay_repr(self):
        return f", weight_decay={self.weight_decay}" if self.weight_decay else ""

    def _update(self, p, g, s):  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must define _update(p, g, state)")

    def _new_state(self, p):
        return {}

    def reset(self):
        """Forget all state (velocities, accumulators, step count) and the model: ready for a new one."""
        self.state.clear()
        self.t = 0
        self._model = None


class SGD(Optimizer):
    r"""Gradient descent, optionally with classical momentum or Nesterov momentum.

    * plain (``momentum=0``): :math:`\theta \leftarrow \theta - \alpha g`
    * classical momentum (Polyak 1964; form of Sutskever et al. 2013, eq. 1-2):
      :math:`v \leftarrow \mu v - \alpha g,\ \theta \leftarrow \theta + v`
    * Nesterov (Sutskever et al. 2013, eq. 3-4: :math:`v \leftarrow \mu v - \alpha \nabla J(\theta + \mu v)`),
      implemented in the equivalent look-ahead form of Bengio et al. (2013), where the stored
      :math:`\theta` is the look-ahead point: :math:`v_\text{new} = \mu v - \alpha g,\
      \theta \leftarrow \theta + \mu v_\text{new} - \alpha g`.

    PyTorch stores :math:`b \leftarrow \mu b + g` and steps :math:`\theta \leftarrow \theta - \alpha b`
    (Nesterov: :math:`\theta \leftarrow \theta - \alpha (g + \mu b)`). With a constant learning rate
    this is the same trajectory with :math:`v = -\alpha b`; it differs when ``lr`` changes mid-run.
    """

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.momentum = check_probability(momentum, "momentum", "SGD")
        nesterov = check_bool(nesterov, "nesterov", "SGD")
        if nesterov and self.momentum == 0:
            raise ValueError("SGD(nesterov=True) needs momentum > 0, got momentum=0; "
                             "set e.g. momentum=0.9.")
        self.nesterov = bool(nesterov)

    def step(self, model):
        """Update every parameter of ``model`` in place (see :meth:`Optimizer.step`)."""
        if self.momentum:
            return super().step(model)
        # Plain gradient descent keeps no state, so it skips the per-parameter state lookups of
        # Optimizer.step: about 5 % of a 2-16-16-2 network's step (benchmarks/bench_step.py).
        if self._model is None or self._model() is not model:
            self._bind(model)
        self.t += 1
        if self.weight_decay:
            self._decay(model)
        lr = self.lr
        for _, p, g in model.named_parameters():
            p -= lr * g                              # theta <- theta - alpha g

    def _new_state(self, p):
        return {"v": np.zeros_like(p)}

    def _update(self, p, g, s):                      # with momentum only (plain SGD: see step)
        lr, mu = self.lr, self.momentum
        v = s["v"]
        v *= mu
        v -= lr * g
        if self.nesterov:
            p += mu * v - lr * g
        else:
            p += v

    def __repr__(self):
        extra = f", momentum={self.momentum}" if self.momentum else ""
        extra += ", nesterov=True" if self.nesterov else ""
        return f"SGD(lr={self.lr}{extra}{self._decay_repr()})"


class AdaGrad(Optimizer):
    r"""AdaGrad (Duchi, Hazan & Singer 2011): per-parameter steps shrink with the gradient history.

    :math:`r \leftarrow r + g \odot g,\ \theta \leftarrow \theta - \alpha\, g / (\sqrt{r} + \epsilon)`

    Same as PyTorch's ``Adagrad`` (accumulator starting at 0, ``eps`` outside the root);
    Goodfellow et al. (2016, alg. 8.4) write :math:`\delta + \sqrt r`, the same thing.
    """

    def __init__(self, lr=0.01, eps=1e-8, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.eps = check_positive(eps, "eps", "AdaGrad", example=1e-8)

    def _new_state(self, p):
        return {"r": np.zeros_like(p)}

    def _update(self, p, g, s):
        r = s["r"]
        r += g * g
        p -= self.lr * g / (np.sqrt(r) + self.eps)

    def __repr__(self):
        return f"AdaGrad(lr={self.lr}, eps={self.eps}{self._decay_repr()})"


class RMSProp(Optimizer):
    r"""RMSProp (Hinton, Coursera lecture 6e, 2012): AdaGrad with a decaying average.

    :math:`r \leftarrow \rho r + (1 - \rho)\, g \odot g,\
    \theta \leftarrow \theta - \alpha\, g / (\sqrt{r} + \epsilon)`

    PyTorch's ``RMSprop`` has the same form with default ``alpha`` (our :math:`\rho`) 0.99;
    we default to :math:`\rho = 0.9` as in the lecture. Goodfellow et al. (2016, alg. 8.5) put
    :math:`\delta` inside the root, :math:`\sqrt{\delta + r}`; the difference only matters when r ~ 0.
    """

    def __init__(self, lr=0.001, rho=0.9, eps=1e-8, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.rho = check_probability(rho, "rho", "RMSProp")
        self.eps = check_positive(eps, "eps", "RMSProp", example=1e-8)

    def _new_state(self, p):
        return {"r": np.zeros_like(p)}

    def _update(self, p, g, s):
        r = s["r"]
        r *= self.rho
        r += (1 - self.rho) * g * g
        p -= self.lr * g / (np.sqrt(r) + self.eps)

    def __repr__(self):
        return f"RMSProp(lr={self.lr}, rho={self.rho}, eps={self.eps}{self._decay_repr()})"


class Adam(Optimizer):
    r"""Adam (Kingma & Ba 2015, algorithm 1): momentum on g and RMSProp on g², bias-corrected.

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g,\quad v \leftarrow \beta_2 v + (1-\beta_2) g\odot g,\\
        \hat m = m / (1-\beta_1^t),\quad \hat v = v / (1-\beta_2^t),\quad
        \theta \leftarrow \theta - \alpha\, \hat m / (\sqrt{\hat v} + \epsilon)

    Identical to PyTorch's ``Adam`` with its defaults (no weight decay, no amsgrad); with
    ``weight_decay`` it is AdamW (Loshchilov & Hutter 2019, Alg. 2; PyTorch's ``AdamW``, weights only):
    :math:`\theta \leftarrow \theta - \alpha\,(\hat m / (\sqrt{\hat v} + \epsilon) + \lambda\theta)`.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.beta1 = check_probability(beta1, "beta1", "Adam")
        self.beta2 = check_probability(beta2, "beta2", "Adam")
        self.eps = check_positive(eps, "eps", "Adam", example=1e-8)

    def _new_state(self, p):
        return {"m": np.zeros_like(p), "v": np.zeros_like(p)}

    def _update(self, p, g, s):
        b1, b2, t = self.beta1, self.beta2, self.t
        m, v = s["m"], s["v"]
        m *= b1
        m += (1 - b1) * g
        v *= b2
        g2 = (1 - b2) * g
        g2 *= g                                      # (1 - b2) * g * g
        v += g2
        m_hat = m / (1 - b1 ** t)
        v_hat = v / (1 - b2 ** t)
        # step = lr * m_hat / (sqrt(v_hat) + eps), computed in place in the two temporaries
        np.sqrt(v_hat, out=v_hat)
        v_hat += self.eps
        m_hat *= self.lr
        m_hat /= v_hat
        p -= m_hat

    def __repr__(self):
        return (f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps}"
                f"{self._decay_repr()})")


class LinearDecay:
    r"""A learning-rate schedule, used as ``fit(..., callback=LinearDecay(opt, lr_final, tau))``.

    Linear decay from the optimizer's initial ``lr`` to ``lr_final`` over ``tau`` epochs, then
    constant (Goodfellow et al. 2016, eq. 8.14): after epoch k it sets, for the next epoch,

    .. math:: \alpha_k = (1 - k/\tau)\,\alpha_0 + (k/\tau)\,\alpha_\tau \ (k \le \tau), \qquad
              \alpha_k = \alpha_\tau \ (k > \tau).

    ``schedule.lr(k)`` gives :math:`\alpha_k` without changing anything.
    """

    def __init__(self, opt, lr_final, tau):
        if not isinstance(opt, Optimizer):
            raise TypeError(f"LinearDecay expected an nnlib optimizer instance as opt, got "
                            f"{type(opt).__name__}; pass e.g. nn.optim.SGD(lr=0.1).")
        self.opt, self.lr0 = opt, opt.lr
        self.lr_final = check_positive(lr_final, "lr_final", "LinearDecay", allow_zero=True)
        self.tau = check_int(tau, "tau", "LinearDecay")

    def lr(self, k):
        """The learning rate after ``k`` epochs (k = 0: the initial one)."""
        frac = min(check_int(k, "k", "LinearDecay.lr", minimum=0) / self.tau, 1.0)
        return (1 - frac) * self.lr0 + frac * self.lr_final

    def __call__(self, epoch, history=None, model=None):
        self.opt.lr = self.lr(epoch)
        return False                                 # never asks fit to stop

    def __repr__(self):
        return f"LinearDecay(lr0={self.lr0}, lr_final={self.lr_final}, tau={self.tau})"


def clip_grad_norm(model, max_norm):
    r"""Clip the gradients of ``model`` by their global norm (Pascanu et al. 2013, §3.2, Alg. 1).

    With :math:`\hat g` all the parameter gradients stacked into one vector: if
    :math:`\lVert\hat gVert \ge` ``max_norm``, every gradient is multiplied, in place, by
    ``max_norm`` / :math:`\lVert\hat gVert`, so the step keeps its direction and its length is at
    most ``max_norm``. Call it after the backward pass and before ``opt.step(model)`` (``fit`` does,
    with ``clip_norm=``).

    Parameters
    ----------
    model : Sequential (anything with ``named_parameters()``).
    max_norm : float > 0, the threshold.

    Returns
    -------
    float: the global norm before clipping (NaN or inf are returned as they are, and nothing is
    scaled: a non-finite gradient cannot be rescued by a factor).
    """
    check_model(model, "clip_grad_norm")
    max_norm = check_positive(max_norm, "max_norm", "clip_grad_norm", example=1.0)
    grads = [g for _, _, g in model.named_parameters()]
    total = float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads)))
    if np.isfinite(total) and total >= max_norm and total > 0:
        scale = max_norm / total
        for g in grads:
            g *= scale
    return total

