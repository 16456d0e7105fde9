"""The training loop: mini-batches, ``fit``, early stopping, evaluation and bagging.

``fit`` checks its arguments once, before the loop; inside the loop the model's layers pass
their arrays on unchecked (``_forward`` / ``_backward``), so validation costs nothing per step.
"""
from __future__ import annotations

import numbers
import time
from dataclasses import dataclass, field

import numpy as np

from . import functional as F
from . import regularization as reg
from ._validate import (as_2d_float, as_labels, as_real_array, check_bool, check_callable, check_int,
                        check_loss, check_model, check_optimizer, check_positive, check_rng, describe, kind)
from .layers import Layer, _is_nnlib
from .optim import clip_grad_norm
from .losses import SoftmaxCrossEntropy


class TrainingDiverged(FloatingPointError):
    """Raised by ``fit`` when the loss becomes NaN or infinite."""


def iterate_minibatches(X, y, batch_size, rng=None, shuffle=True):
    """Yield ``(X_batch, y_batch)``: one random permutation per call, then consecutive slices.

    The last batch is smaller when ``batch_size`` does not divide N. ``shuffle=False``
    keeps the data order (no ``rng`` needed). The arguments are checked at the call; lists
    are converted to arrays. The values are not looked at (``fit`` checks those).
    """
    where = "iterate_minibatches"
    X, y = _rows(X, "X", where), _rows(y, "y", where)
    batch_size = check_int(batch_size, "batch_size", where)
    if len(y) != len(X):
        raise ValueError(f"{where} expected X and y of the same length, got len(X)={len(X)} and "
                         f"len(y)={len(y)}; check that they come from the same split.")
    if shuffle:
        check_rng(rng, f"{where}(shuffle=True)")
    return _batches(X, y, batch_size, rng if shuffle else None)


def _rows(a, name, where):
    """``a`` as an array with at least one axis (one row per sample); its values are not checked."""
    if a is None or isinstance(a, type):
        raise TypeError(f"{where} expected {name} as an array with one row per sample, got {describe(a)}.")
    try:
        a = np.asarray(a)
    except ValueError:
        raise ValueError(f"{where} expected {name} as a rectangular array, got a ragged nested "
                         f"list.") from None
    if a.ndim == 0:
        raise ValueError(f"{where} expected {name} as an array with one row per sample, got a scalar "
                         f"({a!r}); pass an array of shape (N, ...).")
    return a


def _batches(X, y, batch_size, rng):
    """The generator behind ``iterate_minibatches`` (``rng=None``: keep the order)."""
    N = len(X)
    if rng is not None:
        idx = rng.permutation(N)
        for start in range(0, N, batch_size):
            sel = idx[start:start + batch_size]
            yield X[sel], y[sel]
    else:
        for start in range(0, N, batch_size):
            yield X[start:start + batch_size], y[start:start + batch_size]


@dataclass
class History:
    """Per-epoch record returned by :func:`fit` (accuracies are None for regression)."""
    train_loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_acc: list = field(default_factory=list)
    step_loss: list = field(default_factory=list)
    best_epoch: int | None = None
    stopped_epoch: int | None = None
    diverged: str | None = None
    seconds: float = 0.0

    @property
    def epochs(self):
        return len(self.train_loss)

    def __repr__(self):
        last = f", train_loss={self.train_loss[-1]:.4f}" if self.train_loss else ""
        val = f", val_loss={self.val_loss[-1]:.4f}" if self.val_loss else ""
        return f"History(epochs={self.epochs}{last}{val})"


class EarlyStopping:
    """Stop when the validation loss has not improved by ``min_delta`` for ``patience`` epochs.

    With ``restore_best=True`` (default) the model ends with the weights of its best epoch.
    """

    def __init__(self, patience=10, min_delta=0.0, restore_best=True):
        self.patience = check_int(patience, "patience", "EarlyStopping", minimum=1)
        self.min_delta = check_positive(min_delta, "min_delta", "EarlyStopping", allow_zero=True)
        self.restore_best = check_bool(restore_best, "restore_best", "EarlyStopping")
        self.reset()

    def reset(self):
        self.best_loss, self.best_epoch, self.best_weights, self.wait = np.inf, None, None, 0

    def update(self, epoch, val_loss, model):
        """Record epoch ``epoch``'s validation loss; return True when training should stop."""
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.wait = val_loss, epoch, 0
            if self.restore_best:
                self.best_weights = model.get_weights()
            return False
        self.wait += 1
        return self.wait >= self.patience

    def __repr__(self):
        return f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta})"


