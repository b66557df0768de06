#include <base/units.h>
#include <solvers/simulator.h>

#include <cmath>
#include <iomanip>
#include <sstream>

#include "test_utilities.h"
#include <gtest/gtest.h>

using namespace FerroStack;
using namespace dealii;

// Charge traps with SRH occupancy dynamics (TrapModule).

namespace
{
  /// 100 nm of Si doped @p doping ("donors 1e17"), ohmic at both ends at 0
  /// V, with traps of density N_t [cm^-3], level E_t [eV from midgap] and
  /// capture coefficients c [cm^3/s], prepared at occupancy f0 and followed
  /// for @p t_end with steps of at most @p max_step.
  std::string
  trap_deck(const std::string &doping, const double N_t, const double E_t, const double c_n, const double c_p,
            const double f0, const double t_end, const double max_step, const std::string &kind = "acceptor")
  {
    std::ostringstream d;
    d << std::setprecision(17);
    d << "subsection Stack\n  set Layers = si: Si: 100 : 50\n  set Doping = si: " << doping << "\nend\n"
      << "subsection Contacts\n  set List = left: bottom: ohmic, right: top: ohmic\nend\n"
      << "subsection Physics\n  set Polarization = off\n  set Carriers = true\nend\n"
      << "subsection Materials\n  subsection Si\n"
      << "    set Trap density = " << N_t << "\n    set Trap level = " << E_t
      << "\n    set Trap capture electrons = " << c_n << "\n    set Trap capture holes = " << c_p
      << "\n    set Trap initial occupancy = " << f0 << "\n    set Trap kind = " << kind << "\n  end\nend\n"
      << "subsection Time\n  set End time = " << t_end << "\n  set Initial step = " << max_step / 100
      << "\n  set Max step = " << max_step << "\n  set Tolerance = 1e-6\nend\n"
      << "subsection Output\n  set Fields =\nend\n";
    return d.str();
  }

} // namespace

// A step in the Fermi level: traps prepared at occupancy f0 = 0.1 relax
// towards the occupancy of the carriers around them,
//   f(t) = f_inf + (f0 - f_inf) exp(-t / tau),
//   tau = 1 / (c_n (n + n1) + c_p (p + p1)),
//   f_inf = tau (c_n n + c_p p1),   n1, p1 = n_i exp(+-E_t / kT)
// (Shockley and Read 1952), exactly exponential while n and p stay put: here
// N_t = 1e13 cm^-3 against 1e17 donors (n moves by 1e-4). n-Si: electron
// capture sets tau (1 ns); p-Si with donor-like traps emptied (f0 = 0.9):
// hole capture does (0.5 ns). Measured: the time constant fitted from the
// simulated Nt_si at t = tau, 2 tau, 3 tau, ln((f_inf - f0)/(f_inf - f))
// = t / tau_fit, against tau: 1e-3 (measured 1.5e-5 to 2.6e-5: BDF2 steps
// of at most tau/100 at a time tolerance of 1e-6, and n moving by 1e-4);
// f at 8 tau against the exponential to 1e-5 (measured 1e-7).
TEST(Traps, OccupancyRelaxesWithItsTimeConstant)
{
  const double  V_T = Constants::k_B * 300 / Constants::q;
  const double  ni = Testing::Silicon().ni_at_thermal_voltage(V_T) * 1e-6, N_t = 1e13, E_t = 0.2, L = 100e-7; // cm
  struct Case
  {
    std::string doping, kind;
    double      c_n, c_p, f0;
  };
  for (const Case &c : {Case{"donors 1e17", "acceptor", 1e-8, 2e-8, 0.1}, Case{"acceptors 1e17", "donor", 1e-9, 2e-8, 0.9}})
    {
      const bool   n_type = c.doping.rfind("donors", 0) == 0;
      const double N      = 1e17;
      const double major  = 0.5 * N + std::sqrt(0.25 * N * N + ni * ni), minor = ni * ni / major;
      const double n = n_type ? major : minor, p = n_type ? minor : major;
      const double n1 = ni * std::exp(E_t / V_T), p1 = ni * std::exp(-E_t / V_T);
      const double tau   = 1 / (c.c_n * (n + n1) + c.c_p * (p + p1));
      const double f_inf = tau * (c.c_n * n + c.c_p * p1);
      auto         t = Testing::run_deck<1>("traps_" + c.kind, trap_deck(c.doping, N_t, E_t, c.c_n, c.c_p, c.f0, 8 * tau, tau / 100, c.kind));
      const auto  &time = t["time"], &Nt = t["Nt_si"];
      ASSERT_GT(time.size(), 100u);
      // The occupancy from the trapped electrons per area.
      const auto f_at = [&](const double when) {
        for (std::size_t i = 1; i < time.size(); ++i)
          if (time[i] >= when)
            {
              const double w  = (when - time[i - 1]) / (time[i] - time[i - 1]);
              const double Nt_t = Nt[i - 1] + w * (Nt[i] - Nt[i - 1]);
              return Nt_t / (N_t * L);
            }
        return Nt.back() / (N_t * L);
      };
      EXPECT_NEAR(f_at(0), c.f0, 1e-9) << c.kind;
      for (const double k : {1., 2., 3.})
        {
          const double tau_fit = k * tau / std::log((f_inf - c.f0) / (f_inf - f_at(k * tau)));
          EXPECT_NEAR(tau_fit / tau, 1., 1e-3) << c.kind << " at " << k << " tau (tau = " << tau << " s)";
        }
      EXPECT_NEAR(f_at(8 * tau), f_inf + (c.f0 - f_inf) * std::exp(-8.), 1e-5) << c.kind;
    }
}

