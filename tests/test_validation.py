"""Every documented input error, triggered, with its message checked."""
import numpy as np
import pytest

import nnlib as nn


@pytest.fixture
def model(rng):
    return nn.Sequential([nn.Dense(3, 4, rng=rng), nn.ReLU(), nn.Dense(4, 2, rng=rng)])


def test_shape_mismatch_between_layers(rng):
    with pytest.raises(ValueError, match=r"expected n_in=4 \(the previous layer's n_out\), got n_in=5"):
        nn.Sequential([nn.Dense(3, 4, rng=rng), nn.Dense(5, 2, rng=rng)])


def test_wrong_number_of_features(model):
    with pytest.raises(ValueError, match=r"Dense\(n_in=3\) expected X of shape \(N, 3\), got \(10, 5\); "
                                         r"check n_in or the previous layer's n_out"):
        model.forward(np.zeros((10, 5)))


def test_one_d_input(model):
    with pytest.raises(ValueError, match=r"2-D array of shape \(N, D\), got 1-D .*reshape\(1, -1\)"):
        model.forward(np.zeros(3))


def test_labels_out_of_range(model):
    with pytest.raises(ValueError, match=r"labels in 0\.\.1 .*got label 2; "
                                         r"check the labels or the last layer"):
        nn.SoftmaxCrossEntropy()(np.zeros((2, 2)), [0, 2])


def test_one_hot_labels_rejected():
    with pytest.raises(ValueError, match=r"one-hot\?.*argmax\(axis=1\)"):
        nn.SoftmaxCrossEntropy()(np.zeros((2, 3)), np.eye(3)[[0, 1]])


def test_float_labels_rejected():
    with pytest.raises(TypeError, match="integer class labels.*MSELoss"):
        nn.SoftmaxCrossEntropy()(np.zeros((2, 3)), [0.5, 1.0])


def test_label_count_mismatch():
    with pytest.raises(ValueError, match=r"one label per sample \(2\), got 3"):
        nn.SoftmaxCrossEntropy()(np.zeros((2, 3)), [0, 1, 2])


@pytest.mark.parametrize("p_drop", [-0.1, 1.0, 1.5])
def test_p_drop_outside_unit_interval(p_drop, rng):
    with pytest.raises(ValueError, match=rf"p_drop in \[0, 1\), got {p_drop}"):
        nn.Dropout(p_drop=p_drop, rng=rng)


def test_negative_learning_rate():
    with pytest.raises(ValueError, match=r"SGD expected lr > 0, got -1.*positive"):
        nn.optim.SGD(lr=-1)


def test_nan_in_inputs(model, rng):
    X = rng.standard_normal((5, 3))
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"found 1 NaN or infinite value\(s\) in X"):
        nn.fit(model, nn.SoftmaxCrossEntropy(), nn.optim.SGD(0.1), X, [0, 1, 0, 1, 0], epochs=1,
               batch_size=None)


def test_backward_before_forward(rng):
    for layer in (nn.Dense(2, 2, rng=rng), nn.ReLU(), nn.Dropout(0.1, rng=rng)):
        with pytest.raises(RuntimeError, match="backward was called before forward"):
            layer.backward(np.zeros((1, 2)))
    with pytest.raises(RuntimeError, match="before forward"):
        nn.SoftmaxCrossEntropy().backward()
    with pytest.raises(RuntimeError, match="before forward"):
        nn.MSELoss().backward()


def test_wrong_dout_shape(rng):
    layer = nn.Dense(2, 3, rng=rng)
    layer.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"expected dout of shape \(4, 3\).*got \(4, 2\)"):
        layer.backward(np.zeros((4, 2)))


def test_missing_rng():
    with pytest.raises(TypeError, match=r"Dense expected rng .*got nothing \(rng=None\).*make_rng"):
        nn.Dense(2, 2)
    with pytest.raises(TypeError, match=r"Dropout expected rng"):
        nn.Dropout(0.5)
    with pytest.raises(TypeError, match=r"make_rng\(seed\) expected an int"):
        nn.make_rng("zero")


def test_layer_class_instead_of_instance(rng):
    with pytest.raises(TypeError, match=r"position 1.*nn.ReLU instead of nn.ReLU\(\)"):
        nn.Sequential([nn.Dense(2, 2, rng=rng), nn.ReLU])


def test_fit_argument_errors(model, rng):
    X, y = rng.standard_normal((6, 3)), np.array([0, 1] * 3)
    loss, opt = nn.SoftmaxCrossEntropy(), nn.optim.SGD(0.1)
    with pytest.raises(TypeError, match=r"fit \(mini-batches are shuffled\) expected rng"):
        nn.fit(model, loss, opt, X, y, epochs=1, batch_size=2)
    with pytest.raises(ValueError, match="early_stopping=.*needs validation data"):
        nn.fit(model, loss, opt, X, y, epochs=1, batch_size=None, early_stopping=nn.EarlyStopping())
    with pytest.raises(ValueError, match=r"first layer expects 3 features, got X of shape \(6, 2\)"):
        nn.fit(model, loss, opt, X[:, :2], y, epochs=1, batch_size=None)
    with pytest.raises(ValueError, match="epochs >= 1, got 0"):
        nn.fit(model, loss, opt, X, y, epochs=0)
    with pytest.raises(ValueError, match="l2 >= 0, got -0.1"):
        nn.fit(model, loss, opt, X, y, epochs=1, batch_size=None, l2=-0.1)
    with pytest.raises(ValueError, match="on_divergence 'raise' or 'stop'"):
        nn.fit(model, loss, opt, X, y, epochs=1, on_divergence="ignore")


def test_mse_shape_mismatch():
    with pytest.raises(ValueError, match=r"same shape as the predictions \(3, 2\), got \(3,\)"):
        nn.MSELoss()(np.zeros((3, 2)), np.zeros(3))


def test_dense_bad_dtype_and_init(rng):
    with pytest.raises(TypeError, match="dtype float32 or float64, got int64"):
        nn.Dense(2, 2, rng=rng, dtype=np.int64)
    with pytest.raises(TypeError, match="init to be a function"):
        nn.Dense(2, 2, init="he", rng=rng)
