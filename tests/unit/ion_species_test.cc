// Several mobile-ion species in one layer (comma lists of the per-species
// Ion keys; one IonModule and one field per species): checked against the
// single-species solution they must reproduce exactly, against the
// two-species Bikerman first integral, and for each species' conservation.

#include <gtest/gtest.h>

#include <base/deck_error.h>

#include "test_utilities.h"

#include <cmath>
#include <iostream>
#include <sstream>

using namespace FerroStack;

namespace
{
  constexpr double eps0 = Constants::eps0, q = Constants::q, k_B = Constants::k_B;

  /// One species of a blocking cell's ion set (cm^-3, cm^2/s).
  struct Species
  {
    double z, c0, c_max, D;
  };

  /// A 1D blocking cell of L nm (CIPS, permittivity eps) between Au
  /// electrodes with the species @p species; the bottom electrode gets
  /// @p bias.
  std::string
  cell_deck(const std::vector<Species> &species,
            const std::string          &bias,
            const double                end_time,
            const double                max_step,
            const double                L     = 100,
            const unsigned              cells = 1000)
  {
    const auto list = [&](const auto member) {
      std::ostringstream s;
      s.precision(12);
      for (std::size_t k = 0; k < species.size(); ++k)
        s << (k ? ", " : "") << species[k].*member;
      return s.str();
    };
    std::ostringstream d;
    d << "subsection Stack\n  set Layers = cell: CIPS: " << L << ": " << cells << "\nend\n"
      << "subsection Contacts\n  set List = bottom: bottom: metal(Au), top: top: metal(Au)\nend\n"
      << "subsection Bias\n  set bottom = " << bias << "\nend\n"
      << "subsection Physics\n  set Polarization = off\n  set Ions = true\nend\n"
      << "subsection Materials\n  subsection CIPS\n    set Permittivity = 8"
      << "\n    set Ion charge = " << list(&Species::z) << "\n    set Ion density = " << list(&Species::c0)
      << "\n    set Ion max density = " << list(&Species::c_max) << "\n    set Ion diffusivity = "
      << list(&Species::D) << "\n  end\nend\n"
      << "subsection Time\n  set End time = " << end_time << "\n  set Initial step = 1e-8\n  set Max step = "
      << max_step << "\n  set Tolerance = 1e-5\nend\n"
      << "subsection Output\n  set Fields =\nend\n";
    return d.str();
  }

  /// Bikerman's first integral of Poisson for several species, each on its
  /// own fixed background: the electrode charge [C/m^2] at a potential psi
  /// [V] over the neutral bulk, (eps/2) E^2 = -int rho dphi = kT sum_k
  /// [c0 U - c_max (U - ln((1 + a e^U)/(1 + a)))]_k, U_k = z_k psi / kT,
  /// a_k = c_max/c0 - 1 (the one-species form of ions_test.cc per species).
  double
  bikerman_charge(const std::vector<Species> &species, const double psi, const double T = 300)
  {
    const double V_T = k_B * T / q;
    double       F   = 0;
    for (const Species &s : species)
      {
        const double U = s.z * psi / V_T, c0 = s.c0 * 1e6, c_max = s.c_max * 1e6, a = c_max / c0 - 1;
        const double log_term =
          U > 0 ? U + std::log(a + std::exp(-U)) - std::log(1 + a) : std::log1p(a * std::exp(U)) - std::log(1 + a);
        F += c0 * U - c_max * (U - log_term);
      }
    return (psi >= 0 ? 1 : -1) * std::sqrt(2 * eps0 * 8 * k_B * T * std::max(F, 0.));
  }

  /// The spread (max - min) over the nodes of each species' electrochemical
  /// potential eta_k = ln(c_k / (c_max,k - c_k)) + z_k q phi / kT, on every
  /// rank.
  template <int dim>
  std::vector<double>
  electrochemical_spreads(const Simulator<dim> &simulator)
  {
    const auto         &fields = simulator.field_registry();
    const auto         &u      = simulator.ghosted_solution();
    std::vector<double> spreads;
    for (unsigned k = 0; k < simulator.n_ion_species(); ++k)
      {
        double lo = 1e300, hi = -1e300;
        for (const auto i : fields.owned_dofs(fields.index(IonModule<dim>::field_name(k))))
          {
            lo = std::min(lo, u[i]);
            hi = std::max(hi, u[i]);
          }
        spreads.push_back(dealii::Utilities::MPI::max(hi, MPI_COMM_WORLD) -
                          dealii::Utilities::MPI::min(lo, MPI_COMM_WORLD));
      }
    return spreads;
  }