// The Jacobian with traps (their charge in Poisson, capture and emission in
// both carrier rows, the occupancy's row) against central differences, on
// a biased n-Si layer whose traps are out of equilibrium. Measured 5.4e-11;
// dropping the occupancy row's phi-derivative or the trapped charge's
// u-derivative fails it.
TEST(Traps, JacobianMatchesFiniteDifferences)
{
  std::string deck = trap_deck("donors 1e16", 1e15, 0.1, 1e-8, 3e-8, 0.3, 1e-9, 1e-11);
  deck.replace(deck.find("right: top: ohmic"), 17, "right: top: schottky(0.6)");
  deck += "subsection Bias\n  set left = DC 0.2\nend\n";
  const Parameters prm(Testing::write_deck("traps_jacobian", "set Dimension = 1\n" + deck));
  RunLog           log(false);
  Simulator<1>     simulator(prm, MPI_COMM_WORLD, log);
  simulator.setup();
  EXPECT_LT(simulator.jacobian_check(), 1e-6);
  // The initial solve's rows: the steady state written as the logit of its
  // solution (TrapModule::lumped_terms).
  EXPECT_LT(simulator.jacobian_check(true), 1e-6);
  // A Gaussian density of states sampled by three levels: one occupancy
  // component per level, each coupled to phi, phi_n and phi_p.
  std::string dos = deck;
  dos.replace(dos.find("    set Trap kind"), 0,
              "    set Trap distribution = gaussian\n    set Trap width = 0.1\n    set Trap levels = 3\n");
  const Parameters dos_prm(Testing::write_deck("traps_jacobian_dos", "set Dimension = 1\n" + dos));
  Simulator<1>     dos_simulator(dos_prm, MPI_COMM_WORLD, log);
  dos_simulator.setup();
  EXPECT_LT(dos_simulator.jacobian_check(), 1e-6);
  EXPECT_LT(dos_simulator.jacobian_check(true), 1e-6);
}

