"""Independent wrong answers (round 9), written from the challenge statements only."""

# =====================================================================================
# lesson 09
# =====================================================================================

# ---- 9.1 circle_without_hidden_layers -------------------------------------------------

def circle_ok():
    # x1^2 + x2^2 < r^2 is linear in the squares; momentum gets there quickly
    return ("problem=classification&dataset=circle&noise=0&train_ratio=50&batch_size=10&seed=0"
            "&features=x1^2,x2^2&layers=&activation=tanh&lr=0.01&regularization=none&reg_rate=0"
            "&optimizer=momentum&init=playground&loss=squared&dropout=0&batchnorm=false&reshuffle=false"
            "&early_stopping=false&show_test=false&discretize=false&hide=")


def circle_linear_features():
    return "dataset=circle&layers=&features=x1,x2"


def circle_product_feature():
    return "dataset=circle&layers=&features=x1x2"


def circle_sines():
    return "dataset=circle&layers=&features=sin_x1,sin_x2"


def circle_one_square():
    return "dataset=circle&layers=&features=x1^2"


def circle_all_four_saturated():
    return "dataset=circle&layers=&features=x1,x2,x1^2,x2^2&seed=0"


def circle_lr_tiny():
    return "dataset=circle&layers=&features=x1^2,x2^2&lr=0.00001"


def circle_lr_huge():
    return "dataset=circle&layers=&features=x1^2,x2^2&lr=10"


def circle_one_hidden_unit():
    return "dataset=circle&layers=1&features=x1^2,x2^2"


def circle_layers_not_removed():
    return ("problem=classification&dataset=circle&noise=0&train_ratio=50&batch_size=10&seed=0"
            "&features=x1^2,x2^2&layers=4,2&activation=tanh&lr=0.03&regularization=none&reg_rate=0"
            "&optimizer=sgd&init=playground&loss=squared&dropout=0&batchnorm=false&reshuffle=false"
            "&early_stopping=false&show_test=false&discretize=false&hide=")


def circle_with_noise():
    return "dataset=circle&noise=10&layers=&features=x1^2,x2^2"


def circle_misspelt_key():
    return "dataset=circle&layers=&feature=x1^2,x2^2"


def circle_layers_zero():
    return "dataset=circle&layers=0&features=x1^2,x2^2"


# ---- 9.2 small_spiral ------------------------------------------------------------------

SPIRAL = "dataset=spiral&noise=0&train_ratio=50&seed=0&features=x1,x2"


def spiral_ok():
    # three layers 8-8-4 (20 units) and Adam at a gentler rate
    return SPIRAL + "&layers=8,8,4&optimizer=adam&lr=0.01"


def spiral_defaults():
    return SPIRAL


def spiral_plain_sgd():
    return SPIRAL + "&layers=8,8"


def spiral_adam_lr_tiny():
    return SPIRAL + "&layers=8,8&optimizer=adam&lr=0.0001"


def spiral_adam_lr_huge():
    return SPIRAL + "&layers=8,8&optimizer=adam&lr=1"


def spiral_l2_too_strong():
    return SPIRAL + "&layers=8,8&optimizer=adam&regularization=L2&reg_rate=0.01"


def spiral_dropout():
    return SPIRAL + "&layers=8,8&optimizer=adam&dropout=0.2"


def spiral_zero_init():
    return SPIRAL + "&layers=8,8&optimizer=adam&init=zeros"


def spiral_sgd_big_lr():
    return ("problem=classification&dataset=spiral&noise=0&train_ratio=50&batch_size=10&seed=0"
            "&features=x1,x2&layers=8,8&activation=tanh&lr=0.3&regularization=none&reg_rate=0"
            "&optimizer=sgd&init=playground&loss=squared&dropout=0&batchnorm=false&reshuffle=false"
            "&early_stopping=false&show_test=false&discretize=false&hide=")