  /// For a symmetric pair (z = +1 and -1, the same c0 and c_max: their
  /// fixed backgrounds cancel, so a bulk at any density c_b is neutral):
  /// the number per area [m^-2] that one species holds in the double layer
  /// of an electrode at @p psi over a bulk at @p c_b [cm^-3], beyond c_b,
  /// int (c - c_b) dx = int (c - c_b) / E dpsi' (E(psi') from the first
  /// integral; the integrand stays finite at the bulk, psi' -> 0).
  double
  double_layer_excess(const std::vector<Species> &species, const unsigned k, const double c_b, const double psi)
  {
    const double V_T = k_B * 300 / q;
    std::vector<Species> bulk = species;
    for (Species &s : bulk)
      s.c0 = c_b;
    const unsigned n = 20000;
    double         sum = 0;
    for (unsigned i = 0; i < n; ++i)
      {
        const double p = (i + 0.5) / n * psi; // midpoint rule in psi'
        const Species &s = bulk[k];
        const double   c = s.c_max / (1 + (s.c_max / c_b - 1) * std::exp(s.z * p / V_T));
        const double   E = std::abs(bikerman_charge(bulk, p)) / (eps0 * 8);
        sum += (c - c_b) * 1e6 / E * std::abs(psi) / n;
      }
    return sum;
  }
} // namespace

// Splitting one species into two identical halves (c0/2 and c_max/2 each,
// the same z and D) is the same physics: with eta_1 = eta_2 the two
// densities are c/2 each, their fluxes D (c/2) grad eta add up to the one
// species' flux (activity form), and nothing tells the halves apart. Under
// a 0.5 V pulse that drives the cell far into the nonlinear regime, the
// terminals of the split run are the one-species run's to the Newton and
// step tolerance, and the two ion numbers are each half of the one.
TEST(IonSpecies, IdenticalHalvesReproduceOneSpecies)
{
  const Species cu{1, 1e19, 4.8e21, 1e-11}, half{1, 0.5e19, 2.4e21, 1e-11};
  const std::string bias = "PULSE(0 0.5 1e-3 1e-4 1e-4 0.02 1 1)";
  const auto one = Testing::run_deck<1>("ion_species_one", cell_deck({cu}, bias, 0.05, 2e-3, 100, 400));
  const auto two = Testing::run_deck<1>("ion_species_two", cell_deck({half, half}, bias, 0.05, 2e-3, 100, 400));
  ASSERT_TRUE(two.has("N_cell_ions_2"));
  const double N = cu.c0 * 100e-7; // cm^-2
  EXPECT_NEAR(one["N_cell_ions"].back(), N, 1e-10 * N);
  for (const std::size_t i : {std::size_t(0), two["time"].size() - 1})
    {
      EXPECT_NEAR(two["N_cell_ions"][i], 0.5 * N, 1e-10 * N);
      EXPECT_NEAR(two["N_cell_ions_2"][i], 0.5 * N, 1e-10 * N);
    }
  // The electrode charge at common times (the step sequences may differ
  // within the tolerance; interpolate the split run linearly).
  double largest = 0, scale = 0;
  const auto &t1 = one["time"], &Q1 = one["Q_bottom"], &t2 = two["time"], &Q2 = two["Q_bottom"];
  for (std::size_t i = 0; i < t1.size(); ++i)
    {
      const auto j = std::lower_bound(t2.begin(), t2.end(), t1[i]) - t2.begin();
      if (j == 0 || j >= long(t2.size()))
        continue;
      const double w = (t1[i] - t2[j - 1]) / (t2[j] - t2[j - 1]);
      largest        = std::max(largest, std::abs(Q1[i] - ((1 - w) * Q2[j - 1] + w * Q2[j])));
      scale          = std::max(scale, std::abs(Q1[i]));
    }
  std::cout << "  one species vs two halves: largest |Q difference| " << largest << " C/m^2 of " << scale
            << " (" << one["time"].size() << " and " << two["time"].size() << " steps)\n";
  EXPECT_GT(scale, 1e-3);
  EXPECT_LT(largest, 2e-3 * scale);
}