// The initial solve of a FeFET whose polarization depletes the channel
// (inputs/fefet/mos2_cips_2d.prm, narrowed: Pt gate, 30 nm CIPS pointing
// down, 5 nm n-MoS2 with midgap acceptor traps). There n, p, n1 and p1 are
// all 1e-11 of the density unit or less, and the steady-state balance
// r_n = r_p as the trap row sent Newton's logit updates into the
// thousands: the run stopped at t = 0 ("the initial equilibrium solve did
// not converge"). Now it starts, and at zero bias it is in equilibrium:
// the drain carries no current at t = 0 (measured 3e-33 A/m) and the traps
// hold between none and all of their electrons.
TEST(Traps, FeFETUnderDepletingPolarizationStarts)
{
  const std::string deck = R"(set Dimension = 2
subsection Stack
  set Layers = cips: CIPS: 30 : 10, ch: MoS2: 5 : 5
  set Width  = 60
  set Lateral cells = 6
  set Doping = ch: donors 1e18
  set Interface cell size = 0.5
end
subsection Contacts
  set List = gate: bottom: metal(Pt), source: top[0,10]: ohmic, drain: top[50,60]: ohmic
end
subsection Physics
  set Polarization = dynamic
  set Carriers     = true
end
subsection Initial polarization
  set Value = -1
end
subsection Materials
  subsection MoS2
    set Trap density = 2e18
    set Trap capture electrons = 1e-21
    set Trap capture holes = 1e-21
  end
end
subsection Time
  set End time = 1e-9
  set Initial step = 1e-10
end
subsection Output
  set Fields =
end
)";
  auto t = Testing::run_deck<2>("traps_fefet_start", deck);
  ASSERT_FALSE(t["Nt_ch"].empty());
  // Full: 2e18 cm^-3 x 5 nm x 60 nm = 6e6 per cm of depth.
  EXPECT_GT(t["Nt_ch"].front(), 0.);
  EXPECT_LE(t["Nt_ch"].front(), 6e6 * (1 + 1e-12));
  EXPECT_LT(std::abs(t["I_drain"].front()), 1e-12); // A/m; the current unit is 0.59 A/m
}

// The levels that sample a trap density of states (trap_distribution.h):
// weights sum to one, the uniform band's levels are its K midpoints, and the
// Gaussian's Gauss-Hermite levels reproduce its moments: variance sigma^2
// (K >= 2) and fourth moment 3 sigma^4 (K >= 3; exact up to degree 2K - 1).
TEST(Traps, DistributionLevelsHaveTheirMoments)
{
  const double sigma = 0.1, E0 = 0.2;
  for (unsigned K = 1; K <= max_trap_levels; ++K)
    {
      for (const std::string d : {"single", "uniform", "gaussian"})
        {
          double sum = 0;
          for (const TrapLevel &l : trap_levels(d, E0, sigma, K))
            sum += l.weight;
          EXPECT_NEAR(sum, 1., 1e-15) << d << " K = " << K;
        }
      const auto u = trap_levels("uniform", E0, 0.4, K);
      for (unsigned k = 0; k < K; ++k)
        EXPECT_NEAR(u[k].energy, E0 - 0.2 + (k + 0.5) * 0.4 / K, 1e-15);
      double m1 = 0, m2 = 0, m4 = 0;
      for (const TrapLevel &l : trap_levels("gaussian", E0, sigma, K))
        {
          const double x = l.energy - E0;
          m1 += l.weight * x, m2 += l.weight * x * x, m4 += l.weight * x * x * x * x;
        }
      EXPECT_NEAR(m1, 0., 1e-15) << "K = " << K;
      if (K >= 2)
        {
          EXPECT_NEAR(m2, sigma * sigma, 1e-15) << "K = " << K;
        }
      if (K >= 3)
        {
          EXPECT_NEAR(m4, 3 * std::pow(sigma, 4), 1e-15) << "K = " << K;
        }
    }
  EXPECT_THROW(trap_levels("uniform", 0, 0.1, max_trap_levels + 1), std::invalid_argument);
}

