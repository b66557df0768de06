"""Fits of synaptic figures of merit (issue 12), with their uncertainties.

ppf_fit: the paired-pulse index against the interval dT,
    index(dT) - 100 % = c1 exp(-dT / tau1) + c2 exp(-dT / tau2)
(the seed's section 1.1 definition), or one exponential where the second is
not resolved. The exponentials' amplitudes enter linearly, so the fit is a
variable projection (Golub and Pereyra): for given time constants the
amplitudes are a linear least-squares solve, and scipy.optimize.least_squares
searches over log tau alone, from a grid of starts (the sum of exponentials
has many local minima); scipy.optimize.curve_fit then gives the covariance
of all four parameters at that minimum. Uncertainties are one standard
deviation from the covariance scaled by the residual variance (curve_fit's
absolute_sigma=False), so noise-free data give uncertainties at round-off.

Why two exponentials are kept or dropped: the second is kept when the data
have more points than parameters, the two time constants differ by more
than 1.5x, both amplitudes exceed three times their uncertainty, and the
residual sum of squares falls by an F-test at the 1 % level; otherwise one
exponential, and the result says so ("terms": 1, "why": ...).
"""

import math
import warnings

import numpy as np
from scipy import optimize, stats


def _exponentials(x, taus):
    return np.column_stack([np.exp(-x / t) for t in taus])


def _amplitudes(x, y, taus):
    """The linear amplitudes for fixed time constants, and the residual."""
    basis = _exponentials(x, taus)
    c, *_ = np.linalg.lstsq(basis, y, rcond=None)
    return c, y - basis @ c


def _fit_terms(x, y, n_terms):
    """Least squares over n_terms exponentials; returns (params, cov, sse)."""
    span_lo, span_hi = max(x.min(), 1e-300) / 10, x.max() * 10
    grid = np.geomspace(span_lo, span_hi, 12)
    best = None
    starts = [[t] for t in grid] if n_terms == 1 else [[a, b] for i, a in enumerate(grid) for b in grid[i + 2:]]
    for start in starts:
        res = optimize.least_squares(lambda lt: _amplitudes(x, y, np.exp(lt))[1], np.log(start),
                                     xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=2000)
        sse = float(np.sum(res.fun ** 2))
        if best is None or sse < best[0]:
            best = (sse, np.exp(res.x))
    taus = np.sort(best[1])
    c, _ = _amplitudes(x, y, taus)
    p0 = [v for pair in zip(c, taus) for v in pair]

    def model(xx, *p):
        return sum(p[2 * k] * np.exp(-xx / p[2 * k + 1]) for k in range(n_terms))

    if len(x) > 2 * n_terms:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", optimize.OptimizeWarning)
                p, cov = optimize.curve_fit(model, x, y, p0=p0, xtol=1e-15, ftol=1e-15, gtol=1e-15,
                                            maxfev=20000)
        except (RuntimeError, ValueError):
            p, cov = np.array(p0), np.full((2 * n_terms, 2 * n_terms), np.inf)
    else:
        p, cov = np.array(p0), np.full((2 * n_terms, 2 * n_terms), np.inf)
    sse = float(np.sum((y - model(x, *p)) ** 2))
    return np.asarray(p, dtype=float), cov, sse


