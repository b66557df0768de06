// Mobile ions (physics/ions/): size-limited Nernst-Planck transport in a
// blocking cell, checked against the analytic linear (Debye) and nonlinear
// (Bikerman) double layers, the equivalent-circuit relaxation time, and the
// conservation of the ion number.

#include <gtest/gtest.h>

#include <deal.II/base/function.h>

#include "test_utilities.h"

#include <cmath>
#include <iostream>
#include <sstream>

using namespace FerroStack;

namespace
{
  constexpr double eps0 = Constants::eps0, q = Constants::q, k_B = Constants::k_B;

  /// A 1D blocking cell: L nm of an ionic insulator (one positive species,
  /// c0 on a fixed background, site density c_max) between two Au
  /// electrodes; the bottom electrode gets @p bias.
  struct BlockingCell
  {
    double      L = 100, eps = 8, c0 = 1e19, c_max = 4.8e21, D = 1e-11; // nm, 1, cm^-3, cm^2/s
    unsigned    cells = 1000;
    std::string bias  = "PWL(0 0, 1e-6 1e-3)";
    std::string flux  = "activity";
    std::string bottom_metal = "Au"; ///< Cu: an active electrode (library exchange keys)
    double      end_time = 2, max_step = 0.1, tolerance = 1e-5;
    double      hopping  = 0; ///< Ion hopping distance [nm]; 0 = constant mobility

    std::string
    deck() const
    {
      std::ostringstream d;
      d.precision(12);
      d << "subsection Stack\n  set Layers = cell: CIPS: " << L << ": " << cells << "\nend\n"
        << "subsection Contacts\n  set List = bottom: bottom: metal(" << bottom_metal
        << "), top: top: metal(Au)\nend\n"
        << "subsection Bias\n  set bottom = " << bias << "\nend\n"
        << "subsection Physics\n  set Polarization = off\n  set Ions = true\nend\n"
        << "subsection Materials\n  subsection CIPS\n    set Permittivity = " << eps
        << "\n    set Ion charge = 1\n    set Ion density = " << c0 << "\n    set Ion max density = " << c_max
        << "\n    set Ion diffusivity = " << D << "\n    set Ion flux = " << flux
        << "\n    set Ion hopping distance = " << hopping << "\n  end\nend\n"
        << "subsection Time\n  set End time = " << end_time << "\n  set Initial step = 1e-8\n  set Max step = "
        << max_step << "\n  set Tolerance = " << tolerance << "\nend\n"
        << "subsection Output\n  set Fields =\nend\n";
      return d.str();
    }

    /// The Debye length [m] of the lattice gas, linearized about c0:
    /// dc/dphi = -z c0 (1 - c0/c_max) q/kT.
    double
    debye_length(const double T = 300) const
    {
      return std::sqrt(eps0 * eps * k_B * T / (q * q * c0 * 1e6 * (1 - c0 / c_max)));
    }
  };

  /// Bikerman's first integral for one mobile species on its fixed
  /// background: the electrode charge [C/m^2] at a potential psi [V] of the
  /// electrode over the neutral bulk, (eps/2) E^2 = -int rho dphi with
  /// rho = q z (c - c0), c = c_max / (1 + a e^(z psi/kT)), a = c_max/c0 - 1:
  ///   (eps/2) E^2 = kT [c0 U - c_max (U - ln((1 + a e^U) / (1 + a)))],
  /// U = z psi / kT.
  double
  bikerman_charge(const BlockingCell &cell, const double psi, const double T = 300)
  {
    const double V_T = k_B * T / q, U = psi / V_T, c0 = cell.c0 * 1e6, c_max = cell.c_max * 1e6;
    const double a = c_max / c0 - 1;
    // ln((1 + a e^U)/(1 + a)) without overflow for large U.
    const double log_term =
      U > 0 ? U + std::log(a + std::exp(-U)) - std::log(1 + a) : std::log1p(a * std::exp(U)) - std::log(1 + a);
    const double F = c0 * U - c_max * (U - log_term);
    return (psi >= 0 ? 1 : -1) * std::sqrt(2 * eps0 * cell.eps * k_B * T * std::max(F, 0.));
  }

