"""Lesson 09's challenges: the solutions pass, every wrong configuration gets the verdict for its
mistake, and anything that is not a configuration gets a clear answer instead of a traceback."""
import pytest

from course.checks import lesson09 as check
from course.computations.lesson09 import Config, Playground
from course.widgets.lesson09 import playground

XOR = "dataset=xor&noise=50&train_ratio=10&layers=8,8,8&optimizer=adam&lr=0.03"
SOLVED = {
    "circle_without_hidden_layers": "layers=&features=x1^2,x2^2&lr=0.1",
    "small_spiral": "dataset=spiral&layers=8,8,4&optimizer=adam&lr=0.01",
    "deep_sigmoid": "layers=8,8,8,8,8,8&activation=sigmoid&batchnorm=true",
    "symmetric_units": "layers=4,4&activation=sigmoid&init=zeros&lr=0.3",
    "regularized_xor": XOR + "&regularization=L2&reg_rate=0.03",
}
WRONG = [
    ("circle_without_hidden_layers", "layers=", "features_cannot_draw_a_circle"),
    ("circle_without_hidden_layers", "layers=&features=x1^2,x2^2&lr=0.00001", "too_slow_to_learn"),
    ("circle_without_hidden_layers", "layers=&features=x1,x2,x1^2,x2^2", "saturated_output"),
    ("circle_without_hidden_layers", "layers=4", "hidden_layers"),
    ("circle_without_hidden_layers", "dataset=xor&layers=", "changed_fixed_setting"),
    ("circle_without_hidden_layers", "layers=&features=x1^2,x2^2&noise=10", "changed_fixed_setting"),
    ("small_spiral", "dataset=spiral&layers=8,8", "learns_too_slowly"),
    ("small_spiral", "dataset=spiral&layers=8,8&optimizer=adam&lr=1", "steps_too_large"),
    ("small_spiral", "dataset=spiral&layers=8,8&optimizer=adam&regularization=L2&reg_rate=0.01",
     "regularized_too_much"),
    ("small_spiral", "dataset=spiral&layers=8,8&optimizer=adam&init=zeros", "symmetric_units"),
    ("small_spiral", "dataset=spiral&layers=8,8&lr=0.3", "underfits"),
    ("small_spiral", "dataset=spiral&layers=8,8,8", "too_many_units"),
    ("small_spiral", "dataset=spiral&layers=8,8&features=x1,x2,sin_x1", "other_features"),
    ("small_spiral", "dataset=spiral&layers=", "hidden_layers"),
    ("small_spiral", "dataset=spiral&layers=8,8,4&optimizer=adam&lr=0.01&seed=3", "changed_fixed_setting"),
    ("deep_sigmoid", "layers=8,8,8,8,8,8&activation=sigmoid&init=glorot", "vanishing_gradient"),
    ("deep_sigmoid", "layers=8,8,8,8,8&activation=sigmoid&batchnorm=true", "not_six_layers"),
    ("deep_sigmoid", "layers=8,8,8,8,8,8&activation=sigmoid&batchnorm=true&lr=0.00001", "too_slow_to_learn"),
    ("deep_sigmoid", "layers=8,8,8,8,8,8&activation=sigmoid&batchnorm=true&dropout=0.5",
     "regularized_too_much"),
    ("deep_sigmoid", "layers=8,8,8,8,8,8&activation=sigmoid&batchnorm=true&init=zeros", "symmetric_units"),
    ("deep_sigmoid", "layers=8,8,8,8,8,8&activation=sigmoid&batchnorm=true&optimizer=adam",
     "changed_fixed_setting"),
    ("deep_sigmoid", "layers=8,8,8,8,8,8&batchnorm=true", "changed_fixed_setting"),
    ("symmetric_units", "layers=4,4&init=zeros", "stuck_at_zero"),
    ("symmetric_units", "layers=4,4&activation=relu&init=zeros", "stuck_at_zero"),
    ("symmetric_units", "layers=4,4", "random_init"),
    ("symmetric_units", "layers=4,4&activation=sigmoid&init=glorot", "random_init"),
    ("symmetric_units", "layers=4,4&activation=sigmoid&init=zeros&dropout=0.1", "dropout_breaks_symmetry"),
    ("symmetric_units", "layers=1", "no_layer_to_be_symmetric"),
    ("symmetric_units", "layers=4,4&activation=sigmoid&init=zeros&lr=10", "steps_too_large"),
    ("symmetric_units", "layers=4,4&activation=sigmoid&init=zeros&regularization=L2&reg_rate=10",
     "penalty_holds_weights"),
    ("symmetric_units", "layers=4,4&activation=sigmoid&init=zeros&lr=0.00001", "learns_too_little"),
    ("symmetric_units", "layers=", "no_layer_to_be_symmetric"),
    ("regularized_xor", XOR, "no_regularization"),
    ("regularized_xor", XOR + "&regularization=L2&reg_rate=1", "too_strong"),
    ("regularized_xor", XOR + "&regularization=L2&reg_rate=0.003", "too_weak"),
    ("regularized_xor", XOR + "&layers=4", "changed_fixed_setting"),
    ("regularized_xor", XOR + "&reg_rate=0.03", "rate_without_penalty"),
    ("regularized_xor", XOR + "&regularization=L2&reg_rate=0.03&seed=1", "changed_fixed_setting"),
    ("regularized_xor", XOR + "&regularization=L2&reg_rate=0.03&batchnorm=true", "changed_fixed_setting"),
]