def ppf_fit(intervals, index_percent):
    """Fit index - 100 = sum_k c_k exp(-dT / tau_k), k = 1 or 2.

    Returns a dict: terms, c1, tau1 (and c2, tau2), their uncertainties
    (keys with '_err'), rms residual, and 'why' when one term was kept.
    Amplitudes in %, times in the units of intervals.
    """
    x = np.asarray(intervals, dtype=float)
    y = np.asarray(index_percent, dtype=float) - 100.0
    if len(x) < 3:
        raise ValueError("a PPF fit needs at least three intervals (got %d)" % len(x))
    one, cov1, sse1 = _fit_terms(x, y, 1)
    result = None
    why = None
    if len(x) > 4:
        two, cov2, sse2 = _fit_terms(x, y, 2)
        err2 = np.sqrt(np.abs(np.diag(cov2)))
        dof2 = len(x) - 4
        if sse2 <= 1e-28 * max(np.sum(y ** 2), 1e-300):
            significant = sse1 > 1e-20 * np.sum(y ** 2)  # noise-free two-exponential data
        else:
            f = ((sse1 - sse2) / 2) / (sse2 / dof2)
            significant = stats.f.sf(f, 2, dof2) < 0.01
        resolved = (max(two[1], two[3]) > 1.5 * min(two[1], two[3]) and abs(two[0]) > 3 * err2[0]
                    and abs(two[2]) > 3 * err2[2] and np.all(np.isfinite(err2)))
        if significant and resolved:
            result = {"terms": 2, "c1": two[0], "tau1": two[1], "c2": two[2], "tau2": two[3],
                      "c1_err": err2[0], "tau1_err": err2[1], "c2_err": err2[2], "tau2_err": err2[3],
                      "rms": math.sqrt(sse2 / len(x))}
        elif not significant:
            why = "a second exponential does not lower the residual significantly (F-test, 1 %)"
        else:
            why = "the second exponential is not resolved (time constants within 1.5x or amplitudes within 3 sigma)"
    else:
        why = "too few intervals for two exponentials (needs 5 or more)"
    if result is None:
        err1 = np.sqrt(np.abs(np.diag(cov1)))
        result = {"terms": 1, "c1": one[0], "tau1": one[1], "c1_err": err1[0], "tau1_err": err1[1],
                  "rms": math.sqrt(sse1 / len(x)), "why": why}
    return {k: (float(v) if isinstance(v, (np.floating, float)) else v) for k, v in result.items()}


def ppf_model(intervals, fit):
    """The fitted index [%] at @p intervals."""
    x = np.asarray(intervals, dtype=float)
    y = fit["c1"] * np.exp(-x / fit["tau1"])
    if fit["terms"] == 2:
        y = y + fit["c2"] * np.exp(-x / fit["tau2"])
    return 100.0 + y


# ------------------------------------------------------------ LTP / LTD
#
# NeuroSim's weight-update model (MLP_NeuroSim V3.0, Cell.cpp): a branch of
# N pulses follows G(x) = B (1 - exp(-x / A)) + G_min, x = 0 ... N the pulse
# position, B = (G_max - G_min) / (1 - exp(-N / A)); the "nonlinearity
# label" names A / N through its table documents/Nonlinearity-NormA.htm
# (label 0.5, 1, 3, 6 -> A / N = 2.5199, 1.2517, 0.3868, 0.1356). That table
# follows, to the four digits it prints, one relation: the label is the
# largest departure of the normalized curve g(u) = (1 - exp(-u/a)) / (1 -
# exp(-1/a)), u = x / N, a = A / N, from the straight line, divided by
# 0.099:
#     label(a) = max_u (g(u) - u) / 0.099,
# which we invert for a (tests/protocol/fits_test.py checks both against
# the table). Sign convention, that of MLP_NeuroSim V3.0 (NL_LTP = 4.22,
# NL_LTD = -4.22 in its RealDevice): a potentiation that saturates has a
# positive label; a depression that saturates (steep first, from G_max) a
# negative one; a branch bent the other way has the other sign.

NEUROSIM_SCALE = 0.099


def normalized_curve(u, a):
    """g(u) for a normalized A = a (a < 0: the convex branch)."""
    return -np.expm1(-u / a) / -np.expm1(-1.0 / a)


def label_of_normalized_A(a):
    """The NeuroSim label of a normalized A (> 0), by the relation above."""
    if a > 1e6:
        return 0.0
    # The maximum of g(u) - u is where g'(u) = 1: exp(-u/a) = a (1 - exp(-1/a)).
    e = a * -np.expm1(-1.0 / a)
    u = min(max(-a * math.log(e), 0.0), 1.0)
    return float((normalized_curve(u, a) - u) / NEUROSIM_SCALE)


def normalized_A_of_label(label):
    """The inverse: the normalized A (> 0) of a label in (0, 10.1)."""
    if not 0 < label < 1 / NEUROSIM_SCALE:
        raise ValueError("a NeuroSim label lies in (0, %.4g)" % (1 / NEUROSIM_SCALE))
    return math.exp(optimize.brentq(lambda la: label_of_normalized_A(math.exp(la)) - label, math.log(1e-4),
                                    math.log(1e8), xtol=1e-14, rtol=1e-14))


