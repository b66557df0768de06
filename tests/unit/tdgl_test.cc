#include <base/units.h>
#include <physics/ferroelectric/landau.h>
#include <solvers/simulator.h>

#include <cmath>
#include <functional>
#include <iomanip>

#include "test_utilities.h"
#include <gtest/gtest.h>

using namespace FerroStack;
using namespace dealii;

// Homogeneous Landau-Khalatnikov switching, domain walls, depolarization and
// the numerics of TDGL + Poisson, each against an independently computed
// answer (closed form, quadrature or an RK4 integration of the LK ODE).

namespace
{
  /// A number in full precision for a deck.
  std::string
  num(const double x)
  {
    std::ostringstream out;
    out << std::setprecision(17) << x;
    return out.str();
  }

  /// A metal/ferroelectric/metal stack of 10 nm "BaTiO3" with the Landau
  /// coefficients, kinetic coefficient Gamma and bias given.
  std::string
  lk_deck(const double       alpha,
          const double       beta,
          const double       gamma,
          const std::string &bias,
          const std::string &time)
  {
    std::ostringstream d;
    d << "subsection Stack\n  set Layers = fe: BaTiO3: 10 : 10\nend\n"
      << "subsection Contacts\n  set List = bottom: bottom: metal(Pt), top: top: metal(Pt)\nend\n"
      << "subsection Bias\n  set bottom = " << bias << "\nend\n"
      << "subsection Physics\n  set Polarization = dynamic\nend\n"
      << "subsection Initial polarization\n  set Value = -1\nend\n"
      << "subsection Materials\n  subsection BaTiO3\n    set Landau alpha = " << alpha
      << "\n    set Landau beta = " << beta << "\n    set Landau gamma = " << gamma
      << "\n    set Landau delta = 0\n    set Kinetic coefficient = 1\n    set Gradient coefficient = 1e-10\n"
      << "    set Permittivity = 20\n  end\nend\n"
      << "subsection Time\n"
      << time << "end\n"
      << "subsection Output\n  set Fields =\nend\n";
    return d.str();
  }

  /// The coercive field [V/m] of f = alpha P^2 + beta P^4 + gamma P^6: the
  /// largest |dF/dP| on the branch between -Ps and 0 (golden section).
  double
  coercive_field(const LandauPolynomial &f)
  {
    const double Ps = f.spontaneous_polarization();
    double       a = -Ps, b = 0;
    const double g = 0.5 * (std::sqrt(5.) - 1);
    for (int i = 0; i < 200; ++i)
      {
        const double c = b - g * (b - a), d = a + g * (b - a);
        if (f.derivative(c) > f.derivative(d)) // maximise dF/dP on (-Ps, 0)
          b = d;
        else
          a = c;
      }
    return f.derivative(0.5 * (a + b));
  }
} // namespace

// The P-V loop of a slow triangle sweep switches where the field crosses the
// analytic coercive field (within 1 %), for 2-4 and 2-4-6 free energies.
TEST(Tdgl, CoerciveFieldOfHomogeneousSwitching)
{
  struct Case
  {
    double alpha, beta, gamma, amplitude;
  };
  for (const Case &c : {Case{-1e9, 1e10, 0, 3}, Case{-2e8, -1e9, 1e11, 1.5}})
    {
      LandauPolynomial f;
      f.alpha = c.alpha, f.beta = c.beta, f.gamma = c.gamma;
      const double Ec   = coercive_field(f); // V/m
      const auto   t    = Testing::run_deck<1>("coercive",
                                          lk_deck(c.alpha,
                                                  c.beta,
                                                  c.gamma,
                                                  "TRIANGLE(" + num(c.amplitude) + " 1e-4 1)",
                                                  "  set End time = 7.5e-5\n  set Initial step = 1e-12\n  "
                                                       "set Max step = 1e-6\n  set Tolerance = 1e-5\n"));
      const auto  &time = t["time"], &V = t["V_bottom"], &P = t["P_fe_z"];
      // Up switching (first zero crossing of P) and down switching (second).
      std::vector<double> up_V, down_V;
      for (std::size_t i = 1; i < P.size(); ++i)
        if ((P[i - 1] < 0) != (P[i] < 0))
          {
            const double s  = -P[i - 1] / (P[i] - P[i - 1]);
            const double Vc = V[i - 1] + s * (V[i] - V[i - 1]);
            (P[i] > 0 ? up_V : down_V).push_back(Vc);
          }
      ASSERT_EQ(up_V.size(), 1u);
      ASSERT_EQ(down_V.size(), 1u);
      // E = V / d with the bottom electrode at V and d = 10 nm.
      EXPECT_NEAR(up_V[0] / 10e-9, Ec, 0.01 * Ec) << "2-4-6: " << (c.gamma != 0);
      EXPECT_NEAR(-down_V[0] / 10e-9, Ec, 0.01 * Ec) << "2-4-6: " << (c.gamma != 0);
      (void)time;
    }
}