def _check_predictor(model, where):
    """A model (or a single layer) that ``predict`` can run: an instance with forward and eval."""
    if isinstance(model, type) or not (callable(getattr(model, "forward", None))
                                       and callable(getattr(model, "eval", None))):
        raise TypeError(f"{where} expected an nnlib model (nn.Sequential), got {kind(model)} as model; "
                        f"build one with nn.Sequential([...]) or nn.mlp([...], rng=rng).")
    return model


def _inputs(model, X, name, where, min_samples=0):
    """``X`` checked once for ``model``: finite, 2-D, of the model's dtype and input width."""
    X = as_2d_float(X, name, where, dtype=getattr(model, "dtype", None), min_samples=min_samples)
    n_in = getattr(model, "n_in", None)
    if n_in is not None and X.shape[1] != n_in:
        raise ValueError(f"{where}: the model's first layer expects {n_in} features, got {name} of shape "
                         f"{X.shape}; check n_in of the first Dense layer, or the columns of {name}.")
    return X


def predict(model, X, batch_size=1024):
    """Model outputs (logits for a classifier) in evaluation mode; the mode is restored after.

    ``X`` (N, D) must be finite; N = 0 gives an empty (0, C) result. ``batch_size`` (int >= 1)
    rows go through the model at a time.
    """
    _check_predictor(model, "predict")
    batch_size = check_int(batch_size, "batch_size", "predict")
    return _predict(model, _inputs(model, X, "X", "predict"), batch_size)


def _predict(model, X, batch_size=1024):
    """``predict`` for an ``X`` that has been checked: no checks at all."""
    forward = model._forward if _is_nnlib(model, "forward") else model.forward
    was_training = getattr(model, "training", False)
    model.eval()
    try:
        outs = [forward(X[i:i + batch_size]) for i in range(0, len(X), batch_size)]
    finally:
        if was_training:
            model.train()
    if outs:
        return np.concatenate(outs)
    n_out = getattr(model, "n_out", None)
    return np.zeros((0, X.shape[1] if n_out is None else n_out), dtype=X.dtype)


def accuracy(logits_or_labels, y):
    """Fraction of correct predictions; accepts logits/probabilities (N, C) or labels (N,).

    ``y`` holds integer labels (N,). NaN or inf scores (a diverged model's outputs) are scored
    as ``argmax`` ranks them; at least one sample is needed.
    """
    pred = as_real_array(logits_or_labels, "logits_or_labels", "accuracy", nan=True, inf=True)
    y = as_labels(y, None, "y", "accuracy")
    if pred.ndim == 2:
        pred = pred.argmax(axis=1)
    if pred.shape != y.shape:
        raise ValueError(f"accuracy expected logits_or_labels for the {y.size} labels in y (logits of "
                         f"shape ({y.size}, C) or labels of shape ({y.size},)), got shape "
                         f"{np.shape(logits_or_labels)}; pass the model's outputs for the same samples as y.")
    if not y.size:
        raise ValueError("accuracy expected at least one sample, got y of shape (0,); the accuracy of "
                         "no predictions is undefined.")
    return _accuracy(pred, y)


def _accuracy(pred, y):
    return float(np.mean((pred.argmax(axis=1) if pred.ndim == 2 else pred) == y))


def evaluate(model, loss_fn, X, y):
    """``(loss, accuracy)`` on (X, y) in evaluation mode; accuracy is None for regression."""
    _check_predictor(model, "evaluate")
    check_loss(loss_fn, "evaluate")
    out = _predict(model, _inputs(model, X, "X", "evaluate", min_samples=1))
    loss = loss_fn.forward(out, y)
    acc = accuracy(out, y) if isinstance(loss_fn, SoftmaxCrossEntropy) else None
    return loss, acc


def _data_loss(loss_fn, out, y, l1, l2, model):
    loss = loss_fn.forward(out, y)
    if l2:
        loss += reg.l2_penalty(model, l2)
    if l1:
        loss += reg.l1_penalty(model, l1)
    return loss