def branch_fit(G):
    """NeuroSim's fit of one branch: conductances @p G after pulses 0 ... N
    (G[0] before the first). The branch is normalized to run from 0 to 1 in
    pulse order, g = (G - G[0]) / (G[N] - G[0]); the normalized curve's a is
    fitted by least squares (as NeuroSim's nonlinear_fit fits A) and the
    label signed by the convention above: + for a saturating potentiation
    or a depression that starts slowly, - for a saturating depression or a
    potentiation that starts slowly. Returns {label, A_over_N, rms}."""
    G = np.asarray(G, dtype=float)
    N = len(G) - 1
    if N < 2:
        raise ValueError("a branch needs at least two pulses")
    if G[-1] == G[0]:
        raise ValueError("the branch ends where it starts")
    u = np.arange(N + 1) / N
    g = (G - G[0]) / (G[-1] - G[0])

    def residual(s):
        # s = 1 / a, so that the straight line (a -> infinity) is s = 0.
        if abs(s) < 1e-9:
            model = u + 0.5 * s * u * (1 - u)  # first order in s
        else:
            model = normalized_curve(u, 1 / s)
        return model - g

    best = min((optimize.least_squares(residual, [s0], xtol=1e-15, ftol=1e-15, gtol=1e-15) for s0 in
                (-5.0, -0.5, 0.5, 5.0, 20.0)), key=lambda r: r.cost)
    s = float(best.x[0])
    rms = float(np.sqrt(np.mean(best.fun ** 2)))
    magnitude = label_of_normalized_A(1 / abs(s)) if abs(s) > 1e-12 else 0.0
    saturating = s > 0  # concave in pulse order: the steps shrink
    increasing = G[-1] > G[0]
    label = magnitude if saturating == increasing else -magnitude
    return {"label": label, "A_over_N": (1 / s if abs(s) > 1e-12 else math.inf), "rms": rms}


def exponential_fit(x, y):
    """y = A exp(-|x| / tau) (STDP's sides); returns {A, tau, A_err, tau_err}."""
    x = np.abs(np.asarray(x, dtype=float))
    y = np.asarray(y, dtype=float)
    if len(x) < 2:
        raise ValueError("an exponential fit needs two or more points")
    taus = np.geomspace(max(x.min(), 1e-300) / 10, x.max() * 10, 24)
    best = None
    for t in taus:
        r = optimize.least_squares(lambda lt: _amplitudes(x, y, [math.exp(lt[0])])[1], [math.log(t)],
                                   xtol=1e-15, ftol=1e-15, gtol=1e-15)
        if best is None or r.cost < best.cost:
            best = r
    tau = math.exp(best.x[0])
    (A,), _ = _amplitudes(x, y, [tau])
    err = [math.inf, math.inf]
    if len(x) > 2:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", optimize.OptimizeWarning)
                p, cov = optimize.curve_fit(lambda xx, a, t: a * np.exp(-xx / t), x, y, p0=[A, tau],
                                            xtol=1e-15, ftol=1e-15, gtol=1e-15, maxfev=20000)
            A, tau = p
            err = list(np.sqrt(np.abs(np.diag(cov))))
        except (RuntimeError, ValueError):
            pass
    return {"A": float(A), "tau": float(tau), "A_err": float(err[0]), "tau_err": float(err[1])}


def linearity_deviation(G, potentiation):
    """The largest departure of a branch from the straight line between its
    ends, relative to its range (the normalized nonlinearity many device
    papers quote)."""
    G = np.asarray(G, dtype=float)
    N = len(G) - 1
    line = G[0] + (G[-1] - G[0]) * np.arange(N + 1) / N
    return float(np.max(np.abs(G - line)) / (G.max() - G.min()))


def states(G, resolution):
    """Distinguishable states of a branch: 1 + the number of pulse-to-pulse
    steps larger than @p resolution x (G_max - G_min)."""
    G = np.asarray(G, dtype=float)
    step = resolution * (G.max() - G.min())
    return 1 + int(np.sum(np.abs(np.diff(G)) > step))