  /// The spread (max - min) of the ions' electrochemical potential eta =
  /// ln(c / (c_max - c)) + z q phi / kT over the nodes, and the largest
  /// density over the site density c_max, on every rank.
  template <int dim>
  std::pair<double, double>
  electrochemical_spread(const Simulator<dim> &simulator, const BlockingCell &cell)
  {
    const auto &fields = simulator.field_registry();
    const auto &u      = simulator.ghosted_solution();
    double      lo = 1e300, hi = -1e300, c_over_max = 0;
    for (const auto i : fields.owned_dofs(fields.index("ions")))
      {
        lo = std::min(lo, u[i]);
        hi = std::max(hi, u[i]);
      }
    // The density at the quadrature points of every cell.
    dealii::hp::FEValues<dim>   values(simulator.dofs().get_fe_collection(),
                                     simulator.quadrature(),
                                     dealii::update_values);
    std::vector<dealii::Vector<double>> v;
    for (const auto &c : simulator.dofs().active_cell_iterators())
      if (c->is_locally_owned())
        {
          values.reinit(c);
          const auto &fe_values = values.get_present_fe_values();
          v.resize(fe_values.n_quadrature_points, dealii::Vector<double>(fields.n_components()));
          fe_values.get_function_values(u, v);
          for (const auto &point : v)
            c_over_max = std::max(c_over_max, simulator.ion_density(c->material_id(), point) / (cell.c_max * 1e6));
        }
    lo         = dealii::Utilities::MPI::min(lo, MPI_COMM_WORLD);
    hi         = dealii::Utilities::MPI::max(hi, MPI_COMM_WORLD);
    c_over_max = dealii::Utilities::MPI::max(c_over_max, MPI_COMM_WORLD);
    return {hi - lo, c_over_max};
  }
} // namespace

// Linear response (1 mV << kT/q) of a thick blocking cell: the ions screen
// each electrode within the Debye length, phi - V/2 = (V/2) sinh((L/2 - x)/
// lambda) / sinh(L / (2 lambda)) (the constant V/2 from the conservation of
// the ions), so the electrode charge is Q = eps0 eps V coth(L/(2 lambda)) /
// (2 lambda), 47 times the geometric eps0 eps V / L here. The Q1 error
// of the charge (read from the residual) falls as h^2.
TEST(Ions, BlockingCellScreensWithTheDebyeLength)
{
  BlockingCell cell;
  const double lambda = cell.debye_length(), V = 1e-3;
  const double exact  = eps0 * cell.eps * V / (2 * lambda) / std::tanh(cell.L * 1e-9 / (2 * lambda));
  std::vector<double> errors;
  for (const unsigned cells : {250u, 500u, 1000u})
    {
      cell.cells = cells;
      Testing::DeckRun<1> run("ions_debye_" + std::to_string(cells), cell.deck());
      const auto          t = run.run();
      // Equilibrium: zero ion flux is a uniform electrochemical potential.
      EXPECT_LT(electrochemical_spread(run.simulator, cell).first, 1e-6);
      const double Q = t["Q_bottom"].back();
      errors.push_back(std::abs(Q - exact) / exact);
      // Kirchhoff and charge neutrality of the cell: the ions only move
      // (the imbalance is the ion-number error, 1e-10 of q c0 L).
      EXPECT_NEAR(t["Q_top"].back(), -Q, 1e-10 * q * cell.c0 * 1e6 * cell.L * 1e-9);
      // The ion number (cm^-2) is conserved to the Newton tolerance.
      const auto &N = t["N_cell_ions"];
      for (const double n : N)
        EXPECT_NEAR(n, cell.c0 * cell.L * 1e-7, 1e-9 * cell.c0 * cell.L * 1e-7);
    }
  const double rate = std::log2(errors[1] / errors[2]);
  std::cout << "  Debye screening: lambda = " << lambda * 1e9 << " nm, Q error " << errors[0] << ", "
            << errors[1] << ", " << errors[2] << " (rate " << rate << ")\n";
  EXPECT_LT(errors[2], 2e-3);
  EXPECT_GT(rate, 1.7);
}