def fit(model, loss_fn, opt, X, y, epochs=10, batch_size=32, rng=None, X_val=None, y_val=None,
        l2=0.0, l1=0.0, early_stopping=None, on_divergence="raise", progress=False,
        callback=None, record_steps=False, eval_train=True, clip_norm=None):
    """Train ``model`` on (X, y) and return a :class:`History`.

    Parameters
    ----------
    batch_size : int or None
        Mini-batch size; ``None`` means full batch (one step per epoch, no shuffling),
        ``1`` is online (stochastic) gradient descent.
    rng : numpy.random.Generator, needed whenever batches are shuffled.
    X_val, y_val : validation data, evaluated after every epoch (needed for early stopping).
    l2, l1 : penalty strengths added to the mean loss (weights only), see :mod:`nnlib.regularization`.
    early_stopping : :class:`EarlyStopping` or None.
    on_divergence : "raise" (default) raises :class:`TrainingDiverged` when the loss becomes
        NaN/inf; "stop" ends training and sets ``history.diverged`` to the message.
    progress : False, True (a line per epoch) or an int k (a line every k epochs).
    callback : called as ``callback(epoch, history, model)`` after each epoch; return True to stop.
    record_steps : also record every mini-batch loss in ``history.step_loss``.
    clip_norm : float > 0 or None (default): clip the gradients by their global norm before every
        step (:func:`nnlib.optim.clip_grad_norm`, Pascanu et al. 2013, Alg. 1).
    eval_train : True (default) records the training loss of the whole training set in
        evaluation mode after each epoch; False records the mean of the mini-batch losses
        seen during the epoch (cheaper, used by the live widgets).

    Raises
    ------
    TypeError, ValueError
        A wrong argument, checked before the first step: model, loss_fn and opt must be
        instances; X (N >= 1 rows) and y, X_val and y_val must fit the model and be finite.
    TrainingDiverged
        The loss became NaN or inf (with ``on_divergence="raise"``).
    """
    _check_fit_objects(model, loss_fn, opt)
    epochs = check_int(epochs, "epochs", "fit")
    check_positive(l2, "l2", "fit", allow_zero=True)
    check_positive(l1, "l1", "fit", allow_zero=True)
    if on_divergence not in ("raise", "stop"):
        raise ValueError(f"fit expected on_divergence 'raise' or 'stop', got {on_divergence!r}.")
    every = _check_fit_options(early_stopping, progress, callback)
    if clip_norm is not None:
        clip_norm = check_positive(clip_norm, "clip_norm", "fit", example=1.0)
    classify = isinstance(loss_fn, SoftmaxCrossEntropy)
    X = _inputs(model, X, "X", "fit", min_samples=1)
    y = _targets(y, classify, model, len(X), "y")
    has_val = X_val is not None
    if has_val != (y_val is not None):
        given, missing = ("X_val", "y_val") if has_val else ("y_val", "X_val")
        raise ValueError(f"fit got {given} but {missing}=None; pass both X_val and y_val (validation "
                         f"inputs and their targets), or neither.")
    if has_val:
        X_val = _inputs(model, X_val, "X_val", "fit", min_samples=1)
        y_val = _targets(y_val, classify, model, len(X_val), "y_val")
    if early_stopping is not None and not has_val:
        raise ValueError("fit(early_stopping=...) needs validation data; pass X_val and y_val "
                         "(e.g. from nn.datasets.train_val_test_split).")
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size", "fit")
    full_batch = batch_size is None or batch_size >= len(X)
    if not full_batch:
        check_rng(rng, "fit (mini-batches are shuffled)")
    if early_stopping is not None:
        early_stopping.reset()
    forward = model._forward if _is_nnlib(model, "forward") else model.forward
    backward = model._backward if _is_nnlib(model, "backward") else model.backward

    history = History()
    t0 = time.perf_counter()
    model.train()
    step = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for epoch in range(1, epochs + 1):
            batches = [(X, y)] if full_batch else _batches(X, y, batch_size, rng)
            total, count = 0.0, 0
            for Xb, yb in batches:
                step += 1
                model.zero_grad()
                out = forward(Xb)                    # the layers, unchecked: X was checked above
                loss = _data_loss(loss_fn, out, yb, l1, l2, model)
                if not np.isfinite(loss):
                    msg = (f"training diverged: the loss became {loss} at epoch {epoch}, step {step} "
                           f"(learning rate {getattr(opt, 'lr', '?')}); lower the learning rate, "
                           f"check the inputs' scale, or use a smaller initialization.")
                    if on_divergence == "raise":
                        raise TrainingDiverged(msg)
                    history.diverged = msg
                    break
                backward(loss_fn.backward(), input_grad=False)
                if l2 or l1:
                    reg.add_penalty_grads(model, l2=l2, l1=l1)
                if clip_norm is not None:
                    clip_grad_norm(model, clip_norm)
                opt.step(model)
                if record_steps:
                    history.step_loss.append(loss)
                total += loss * len(Xb)
                count += len(Xb)
            if history.diverged:
                break
            _record_epoch(history, model, loss_fn, X, y, X_val, y_val, l1, l2, classify, has_val,
                          None if eval_train else total / count)
            if every and (epoch % every == 0 or epoch == epochs):
                print(_progress_line(epoch, epochs, history))
            stop = False
            if early_stopping is not None:
                stop = early_stopping.update(epoch, history.val_loss[-1], model)
            if callback is not None and callback(epoch, history, model):
                stop = True
            if stop:
                history.stopped_epoch = epoch
                break
    if early_stopping is not None and early_stopping.best_weights is not None:
        model.set_weights(early_stopping.best_weights)
        history.best_epoch = early_stopping.best_epoch
    model.train()
    history.seconds = time.perf_counter() - t0
    return history