@pytest.mark.parametrize("name", list(SOLVED))
def test_the_solution_passes(name):
    result = getattr(check, name)(lambda: SOLVED[name])
    assert result.status == "passed", result.message


@pytest.mark.parametrize("name, text, mistake", WRONG,
                         ids=[f"{n}-{m}-{i}" for i, (n, _, m) in enumerate(WRONG)])
def test_a_wrong_configuration_is_named(name, text, mistake):
    result = getattr(check, name)(lambda: text)
    assert result.status == "failed" and result.mistake == mistake, (result.mistake, result.message)


def test_a_diverging_configuration_says_so():
    result = check.deep_sigmoid(lambda: "layers=8,8,8,8,8,8&activation=sigmoid&batchnorm=true&lr=10")
    assert result.status == "failed"
    if result.mistake == "diverged":
        assert "learning rate" in result.message


def test_the_check_trains_the_configuration_itself_not_the_screen():
    """A playground trained to a pass is judged by its configuration, retrained for the budget."""
    app = playground(SOLVED["circle_without_hidden_layers"])
    assert check.circle_without_hidden_layers(app).passed          # 0 epochs on screen: still judged
    engine = Playground(SOLVED["small_spiral"])
    assert check.small_spiral(engine).passed
    assert check.small_spiral(Config.from_text(SOLVED["small_spiral"])).passed
    assert check.small_spiral(SOLVED["small_spiral"]).passed


def test_answers_that_are_not_configurations():
    def stub():
        raise NotImplementedError("Challenge 9.2: write your code here")

    def broken():
        return 1 / 0

    assert check.small_spiral(stub).status == "not_attempted"
    verdicts = {
        "none": check.small_spiral(lambda: None),
        "int": check.small_spiral(lambda: 3),
        "bad key": check.small_spiral(lambda: "dataset=spiral&layer=8"),
        "bad value": check.small_spiral(lambda: "dataset=spiral&layers=9"),
        "raises": check.small_spiral(broken),
        "exit": check.small_spiral(lambda: exit(1)),
    }
    assert all(v.status == "failed" for v in verdicts.values())
    assert "return" in verdicts["none"].message
    assert "int" in verdicts["int"].message
    assert "layer" in verdicts["bad key"].message and "layers" in verdicts["bad key"].message
    assert "layers[0]" in verdicts["bad value"].message
    assert "ZeroDivisionError" in verdicts["raises"].message


def test_every_challenge_has_a_number_a_name_and_a_budget():
    numbers = [c.number for c in check.CHALLENGES]
    assert numbers == ["9.1", "9.2", "9.3", "9.4", "9.5"]
    assert check.EXERCISES is check.CHALLENGES
    for c in check.CHALLENGES:
        assert c.epochs in (100, 300) and str(c.epochs) in c.goal


def test_a_check_run_again_reuses_its_training_runs(monkeypatch):
    """The same answer checked twice trains nothing the second time and gets the same verdict; a
    configuration that differs in one setting (here the seed) is trained afresh."""
    built = []
    real = check.Playground

    def counting(cfg):
        built.append(cfg)
        return real(cfg)

    monkeypatch.setattr(check, "_RUNS", {})
    monkeypatch.setattr(check, "Playground", counting)
    text = "layers=4,4&init=zeros"                       # a wrong answer: counterfactual runs too
    first = check.symmetric_units(lambda: text)
    trained = len(built)
    again = check.symmetric_units(lambda: text)
    assert trained >= 1 and len(built) == trained, f"{len(built) - trained} runs trained again"
    assert (again.status, again.mistake, again.message) == (first.status, first.mistake, first.message)
    check.symmetric_units(lambda: text + "&seed=1")
    assert len(built) > trained, "a configuration with another seed was not trained"


def test_the_kept_runs_are_bounded(monkeypatch):
    monkeypatch.setattr(check, "_RUNS", {})
    monkeypatch.setattr(check, "_RUNS_KEPT", 3)
    configs = [Config.from_text(f"layers=2&seed={seed}") for seed in range(5)]
    for cfg in configs:
        check._train(cfg, 1)
    assert list(check._RUNS) == [(repr(cfg), 1) for cfg in configs[2:]], "not the newest three runs"
