"""Each optimizer against two steps computed by hand from its documented formula.

Problem: J(theta) = theta**2 / 2 with theta0 = 1, so the gradient equals theta.
"""
import numpy as np
import pytest

import nnlib as nn


class OneParam:
    """The smallest "model": one parameter whose gradient we set by hand."""

    def __init__(self, theta):
        self.p = np.array([theta], dtype=float)
        self.g = np.zeros(1)

    def named_parameters(self):
        yield "theta", self.p, self.g


def two_steps(opt):
    m = OneParam(1.0)
    out = []
    for _ in range(2):
        m.g[:] = m.p  # dJ/dtheta = theta
        opt.step(m)
        out.append(m.p[0])
    return out


def test_sgd_plain():
    assert two_steps(nn.optim.SGD(lr=0.1)) == pytest.approx([0.9, 0.81])


def test_sgd_classical_momentum():
    # v1 = -0.1*1 = -0.1, th1 = 0.9; v2 = 0.9*(-0.1) - 0.1*0.9 = -0.18, th2 = 0.72
    assert two_steps(nn.optim.SGD(lr=0.1, momentum=0.9)) == pytest.approx([0.9, 0.72])


def test_sgd_nesterov():
    # v1 = -0.1, th1 = 1 + 0.9*(-0.1) - 0.1*1 = 0.81
    # v2 = 0.9*(-0.1) - 0.1*0.81 = -0.171, th2 = 0.81 + 0.9*(-0.171) - 0.1*0.81 = 0.5751
    assert two_steps(nn.optim.SGD(lr=0.1, momentum=0.9, nesterov=True)) == pytest.approx([0.81, 0.5751])


def test_nesterov_lookahead_form_equals_sutskever_form():
    # Sutskever et al. (2013): v = mu v - lr * grad(theta + mu v); theta += v, on J = theta^2/2.
    lr, mu, theta, v = 0.1, 0.9, 1.0, 0.0
    phis = []
    for _ in range(5):
        v = mu * v - lr * (theta + mu * v)
        theta = theta + v
        phis.append(theta + mu * v)  # the look-ahead point is what nnlib stores
    m, opt = OneParam(1.0), nn.optim.SGD(lr=lr, momentum=mu, nesterov=True)
    ours = []
    for _ in range(5):
        m.g[:] = m.p
        opt.step(m)
        ours.append(m.p[0])
    assert ours == pytest.approx(phis)


def test_adagrad():
    # r1 = 1, th1 = 1 - 0.1*1/1 = 0.9; r2 = 1.81, th2 = 0.9 - 0.1*0.9/sqrt(1.81)
    assert two_steps(nn.optim.AdaGrad(lr=0.1, eps=1e-12)) == pytest.approx([0.9, 0.9 - 0.09 / 1.81 ** 0.5])


def test_rmsprop():
    # r1 = 0.1, th1 = 1 - 0.1/sqrt(0.1); r2 = 0.09 + 0.1*th1^2
    th1 = 1 - 0.1 / 0.1 ** 0.5
    r2 = 0.9 * 0.1 + 0.1 * th1 ** 2
    expected = [th1, th1 - 0.1 * th1 / r2 ** 0.5]
    assert two_steps(nn.optim.RMSProp(lr=0.1, rho=0.9, eps=1e-12)) == pytest.approx(expected)


def test_adam():
    # step 1: m = 0.1, v = 0.001, m_hat = 1, v_hat = 1, th1 = 0.9
    # step 2: m = 0.09 + 0.09 = 0.18, v = 0.000999 + 0.00081 = 0.001809
    m_hat, v_hat = 0.18 / (1 - 0.9 ** 2), 0.001809 / (1 - 0.999 ** 2)
    expected = [0.9, 0.9 - 0.1 * m_hat / v_hat ** 0.5]
    assert two_steps(nn.optim.Adam(lr=0.1, eps=1e-12)) == pytest.approx(expected)


