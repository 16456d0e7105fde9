"""Independent wrong answers (round 5), written from the exercise statements only."""
import numpy as np


# =====================================================================================
# lesson 05
# =====================================================================================

# ---- 5.1 minibatches -----------------------------------------------------------------

def minibatches_ok(N, B, rng):
    order = np.arange(N)
    rng.shuffle(order)                       # one permutation, drawn from rng only
    batches = []
    start = 0
    while start < N:
        batches.append(order[start:start + B].copy())
        start += B
    return batches


def mb_drops_last(N, B, rng):
    perm = rng.permutation(N)
    return [perm[i * B:(i + 1) * B] for i in range(N // B)]


def mb_global_random(N, B, rng):
    perm = np.random.permutation(N)
    return [perm[i:i + B] for i in range(0, N, B)]


def mb_new_generator(N, B, rng):
    perm = np.random.default_rng(0).permutation(N)
    return [perm[i:i + B] for i in range(0, N, B)]


def mb_no_shuffle(N, B, rng):
    idx = np.arange(N)
    return [idx[i:i + B] for i in range(0, N, B)]


def mb_with_replacement(N, B, rng):
    idx = rng.choice(N, size=N)
    return [idx[i:i + B] for i in range(0, N, B)]


def mb_sample_per_batch(N, B, rng):
    batches = []
    for i in range(0, N, B):
        size = min(B, N - i)
        batches.append(rng.choice(N, size=size, replace=False))
    return batches


def mb_array_split(N, B, rng):
    perm = rng.permutation(N)
    return np.array_split(perm, max(1, N // B))


def mb_one_batch_too_many(N, B, rng):
    perm = rng.permutation(N)
    n_batches = N // B + 1
    return [perm[i * B:(i + 1) * B] for i in range(n_batches)]


def mb_python_lists(N, B, rng):
    perm = rng.permutation(N).tolist()
    return [perm[i:i + B] for i in range(0, N, B)]


def mb_shuffles_batch_order(N, B, rng):
    idx = np.arange(N)
    batches = [idx[i:i + B] for i in range(0, N, B)]
    order = rng.permutation(len(batches))
    return [batches[j] for j in order]


# ---- 5.2 momentum_step ---------------------------------------------------------------

def momentum_step_ok(theta, v, g, lr, mu):
    v_new = np.multiply(mu, v) - np.multiply(lr, g)
    return np.add(theta, v_new), v_new


def mo_plus_gradient(theta, v, g, lr, mu):
    v_new = mu * v + lr * g
    return theta + v_new, v_new


def mo_theta_minus_velocity(theta, v, g, lr, mu):
    v_new = mu * v - lr * g
    return theta - v_new, v_new


def mo_in_place(theta, v, g, lr, mu):
    v *= mu
    v -= lr * g
    theta += v
    return theta, v


def mo_theta_alias(theta, v, g, lr, mu):
    v_new = mu * v - lr * g
    theta_new = theta
    theta_new += v_new
    return theta_new, v_new


def mo_old_velocity(theta, v, g, lr, mu):
    theta_new = theta + v
    v_new = mu * v - lr * g
    return theta_new, v_new


def mo_pytorch_buffer(theta, v, g, lr, mu):
    b = mu * v + g
    return theta - lr * b, b


def mo_ema(theta, v, g, lr, mu):
    v_new = mu * v + (1 - mu) * g
    return theta - lr * v_new, v_new


def mo_mu_on_everything(theta, v, g, lr, mu):
    v_new = mu * (v - lr * g)
    return theta + v_new, v_new


def mo_lr_outside_velocity(theta, v, g, lr, mu):
    v_new = mu * v - g
    return theta + lr * v_new, v_new


def mo_swapped_return(theta, v, g, lr, mu):
    v_new = mu * v - lr * g
    return v_new, theta + v_new


# ---- 5.3 nesterov_step ---------------------------------------------------------------

def nesterov_step_ok(theta, v, grad, lr, mu):
    ahead = theta + mu * v                   # a new array: the caller's theta stays put
    v_new = mu * v - lr * np.asarray(grad(ahead), dtype=float)
    theta_new = theta + v_new
    return theta_new, v_new


def ne_gradient_at_theta(theta, v, grad, lr, mu):
    v_new = mu * v - lr * grad(theta)
    return theta + v_new, v_new


def ne_lookahead_without_mu(theta, v, grad, lr, mu):
    v_new = mu * v - lr * grad(theta + v)
    return theta + v_new, v_new


def ne_lookahead_backwards(theta, v, grad, lr, mu):
    v_new = mu * v - lr * grad(theta - mu * v)
    return theta + v_new, v_new


def ne_bengio_form(theta, v, grad, lr, mu):
    g = grad(theta)
    v_new = mu * v - lr * g
    return theta + mu * v_new - lr * g, v_new


def ne_both_forms(theta, v, grad, lr, mu):
    g = grad(theta + mu * v)
    v_new = mu * v - lr * g
    return theta + mu * v_new - lr * g, v_new


def ne_pytorch(theta, v, grad, lr, mu):
    g = grad(theta)
    b = mu * v + g
    return theta - lr * (g + mu * b), b


def ne_steps_from_lookahead(theta, v, grad, lr, mu):
    ahead = theta + mu * v
    v_new = mu * v - lr * grad(ahead)
    return ahead + v_new, v_new


def ne_shifts_theta_in_place(theta, v, grad, lr, mu):
    theta += mu * v
    v_new = mu * v - lr * grad(theta)
    return theta - mu * v + v_new, v_new


def ne_plus_gradient(theta, v, grad, lr, mu):
    v_new = mu * v + lr * grad(theta + mu * v)
    return theta + v_new, v_new


def ne_grad_as_array(theta, v, grad, lr, mu):
    v_new = mu * v - lr * grad
    return theta + v_new, v_new


# ---- 5.4 adagrad_step ----------------------------------------------------------------

def adagrad_step_ok(theta, r, g, lr, eps=1e-7):
    r_new = r + np.square(g)
    step = lr * g / (eps + np.sqrt(r_new))
    return theta - step, r_new


def ag_eps_inside_root(theta, r, g, lr, eps=1e-7):
    r_new = r + g * g
    return theta - lr * g / np.sqrt(r_new + eps), r_new


def ag_old_r(theta, r, g, lr, eps=1e-7):
    theta_new = theta - lr * g / (eps + np.sqrt(r))
    return theta_new, r + g * g


def ag_not_squared(theta, r, g, lr, eps=1e-7):
    r_new = r + g
    return theta - lr * g / (eps + np.sqrt(r_new)), r_new


def ag_no_sqrt(theta, r, g, lr, eps=1e-7):
    r_new = r + g * g
    return theta - lr * g / (eps + r_new), r_new


def ag_in_place(theta, r, g, lr, eps=1e-7):
    r += g * g
    return theta - lr * g / (eps + np.sqrt(r)), r


def ag_decaying(theta, r, g, lr, eps=1e-7):
    r_new = 0.9 * r + 0.1 * g * g
    return theta - lr * g / (eps + np.sqrt(r_new)), r_new


def ag_last_gradient_only(theta, r, g, lr, eps=1e-7):
    r_new = g * g
    return theta - lr * g / (eps + np.sqrt(r_new)), r_new


def ag_hardcoded_eps(theta, r, g, lr, eps=1e-7):
    r_new = r + g * g
    return theta - lr * g / (np.sqrt(r_new) + 1e-8), r_new


def ag_scalar_norm(theta, r, g, lr, eps=1e-7):
    r_new = r + np.sum(g * g)
    return theta - lr * g / (eps + np.sqrt(r_new)), r_new


def ag_precedence(theta, r, g, lr, eps=1e-7):
    r_new = r + g * g
    return theta - lr * g / eps + np.sqrt(r_new), r_new


# ---- 5.5 rmsprop_step ----------------------------------------------------------------

def rmsprop_step_ok(theta, r, g, lr, rho=0.9, eps=1e-8):
    r_new = rho * r + (1.0 - rho) * g ** 2
    return theta - lr * g / (np.sqrt(r_new) + eps), r_new


def rp_weights_swapped(theta, r, g, lr, rho=0.9, eps=1e-8):
    r_new = (1 - rho) * r + rho * g * g
    return theta - lr * g / (eps + np.sqrt(r_new)), r_new


def rp_eps_inside_root(theta, r, g, lr, rho=0.9, eps=1e-8):
    r_new = rho * r + (1 - rho) * g * g
    return theta - lr * g / np.sqrt(eps + r_new), r_new


def rp_adagrad_sum(theta, r, g, lr, rho=0.9, eps=1e-8):
    r_new = r + g * g
    return theta - lr * g / (eps + np.sqrt(r_new)), r_new


def rp_no_one_minus_rho(theta, r, g, lr, rho=0.9, eps=1e-8):
    r_new = rho * r + g * g
    return theta - lr * g / (eps + np.sqrt(r_new)), r_new


def rp_old_r(theta, r, g, lr, rho=0.9, eps=1e-8):
    theta_new = theta - lr * g / (eps + np.sqrt(r))
    return theta_new, rho * r + (1 - rho) * g * g


def rp_in_place(theta, r, g, lr, rho=0.9, eps=1e-8):
    r *= rho
    r += (1 - rho) * g * g
    return theta - lr * g / (eps + np.sqrt(r)), r


def rp_no_sqrt(theta, r, g, lr, rho=0.9, eps=1e-8):
    r_new = rho * r + (1 - rho) * g * g
    return theta - lr * g / (eps + r_new), r_new


def rp_pytorch_rho(theta, r, g, lr, rho=0.9, eps=1e-8):
    alpha = 0.99                             # PyTorch's RMSprop default smoothing constant
    r_new = alpha * r + (1 - alpha) * g * g
    return theta - lr * g / (eps + np.sqrt(r_new)), r_new


def rp_average_of_g(theta, r, g, lr, rho=0.9, eps=1e-8):
    r_new = rho * r + (1 - rho) * g
    return theta - lr * g / (eps + np.sqrt(r_new)), r_new


# ---- 5.6 adam_step -------------------------------------------------------------------

def adam_step_ok(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t_new = int(t) + 1
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * (g * g)
    m_hat = m_new / (1 - beta1 ** t_new)
    v_hat = v_new / (1 - beta2 ** t_new)
    theta_new = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta_new, m_new, v_new, t_new


def ad_old_t(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new, t + 1


def ad_no_bias_correction(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    return theta - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new, t + 1


def ad_eps_inside_root(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t = t + 1
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    return theta - lr * m_hat / np.sqrt(v_hat + eps), m_new, v_new, t


def ad_betas_swapped(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t = t + 1
    m_new = beta2 * m + (1 - beta2) * g
    v_new = beta1 * v + (1 - beta1) * g * g
    m_hat = m_new / (1 - beta2 ** t)
    v_hat = v_new / (1 - beta1 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new, t


def ad_power_precedence(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t = t + 1
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1) ** t
    v_hat = v_new / (1 - beta2) ** t
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new, t


def ad_returns_old_t(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    step = t + 1
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** step)
    v_hat = v_new / (1 - beta2 ** step)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new, t


def ad_in_place(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g * g
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v, t


def ad_efficient_form(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t = t + 1
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    lr_t = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return theta - lr_t * m_new / (np.sqrt(v_new) + eps), m_new, v_new, t


def ad_sqrt_then_correct(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t = t + 1
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** t)
    denom = np.sqrt(v_new) / (1 - beta2 ** t)
    return theta - lr * m_hat / (denom + eps), m_new, v_new, t


def ad_stores_corrected(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t = t + 1
    m_hat = (beta1 * m + (1 - beta1) * g) / (1 - beta1 ** t)
    v_hat = (beta2 * v + (1 - beta2) * g * g) / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_hat, v_hat, t


# ---- 5.7 linear_decay ----------------------------------------------------------------

def linear_decay_ok(k, lr0, lr_tau, tau):
    if k > tau:
        return float(lr_tau)
    frac = k / tau
    return float((1 - frac) * lr0 + frac * lr_tau)


def ld_no_clamp(k, lr0, lr_tau, tau):
    a = k / tau
    return (1 - a) * lr0 + a * lr_tau


def ld_swapped(k, lr0, lr_tau, tau):
    a = min(k / tau, 1.0)
    return a * lr0 + (1 - a) * lr_tau


def ld_integer_division(k, lr0, lr_tau, tau):
    a = min(k // tau, 1)
    return (1 - a) * lr0 + a * lr_tau


def ld_decays_to_zero(k, lr0, lr_tau, tau):
    if k > tau:
        return lr_tau
    return (1 - k / tau) * lr0


def ld_counts_from_one(k, lr0, lr_tau, tau):
    a = min((k + 1) / tau, 1.0)
    return (1 - a) * lr0 + a * lr_tau


def ld_restarts(k, lr0, lr_tau, tau):
    a = (k % tau) / tau
    return (1 - a) * lr0 + a * lr_tau


def ld_tau_minus_one(k, lr0, lr_tau, tau):
    a = min(k / (tau - 1), 1.0)
    return (1 - a) * lr0 + a * lr_tau


def ld_one_percent(k, lr0, lr_tau, tau):
    final = lr0 / 100                        # Goodfellow's rule of thumb, not the argument
    a = min(k / tau, 1.0)
    return (1 - a) * lr0 + a * final


def ld_exponential(k, lr0, lr_tau, tau):
    a = min(k / tau, 1.0)
    return lr0 * (lr_tau / lr0) ** a


# =====================================================================================

WRONG = {
    "lesson05": {
        "minibatches": [
            ("drops the last, smaller batch (only N // B batches)", mb_drops_last),
            ("shuffles with the global np.random.permutation instead of rng", mb_global_random),
            ("ignores rng: makes a new np.random.default_rng(0)", mb_new_generator),
            ("no shuffling: batches of 0..N-1 in order", mb_no_shuffle),
            ("draws N indices with replacement (rng.choice(N, N)): repeats and misses indices",
             mb_with_replacement),
            ("draws a fresh sample for every batch: indices repeat across batches", mb_sample_per_batch),
            ("np.array_split into N // B parts: sizes wrong (e.g. 5, 5 for N=10, B=4)", mb_array_split),
            ("N // B + 1 batches always: an empty last batch when B divides N", mb_one_batch_too_many),
            ("returns Python lists of ints instead of NumPy arrays", mb_python_lists),
            ("cuts 0..N-1 in order and only shuffles the order of the batches", mb_shuffles_batch_order),
        ],
        "momentum_step": [
            ("sign slip: v = mu v + lr g (climbs the gradient)", mo_plus_gradient),
            ("theta - v_new instead of theta + v_new", mo_theta_minus_velocity),
            ("updates v and theta in place and returns them", mo_in_place),
            ("theta_new = theta then += v_new: changes the caller's theta", mo_theta_alias),
            ("moves theta with the old velocity v, not v_new", mo_old_velocity),
            ("PyTorch's buffer b = mu v + g, theta - lr b: returns b as the velocity", mo_pytorch_buffer),
            ("exponential average v = mu v + (1 - mu) g, theta - lr v", mo_ema),
            ("mu multiplies the gradient too: v = mu (v - lr g)", mo_mu_on_everything),
            ("velocity without lr: v = mu v - g, theta + lr v", mo_lr_outside_velocity),
            ("returns (v_new, theta_new): order swapped", mo_swapped_return),
        ],
        "nesterov_step": [
            ("gradient at theta (classical momentum), no look-ahead", ne_gradient_at_theta),
            ("look-ahead at theta + v, forgetting mu", ne_lookahead_without_mu),
            ("look-ahead at theta - mu v (wrong sign)", ne_lookahead_backwards),
            ("Bengio's reformulation theta + mu v_new - lr grad(theta) instead of Sutskever's eqs. 3-4",
             ne_bengio_form),
            ("mixes both forms: look-ahead gradient and theta + mu v_new - lr g", ne_both_forms),
            ("PyTorch's nesterov: b = mu v + g(theta), theta - lr (g + mu b), returns b", ne_pytorch),
            ("steps from the look-ahead point: theta + mu v + v_new", ne_steps_from_lookahead),
            ("shifts theta to the look-ahead point in place (theta += mu v), caller's theta changed",
             ne_shifts_theta_in_place),
            ("sign slip: v = mu v + lr grad(...)", ne_plus_gradient),
            ("treats grad as an array (lr * grad): TypeError", ne_grad_as_array),
        ],
        "adagrad_step": [
            ("epsilon inside the square root: sqrt(r + eps)", ag_eps_inside_root),
            ("divides by the old r (before adding g^2): huge first step", ag_old_r),
            ("accumulates g instead of g * g: sqrt of negatives, nan", ag_not_squared),
            ("no square root: lr g / (eps + r)", ag_no_sqrt),
            ("adds g^2 into r in place (r += g * g)", ag_in_place),
            ("decaying average 0.9 r + 0.1 g^2 (RMSProp) instead of the sum", ag_decaying),
            ("r_new = g * g: keeps only the last squared gradient", ag_last_gradient_only),
            ("hard-codes eps = 1e-8, ignoring the eps argument", ag_hardcoded_eps),
            ("accumulates the squared norm sum(g^2): one scalar rate for all entries", ag_scalar_norm),
            ("precedence slip: theta - lr g / eps + sqrt(r)", ag_precedence),
        ],
        "rmsprop_step": [
            ("weights swapped: (1 - rho) r + rho g^2", rp_weights_swapped),
            ("epsilon inside the square root (Goodfellow alg. 8.5): sqrt(eps + r)", rp_eps_inside_root),
            ("no decay: r + g^2 (AdaGrad)", rp_adagrad_sum),
            ("forgets (1 - rho): rho r + g^2", rp_no_one_minus_rho),
            ("divides by the old r: update before the accumulator", rp_old_r),
            ("updates r in place (r *= rho; r += ...)", rp_in_place),
            ("no square root: lr g / (eps + r)", rp_no_sqrt),
            ("ignores rho: hard-codes PyTorch's default 0.99", rp_pytorch_rho),
            ("averages g instead of g^2: sqrt of negatives, nan", rp_average_of_g),
        ],
        "adam_step": [
            ("bias correction with the old t (not incremented first): 0/0 at t = 0", ad_old_t),
            ("no bias correction", ad_no_bias_correction),
            ("epsilon inside the square root: sqrt(v_hat + eps)", ad_eps_inside_root),
            ("beta1 and beta2 swapped", ad_betas_swapped),
            ("precedence slip: (1 - beta) ** t instead of 1 - beta ** t", ad_power_precedence),
            ("uses t + 1 but returns the old t", ad_returns_old_t),
            ("updates m and v in place", ad_in_place),
            ("the paper's 'efficient' form lr_t = lr sqrt(1-b2^t)/(1-b1^t): eps not bias-corrected",
             ad_efficient_form),
            ("divides sqrt(v) by (1 - beta2^t) instead of sqrt(1 - beta2^t)", ad_sqrt_then_correct),
            ("returns the bias-corrected m_hat, v_hat as the new state", ad_stores_corrected),
        ],
        "linear_decay": [
            ("no clamp after tau: keeps decreasing past lr_tau", ld_no_clamp),
            ("weights swapped: starts at lr_tau and ends at lr0", ld_swapped),
            ("integer division k // tau: stays at lr0, then jumps to lr_tau", ld_integer_division),
            ("decays to 0 instead of lr_tau: forgets the (k/tau) lr_tau term", ld_decays_to_zero),
            ("counts steps from 1: (k + 1) / tau, not lr0 at k = 0", ld_counts_from_one),
            ("k % tau: restarts the decay every tau steps", ld_restarts),
            ("divides by tau - 1: reaches lr_tau one step early, ZeroDivisionError for tau = 1",
             ld_tau_minus_one),
            ("ignores lr_tau: decays to lr0 / 100", ld_one_percent),
            ("exponential (geometric) decay from lr0 to lr_tau instead of linear", ld_exponential),
        ],
    },
}

CORRECT = {
    "lesson05": {
        "minibatches": minibatches_ok,
        "momentum_step": momentum_step_ok,
        "nesterov_step": nesterov_step_ok,
        "adagrad_step": adagrad_step_ok,
        "rmsprop_step": rmsprop_step_ok,
        "adam_step": adam_step_ok,
        "linear_decay": linear_decay_ok,
    },
}
