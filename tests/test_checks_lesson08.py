"""Lesson 08's checker: correct answers written in other styles pass (a loop instead of vector code,
numerical derivatives for the batch-norm backward pass), and the mistakes that only show on special
inputs are caught by the cases built for them."""

import numpy as np
import pytest

from course.checks import lesson08 as check


@pytest.fixture(autouse=True)
def _no_progress_file(monkeypatch):
    monkeypatch.setenv("NNLIB_PROGRESS", "off")


def test_deltas_by_an_explicit_loop_pass():
    def deltas(Ws, zs, d):
        out = []
        for l in range(len(zs) - 1, -1, -1):
            s = np.tanh(zs[l] / 2) / 2 + 0.5  # the sigmoid written another way
            d = np.einsum("nj,ij->ni", d, Ws[l + 1]) * s * (1 - s)
            out.insert(0, d)
        return out

    assert check.backprop_deltas(deltas).passed


def test_clipping_with_a_concatenated_vector_passes():
    def clip(grads, m):
        flat = np.concatenate([g.ravel() for g in grads])
        t = float(np.linalg.norm(flat))
        return [g * min(1.0, m / t) for g in grads], t

    assert check.clip_by_global_norm(clip).passed


def test_batchnorm_backward_by_the_step_by_step_graph_passes():
    def back(dY, X, gamma, eps=1e-5):  # Ioffe & Szegedy's chain rule, node by node
        N = len(X)
        mu = X.mean(0)
        xc = X - mu
        var = (xc**2).mean(0)
        std = np.sqrt(var + eps)
        xhat = xc / std
        dxhat = dY * gamma
        dvar = np.sum(dxhat * xc, 0) * -0.5 * std**-3
        dmu = np.sum(-dxhat / std, 0) + dvar * np.mean(-2 * xc, 0)
        dX = dxhat / std + dvar * 2 * xc / N + dmu / N
        return dX, np.sum(dY * xhat, 0), dY.sum(0)

    assert check.batchnorm_backward(back).passed


def test_residual_relu_mask_at_zero_is_caught_by_the_exact_zero_case():
    def at_zero(dY, X, W, b):
        z = X @ W + b
        dz = dY * (z >= 0)
        return dY + dz @ W.T, X.T @ dz, dz.sum(0)

    r = check.residual_backward(at_zero)
    assert r.mistake == "mask_at_zero" and "some z exactly 0" in r.message


def test_clipping_each_tensor_is_named_even_when_each_is_below_the_threshold():
    def per_tensor(grads, m):
        t = float(np.sqrt(sum((g**2).sum() for g in grads)))
        return [g * min(1.0, m / np.linalg.norm(g)) for g in grads], t

    assert check.clip_by_global_norm(per_tensor).mistake == "per_tensor"