// The large-signal double layers: 1 V (39 kT/q) across the cell with
// c_max = 10 c0, so that the accumulated side saturates at c_max (a
// Bikerman layer) while the other is depleted (a Mott-Schottky layer). At
// equilibrium (zero ion flux), the bulk in the middle is neutral and each
// electrode's charge is Bikerman's first integral of its potential over the
// bulk; the two charges cancel and the potentials differ by V. Both flux
// forms (activity and site blocking) have this equilibrium, and c < c_max.
TEST(Ions, LargeBiasDoubleLayersFollowBikerman)
{
  BlockingCell cell;
  cell.c_max    = 1e20;
  cell.bias      = "PWL(0 0, 1 1)";
  cell.end_time  = 20;
  cell.max_step  = 2;
  cell.tolerance = 1e-3;
  // psi_bottom - psi_top = V with Q(psi_bottom) + Q(psi_top) = 0.
  double lo = 0, hi = 1;
  for (int k = 0; k < 200; ++k)
    {
      const double mid = 0.5 * (lo + hi);
      (bikerman_charge(cell, mid) + bikerman_charge(cell, mid - 1) < 0 ? lo : hi) = mid;
    }
  const double exact = bikerman_charge(cell, 0.5 * (lo + hi));
  for (const std::string flux : {"activity", "site-blocking"})
    {
      cell.flux = flux;
      Testing::DeckRun<1> run("ions_bikerman_" + flux, cell.deck());
      const auto          t = run.run();
      // Equilibrium in the steric regime: eta uniform, and the accumulated
      // layer close to, but below, the site density.
      const auto [spread, c_over_max] = electrochemical_spread(run.simulator, cell);
      std::cout << "  eta spread " << spread << ", largest c / c_max " << c_over_max << "\n";
      EXPECT_LT(spread, 1e-6);
      EXPECT_GT(c_over_max, 0.9);
      EXPECT_LT(c_over_max, 1.);
      const double Q = t["Q_bottom"].back();
      std::cout << "  Bikerman (" << flux << "): Q = " << Q << " C/m^2, analytic " << exact
                << ", relative error " << (Q - exact) / exact << "\n";
      EXPECT_NEAR(Q, exact, 5e-4 * std::abs(exact));
      EXPECT_NEAR(t["N_cell_ions"].back(), cell.c0 * cell.L * 1e-7, 1e-9 * cell.c0 * cell.L * 1e-7);
    }
}

// Kinetics: after a small voltage step the cell charges like its
// equivalent circuit, the bulk resistance L lambda^2 / (eps D) in series
// with the two double layers eps / lambda (Bazant, Thornton & Ajdari, PRE
// 70, 021506 (2004)): Q(t) = Q_inf (1 - exp(-t / tau)), tau = lambda L /
// (2 D) = 53 ms here, up to corrections of order lambda / L = 1 %. The slope
// of ln(Q_inf - Q) between 2 and 5 tau gives the slowest mode.
TEST(Ions, BlockingCellChargesWithItsRcTime)
{
  BlockingCell cell;
  const double lambda = cell.debye_length();
  const double tau    = lambda * cell.L * 1e-9 / (2 * cell.D * 1e-4);
  cell.bias           = "PWL(0 0, 1e-7 1e-3)";
  cell.end_time       = 20 * tau;
  cell.max_step       = tau / 10;
  const auto   t      = Testing::run_deck<1>("ions_rc", cell.deck());
  const auto  &time = t["time"], &Q = t["Q_bottom"];
  const double Q_inf = Q.back();
  // Least-squares slope of ln(Q_inf - Q) over [2 tau, 5 tau].
  double sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0;
  for (std::size_t i = 0; i < time.size(); ++i)
    if (time[i] >= 2 * tau && time[i] <= 5 * tau)
      {
        const double y = std::log(Q_inf - Q[i]);
        sx += time[i];
        sy += y;
        sxx += time[i] * time[i];
        sxy += time[i] * y;
        ++n;
      }
  ASSERT_GT(n, 5);
  const double slope    = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const double measured = -1 / slope;
  std::cout << "  RC time: measured " << measured << " s, lambda L / (2 D) = " << tau << " s\n";
  EXPECT_NEAR(measured, tau, 0.03 * tau);
}