def _check_fit_objects(model, loss_fn, opt):
    check_model(model, "fit")                        # None, a class, a single layer: say which
    if not isinstance(model, Layer):
        raise TypeError(f"fit expected an nnlib model (nn.Sequential), got {type(model).__name__} as "
                        f"model; build one with nn.Sequential([...]) or nn.mlp([...], rng=rng).")
    check_loss(loss_fn, "fit")
    check_optimizer(opt, "fit")


def _check_fit_options(early_stopping, progress, callback):
    """Check the optional arguments of ``fit``; return how often to print a progress line."""
    if early_stopping is not None and (isinstance(early_stopping, type) or not (
            callable(getattr(early_stopping, "update", None))
            and callable(getattr(early_stopping, "reset", None)))):
        raise TypeError(f"fit expected early_stopping to be None or an nn.EarlyStopping(...) instance, got "
                        f"{describe(early_stopping)}; e.g. early_stopping=nn.EarlyStopping(patience=10).")
    if isinstance(progress, bool):
        every = int(progress)
    elif isinstance(progress, numbers.Integral) and progress >= 0:
        every = int(progress)
    else:
        raise (ValueError if isinstance(progress, numbers.Integral) else TypeError)(
            f"fit expected progress to be True, False or an int k >= 0 (a line every k epochs), got "
            f"{describe(progress)}.")
    if callback is not None:
        check_callable(callback, "callback", "fit", "lambda epoch, history, model: False")
        if isinstance(callback, type):
            raise TypeError(f"fit expected callback to be a function (epoch, history, model) -> bool, got "
                            f"{describe(callback)}.")
    return every


def _targets(y, classify, model, n, name):
    if classify:
        return as_labels(y, getattr(model, "n_out", None), name, "fit", n_samples=n)
    y = as_real_array(y, name, "fit", nan=True, inf=True)
    y = y.astype(getattr(model, "dtype", np.float64), copy=False)
    if y.ndim == 1:
        y = y.reshape(-1, 1)
    if y.ndim != 2:
        raise ValueError(f"fit expected regression targets {name} of shape (N,) or (N, K), got shape "
                         f"{y.shape}; reshape {name} to one row per sample.")
    if len(y) != n:
        raise ValueError(f"fit expected {name} to have {n} rows (one per sample), got {len(y)}.")
    n_out = getattr(model, "n_out", None)
    if n_out is not None and y.shape[1] != n_out:
        raise ValueError(f"fit expected {name} with {n_out} column(s), one per output of the model, "
                         f"got shape {y.shape}; reshape {name} or check the last layer's n_out.")
    if not np.isfinite(y).all():
        raise ValueError(f"fit found {int(y.size - np.isfinite(y).sum())} NaN or infinite value(s) in the "
                         f"targets {name}; regression targets must be finite: clean or drop those rows "
                         f"(np.isfinite({name}) shows where).")
    return y


def _record_epoch(history, model, loss_fn, X, y, X_val, y_val, l1, l2, classify, has_val, batch_mean):
    if batch_mean is None:
        out = _predict(model, X)
        history.train_loss.append(_data_loss(loss_fn, out, y, l1, l2, model))
        history.train_acc.append(_accuracy(out, y) if classify else None)
    else:
        history.train_loss.append(batch_mean)
        history.train_acc.append(None)
    if has_val:
        out_val = _predict(model, X_val)
        history.val_loss.append(loss_fn.forward(out_val, y_val))
        history.val_acc.append(_accuracy(out_val, y_val) if classify else None)