OPTIMIZERS = [
    lambda: nn.optim.SGD(lr=0.1),
    lambda: nn.optim.SGD(lr=0.05, momentum=0.9),
    lambda: nn.optim.SGD(lr=0.05, momentum=0.9, nesterov=True),
    lambda: nn.optim.AdaGrad(lr=0.5),
    lambda: nn.optim.RMSProp(lr=0.002),
    lambda: nn.optim.Adam(lr=0.02),
]


@pytest.mark.parametrize("make", OPTIMIZERS)
def test_converges_on_least_squares(make):
    # convex: linear regression, optimum from the normal equations
    rng = nn.make_rng(0)
    X = rng.standard_normal((200, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.1 * rng.standard_normal(200)
    model = nn.Sequential([nn.Dense(3, 1, init=nn.init.zeros, rng=rng)])
    opt, loss_fn = make(), nn.MSELoss()
    for _ in range(1500):
        model.zero_grad()
        loss_fn(model(X), y)
        model.backward(loss_fn.backward())
        opt.step(model)
    A = np.c_[X, np.ones(200)]
    best = np.linalg.lstsq(A, y, rcond=None)[0]
    got = np.r_[model[0].params["W"].ravel(), model[0].params["b"]]
    assert np.allclose(got, best, atol=5e-3), (got, best)


def test_optimizer_errors():
    with pytest.raises(ValueError, match=r"lr > 0, got -0\.1"):
        nn.optim.SGD(lr=-0.1)
    with pytest.raises(TypeError, match="lr to be a number"):
        nn.optim.Adam(lr="0.1")
    with pytest.raises(ValueError, match="momentum in \\[0, 1\\)"):
        nn.optim.SGD(lr=0.1, momentum=1.5)
    with pytest.raises(ValueError, match="nesterov=True.*momentum > 0"):
        nn.optim.SGD(lr=0.1, nesterov=True)
    with pytest.raises(TypeError, match="expected an nnlib model"):
        nn.optim.SGD(lr=0.1).step(np.zeros(3))


def test_linear_decay_follows_eq_8_14_and_sets_the_rate_through_fit():
    opt = nn.optim.SGD(lr=0.1)
    schedule = nn.optim.LinearDecay(opt, lr_final=0.001, tau=10)
    assert [schedule.lr(k) for k in (0, 5, 10, 11, 100)] == pytest.approx([0.1, 0.0505, 0.001, 0.001, 0.001])
    rng = nn.make_rng(0)
    X, y = nn.datasets.make_moons(64, rng=rng)
    model = nn.mlp([2, 8, 2], rng=rng)
    seen = []
    nn.fit(model, nn.SoftmaxCrossEntropy(), opt, X, y, epochs=12, batch_size=16, rng=rng,
           callback=lambda epoch, h, m: seen.append(opt.lr) or schedule(epoch, h, m))
    assert seen[0] == 0.1 and seen[-1] == pytest.approx(0.001) and opt.lr == pytest.approx(0.001)
    assert all(a >= b for a, b in zip(seen, seen[1:]))


def test_linear_decay_rejects_bad_arguments_by_name():
    with pytest.raises(TypeError, match="optimizer instance as opt"):
        nn.optim.LinearDecay(nn.optim.SGD, 0.001, 10)
    with pytest.raises(ValueError, match="tau"):
        nn.optim.LinearDecay(nn.optim.SGD(lr=0.1), 0.001, 0)
    with pytest.raises(ValueError, match="lr_final"):
        nn.optim.LinearDecay(nn.optim.SGD(lr=0.1), -1.0, 5)


# --- decoupled weight decay -------------------------------------------------------------------------

def _net(seed=0):
    return nn.mlp([3, 5, 2], activation=nn.Tanh, rng=nn.make_rng(seed))


def _data(seed=1):
    rng = nn.make_rng(seed)
    return rng.normal(size=(20, 3)), rng.integers(0, 2, size=20)


def test_weight_decay_with_plain_sgd_is_exactly_l2():
    # Loshchilov & Hutter 2019, Prop. 1: for SGD, decay lr*lambda per step = L2 with strength lambda
    X, y = _data()
    a, b = _net(), _net()
    nn.fit(a, nn.SoftmaxCrossEntropy(), nn.optim.SGD(lr=0.3), X, y, epochs=20, batch_size=None, l2=0.05)
    nn.fit(b, nn.SoftmaxCrossEntropy(), nn.optim.SGD(lr=0.3, weight_decay=0.05), X, y, epochs=20,
           batch_size=None)
    for (name, pa, _), (_, pb, _) in zip(a.named_parameters(), b.named_parameters()):
        assert np.allclose(pa, pb, rtol=1e-12, atol=1e-14), name


def test_weight_decay_with_adam_differs_from_l2_inside_adam():
    X, y = _data()
    a, b = _net(), _net()
    nn.fit(a, nn.SoftmaxCrossEntropy(), nn.optim.Adam(lr=0.05), X, y, epochs=30, batch_size=None, l2=0.05)
    nn.fit(b, nn.SoftmaxCrossEntropy(), nn.optim.Adam(lr=0.05, weight_decay=0.05), X, y, epochs=30,
           batch_size=None)
    assert not np.allclose(a[0].params["W"], b[0].params["W"], atol=1e-3)


def test_adamw_step_by_hand_and_biases_untouched():
    # one weight with no data gradient: Adam's step is 0/(0 + eps) = 0, so only the decay acts
    model = _net()
    W0, b0 = model[0].params["W"].copy(), model[0].params["b"].copy()
    opt = nn.optim.Adam(lr=0.1, weight_decay=0.5)
    for _ in range(3):
        model.zero_grad()
        opt.step(model)
    assert np.allclose(model[0].params["W"], W0 * 0.95 ** 3, rtol=1e-12)
    assert np.array_equal(model[0].params["b"], b0)


def test_adamw_matches_the_decoupled_formula_with_a_gradient():
    m = OneParam(1.0)
    opt = nn.optim.Adam(lr=0.1, weight_decay=0.2, eps=1e-12)
    m.named_parameters = lambda: iter([("0.W", m.p, m.g)])
    m.g[:] = 3.0
    opt.step(m)
    # t = 1: m_hat = g, v_hat = g^2: the Adam step is lr * sign(g) = 0.1, the decay lr * lambda * theta 0.02
    assert m.p[0] == pytest.approx(1.0 - 0.1 * (1.0 + 0.2 * 1.0))


@pytest.mark.parametrize("make", [lambda: nn.optim.SGD(lr=0.1, momentum=0.9, weight_decay=0.1),
                                  lambda: nn.optim.AdaGrad(lr=0.1, weight_decay=0.1),
                                  lambda: nn.optim.RMSProp(lr=0.1, weight_decay=0.1)])
def test_every_optimizer_decays_weights_outside_its_step(make):
    model = _net()
    W0 = model[0].params["W"].copy()
    opt = make()
    model.zero_grad()
    opt.step(model)                                  # zero gradient: the step itself moves nothing
    assert np.allclose(model[0].params["W"], W0 * (1 - 0.1 * 0.1), rtol=1e-12)
    assert "weight_decay=0.1" in repr(opt)


def test_weight_decay_that_would_flip_the_weights_is_refused():
    with pytest.raises(ValueError, match=r"lr \* weight_decay < 1.*lr=2.0 and weight_decay=0.5"):
        nn.optim.SGD(lr=2.0, weight_decay=0.5)
    opt = nn.optim.SGD(lr=0.1, weight_decay=0.5)
    opt.lr = 4.0                                     # e.g. a schedule raised it later
    model = _net()
    model.zero_grad()
    with pytest.raises(ValueError, match="weight_decay"):
        opt.step(model)
    with pytest.raises(ValueError, match="weight_decay >= 0"):
        nn.optim.Adam(weight_decay=-1e-3)
    with pytest.raises(TypeError, match="weight_decay"):
        nn.optim.Adam(weight_decay="0.01")