// Field-assisted hopping: before the double layers form (t << the RC
// time), the ionic current of a blocking cell at 1 V over 100 nm is the
// bulk drift current, and a hopping distance of a = 10 nm multiplies it by
// sinh(u)/u with u = z q a E / (2 kT) (about 1.9); with a = 0 by 1.
TEST(Ions, FieldAssistedHoppingScalesTheDriftCurrent)
{
  const auto early_current = [](const double a) {
    BlockingCell cell;
    cell.bias     = "PWL(0 0, 1e-7 1)";
    cell.end_time = 2e-5;
    cell.max_step = 1e-6;
    cell.hopping  = a;
    cell.cells    = 200;
    const auto t  = Testing::run_deck<1>("ions_hopping_" + std::to_string(int(a)), cell.deck());
    return t["I_bottom"].back();
  };
  const double T = 300, V_T = k_B * T / q, E = 1. / 100e-9, u = 0.5 * 10e-9 * E / V_T;
  const double expected = std::sinh(u) / u, measured = early_current(10) / early_current(0);
  std::cout << "  hopping: u = " << u << ", current ratio " << measured << ", sinh(u)/u = " << expected << "\n";
  // The bulk field and density drift by t / RC ~ 4e-4 by 2e-5 s.
  EXPECT_NEAR(measured, expected, 5e-3 * expected);
}

// The Jacobian of the ion rows and their coupling to the potential (Poisson
// space charge), in a ferroelectric semiconductor with carriers and TDGL
// (alpha-In2Se3 with mobile Se vacancies, z = 2), for both flux forms (the
// site-blocking one with field-assisted hopping, a = 2 nm), against central differences, after a short biased transient.
TEST(Ions, JacobianMatchesFiniteDifferences)
{
  for (const std::string flux : {"activity", "site-blocking"})
    {
      Testing::DeckRun<1> run("ions_jacobian_" + flux, R"(subsection Stack
  set Layers = ox: hBN: 5: 10, ch: In2Se3: 20: 40
  set Doping = ch: donors 1e17
end
subsection Contacts
  set List = gate: bottom: metal(Pt), top: top: metal(Au)
end
subsection Bias
  set gate = PWL(0 0, 1e-6 1)
end
subsection Physics
  set Polarization = dynamic
  set Carriers = true
  set Ions = true
end
subsection Initial polarization
  set Value = 0, 0.3
end
subsection Materials
  subsection In2Se3
    set Ion charge = 2
    set Ion density = 1e18
    set Ion max density = 1e19
    set Ion diffusivity = 1e-4
    set Ion flux = )" + flux + R"(
    set Ion hopping distance = )" + (flux == "site-blocking" ? "2" : "0") + R"(
  end
end
subsection Time
  set End time = 1e-6
  set Initial step = 1e-8
end
subsection Output
  set Fields =
end
)");
      run.run();
      const double error = run.simulator.jacobian_check();
      std::cout << "  Jacobian (" << flux << "): relative difference " << error << "\n";
      EXPECT_LT(error, 1e-6);
    }
}

