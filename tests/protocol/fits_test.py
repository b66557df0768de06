#!/usr/bin/env python3
"""The protocol fits (postprocess/protocol/protocol_fits.py) recover the
parameters of synthetic data generated with known values (issue 12, item 5):
noise-free to 1e-6, with 1 % noise within three reported standard deviations;
NeuroSim's nonlinearity labels from its own table and formula to 0.01."""

import math
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "postprocess", "protocol"))
import protocol_fits as fits  # noqa: E402

INTERVALS = np.array([1, 2, 5, 10, 20, 50, 100, 200, 500]) * 1e-3  # s

# MLP_NeuroSim V3.0, documents/Nonlinearity-NormA.htm: nonlinearity label ->
# normalized A (A / number of pulses), as printed there.
NEUROSIM_TABLE = {0.01: 126.269, 0.5: 2.5199, 1.0: 1.2517, 1.51: 0.8195, 3.0: 0.3868, 4.51: 0.2266,
                  6.0: 0.1356, 7.51: 0.0702, 9.0: 0.0228}


def neurosim_branches(label, n=64, g_min=1e-6, g_max=5e-6):
    """NeuroSim's weight-update curves for a table label: LTP G(x) = B (1 -
    exp(-x/A)) + G_min, x = 0..n, and the LTD branch that mirrors it (a
    saturating depression from G_max)."""
    A = NEUROSIM_TABLE[label] * n
    x = np.arange(n + 1)
    B = (g_max - g_min) / (1 - np.exp(-n / A))
    ltp = B * (1 - np.exp(-x / A)) + g_min
    return ltp, g_max - (ltp - g_min)


class PpfFit(unittest.TestCase):
    def test_two_exponentials_noise_free(self):
        # The seed's Au/CIPS/Ti PPF time constant (12.2 ms) and a slower one.
        y = 100 + 60 * np.exp(-INTERVALS / 12.2e-3) + 25 * np.exp(-INTERVALS / 80e-3)
        f = fits.ppf_fit(INTERVALS, y)
        self.assertEqual(f["terms"], 2)
        for key, true in (("c1", 60), ("tau1", 12.2e-3), ("c2", 25), ("tau2", 80e-3)):
            self.assertLess(abs(f[key] / true - 1), 1e-6, key)

    def test_two_exponentials_with_one_percent_noise(self):
        # 16 intervals: with the 9 above and 1 % noise the second exponential
        # is not resolved for some seeds (the fit then says so and keeps one:
        # 2 of seeds 0-9). With 16, over seeds 0-39 one fit kept a single
        # exponential and 37 of the 39 others had all four parameters within
        # three of their reported standard deviations (the largest miss 4.1:
        # the covariance of a nonlinear fit is an estimate); the five seeds
        # here are within 2.
        intervals = np.geomspace(1e-3, 0.5, 16)
        y0 = 100 + 60 * np.exp(-intervals / 12.2e-3) + 25 * np.exp(-intervals / 80e-3)
        for seed in range(5):
            rng = np.random.default_rng(seed)
            f = fits.ppf_fit(intervals, y0 * (1 + 0.01 * rng.standard_normal(len(y0))))
            self.assertEqual(f["terms"], 2, "seed %d" % seed)
            for key, true in (("c1", 60), ("tau1", 12.2e-3), ("c2", 25), ("tau2", 80e-3)):
                self.assertLess(abs(f[key] - true), 3 * f[key + "_err"], "seed %d, %s" % (seed, key))

    def test_one_exponential_is_kept_when_the_second_is_not_there(self):
        # PPD (index below 100 %) with the seed's 10.8 ms.
        y = 100 - 30 * np.exp(-INTERVALS / 10.8e-3)
        f = fits.ppf_fit(INTERVALS, y)
        self.assertEqual(f["terms"], 1)
        self.assertIn("why", f)
        self.assertLess(abs(f["c1"] / -30 - 1), 1e-6)
        self.assertLess(abs(f["tau1"] / 10.8e-3 - 1), 1e-6)
        rng = np.random.default_rng(7)
        noisy = fits.ppf_fit(INTERVALS, y * (1 + 0.01 * rng.standard_normal(len(y))))
        self.assertEqual(noisy["terms"], 1)
        self.assertLess(abs(noisy["tau1"] - 10.8e-3), 3 * noisy["tau1_err"])


class NeuroSimLabel(unittest.TestCase):
    def test_relation_reproduces_the_table(self):
        for label, a in NEUROSIM_TABLE.items():
            self.assertLess(abs(fits.label_of_normalized_A(a) - label), 0.01, label)
            self.assertLess(abs(fits.normalized_A_of_label(label) / a - 1), 1e-3, label)

    def test_labels_of_neurosim_curves(self):
        for label in (0.5, 1.0, 3.0, 6.0):
            ltp, ltd = neurosim_branches(label)
            self.assertLess(abs(fits.branch_fit(ltp)["label"] - label), 0.01, label)
            # MLP_NeuroSim V3.0's sign: a saturating depression is negative.
            self.assertLess(abs(fits.branch_fit(ltd)["label"] + label), 0.01, label)
            # A depression that starts slowly (the LTP curve run backwards).
            self.assertLess(abs(fits.branch_fit(ltp[::-1])["label"] - label), 0.01, label)

    def test_straight_line_has_label_zero(self):
        self.assertLess(abs(fits.branch_fit(np.linspace(1, 2, 33))["label"]), 1e-6)

    def test_states_and_deviation(self):
        # A staircase of 10 steps, two of them below 1 % of the range.
        G = np.concatenate([[0.0], np.cumsum([1, 1, 1, 0.005, 1, 1, 1, 0.001, 1, 1])])
        self.assertEqual(fits.states(G, 0.01), 9)
        self.assertAlmostEqual(fits.linearity_deviation(np.linspace(0, 1, 11), True), 0.0)


class StdpFit(unittest.TestCase):
    def test_exponential_sides(self):
        dt = np.array([2, 5, 10, 20, 40, 80]) * 1e-3
        f = fits.exponential_fit(dt, 0.6 * np.exp(-dt / 8.3e-3))  # the seed's 8.3 ms
        self.assertLess(abs(f["A"] / 0.6 - 1), 1e-6)
        self.assertLess(abs(f["tau"] / 8.3e-3 - 1), 1e-6)
        g = fits.exponential_fit(-dt, -0.4 * np.exp(-dt / 20e-3))  # and 20 ms for dt < 0
        self.assertLess(abs(g["A"] / -0.4 - 1), 1e-6)
        self.assertLess(abs(g["tau"] / 20e-3 - 1), 1e-6)
        rng = np.random.default_rng(3)
        h = fits.exponential_fit(dt, 0.6 * np.exp(-dt / 8.3e-3) * (1 + 0.01 * rng.standard_normal(len(dt))))
        self.assertLess(abs(h["tau"] - 8.3e-3), 3 * h["tau_err"])
        self.assertTrue(math.isfinite(h["tau_err"]))


if __name__ == "__main__":
    unittest.main()