namespace
{
  // 2-4 model of the switching-time tests: Ps = sqrt(-alpha/(2 beta)).
  const double alpha = -1e9, beta = 1e10, Gamma = 1;
  const double Ps = std::sqrt(-alpha / (2 * beta));

  /// dP/dt of the homogeneous LK equation (1/Gamma) dP/dt = E - dF/dP.
  double
  lk_rate(const double P, const double E)
  {
    return Gamma * (E - (2 * alpha * P + 4 * beta * P * P * P));
  }
} // namespace

// Under a step field E = 1.5 Ec the time to reach P = 0 from -Ps is
// t = int_{-Ps}^{0} dP / (Gamma (E - dF/dP)): the quadrature (Simpson,
// 20000 intervals) and the simulation agree within 2 %.
TEST(Tdgl, SwitchingTimeUnderAStepField)
{
  LandauPolynomial f;
  f.alpha = alpha, f.beta = beta;
  const double E = 1.5 * coercive_field(f), V = E * 10e-9;
  const int    n       = 20000;
  double       t_exact = 0;
  for (int i = 0; i <= n; ++i)
    {
      const double P = -Ps + Ps * i / n;
      t_exact += (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2)) / lk_rate(P, E);
    }
  t_exact *= Ps / n / 3;

  const auto t = Testing::run_deck<1>(
    "switching_time",
    lk_deck(alpha,
            beta,
            0,
            "DC " + num(V),
            "  set End time = " + num(4 * t_exact) +
              "\n  set Initial step = 1e-14\n  set Max step = 1e-10\n  set Tolerance = 1e-5\n"));
  const double t_switch = Testing::zero_crossing(t["time"], t["P_fe_z"]);
  EXPECT_NEAR(t_switch, t_exact, 0.02 * t_exact);
}