// The Landau coupling of the ions to P (Ion polarization coupling =
// landau, IonLandauCoupling and the |P|^2 in IonModule's eta): its TDGL
// term, the ions' density through the shifted statistics in the space
// charge, storage and flux, all against central differences, in 1D and in
// 2D (stripe domains, so that both P components and grad |P|^2 are not
// zero), after a biased transient that has moved the ions (and is still
// moving them: D = 1e-6 cm^2/s, a cell time of microseconds). Tolerance
// 1e-8: the flux's derivative in P alone is about 1e-7 of the Jacobian
// here (leaving it out gives 1e-7), central differences give 1e-10.
namespace
{
  std::string
  landau_coupling_deck(const unsigned dim)
  {
    std::ostringstream d;
    d << "set Dimension = " << dim << "\n"
      << "subsection Stack\n  set Layers = fe: CIPS: 20: 20\n"
      << (dim > 1 ? "  set Width = 40\n  set Lateral cells = 8\n" : "") << "end\n"
      << "subsection Contacts\n  set List = bottom: bottom: metal(Au), top: top: metal(Au)\nend\n"
      << "subsection Bias\n  set bottom = PWL(0 0, 1e-6 0.5)\nend\n"
      << "subsection Physics\n  set Polarization = dynamic\n  set Ions = true\nend\n"
      << "subsection Initial polarization\n"
      << (dim > 1 ? "  set Mode = stripes\n  set Stripe period = 40\n  set Value = 0.8\n"
                  : "  set Value = 0.8\n")
      << "end\n"
      << "subsection Materials\n  subsection CIPS\n    set Ion diffusivity = 1e-6\n"
      << "    set Ion polarization coupling = landau\n    set Ion Landau coupling = 2e8\n  end\nend\n"
      << "subsection Time\n  set End time = 1e-6\n  set Initial step = 1e-8\nend\n"
      << "subsection Output\n  set Fields =\nend\n";
    return d.str();
  }
} // namespace

TEST(Ions, LandauCouplingJacobianMatchesFiniteDifferences)
{
  {
    Testing::DeckRun<1> run("ions_landau_jacobian_1d", landau_coupling_deck(1));
    run.run();
    const double error = run.simulator.jacobian_check();
    std::cout << "  Landau coupling Jacobian (1D): relative difference " << error << "\n";
    EXPECT_LT(error, 1e-8);
  }
  {
    Testing::DeckRun<2> run("ions_landau_jacobian_2d", landau_coupling_deck(2));
    run.run();
    const double error = run.simulator.jacobian_check();
    std::cout << "  Landau coupling Jacobian (2D): relative difference " << error << "\n";
    EXPECT_LT(error, 1e-8);
  }
}

