"""The training loop: mini-batches, ``fit``, early stopping, evaluation and bagging."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from . import functional as F
from . import regularization as reg
from ._validate import as_2d_float, as_labels, check_int, check_positive, check_rng
from .losses import SoftmaxCrossEntropy


class TrainingDiverged(FloatingPointError):
    """Raised by ``fit`` when the loss becomes NaN or infinite."""


def iterate_minibatches(X, y, batch_size, rng=None, shuffle=True):
    """Yield ``(X_batch, y_batch)``: one random permutation per call, then consecutive slices.

    The last batch is smaller when ``batch_size`` does not divide N. ``shuffle=False``
    keeps the data order (no ``rng`` needed).
    """
    N = len(X)
    batch_size = check_int(batch_size, "batch_size", "iterate_minibatches")
    if len(y) != N:
        raise ValueError(f"iterate_minibatches expected X and y of the same length, got {N} and {len(y)}.")
    if shuffle:
        idx = check_rng(rng, "iterate_minibatches(shuffle=True)").permutation(N)
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
        self.restore_best = restore_best
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


def predict(model, X, batch_size=1024):
    """Model outputs (logits for a classifier) in evaluation mode; the mode is restored after."""
    was_training = getattr(model, "training", False)
    model.eval()
    X = as_2d_float(X, "X", "predict", dtype=model.dtype)
    try:
        outs = [model.forward(X[i:i + batch_size]) for i in range(0, len(X), batch_size)]
    finally:
        if was_training:
            model.train()
    return np.concatenate(outs) if outs else np.zeros((0, model.n_out), dtype=model.dtype)


def accuracy(logits_or_labels, y):
    """Fraction of correct predictions; accepts logits/probabilities (N, C) or labels (N,)."""
    pred = np.asarray(logits_or_labels)
    if pred.ndim == 2:
        pred = pred.argmax(axis=1)
    y = np.asarray(y)
    if pred.shape != y.shape:
        raise ValueError(f"accuracy expected predictions for the {y.size} labels in y (logits of "
                         f"shape ({y.size}, C) or labels of shape ({y.size},)), got shape "
                         f"{np.shape(logits_or_labels)}; pass the model's outputs for the same samples as y.")
    return float(np.mean(pred == y))


def evaluate(model, loss_fn, X, y):
    """``(loss, accuracy)`` on (X, y) in evaluation mode; accuracy is None for regression."""
    out = predict(model, X)
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
        callback=None, record_steps=False, eval_train=True):
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
    eval_train : True (default) records the training loss of the whole training set in
        evaluation mode after each epoch; False records the mean of the mini-batch losses
        seen during the epoch (cheaper, used by the live widgets).
    """
    epochs = check_int(epochs, "epochs", "fit")
    check_positive(l2, "l2", "fit", allow_zero=True)
    check_positive(l1, "l1", "fit", allow_zero=True)
    if on_divergence not in ("raise", "stop"):
        raise ValueError(f"fit expected on_divergence 'raise' or 'stop', got {on_divergence!r}.")
    classify = isinstance(loss_fn, SoftmaxCrossEntropy)
    X = as_2d_float(X, "X", "fit", dtype=model.dtype)
    if model.n_in is not None and X.shape[1] != model.n_in:
        raise ValueError(f"fit: the model's first layer expects {model.n_in} features, got X of shape "
                         f"{X.shape}; check n_in of the first Dense layer.")
    y = _targets(y, classify, model, len(X), "y")
    has_val = X_val is not None
    if has_val:
        X_val = as_2d_float(X_val, "X_val", "fit", dtype=model.dtype)
        y_val = _targets(y_val, classify, model, len(X_val), "y_val")
    if early_stopping is not None and not has_val:
        raise ValueError("fit(early_stopping=...) needs validation data; pass X_val and y_val "
                         "(e.g. from nn.datasets.train_val_test_split).")
    full_batch = batch_size is None or batch_size >= len(X)
    if not full_batch:
        batch_size = check_int(batch_size, "batch_size", "fit")
        check_rng(rng, "fit (mini-batches are shuffled)")
    if early_stopping is not None:
        early_stopping.reset()
    every = 1 if progress is True else int(progress or 0)

    history = History()
    t0 = time.perf_counter()
    model.train()
    step = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for epoch in range(1, epochs + 1):
            batches = [(X, y)] if full_batch else iterate_minibatches(X, y, batch_size, rng)
            total, count = 0.0, 0
            for Xb, yb in batches:
                step += 1
                model.zero_grad()
                out = model.forward(Xb)
                loss = _data_loss(loss_fn, out, yb, l1, l2, model)
                if not np.isfinite(loss):
                    msg = (f"training diverged: the loss became {loss} at epoch {epoch}, step {step} "
                           f"(learning rate {opt.lr}); lower the learning rate, check the inputs' "
                           f"scale, or use a smaller initialization.")
                    if on_divergence == "raise":
                        raise TrainingDiverged(msg)
                    history.diverged = msg
                    break
                model.backward(loss_fn.backward(), input_grad=False)
                if l2 or l1:
                    reg.add_penalty_grads(model, l2=l2, l1=l1)
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


def _targets(y, classify, model, n, name):
    if classify:
        return as_labels(y, model.n_out, name, "fit", n_samples=n)
    y = np.asarray(y, dtype=model.dtype)
    if y.ndim == 1:
        y = y.reshape(-1, 1)
    if len(y) != n:
        raise ValueError(f"fit expected {name} to have {n} rows (one per sample), got {len(y)}.")
    return y


def _record_epoch(history, model, loss_fn, X, y, X_val, y_val, l1, l2, classify, has_val, batch_mean):
    if batch_mean is None:
        out = predict(model, X)
        history.train_loss.append(_data_loss(loss_fn, out, y, l1, l2, model))
        history.train_acc.append(accuracy(out, y) if classify else None)
    else:
        history.train_loss.append(batch_mean)
        history.train_acc.append(None)
    if has_val:
        out_val = predict(model, X_val)
        history.val_loss.append(loss_fn.forward(out_val, y_val))
        history.val_acc.append(accuracy(out_val, y_val) if classify else None)


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
    """

    def __init__(self, make_model, make_optimizer, loss_fn, n_models=5):
        self.make_model, self.make_optimizer, self.loss_fn = make_model, make_optimizer, loss_fn
        self.n_models = check_int(n_models, "n_models", "BaggingEnsemble")
        self.models, self.histories = [], []

    def fit(self, X, y, rng, **fit_kwargs):
        rng = check_rng(rng, "BaggingEnsemble.fit")
        X, y = np.asarray(X), np.asarray(y)
        self.models, self.histories = [], []
        for _ in range(self.n_models):
            idx = rng.integers(0, len(X), size=len(X))   # sample N rows with replacement
            model = self.make_model(rng)
            h = fit(model, self.loss_fn, self.make_optimizer(), X[idx], y[idx], rng=rng, **fit_kwargs)
            self.models.append(model)
            self.histories.append(h)
        return self

    def predict(self, X):
        """Averaged probabilities (classification) or averaged outputs (regression)."""
        if not self.models:
            raise RuntimeError("BaggingEnsemble.predict was called before fit; call .fit(X, y, rng) first.")
        classify = isinstance(self.loss_fn, SoftmaxCrossEntropy)
        outs = [predict(m, X) for m in self.models]
        if classify:
            outs = [F.softmax(o) for o in outs]
        return np.mean(outs, axis=0)

    def __repr__(self):
        return f"BaggingEnsemble(n_models={self.n_models}, trained={len(self.models)})"
