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

  /// Silicon of the library at 300 K: n_i and the neutral densities.
  struct Silicon
  {
    double Nc = 2.86e19, Nv = 3.1e19, gap = 1.12; // cm^-3, eV
    double
    ni(const double V_T) const
    {
      return std::sqrt(Nc * Nv) * std::exp(-gap / (2 * V_T));
    }
  };
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
  const Silicon si;
  const double  ni = si.ni(V_T), N_t = 1e13, E_t = 0.2, L = 100e-7; // cm
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
}