// With constant steps (Initial step = Max step, error control off) the
// error of P at a fixed time falls as dt^2: the integrator is second order.
// Reference: RK4 on the LK ODE with 200000 steps.
TEST(Tdgl, IntegratorIsSecondOrder)
{
  LandauPolynomial f;
  f.alpha = alpha, f.beta = beta;
  const double E = 1.2 * coercive_field(f), V = E * 10e-9, T = 2e-9;
  double       P = -Ps;
  const int    n = 200000;
  const double h = T / n;
  for (int i = 0; i < n; ++i)
    {
      const double k1 = lk_rate(P, E), k2 = lk_rate(P + 0.5 * h * k1, E), k3 = lk_rate(P + 0.5 * h * k2, E),
                   k4 = lk_rate(P + h * k3, E);
      P += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
  std::vector<double> errors;
  for (const int steps : {80, 160, 320})
    {
      const std::string dt = num(T / steps);
      const auto        t =
        Testing::run_deck<1>("order",
                             lk_deck(alpha,
                                     beta,
                                     0,
                                     "DC " + num(V),
                                     "  set End time = " + num(T) + "\n  set Initial step = " + dt +
                                       "\n  set Max step = " + dt + "\n  set Tolerance = 1e9\n"));
      errors.push_back(std::abs(t["P_fe_z"].back() / 100. - P));
    }
  const double order = std::log(errors[1] / errors[2]) / std::log(2.);
  EXPECT_NEAR(order, 2., 0.2) << errors[0] << " " << errors[1] << " " << errors[2];
  EXPECT_NEAR(std::log(errors[0] / errors[1]) / std::log(2.), 2., 0.2);
}

// Metal/FE/insulator/metal at 0 V relaxes to the remanent polarization of
// the depolarization field E_d = -lambda P, lambda = (d_i/eps_i) / (eps0 eps_f
// (d_f/eps_f + d_i/eps_i)): P_r^2 = -(2 alpha + lambda) / (4 beta). The fields
// are uniform, so the discretization is exact; tolerance 1e-4.
TEST(Tdgl, RemanentPolarizationWithDepolarizationField)
{
  const double a = -1e10, b = 1e11;
  std::string  deck =
    lk_deck(a, b, 0, "DC 0", "  set End time = 5e-9\n  set Initial step = 1e-14\n  set Max step = 1e-10\n");
  deck.replace(deck.find("fe: BaTiO3: 10 : 10"), 19, "fe: BaTiO3: 20 : 10, ins: SiO2: 5 : 4");
  deck.replace(deck.find("set Value = -1"), 14, "set Value = 1");
  const auto   t      = Testing::run_deck<1>("remanent", deck);
  const double lambda = (5e-9 / 3.9) / (Constants::eps0 * 20 * (20e-9 / 20 + 5e-9 / 3.9));
  const double Pr     = std::sqrt(-(2 * a + lambda) / (4 * b));
  EXPECT_NEAR(t["P_fe_z"].back() / 100., Pr, 1e-4 * Pr);
  EXPECT_LT(Pr, std::sqrt(-a / (2 * b))); // the depolarization lowers it
}

// At constant bias TDGL never increases the Gibbs energy (F_total of
// terminals.csv): a random initial state in 2D relaxing at 0.3 V. Tolerance:
// 1e-9 of |F| per step (round-off of the energy quadrature).
TEST(Tdgl, FreeEnergyDoesNotIncreaseAtConstantBias)
{
  std::string deck = lk_deck(
    alpha, beta, 0, "DC 0.3", "  set End time = 1e-8\n  set Initial step = 1e-13\n  set Max step = 1e-9\n");
  deck.replace(deck.find("fe: BaTiO3: 10 : 10"),
               19,
               "fe: BaTiO3: 10 : 10, ins: hBN: 2 : 2\n  set Width = 20\n  set Lateral cells = 20\n  set "
               "Lateral boundary = periodic");
  deck.replace(deck.find("set Value = -1"), 14, "set Value = 0.5\n  set Mode = random");
  const auto  t = Testing::run_deck<2>("energy", deck);
  const auto &F = t["F_total"];
  ASSERT_GT(F.size(), 5u);
  for (std::size_t i = 1; i < F.size(); ++i)
    EXPECT_LE(F[i], F[i - 1] + 1e-9 * std::abs(F[i - 1])) << "step " << i;
  EXPECT_LT(F.back(), F.front()); // and it does relax
}

// A 180-degree wall between stripe domains (Pz varying along x, between
// shorted electrodes, so E = 0) relaxes to P = -Ps tanh((x - x0)/w) with
// w = sqrt(g/|alpha|); its energy per area is (4/3) g Ps^2 / w. Both within 2 %.
TEST(Tdgl, DomainWallProfileAndEnergy)
{
  const double        g = 1e-9, w = std::sqrt(g / -alpha) * 1e9; // nm
  const std::string   deck = R"(subsection Stack
  set Layers = fe: BaTiO3: 2 : 2
  set Width = 16
  set Lateral cells = 64
  set Lateral boundary = periodic
end
subsection Contacts
  set List = bottom: bottom: metal(Pt), top: top: metal(Pt)
end
subsection Physics
  set Polarization = dynamic
end
subsection Initial polarization
  set Mode = stripes
  set Stripe period = 16
  set Value = 1
end
subsection Discretization
  set Polynomial degree = 2
end
subsection Materials
  subsection BaTiO3
    set Landau alpha = -1e9
    set Landau beta = 1e10
    set Landau gamma = 0
    set Landau delta = 0
    set Gradient coefficient = 1e-9
    set Kinetic coefficient = 1
  end
end
subsection Time
  set End time = 2e-8
  set Initial step = 1e-13
  set Max step = 1e-9
end
subsection Output
  set Fields =
end
)";
  Testing::DeckRun<2> wall("wall", deck);
  wall.run();
  const Simulator<2> &simulator = wall.simulator;

  // The wall near x = 8 nm (its centre x0, where Pz = 0, sits where the
  // discrete initial step put it; a flat wall does not move), at mid-height.
  const auto Pz = [&](const double x) { return simulator.polarization_at_point(Point<2>(x, 1.))[1]; };
  double     lo = 7, hi = 9;
  for (int i = 0; i < 40; ++i)
    (Pz(0.5 * (lo + hi)) > 0 ? lo : hi) = 0.5 * (lo + hi);
  const double x0    = 0.5 * (lo + hi);
  double       worst = 0;
  for (double x = x0 - 3; x <= x0 + 3; x += 0.25)
    worst = std::max(worst, std::abs(Pz(x) + Ps * std::tanh((x - x0) / w)));
  EXPECT_LT(worst, 0.02 * Ps);
  const double slope = (Pz(x0 + 0.05) - Pz(x0 - 0.05)) / 0.1;
  EXPECT_NEAR(Ps / std::abs(slope), w, 0.02 * w);

  // Energy: two walls in a 16 nm x 2 nm film; per unit length in 2D.
  LandauPolynomial f;
  f.alpha = alpha, f.beta = beta;
  const double uniform = f.energy(Ps) * 16e-9 * 2e-9;
  const double sigma   = (simulator.free_energy() - uniform) / (2 * 2e-9);
  const double exact   = 4. / 3. * g * Ps * Ps / (w * 1e-9);
  EXPECT_NEAR(sigma, exact, 0.02 * exact);
}