// The Landau coupling's equilibrium, in physical units: with blocking
// electrodes under a DC bias the ions settle where their full
// electrochemical potential, with the coupling's df_c/dc = w |P|^2 / c0,
//   mu / kT = ln(c / (c_max - c)) + q phi / kT + w |P|^2 / (c0 kT),
// is uniform. The test evaluates it from the solution's density [m^-3],
// potential [V] and polarization [C/m^2] at every quadrature point, so it
// checks the coupling's units and scaling as well as the zero flux. The
// Cu+ piled at the cathode weaken the double well there (w > 0): P drops,
// and the coupling term varies by kT's over the cell, so that leaving it
// out of mu would fail by far more than the tolerance (1e-6 kT).
TEST(Ions, LandauCouplingEquilibriumHasUniformElectrochemicalPotential)
{
  const double w = 2e8, c0 = 1e19 * 1e6, c_max = 4.8e21 * 1e6, T = 300; // m/F, m^-3, K
  Testing::DeckRun<1> run("ions_landau_equilibrium", R"(subsection Stack
  set Layers = fe: CIPS: 20: 200
  set Interface cell size = 0.02
end
subsection Contacts
  set List = bottom: bottom: metal(Au), top: top: metal(Au)
end
subsection Bias
  set bottom = PWL(0 0, 1e-6 0.3)
end
subsection Physics
  set Polarization = dynamic
  set Ions = true
end
subsection Initial polarization
  set Value = 1
end
subsection Materials
  subsection CIPS
    set Ion diffusivity = 1e-8
    set Ion polarization coupling = landau
    set Ion Landau coupling = 2e8
  end
end
subsection Time
  set End time = 0.01
  set Initial step = 1e-9
  set Max step = 1e-3
end
subsection Output
  set Fields =
end
)");
  const auto t = run.run();
  const auto &simulator = run.simulator;
  const auto &fields    = simulator.field_registry();
  const auto &u         = simulator.ghosted_solution();
  const unsigned phi = fields.component("potential"), P = fields.component("polarization");
  const double   V_T = k_B * T / q;
  dealii::hp::FEValues<1> values(simulator.dofs().get_fe_collection(), simulator.quadrature(), dealii::update_values);
  std::vector<dealii::Vector<double>> v;
  double mu_lo = 1e300, mu_hi = -1e300, coupling_lo = 1e300, coupling_hi = -1e300, c_hi = 0;
  for (const auto &cell : simulator.dofs().active_cell_iterators())
    if (cell->is_locally_owned())
      {
        values.reinit(cell);
        const auto &fe_values = values.get_present_fe_values();
        v.resize(fe_values.n_quadrature_points, dealii::Vector<double>(fields.n_components()));
        fe_values.get_function_values(u, v);
        for (const auto &point : v)
          {
            const double c   = simulator.ion_density(cell->material_id(), point);
            const double Pz  = point[P] * simulator.scaling().polarization; // C/m^2
            const double cpl = w * Pz * Pz / (c0 * k_B * T);
            const double mu  = std::log(c / (c_max - c)) + point[phi] * simulator.scaling().potential / V_T + cpl;
            mu_lo = std::min(mu_lo, mu), mu_hi = std::max(mu_hi, mu);
            coupling_lo = std::min(coupling_lo, cpl), coupling_hi = std::max(coupling_hi, cpl);
            c_hi = std::max(c_hi, c);
          }
      }
  mu_lo       = dealii::Utilities::MPI::min(mu_lo, MPI_COMM_WORLD);
  mu_hi       = dealii::Utilities::MPI::max(mu_hi, MPI_COMM_WORLD);
  coupling_lo = dealii::Utilities::MPI::min(coupling_lo, MPI_COMM_WORLD);
  coupling_hi = dealii::Utilities::MPI::max(coupling_hi, MPI_COMM_WORLD);
  c_hi        = dealii::Utilities::MPI::max(c_hi, MPI_COMM_WORLD);
  std::cout << "  Landau coupling equilibrium: mu spread " << mu_hi - mu_lo << " kT, coupling term "
            << coupling_lo << " ... " << coupling_hi << " kT, largest c / c0 " << c_hi / c0 << "\n";
  EXPECT_LT(mu_hi - mu_lo, 1e-6);
  // Not vacuous: the ions accumulated, and the coupling term varies by
  // more than a kT where they did.
  EXPECT_GT(c_hi / c0, 10);
  EXPECT_GT(coupling_hi - coupling_lo, 1);
  // The ion number is conserved with the coupling too.
  for (const double n : t["N_fe_ions"])
    EXPECT_NEAR(n, 1e19 * 20e-7, 1e-10 * 1e19 * 20e-7);
}

// An active electrode: Cu exchanges Cu+ with the layer (Butler-Volmer, the
// library's Cu keys), the top Au electrode blocks them. A positive bias on Cu
// oxidizes it and injects ions; their number grows by the integrated ionic
// current, which is part of the terminal current: Kirchhoff (I_bottom +
// I_top = 0, the displacement currents being dQ/dt) holds only if the
// ionic current equals q z dN/dt, and Gauss's law ties the electrode
// charges to the injected ions, Q_bottom + Q_top = -q z (N - N0).
TEST(Ions, ExchangeElectrodeInjectsItsIonicCurrent)
{
  BlockingCell cell;
  cell.bottom_metal = "Cu";
  cell.cells        = 200;
  cell.bias         = "PWL(0 0, 0.1 0.5)";
  cell.end_time     = 2;
  cell.tolerance    = 1e-4;
  Testing::DeckRun<1> run("ions_exchange", cell.deck());
  const auto          t = run.run();
  // The Butler-Volmer face term's Jacobian against central differences.
  const double jacobian_error = run.simulator.jacobian_check();
  std::cout << "  exchange Jacobian: relative difference " << jacobian_error << "\n";
  EXPECT_LT(jacobian_error, 1e-6);
  const auto  &N = t["N_cell_ions"], &Ib = t["I_bottom"], &It = t["I_top"], &Qb = t["Q_bottom"], &Qt = t["Q_top"];
  const double N0 = cell.c0 * cell.L * 1e-7; // cm^-2
  double       I_max = 0;
  for (std::size_t i = 0; i < Ib.size(); ++i)
    I_max = std::max(I_max, std::abs(Ib[i]));
  const auto &time = t["time"];
  for (std::size_t i = 0; i < Ib.size(); ++i)
    {
      // The charges are exact to the Newton tolerance (1e-12 of Q), so
      // their derivative over a step dt is exact to 1e-12 |Q| / dt.
      const double dt = i > 0 ? time[i] - time[i - 1] : 1;
      EXPECT_NEAR(Ib[i] + It[i], 0, 1e-8 * I_max + 1e-11 * std::abs(Qb[i]) / dt) << "row " << i;
      // N [cm^-2] -> m^-2: 1e4.
      EXPECT_NEAR(Qb[i] + Qt[i], -q * (N[i] - N0) * 1e4, 1e-9 * q * N0 * 1e4) << "row " << i;
    }
  std::cout << "  exchange: N grows by " << (N.back() - N0) / N0 << " (relative), largest current " << I_max
            << " A/m^2\n";
  EXPECT_GT(N.back() - N0, 1e-3 * N0); // the electrode injected ions
}

