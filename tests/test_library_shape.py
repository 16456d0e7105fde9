"""The library stays a library: what `import nnlib` loads, how big it is, one contract for layers,
one MLP builder, one loss base class, and a lint-clean tree."""
import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nnlib as nn

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "nnlib"


def test_import_nnlib_loads_no_course_code_no_matplotlib_no_ipywidgets():
    code = ("import sys, nnlib as nn; nn.mlp([2, 3, 2], rng=nn.make_rng(0))\n"
            "bad = sorted({m.split('.')[0] for m in sys.modules} & {'course', 'matplotlib', 'ipywidgets'})\n"
            "assert not bad, bad\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr


def test_nnlib_has_no_course_subpackages_and_no_module_imports_course():
    assert not [p.name for p in LIBRARY.iterdir() if p.is_dir() and p.name not in ("data", "__pycache__")]
    for path in LIBRARY.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(n.split(".")[0] in ("course", "ipywidgets") for n in names), path.name


def _code_lines(path):
    """Lines of code: not blank, not a comment, not inside a docstring."""
    source = path.read_text()
    doc_lines = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            doc_lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    return sum(1 for i, line in enumerate(source.splitlines(), 1)
               if line.strip() and not line.strip().startswith("#") and i not in doc_lines)


def test_library_is_small_enough_to_read_in_an_afternoon():
    sizes = {p.name: _code_lines(p) for p in LIBRARY.glob("*.py")}
    assert sum(sizes.values()) <= 2200, sizes
    assert max(sizes.values()) <= 350, sizes


def test_course_package_imports_cleanly():
    for name in ["course", "course.checks", "course.widgets", "course.computations.lesson03",
                 "course.build", "course.execute", "course.progress"]:
        assert importlib.util.find_spec(name) is not None, name
        __import__(name)


# --- nn.mlp ---------------------------------------------------------------------------------

def test_mlp_builds_dense_layers_with_activations_between():
    model = nn.mlp([2, 5, 4, 3], activation=nn.Tanh, rng=nn.make_rng(0))
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Dense", "Tanh", "Dense", "Tanh", "Dense"]
    assert (model.n_in, model.n_out) == (2, 3)
    assert model.num_parameters() == (2 * 5 + 5) + (5 * 4 + 4) + (4 * 3 + 3)
    assert isinstance(nn.mlp([2, 3], rng=nn.make_rng(0))[0], nn.Dense)
    assert len(nn.mlp([2, 8, 2], rng=nn.make_rng(0))) == 3
    assert isinstance(nn.mlp([2, 8, 2], rng=nn.make_rng(0))[1], nn.ReLU)      # ReLU by default


def test_mlp_draws_like_the_same_layers_built_by_hand():
    by_hand = nn.Sequential([nn.Dense(3, 4, init=nn.init.he_normal, rng=nn.make_rng(5)), nn.ReLU(),
                             nn.Dense(4, 2, init=nn.init.he_normal, rng=nn.make_rng(5))])
    rng = nn.make_rng(5)
    first = nn.Dense(3, 4, init=nn.init.he_normal, rng=rng)
    second = nn.Dense(4, 2, init=nn.init.he_normal, rng=rng)
    built = nn.mlp([3, 4, 2], init=nn.init.he_normal, rng=nn.make_rng(5))
    np.testing.assert_array_equal(built[0].params["W"], first.params["W"])
    np.testing.assert_array_equal(built[2].params["W"], second.params["W"])
    assert by_hand[0].params["W"].shape == built[0].params["W"].shape
    assert nn.mlp([3, 4, 2], rng=nn.make_rng(0), dtype=np.float32)(np.ones((2, 3))).dtype == np.float32


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(sizes=[2]), ValueError, "at least two sizes"),
    (dict(sizes=3), TypeError, "list of layer widths"),
    (dict(sizes=[2, 0, 2]), ValueError, "sizes[1] >= 1"),
    (dict(sizes=[2, 2.5, 2]), TypeError, "sizes[1] to be an int"),
    (dict(sizes=[2, 4, 2], activation="relu"), TypeError, "layer class"),
    (dict(sizes=[2, 4, 2], activation=np.tanh), TypeError, "nnlib layer"),
])
def test_mlp_rejects_bad_arguments_with_a_fix(kwargs, error, words):
    kwargs.setdefault("rng", nn.make_rng(0))
    with pytest.raises(error, match=None) as info:
        nn.mlp(**kwargs)
    assert words in str(info.value) and "mlp" in str(info.value)