// The hand-derived Jacobian of Poisson + TDGL (all coupling blocks, the
// in-plane/out-of-plane locking term) against central finite differences.
TEST(Tdgl, JacobianMatchesFiniteDifferences)
{
  EXPECT_LT(Testing::in2se3_jacobian_error("jacobian", "    set Landau gamma = 1e12\n    set Landau beta xz = 3e11\n"),
            1e-6);
}

// Surface conditions of P. An in-plane Px varying along z carries no bound
// charge (div P = dPx/dx = 0), so the profile is pure Ginzburg-Landau:
// with P = 0 at the bottom it is the half wall Ps tanh(z/w); with an
// extrapolation length lambda at the top (dP/dn = -P/lambda) it is a shifted
// half wall whose surface value is Ps tanh(u), sinh(2u) = 2 lambda / w.
// Tolerance 1 % of Ps.
TEST(Tdgl, PolarizationSurfaceConditions)
{
  const double        g = 1e-9, w = std::sqrt(g / -alpha) * 1e9, lambda = 0.5; // nm
  const std::string   deck = R"(subsection Stack
  set Layers = fe: SnS: 10 : 40
  set Width = 2
  set Lateral cells = 2
  set Lateral boundary = periodic
end
subsection Contacts
  set List = bottom: bottom: metal(Pt), top: top: metal(Pt)
end
subsection Physics
  set Polarization = dynamic
  set Polarization boundary at = fe.bottom: zero; fe.top: extrapolation(0.5)
end
subsection Initial polarization
  set Value = 1
end
subsection Discretization
  set Polynomial degree = 2
end
subsection Materials
  subsection SnS
    set Landau alpha x = -1e9
    set Landau beta x = 1e10
    set Gradient coefficient = 1e-9
    set Kinetic coefficient = 1
  end
end
subsection Time
  set End time = 2e-8
  set Initial step = 1e-13
  set Max step = 1e-9
end
subsection Output
  set Fields =
end
)";
  Testing::DeckRun<2> surface("surface", deck);
  surface.run();
  const Simulator<2> &simulator = surface.simulator;
  const auto Px = [&](const double z) { return simulator.polarization_at_point(Point<2>(1., z))[0]; };
  for (const double z : {0., 0.5, 1., 2.})
    EXPECT_NEAR(Px(z), Ps * std::tanh(z / w), 0.01 * Ps) << "z = " << z;
  const double u = 0.5 * std::asinh(2 * lambda / w);
  EXPECT_NEAR(Px(10.), Ps * std::tanh(u), 0.01 * Ps);
  EXPECT_NEAR(Px(9.), Ps * std::tanh(u + 1. / w), 0.01 * Ps);
}

// The iterative linear solver of TDGL + Poisson (GMRES + BoomerAMG) gives
// the same trajectory as the direct one: a 2D film from a random state under
// a step bias, constant steps, P and Q at the end within 1e-6 relative.
TEST(Tdgl, IterativeSolverAgreesWithDirect)
{
  std::string deck = lk_deck(alpha,
                             beta,
                             0,
                             "DC 1.5",
                             "  set End time = 2e-9\n  set Initial step = 1e-10\n  set Max step = 1e-10\n"
                             "  set Tolerance = 1e9\n");
  deck.replace(
    deck.find("fe: BaTiO3: 10 : 10"),
    19,
    "ins: hBN: 1 : 2, fe: BaTiO3: 10 : 10\n  set Width = 10\n  set Lateral cells = 10\n  set Lateral "
    "boundary = periodic");
  deck.replace(deck.find("set Value = -1"), 14, "set Value = 0.5\n  set Mode = random");
  const auto direct = Testing::run_deck<2>("direct", deck);
  const auto iterative =
    Testing::run_deck<2>("iterative",
                         deck,
                         {{"Solver/Linear solver", "gmres-amg"}, {"Solver/Linear tolerance", "1e-12"}});
  ASSERT_EQ(direct["time"].size(), iterative["time"].size());
  EXPECT_NEAR(iterative["P_fe_z"].back(), direct["P_fe_z"].back(), 1e-6 * std::abs(direct["P_fe_z"].back()));
  EXPECT_NEAR(iterative["Q_bottom"].back(),
              direct["Q_bottom"].back(),
              1e-6 * std::abs(direct["Q_bottom"].back()));
  EXPECT_GT(std::abs(direct["P_fe_z"].back() - direct["P_fe_z"].front()), 1.); // it did evolve
}