def spiral_22_units():
    return SPIRAL + "&layers=8,8,6&optimizer=adam&lr=0.01"


def spiral_sine_features():
    return "dataset=spiral&noise=0&train_ratio=50&seed=0&features=x1,x2,sin_x1,sin_x2&layers=8,8&optimizer=adam"


def spiral_one_wide_layer():
    return SPIRAL + "&layers=20&optimizer=adam"


def spiral_reads_the_widget():
    return app.config.to_text()     # noqa: F821  (the playground is not in this scope)


# ---- 9.3 deep_sigmoid ------------------------------------------------------------------

DEEP = "dataset=circle&noise=0&train_ratio=50&activation=sigmoid"


def deep_ok():
    return ("problem=classification&dataset=circle&noise=0&train_ratio=50&batch_size=10&seed=0"
            "&features=x1,x2&layers=4,4,4,4,4,4&activation=sigmoid&lr=0.1&regularization=none&reg_rate=0"
            "&optimizer=sgd&init=playground&loss=squared&dropout=0&batchnorm=true&reshuffle=false"
            "&early_stopping=false&show_test=false&discretize=false&hide=")


def deep_defaults():
    return DEEP + "&layers=8,8,8,8,8,8"


def deep_glorot_only():
    return DEEP + "&layers=8,8,8,8,8,8&init=glorot"


def deep_he_bigger_lr():
    return DEEP + "&layers=8,8,8,8,8,8&init=he&lr=0.3"


def deep_bn_lr_tiny():
    return DEEP + "&layers=4,4,4,4,4,4&batchnorm=true&lr=0.00001"


def deep_bn_zero_init():
    return DEEP + "&layers=4,4,4,4,4,4&batchnorm=true&init=zeros"


def deep_bn_one_unit_layers():
    return DEEP + "&layers=1,1,1,1,1,1&batchnorm=true&features=x1^2,x2^2&lr=0.3"


def deep_bn_dropout():
    return DEEP + "&layers=4,4,4,4,4,4&batchnorm=true&lr=0.1&dropout=0.5"


def deep_five_layers():
    return DEEP + "&layers=4,4,4,4,4&batchnorm=true&lr=0.1"


def deep_tanh():
    return "dataset=circle&noise=0&train_ratio=50&activation=tanh&layers=4,4,4,4,4,4&batchnorm=true&lr=0.1"


def deep_adam():
    return DEEP + "&layers=8,8,8,8,8,8&optimizer=adam&lr=0.01"


def deep_momentum():
    return DEEP + "&layers=4,4,4,4,4,4&batchnorm=true&optimizer=momentum&lr=0.01"


def deep_seven_layers():
    return DEEP + "&layers=8,8,8,8,8,8,8&batchnorm=true"


# ---- 9.4 symmetric_units ---------------------------------------------------------------

def symmetric_ok():
    # on x1*x2 one unit per layer is enough for XOR, so identical units can learn it
    return "dataset=xor&features=x1x2&layers=4,4&activation=sigmoid&init=zeros&optimizer=adam&lr=0.01"


def sym_random_init():
    return "dataset=gauss&layers=4,4"


def sym_glorot():
    return "dataset=gauss&layers=4&activation=sigmoid&init=glorot"


def sym_zeros_tanh():
    return "dataset=gauss&layers=4,4&activation=tanh&init=zeros"


def sym_dropout():
    return "dataset=gauss&layers=4&activation=sigmoid&init=zeros&dropout=0.2"


def sym_lr_tiny():
    return "dataset=gauss&layers=4&activation=sigmoid&init=zeros&lr=0.00001"


def sym_lr_huge():
    return "dataset=gauss&layers=4,2&activation=sigmoid&init=zeros&lr=10"


def sym_l2_huge():
    return "dataset=gauss&layers=4&activation=sigmoid&init=zeros&regularization=L2&reg_rate=10"


def sym_circle_stalls():
    return "dataset=circle&layers=4,2&activation=sigmoid&init=zeros"