// A trap density of states in equilibrium fills to the Fermi level: each
// level k of n-Si's traps (1e17 donors, E_F = V_T ln(n / n_i) = 0.42 eV above
// midgap) holds f_k = 1 / (1 + exp((E_k - E_F) / kT)) (the steady SRH
// occupancy with n p = n_i^2), whatever the capture coefficients. A uniform
// band of 0.4 eV centred 0.05 eV below E_F (four midpoint levels, written
// out here) and a Gaussian of 0.1 eV about E_F (two levels at +-sigma) are
// checked against these sums to 1e-6 (1e11 cm^-3 of traps hold 6e-7 of the
// 1e17 electrons, which moves f by a few 1e-8; measured 3.4e-7 with 1e12).
// And the four levels sample the continuous band: its filled fraction
// (kT/W) ln((1 + e^((E_F - E1)/kT)) / (1 + e^((E_F - E2)/kT))) differs from
// the four levels' by 1.3e-4 (the midpoint rule's error; allowed 1e-3).
TEST(Traps, DensityOfStatesFillsToTheFermiLevel)
{
  const double V_T = Constants::k_B * 300 / Constants::q;
  const double ni  = Testing::Silicon().ni_at_thermal_voltage(V_T) * 1e-6; // cm^-3
  const double N = 1e17, n = 0.5 * N + std::sqrt(0.25 * N * N + ni * ni), E_F = V_T * std::log(n / ni);
  const double N_t = 1e11, L = 100e-7; // cm^-3, cm
  const auto   filled = [&](const std::vector<std::pair<double, double>> &levels) {
    double f = 0;
    for (const auto &[E, w] : levels)
      f += w / (1 + std::exp((E - E_F) / V_T));
    return f;
  };
  struct Case
  {
    std::string                             keys;
    std::vector<std::pair<double, double>> levels; // energy from midgap, weight
  };
  const double E_u  = E_F - 0.05;
  const auto   text = [](const double x) {
    std::ostringstream out;
    out << std::setprecision(17) << x;
    return out.str();
  };
  const std::vector<Case> cases = {
    {"    set Trap distribution = uniform\n    set Trap width = 0.4\n    set Trap level = " + text(E_u) + "\n",
     {{E_u - 0.15, 0.25}, {E_u - 0.05, 0.25}, {E_u + 0.05, 0.25}, {E_u + 0.15, 0.25}}},
    {"    set Trap distribution = gaussian\n    set Trap width = 0.1\n    set Trap levels = 2\n    set Trap level = " +
       text(E_F) + "\n",
     {{E_F - 0.1, 0.5}, {E_F + 0.1, 0.5}}}};
  for (const Case &c : cases)
    {
      std::string       deck = trap_deck("donors 1e17", N_t, 0, 1e-8, 1e-8, 0.5, 1e-12, 1e-12);
      const std::string held = "    set Trap initial occupancy = 0.5\n", level = "    set Trap level = 0\n";
      deck.replace(deck.find(held), held.size(), "");
      deck.replace(deck.find(level), level.size(), c.keys);
      const auto t = Testing::run_deck<1>("traps_dos", deck);
      EXPECT_NEAR(t["Nt_si"].front() / (N_t * L), filled(c.levels), 1e-6) << c.keys;
    }
  // The four levels against the continuous band.
  const double E1 = E_u - 0.2, E2 = E_u + 0.2;
  const double band = V_T / 0.4 * std::log((1 + std::exp((E_F - E1) / V_T)) / (1 + std::exp((E_F - E2) / V_T)));
  EXPECT_NEAR(filled(cases[0].levels) / band, 1., 1e-3);
}

