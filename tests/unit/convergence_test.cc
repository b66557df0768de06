#include <deal.II/base/function.h>

#include <solvers/newton_convergence.h>
#include <solvers/simulator.h>

#include <cmath>
#include <limits>
#include <iomanip>
#include <sstream>

#include "test_utilities.h"
#include <gtest/gtest.h>

using namespace FerroStack;
using namespace dealii;

namespace
{
  /// u = prod_d cos(a_d x_d + 0.2), a_d = 1.3 (d + 1), on the unit cube [nm].
  template <int dim>
  double
  wave(const Point<dim> &p, const int skip_derivative_of = -1)
  {
    double u = 1;
    for (unsigned d = 0; d < dim; ++d)
      {
        const double a = 1.3 * (d + 1);
        u *= (int(d) == skip_derivative_of ? -a * std::sin(a * p[d] + 0.2) : std::cos(a * p[d] + 0.2));
      }
    return u;
  }

  template <int dim>
  class Exact : public Function<dim>
  {
  public:
    double
    value(const Point<dim> &p, const unsigned = 0) const override
    {
      return wave(p);
    }
    Tensor<1, dim>
    gradient(const Point<dim> &p, const unsigned = 0) const override
    {
      Tensor<1, dim> g;
      for (unsigned d = 0; d < dim; ++d)
        g[d] = wave(p, d);
      return g;
    }
  };

  /// A smoothly varying permittivity eps = 2 + |x|^2.
  template <int dim>
  class Permittivity : public Function<dim>
  {
  public:
    double
    value(const Point<dim> &p, const unsigned = 0) const override
    {
      return 2 + p.square();
    }
  };

  /// rho = -div(eps grad u) = -(grad eps . grad u + eps laplace u).
  template <int dim>
  class Source : public Function<dim>
  {
  public:
    double
    value(const Point<dim> &p, const unsigned = 0) const override
    {
      double grad_eps_grad_u = 0, laplace = 0;
      for (unsigned d = 0; d < dim; ++d)
        {
          const double a = 1.3 * (d + 1);
          grad_eps_grad_u += 2 * p[d] * wave(p, d);
          laplace -= a * a * wave(p);
        }
      return -(grad_eps_grad_u + (2 + p.square()) * laplace);
    }
  };

  /// Errors (L2, H1 seminorm) on a mesh of n cells per direction.
  template <int dim>
  std::array<double, 2>
  errors(const unsigned degree, const unsigned n)
  {
    const std::vector<std::string> sides    = {"left", "right", "front", "back"};
    std::string                    contacts = "b: bottom: ohmic, t: top: ohmic";
    for (unsigned s = 0; s < 2 * (dim - 1); ++s)
      contacts += ", " + sides[s] + ": " + sides[s] + ": ohmic";
    const std::string deck = "set Dimension = " + std::to_string(dim) + R"(
subsection Stack
  set Layers = box: SiO2: 1 : )" +
                             std::to_string(n) + R"(
  set Width = 1
  set Depth = 1
  set Lateral cells = )" + std::to_string(n) +
                             R"(
end
subsection Contacts
  set List = )" + contacts + R"(
end
subsection Discretization
  set Polynomial degree = )" +
                             std::to_string(degree) + R"(
end
subsection Solver
  set Linear tolerance = 1e-13
end
)";
    const Parameters prm(Testing::write_deck("mms", deck));
    RunLog           log(false);
    Simulator<dim>   simulator(prm, MPI_COMM_WORLD, log);
    simulator.set_manufactured_solution({std::make_shared<Exact<dim>>(),
                                         std::make_shared<Source<dim>>(),
                                         std::make_shared<Permittivity<dim>>(),
                                         nullptr,
                                         nullptr});
    simulator.setup();
    simulator.solve_at(0);
    return simulator.manufactured_errors();
  }

  /// Measure the L2 and H1 rates over the mesh sequence and check them
  /// against the theoretical p + 1 and p, within 0.1.
  template <int dim>
  void
  check_rates(const unsigned degree, const std::vector<unsigned> &meshes)
  {
    std::vector<std::array<double, 2>> e;
    for (const unsigned n : meshes)
      e.push_back(errors<dim>(degree, n));
    std::ostringstream table;
    table << dim << "D Q" << degree << ":   n      L2 error   rate     H1 error   rate\n";
    for (std::size_t i = 0; i < meshes.size(); ++i)
      {
        table << "        " << std::setw(4) << meshes[i] << std::scientific << std::setprecision(3) << "  "
              << e[i][0];
        if (i > 0)
          table << std::fixed << std::setprecision(2) << "   "
                << std::log(e[i - 1][0] / e[i][0]) / std::log(double(meshes[i]) / meshes[i - 1]);
        else
          table << "       ";
        table << std::scientific << std::setprecision(3) << "  " << e[i][1];
        if (i > 0)
          table << std::fixed << std::setprecision(2) << "   "
                << std::log(e[i - 1][1] / e[i][1]) / std::log(double(meshes[i]) / meshes[i - 1]);
        table << "\n";
      }
    if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      std::cout << table.str();
    const std::size_t last = meshes.size() - 1;
    const double      h    = std::log(double(meshes[last]) / meshes[last - 1]);
    EXPECT_NEAR(std::log(e[last - 1][0] / e[last][0]) / h, degree + 1., 0.1) << table.str();
    EXPECT_NEAR(std::log(e[last - 1][1] / e[last][1]) / h, degree, 0.1) << table.str();
  }
} // namespace