// Two species of opposite charge, a cation (z = +1) and an anion (z = -1)
// of the same density and site limit but different diffusivities, in one
// 100 nm layer at 1 V: in equilibrium each has a uniform electrochemical
// potential (1e-6 kT), each keeps its number (1e-10: the conservation
// test of the Newton, Simulator::ions_conserved), and the electrode charge is the two-species Bikerman first
// integral's. The pair is symmetric under psi -> -psi with the species
// swapped, so each electrode takes half the voltage; its steric double
// layers hold about half of each species, so the bulk that they screen is
// not at c0 but at the c_b that conserves each number, c_b L + the excess
// of both double layers = c0 L (double_layer_excess; the first integral
// with c_b, whose fixed backgrounds cancel; c_b = 4.6e18 cm^-3 here). 5e-3:
// the mesh error of 0.1 nm cells in a double layer of 0.5 nm at the site
// limit (measured 1.2e-3; 4000 cells: 1e-4). At the anode the anions pile up to their
// site limit where the cations alone could only deplete, so the charge is
// several times the cation-only one.
TEST(IonSpecies, TwoSpeciesDoubleLayersFollowBikerman)
{
  const std::vector<Species> species = {{1, 1e19, 1e21, 1e-11}, {-1, 1e19, 1e21, 3e-11}};
  const double               V = 1, L = 100e-9;
  // The bulk density that conserves the cations (and, by the symmetry, the
  // anions): bisection on c_b.
  double lo = 1e15, hi = species[0].c0;
  for (int it = 0; it < 60; ++it)
    {
      const double c_b = std::sqrt(lo * hi);
      const double N   = c_b * 1e6 * L + double_layer_excess(species, 0, c_b, V / 2) +
                       double_layer_excess(species, 0, c_b, -V / 2);
      (N > species[0].c0 * 1e6 * L ? hi : lo) = c_b;
    }
  std::vector<Species> bulk = species;
  for (Species &s : bulk)
    s.c0 = std::sqrt(lo * hi);
  const double exact       = bikerman_charge(bulk, V / 2);
  const double cation_only = [&]() {
    double a = 0, b = V;
    for (int k = 0; k < 200; ++k)
      {
        const double mid = 0.5 * (a + b);
        (bikerman_charge({species[0]}, mid) + bikerman_charge({species[0]}, mid - V) < 0 ? a : b) = mid;
      }
    return bikerman_charge({species[0]}, 0.5 * (a + b));
  }();
  std::cout << "  bulk density " << bulk[0].c0 << " cm^-3 of c0 = " << species[0].c0 << "\n";

  Testing::DeckRun<1> run("ion_species_bikerman", cell_deck(species, "PWL(0 0, 1e-4 1)", 12, 0.25));
  const auto          t = run.run();
  const auto          spreads = electrochemical_spreads(run.simulator);
  ASSERT_EQ(spreads.size(), 2u);
  std::cout << "  eta spreads " << spreads[0] << ", " << spreads[1] << " kT\n";
  EXPECT_LT(spreads[0], 1e-6);
  EXPECT_LT(spreads[1], 1e-6);
  const double Q = t["Q_bottom"].back();
  std::cout << "  two species: Q = " << Q << " C/m^2, analytic " << exact << " (cation alone " << cation_only
            << "), relative error " << (Q - exact) / exact << "\n";
  EXPECT_GT(std::abs(exact), 2 * std::abs(cation_only));
  EXPECT_NEAR(Q, exact, 5e-3 * std::abs(exact));
  for (const auto &[column, s] : {std::pair<std::string, Species>{"N_cell_ions", species[0]},
                                  std::pair<std::string, Species>{"N_cell_ions_2", species[1]}})
    EXPECT_NEAR(t[column].back(), s.c0 * 100e-7, 1e-10 * s.c0 * 100e-7) << column;
  // Kirchhoff: the electrode charges balance (the layer stays neutral).
  EXPECT_NEAR(t["Q_bottom"].back() + t["Q_top"].back(), 0, 1e-9 * std::abs(Q));
}

// A per-species key with a list of another length than `Ion density`'s is
// a deck error naming the key and both counts (exit 2 through DeckError).
TEST(IonSpecies, MismatchedListLengthIsADeckError)
{
  std::string deck = cell_deck({{1, 1e19, 4.8e21, 1e-11}, {-1, 3e18, 1e21, 3e-11}}, "DC 0", 1e-3, 1e-4, 100, 50);
  deck.replace(deck.find("Ion diffusivity = 1e-11, 3e-11"), 30, "Ion diffusivity = 1e-11, 3e-11, 1e-12");
  try
    {
      Testing::run_deck<1>("ion_species_mismatch", deck);
      ADD_FAILURE() << "a 3-entry diffusivity for 2 species was accepted";
    }
  catch (const DeckError &e)
    {
      const std::string what = e.what();
      EXPECT_NE(what.find("Ion diffusivity"), std::string::npos) << what;
      EXPECT_NE(what.find("3 entries"), std::string::npos) << what;
      EXPECT_NE(what.find("2 mobile-ion species"), std::string::npos) << what;
    }
}

// The Jacobian with two species in a ferroelectric semiconductor (P,
// carriers, Se vacancies z = +2 and an anion-like species z = -1 with their
// own densities, diffusivities, hopping distances and Landau couplings)
// against central differences, after a biased transient (tolerance 1e-6,
// as the one-species test).
TEST(IonSpecies, TwoSpeciesJacobianMatchesFiniteDifferences)
{
  Testing::DeckRun<1> run("ion_species_jacobian", R"(subsection Stack
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
    set Ion charge = 2, -1
    set Ion density = 1e18, 3e17
    set Ion max density = 1e19, 5e18
    set Ion diffusivity = 1e-4, 3e-5
    set Ion hopping distance = 0, 2
    set Ion polarization coupling = landau
    set Ion Landau coupling = 1e8, -5e7
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
  const auto t = run.run();
  ASSERT_EQ(run.simulator.n_ion_species(), 2u);
  const double error = run.simulator.jacobian_check();
  std::cout << "  Jacobian (two species): relative difference " << error << "\n";
  EXPECT_LT(error, 1e-6);
  // Each species keeps its number (20 nm of the channel).
  EXPECT_NEAR(t["N_ch_ions"].back(), 1e18 * 20e-7, 1e-10 * 1e18 * 20e-7);
  EXPECT_NEAR(t["N_ch_ions_2"].back(), 3e17 * 20e-7, 1e-10 * 3e17 * 20e-7);
}