// Interface traps (`Interface trap density`): a sheet of charge on the
// face, not in the layer. 10 nm SiO2 on 100 nm n-Si (1e17 donors), a
// gate below and an ohmic contact on top; acceptor traps of 1e12 cm^-2 on
// the oxide/Si interface at 0.5 eV below midgap, all filled while the
// surface is accumulated (1 - f ~ 1e-17). Gauss: with the gate raised by
// q N_it / C_ox the oxide's field grows by exactly the sheet's charge, the
// silicon sees the field it saw without traps, and so its state and the
// top contact's charge are the trap-free run's, while the gate holds q
// N_it more (exact in 1D: the oxide's potential is linear). Measured: all
// three agree to the 13 digits terminals.csv prints (the gate's extra
// charge with q N_it, the top contact's charge with the trap-free run's,
// the trapped number with N_it); allowed 1e-9 (the Newton tolerance).
// Traps put in the silicon's first cells (a bulk density) would change
// the silicon's state and fail the second check.
TEST(Traps, InterfaceTrapsAreASheetOnTheInterface)
{
  const double q = Constants::q, eps0 = Constants::eps0;
  const double N_it = 1e12, C_ox = eps0 * 3.9 / 10e-9; // cm^-2, F/m^2
  const double shift = q * N_it * 1e4 / C_ox;        // V
  const auto   deck  = [&](const double V_gate, const bool traps) {
    std::ostringstream d;
    d << std::setprecision(17)
      << "subsection Stack\n  set Layers = ox: SiO2: 10 : 20, si: Si: 100 : 100\n  set Doping = si: donors 1e17\nend\n"
      << "subsection Contacts\n  set List = gate: bottom: gate(4.0), body: top: ohmic\nend\n"
      << "subsection Bias\n  set gate = DC " << V_gate << "\nend\n"
      << "subsection Physics\n  set Polarization = off\n  set Carriers = true\nend\n"
      << "subsection Materials\n  subsection Si\n"
      << "    set Interface trap density = " << (traps ? N_it : 0.) << "\n    set Trap level = -0.5\n"
      << "    set Trap capture electrons = 1e-8\n    set Trap capture holes = 1e-8\n  end\nend\n"
      << "subsection Time\n  set End time = 1e-9\n  set Initial step = 1e-10\n  set Max step = 1e-9\nend\n"
      << "subsection Output\n  set Fields =\nend\n";
    return d.str();
  };
  const auto clean = Testing::run_deck<1>("interface_traps_none", deck(0.5, false));
  const auto trapped = Testing::run_deck<1>("interface_traps", deck(0.5 + shift, true));
  const double sheet = q * N_it * 1e4; // C/m^2
  EXPECT_NEAR(trapped["Nt_si"].front() / N_it, 1., 1e-12);
  EXPECT_NEAR((trapped["Q_gate"].front() - clean["Q_gate"].front()) / sheet, 1., 1e-9);
  EXPECT_NEAR((trapped["Q_body"].front() - clean["Q_body"].front()) / sheet, 0., 1e-9);
  EXPECT_NEAR((trapped["Q_body"].back() - clean["Q_body"].back()) / sheet, 0., 1e-9);
}

// The interface traps' face terms in the Jacobian (their charge in
// Poisson's face row, surface capture and emission in both carrier rows),
// out of equilibrium, against central differences: the Si bar above with
// a Schottky top contact under bias, half-filled interface traps on the
// oxide/Si face and bulk traps too.
TEST(Traps, InterfaceTrapJacobianMatchesFiniteDifferences)
{
  const std::string deck = R"(set Dimension = 1
subsection Stack
  set Layers = ox: SiO2: 5 : 5, si: Si: 50 : 25
  set Doping = si: donors 1e16
end
subsection Contacts
  set List = gate: bottom: gate(4.3), body: top: schottky(0.6)
end
subsection Bias
  set gate = DC 0.3
  set body = DC 0.1
end
subsection Physics
  set Polarization = off
  set Carriers = true
end
subsection Materials
  subsection Si
    set Trap density = 1e15
    set Interface trap density = 3e11
    set Interface trap faces = bottom
    set Trap level = 0.1
    set Trap capture electrons = 1e-8
    set Trap capture holes = 3e-8
    set Trap initial occupancy = 0.3
  end
end
subsection Time
  set End time = 1e-9
  set Initial step = 1e-11
end
subsection Output
  set Fields =
end
)";
  const Parameters prm(Testing::write_deck("interface_traps_jacobian", deck));
  RunLog           log(false);
  Simulator<1>     simulator(prm, MPI_COMM_WORLD, log);
  simulator.setup();
  EXPECT_LT(simulator.jacobian_check(), 1e-6);
  EXPECT_LT(simulator.jacobian_check(true), 1e-6);
}