# --- one layer contract --------------------------------------------------------------------

@pytest.mark.parametrize("layer", [nn.Dense(3, 3, rng=nn.make_rng(0)), nn.Tanh(), nn.Sigmoid(), nn.ReLU(),
                                   nn.LeakyReLU(), nn.Identity(), nn.Dropout(0.5, rng=nn.make_rng(0)),
                                   nn.Sequential([nn.Tanh()])])
def test_every_layer_backward_takes_input_grad(layer):
    X = nn.make_rng(1).standard_normal((4, 3))
    out = layer.forward(X)
    assert layer.backward(np.ones_like(out), input_grad=False) is None
    layer.forward(X)
    assert layer.backward(np.ones_like(out)).shape == X.shape


def test_sequential_rejects_a_layer_whose_backward_lacks_input_grad():
    class Old(nn.Layer):
        def forward(self, X):
            return X

        def backward(self, dout):
            return dout

    with pytest.raises(TypeError, match=r"Old\.backward \(position 1\) must accept input_grad"):
        nn.Sequential([nn.Dense(2, 2, rng=nn.make_rng(0)), Old()])


def test_train_and_eval_have_one_definition_and_reach_nested_layers():
    drop = nn.Dropout(0.5, rng=nn.make_rng(0))
    model = nn.Sequential([nn.Dense(2, 2, rng=nn.make_rng(0)), nn.Sequential([drop])])
    assert model.eval() is model and not drop.training and not model.training
    assert model.train() is model and drop.training
    model.train(False)
    assert not drop.training
    assert "eval" not in vars(nn.Sequential) and "eval" not in vars(nn.Dropout)


def test_dropout_backward_checks_the_shape_of_dout():
    drop = nn.Dropout(0.5, rng=nn.make_rng(0))
    drop.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"expected dout of shape \(4, 3\)"):
        drop.backward(np.ones((3, 4)))


# --- one loss base class -------------------------------------------------------------------

@pytest.mark.parametrize("loss_fn", [nn.SoftmaxCrossEntropy(), nn.MSELoss()])
def test_losses_share_the_base_class(loss_fn):
    assert isinstance(loss_fn, nn.Loss) and repr(loss_fn) == f"{type(loss_fn).__name__}()"
    with pytest.raises(RuntimeError, match=rf"{type(loss_fn).__name__}\.backward was called before forward"):
        type(loss_fn)().backward()


def test_penalty_strengths_have_one_name_everywhere():
    import inspect
    for fn, name in [(nn.regularization.l2_penalty, "l2"), (nn.regularization.l1_penalty, "l1")]:
        assert name in inspect.signature(fn).parameters
    assert {"l2", "l1"} <= set(inspect.signature(nn.regularization.add_penalty_grads).parameters)
    assert {"l2", "l1"} <= set(inspect.signature(nn.fit).parameters)
    with pytest.raises(ValueError, match="add_penalty_grads expected l2 >= 0"):
        nn.regularization.add_penalty_grads(nn.mlp([2, 2], rng=nn.make_rng(0)), l2=-1.0)


def test_public_forward_backward_step_have_docstrings():
    missing = []
    for cls in [nn.Dense, nn.Tanh, nn.Sigmoid, nn.ReLU, nn.LeakyReLU, nn.Identity, nn.Dropout, nn.Sequential,
                nn.SoftmaxCrossEntropy, nn.MSELoss, nn.optim.SGD, nn.optim.Adam, nn.optim.RMSProp,
                nn.optim.AdaGrad]:
        for method in ("forward", "backward", "step"):
            fn = getattr(cls, method, None)
            if fn is not None and not (fn.__doc__ or "").strip():
                missing.append(f"{cls.__name__}.{method}")
    assert not missing, missing


# --- lint ----------------------------------------------------------------------------------

def test_ruff_finds_nothing():
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], capture_output=True,
                       text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