def sym_one_unit():
    return "dataset=gauss&layers=1&activation=sigmoid&init=zeros"


def sym_no_hidden_layer():
    return "dataset=gauss&layers=&activation=sigmoid&init=zeros"


def sym_init_misspelt():
    return "dataset=gauss&layers=4&activation=sigmoid&init=zero"


def sym_returns_none():
    "dataset=gauss&layers=4&activation=sigmoid&init=zeros"      # forgot the return


# ---- 9.5 regularized_xor ---------------------------------------------------------------

XOR = ("dataset=xor&noise=50&train_ratio=10&seed=0&features=x1,x2&layers=8,8,8&activation=tanh"
       "&optimizer=adam&lr=0.03&loss=squared&init=playground&batch_size=10&batchnorm=false")


def xor_ok():
    return XOR + "&regularization=L2&reg_rate=0.03&early_stopping=true"


def xor_unregularized():
    return XOR


def xor_l2_weak():
    return XOR + "&regularization=L2&reg_rate=0.001"


def xor_l2_near_miss():
    return XOR + "&regularization=L2&reg_rate=0.01"


def xor_l2_strong():
    return XOR + "&regularization=L2&reg_rate=0.1"


def xor_l1_strong():
    return XOR + "&regularization=L1&reg_rate=0.03"


def xor_dropout_only():
    return XOR + "&dropout=0.5"


def xor_rate_without_kind():
    return XOR + "&reg_rate=0.03"


def xor_l1_weak():
    return XOR + "&regularization=L1&reg_rate=0.003"


def xor_smaller_network():
    return XOR.replace("layers=8,8,8", "layers=8")


def xor_plain_sgd():
    return XOR.replace("optimizer=adam", "optimizer=sgd")


def xor_only_the_changes():
    return "regularization=L2&reg_rate=0.03"


def xor_rate_not_on_menu():
    return XOR + "&regularization=L2&reg_rate=0.05"