namespace
{
  /**
   * A manufactured steady state of Poisson + ions (scaled units: nm, kT/q,
   * Scaling) in a blocking cell of length L: phi = 1.5 sin(0.3 z + 0.2),
   * eta = A + cos(pi z / L) (zero gradient, hence zero flux, at both
   * electrodes), c = c_max / (1 + exp(z phi - eta)), A such that the ion
   * number is c0 L. The contacts impose phi and eta (a manufactured
   * problem's Dirichlet data: a blocking cell's steady state would need its
   * source's quadrature to sum to zero exactly). The sources are the strong forms'
   * remainders, S = -div(D (k(c) + floor) grad eta) for the ions and
   * s = -eps phi'' - z (c - c0) for Poisson, by nested central
   * differences (h = 1e-4 nm).
   */
  struct IonSteadyState
  {
    IonSpecies s;
    double     eps = 8, L = 20, A = 0;

    std::array<double, 2>
    values(const double z) const
    {
      return {{1.5 * std::sin(0.3 * z + 0.2), A + std::cos(M_PI * z / L)}};
    }
    double
    density(const double z) const
    {
      const auto v = values(z);
      return s.occupation(v[0], v[1]).c;
    }
    double
    derivative(const double z, const unsigned c) const
    {
      const double h = 1e-4;
      return (values(z + h)[c] - values(z - h)[c]) / (2 * h);
    }
    double
    flux(const double z) const
    {
      return s.diffusivity * (s.mobility_factor(density(z)).first + s.floor) * derivative(z, 1);
    }
    /// Poisson's source, -eps phi'' - z (c - c0).
    double
    poisson_source(const double z) const
    {
      const double h = 1e-4;
      return -eps * (derivative(z + h, 0) - derivative(z - h, 0)) / (2 * h) - s.charge * (density(z) - s.density);
    }
    /// The ion rows' source, -div(D (k + floor) grad eta).
    double
    ion_source(const double z) const
    {
      const double h = 1e-4;
      return -(flux(z + h) - flux(z - h)) / (2 * h);
    }
    /// A from the ion number, by bisection (c increases with A).
    void
    fix_number()
    {
      double lo = -30, hi = 10;
      for (unsigned it = 0; it < 200; ++it)
        {
          A                = 0.5 * (lo + hi);
          const unsigned m = 20000;
          double         N = 0;
          for (unsigned i = 0; i <= m; ++i) // Simpson
            N += (i == 0 || i == m ? 1 : i % 2 ? 4 : 2) * density(L * i / m);
          N *= L / m / 3;
          (N < s.density * L ? lo : hi) = A;
        }
    }
  };