def _progress_line(epoch, epochs, h):
    parts = [f"epoch {epoch:>{len(str(epochs))}}/{epochs}", f"loss {h.train_loss[-1]:.4f}"]
    if h.train_acc[-1] is not None:
        parts.append(f"acc {h.train_acc[-1]:.3f}")
    if h.val_loss:
        parts.append(f"val_loss {h.val_loss[-1]:.4f}")
        if h.val_acc[-1] is not None:
            parts.append(f"val_acc {h.val_acc[-1]:.3f}")
    return " | ".join(parts)


class BaggingEnsemble:
    """Bagging (Breiman 1996): train each member on a bootstrap sample, average predictions.

    ``make_model(rng)`` builds a fresh model and ``make_optimizer()`` a fresh optimizer;
    classifiers are averaged in probability space (softmax of each member's logits).
    ``bootstrap=False`` trains every member on all of the data, so that the members differ only
    by their initialization and the order of their mini-batches (Goodfellow et al. 2016, §7.11).
    """

    def __init__(self, make_model, make_optimizer, loss_fn, n_models=5, bootstrap=True):
        where = "BaggingEnsemble"
        check_callable(make_model, "make_model", where, "lambda rng: nn.mlp([2, 16, 2], rng=rng)")
        check_callable(make_optimizer, "make_optimizer", where, "lambda: nn.optim.Adam(lr=0.01)")
        check_loss(loss_fn, where)
        self.make_model, self.make_optimizer, self.loss_fn = make_model, make_optimizer, loss_fn
        self.n_models = check_int(n_models, "n_models", where)
        self.bootstrap = check_bool(bootstrap, "bootstrap", where)
        self.models, self.histories, self.samples = [], [], []

    def fit(self, X, y, rng, **fit_kwargs):
        """Train ``n_models`` members, each on N rows of (X, y) drawn with replacement; returns self.

        ``fit_kwargs`` go to :func:`fit` (epochs, batch_size, ...); the model, optimizer, data and
        ``rng`` are the ensemble's own. ``self.samples[i]`` holds member i's row indices (all rows,
        in order, when ``bootstrap=False``).
        """
        where = "BaggingEnsemble.fit"
        rng = check_rng(rng, where)
        taken = sorted(set(fit_kwargs) & {"model", "loss_fn", "opt", "X", "y", "rng"})
        if taken:
            raise TypeError(f"{where} got {', '.join(taken)} in fit_kwargs, which the ensemble passes to fit "
                            f"itself; pass rng as the third argument and leave the others out.")
        as_2d_float(X, "X", where, min_samples=1)         # checked here, converted by fit
        X, y = np.asarray(X), _rows(y, "y", where)
        if len(y) != len(X):
            raise ValueError(f"{where} expected y with one entry per row of X ({len(X)}), got {len(y)}; "
                             f"check that X and y come from the same split.")
        self.models, self.histories, self.samples, opts = [], [], [], []
        for _ in range(self.n_models):
            if self.bootstrap:
                idx = rng.integers(0, len(X), size=len(X))   # sample N rows with replacement
            else:
                idx = np.arange(len(X))
            model = check_model(self.make_model(rng), where, "the result of make_model(rng)")
            opt = check_optimizer(self.make_optimizer(), where, "the result of make_optimizer()")
            if any(opt is other for other in opts):
                raise ValueError(f"{where}: make_optimizer() returned the same optimizer for two members; "
                                 f"one optimizer belongs to one model, so make it build a new one at each "
                                 f"call, e.g. make_optimizer=lambda: nn.optim.Adam(lr=0.01).")
            opts.append(opt)
            h = fit(model, self.loss_fn, opt, X[idx], y[idx], rng=rng, **fit_kwargs)
            self.models.append(model)
            self.histories.append(h)
            self.samples.append(idx)
        return self

    def predict(self, X):
        """Averaged probabilities (classification) or averaged outputs (regression)."""
        if not self.models:
            raise RuntimeError("BaggingEnsemble.predict was called before fit; call .fit(X, y, rng) first.")
        classify = isinstance(self.loss_fn, SoftmaxCrossEntropy)
        X = _inputs(self.models[0], X, "X", "BaggingEnsemble.predict")
        outs = [_predict(m, X) for m in self.models]
        if classify:
            outs = [F._softmax(o) for o in outs]      # unchecked: a diverged member gives NaN
        return np.mean(outs, axis=0)

    def __repr__(self):
        extra = "" if self.bootstrap else ", bootstrap=False"
        return f"BaggingEnsemble(n_models={self.n_models}{extra}, trained={len(self.models)})"