WRONG = {
    "lesson09": {
        "circle_without_hidden_layers": [
            ("features x1, x2 only: one unit's boundary is a straight line", circle_linear_features),
            ("wrong feature: x1*x2 alone (hyperbolas, not a circle)", circle_product_feature),
            ("wrong features: sin x1, sin x2", circle_sines),
            ("only one square x1^2: a band, not a disc", circle_one_square),
            ("x1, x2, x1^2, x2^2 with squared error at seed 0: the unit starts saturated and stays stuck",
             circle_all_four_saturated),
            ("right features, learning rate 0.00001 too small", circle_lr_tiny),
            ("right features, learning rate 10 too large", circle_lr_huge),
            ("a hidden layer of one unit kept (layers=1): not 'no hidden layers'", circle_one_hidden_unit),
            ("right features but the default hidden layers 4,2 not removed", circle_layers_not_removed),
            ("fixed setting broken: noise 10 instead of 0", circle_with_noise),
            ("misspelt key 'feature' (invalid configuration)", circle_misspelt_key),
            ("layers=0 to mean no hidden layer (out of range, invalid)", circle_layers_zero),
        ],
        "small_spiral": [
            ("Playground defaults: 4-2 network, plain SGD", spiral_defaults),
            ("8-8 network but plain SGD at 0.03", spiral_plain_sgd),
            ("8-8 Adam, learning rate 0.0001 too small", spiral_adam_lr_tiny),
            ("8-8 Adam, learning rate 1 too large", spiral_adam_lr_huge),
            ("8-8 Adam with L2 0.01: regularization too strong, underfits", spiral_l2_too_strong),
            ("8-8 Adam with dropout 0.2: underfits", spiral_dropout),
            ("8-8 Adam with zero initialization: symmetric units cannot learn", spiral_zero_init),
            ("near miss: 8-8 plain SGD at 0.3, test loss about 0.13", spiral_sgd_big_lr),
            ("too many units: 8-8-6 = 22 hidden units", spiral_22_units),
            ("features sin x1, sin x2 added (only x1, x2 allowed)", spiral_sine_features),
            ("one layer of 20 units (out of range, max 8: invalid)", spiral_one_wide_layer),
            ("returns app.config.to_text() with no app in scope (raises NameError)", spiral_reads_the_widget),
        ],
        "deep_sigmoid": [
            ("six sigmoid layers with Playground's defaults: nothing fixed, does not learn", deep_defaults),
            ("Glorot initialization alone, no batch norm: still vanishes", deep_glorot_only),
            ("He initialization and learning rate 0.3, no batch norm: still does not learn", deep_he_bigger_lr),
            ("batch norm but learning rate 0.00001 too small", deep_bn_lr_tiny),
            ("batch norm with zero initialization: symmetric, does not learn", deep_bn_zero_init),
            ("near miss: batch norm with one unit per layer, accuracy about 0.93", deep_bn_one_unit_layers),
            ("batch norm with dropout 0.5: too much noise, does not learn", deep_bn_dropout),
            ("only 5 hidden layers (exactly 6 required)", deep_five_layers),
            ("activation tanh instead of sigmoid", deep_tanh),
            ("optimizer Adam instead of plain SGD", deep_adam),
            ("optimizer momentum (plain SGD required)", deep_momentum),
            ("7 hidden layers (more than 6: invalid configuration)", deep_seven_layers),
        ],
        "symmetric_units": [
            ("Playground's random initialization: units differ", sym_random_init),
            ("Glorot initialization: random, units differ", sym_glorot),
            ("zero init with tanh: tanh(0) = 0, no gradient reaches the hidden layers, loss does not fall",
             sym_zeros_tanh),
            ("zero init with sigmoid but dropout 0.2: the masks break the symmetry", sym_dropout),
            ("zero init, sigmoid, learning rate 0.00001 too small: loss does not fall", sym_lr_tiny),
            ("zero init, sigmoid, learning rate 10 too large: loss rises", sym_lr_huge),
            ("zero init, sigmoid, L2 rate 10 keeps the weights at 0: loss does not fall", sym_l2_huge),
            ("zero init, sigmoid, circle with 4-2 and plain SGD: symmetric but loss hardly falls",
             sym_circle_stalls),
            ("only one unit in the hidden layer (two or more required)", sym_one_unit),
            ("no hidden layer at all", sym_no_hidden_layer),
            ("misspelt value init=zero (invalid configuration)", sym_init_misspelt),
            ("forgot the return: returns None", sym_returns_none),
        ],
        "regularized_xor": [
            ("no regularization at all", xor_unregularized),
            ("L2 0.001: too weak", xor_l2_weak),
            ("near miss: L2 0.01, test loss about 0.36", xor_l2_near_miss),
            ("L2 0.1: too strong, the network predicts one class", xor_l2_strong),
            ("L1 0.03: too strong, the network predicts one class", xor_l1_strong),
            ("dropout 0.5 alone: not enough (test loss about 0.35)", xor_dropout_only),
            ("reg_rate 0.03 set but regularization left at none", xor_rate_without_kind),
            ("L1 0.003: too weak (test loss about 0.42)", xor_l1_weak),
            ("fixed setting broken: one hidden layer of 8 instead of 8,8,8", xor_smaller_network),
            ("fixed setting broken: plain SGD instead of Adam", xor_plain_sgd),
            ("only the regularization pasted: the fixed settings left at the defaults (circle, 4-2)",
             xor_only_the_changes),
            ("reg_rate 0.05 is not on the menu (invalid configuration)", xor_rate_not_on_menu),
        ],
    },
}

CORRECT = {
    "lesson09": {
        "circle_without_hidden_layers": circle_ok,
        "small_spiral": spiral_ok,
        "deep_sigmoid": deep_ok,
        "symmetric_units": symmetric_ok,
        "regularized_xor": xor_ok,
    },
}