  class IonExact : public dealii::Function<1>
  {
  public:
    explicit IonExact(const IonSteadyState &u)
        : dealii::Function<1>(2)
        , u(u)
    {}
    double
    value(const dealii::Point<1> &p, const unsigned c) const override
    {
      return u.values(p[0])[c];
    }
    dealii::Tensor<1, 1>
    gradient(const dealii::Point<1> &p, const unsigned c) const override
    {
      dealii::Tensor<1, 1> g;
      g[0] = u.derivative(p[0], c);
      return g;
    }
    const IonSteadyState &u;
  };

  /// L2 and H1-seminorm errors of (phi, eta) after the cell of @p cells
  /// cells has relaxed (100 of its diffusion times L^2 / D) to the steady
  /// state its sources make, with the mass lumped or not.
  std::array<double, 2>
  ion_steady_errors(const unsigned cells, const bool lumped)
  {
    const std::string deck = "set Dimension = 1\n"
                             "subsection Stack\n  set Layers = cell: CIPS: 20 : " +
                             std::to_string(cells) +
                             "\nend\n"
                             "subsection Contacts\n  set List = bottom: bottom: metal(Au), top: top: metal(Au)\nend\n"
                             "subsection Physics\n  set Polarization = off\n  set Ions = true\nend\n"
                             "subsection Materials\n  subsection CIPS\n    set Permittivity = 8\n"
                             "    set Ion charge = 1\n    set Ion density = 1e19\n    set Ion max density = 1e21\n"
                             "    set Ion diffusivity = 1e-11\n  end\nend\n"
                             "subsection Discretization\n  set Mass lumping = " +
                             std::string(lumped ? "true" : "false") +
                             "\nend\n"
                             "subsection Time\n  set End time = 40\n  set Initial step = 1e-6\n  set Max step = 2\n"
                             "  set Tolerance = 1e-4\nend\n"
                             "subsection Output\n  set Fields =\nend\n";
    const std::string name = "ions_mms_" + std::to_string(cells) + (lumped ? "_lumped" : "");
    const Parameters  prm(Testing::write_deck(name, deck));
    RunLog            log(false);
    log.quiet_terminal(true);
    Simulator<1>   simulator(prm, MPI_COMM_WORLD, log);
    IonSteadyState u;
    u.s = IonSpecies::of(prm.materials.get("CIPS"), Scaling(prm.temperature));
    u.fix_number();
    simulator.set_manufactured_solution({std::make_shared<IonExact>(u),
                                         std::make_shared<dealii::ScalarFunctionFromFunctionObject<1>>(
                                           [&u](const dealii::Point<1> &p) { return u.poisson_source(p[0]); }),
                                         nullptr,
                                         nullptr,
                                         std::make_shared<dealii::ScalarFunctionFromFunctionObject<1>>(
                                           [&u](const dealii::Point<1> &p) { return u.ion_source(p[0]); })});
    simulator.setup();
    simulator.run(Testing::scratch_directory() + "/" + name + "_out");
    return simulator.manufactured_errors();
  }
} // namespace

// Poisson + ions, a manufactured steady state reached through the time
// loop: Q1 converges at O(h^2) in L2 and O(h) in H1 for (phi, eta), with
// the lumped and the consistent mass.
TEST(Ions, ManufacturedSteadyStateConvergesAtOptimalRates)
{
  for (const bool lumped : {true, false})
    {
      const std::vector<unsigned>        meshes = {20, 40, 80, 160};
      std::vector<std::array<double, 2>> e;
      for (const unsigned n : meshes)
        e.push_back(ion_steady_errors(n, lumped));
      for (std::size_t i = 1; i < e.size(); ++i)
        {
          const double l2 = std::log2(e[i - 1][0] / e[i][0]), h1 = std::log2(e[i - 1][1] / e[i][1]);
          std::cout << "  ions MMS" << (lumped ? " (lumped)" : "") << " n = " << meshes[i] << ": L2 " << e[i][0]
                    << " rate " << l2 << ", H1 " << e[i][1] << " rate " << h1 << "\n";
          if (i + 1 == e.size())
            {
              EXPECT_NEAR(l2, 2., 0.1);
              EXPECT_NEAR(h1, 1., 0.1);
            }
        }
    }
}