TEST(Convergence, VariableCoefficientPoisson1D)
{
  check_rates<1>(1, {8, 16, 32, 64});
  check_rates<1>(2, {8, 16, 32, 64});
}

TEST(Convergence, VariableCoefficientPoisson2D)
{
  check_rates<2>(1, {8, 16, 32, 64});
  check_rates<2>(2, {4, 8, 16, 32});
}

TEST(Convergence, VariableCoefficientPoisson3D)
{
  check_rates<3>(1, {4, 8, 16});
  check_rates<3>(2, {2, 4, 8});
}

// The per-field Newton criterion (solvers/newton_convergence.h): a field
// passes on its residual (relative to its reference size, with the
// absolute floor atol sqrt(N)) or on its update; at a line search without
// descent (update_relax = 1e3) both bounds widen by 1e3, so that a carrier
// absent everywhere, whose rows are round-off above the floor and whose
// quasi-Fermi potential takes updates of many kT, does not stop the step.
TEST(Convergence, NewtonCriterionPerField)
{
  const NewtonConvergence criterion({"potential", "holes"}, 1e-12, 1e-30);
  const std::vector<double> counts = {100, 100};
  // The holes' bound: 1e-12 x 1e-19 + 1e-30 x sqrt(100) = 1.01e-29.
  const FieldNorms residual{{1e-13, 2e-27}, {1e-13, 2e-27}}, reference{{1, 1e-19}, {1, 1e-19}};
  const FieldNorms update{{1e-3, 12.}, {1e-3, 12.}}, solution{{10, 40}, {10, 40}};
  EXPECT_FALSE(criterion.converged(residual, reference, counts));
  EXPECT_FALSE(criterion.converged(residual, reference, counts, update, solution));
  EXPECT_TRUE(criterion.converged(residual, reference, counts, update, solution, 1e3));
  // 1e3 is a bound, not a pass: 200 times further off still fails.
  const FieldNorms far{{1e-13, 2e-24}, {1e-13, 2e-24}};
  EXPECT_FALSE(criterion.converged(far, reference, counts, update, solution, 1e3));
  // The update test alone: a residual above its bound with an update at
  // 1e-12 of the field's largest value passes.
  const FieldNorms small_update{{1e-3, 1e-11}, {1e-3, 1e-11}};
  const FieldNorms potential_ok{{1e-13, 1e-25}, {1e-13, 1e-25}};
  EXPECT_TRUE(criterion.converged(potential_ok, reference, counts, small_update, solution));
  // A tightened field (the ions: 1e-14) fails where the common tolerance
  // would pass.
  NewtonConvergence tight({"potential", "ions"}, 1e-12, 1e-30);
  tight.tighten(1, 1e-14);
  const FieldNorms ions{{1e-13, 1e-13}, {1e-13, 1e-13}}, ions_reference{{1, 1}, {1, 1}};
  EXPECT_TRUE(criterion.converged(ions, ions_reference, counts));
  EXPECT_FALSE(tight.converged(ions, ions_reference, counts));
  // An overflowed state is never converged, though inf <= 1e-12 inf holds
  // (a quasi-static start extrapolated past a bias kink; NaN likewise).
  const double     inf = std::numeric_limits<double>::infinity();
  const FieldNorms overflow{{inf, 1e-27}, {inf, 1e-27}}, overflow_reference{{inf, 1e-19}, {inf, 1e-19}};
  EXPECT_FALSE(criterion.converged(overflow, overflow_reference, counts));
  EXPECT_FALSE(criterion.converged(overflow, overflow_reference, counts, small_update, solution, 1e3));
  const FieldNorms nan_update{{std::nan(""), 1e-11}, {std::nan(""), 1e-11}};
  EXPECT_FALSE(criterion.converged(potential_ok, reference, counts, nan_update, solution));
}
