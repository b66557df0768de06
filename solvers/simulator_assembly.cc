#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/petsc_solver.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/vector.h>

#include <physics/electrostatics/poisson_terms.h>
#include <solvers/deck_error.h>
#include <solvers/simulator.h>

#include <cmath>

namespace FerroStack
{
  using namespace dealii;

  template <int dim>
  void
  Simulator<dim>::assemble(const AffineConstraints<double> &constraints,
                           PETScWrappers::MPI::Vector      &r,
                           const bool                       with_jacobian)
  {
    r = 0;
    if (with_jacobian)
      jacobian = 0;

    const QGauss<dim>                    quadrature(fe.degree + 1);
    FEValues<dim>                        fe_values(fe,
                            quadrature,
                            update_values | update_gradients | update_quadrature_points | update_JxW_values);
    const unsigned                       n = fe.n_dofs_per_cell();
    FullMatrix<double>                   cell_matrix(n, n);
    Vector<double>                       cell_residual(n);
    std::vector<types::global_dof_index> dof_indices(n);
    std::vector<Tensor<1, dim>>          grad_phi(quadrature.size());

    // Charge density from doping [C/m^3], scaled; P [C/m^2], scaled.
    const double doping_factor = Constants::q * 1e6 / scale.charge_density;
    const double P_factor      = 1. / scale.polarization;

    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          fe_values.get_function_gradients(locally_relevant_solution, grad_phi);
          const Layer    &layer    = stack->layer(cell->material_id());
          const Material &material = stack->material(cell->material_id());
          Tensor<1, dim>  eps_r;
          for (unsigned d = 0; d < dim; ++d)
            eps_r[d] = material.permittivity[d == dim - 1 ? 2 : d];
          const double rho_doping = doping_factor * (layer.donors - layer.acceptors);

          cell_matrix   = 0;
          cell_residual = 0;
          for (const unsigned q : fe_values.quadrature_point_indices())
            {
              const Point<dim> &x   = fe_values.quadrature_point(q);
              double            rho = rho_doping;
              if (manufactured.permittivity)
                for (unsigned d = 0; d < dim; ++d)
                  eps_r[d] = manufactured.permittivity->value(x);
              if (manufactured.source)
                rho += manufactured.source->value(x);
              const Tensor<1, dim> P    = P_factor * initial_polarization.value(x, material);
              const Tensor<1, dim> flux = PoissonTerms::flux(eps_r, grad_phi[q], P);
              const double         JxW  = fe_values.JxW(q);
              for (unsigned i = 0; i < n; ++i)
                {
                  cell_residual(i) +=
                    (flux * fe_values.shape_grad(i, q) - rho * fe_values.shape_value(i, q)) * JxW;
                  if (with_jacobian)
                    for (unsigned j = 0; j < n; ++j)
                      cell_matrix(i, j) += PoissonTerms::flux_derivative(eps_r, fe_values.shape_grad(j, q)) *
                                           fe_values.shape_grad(i, q) * JxW;
                }
            }
          cell->get_dof_indices(dof_indices);
          if (with_jacobian)
            constraints.distribute_local_to_global(cell_matrix, cell_residual, dof_indices, jacobian, r);
          else
            constraints.distribute_local_to_global(cell_residual, dof_indices, r);
        }
    r.compress(VectorOperation::add);
    if (with_jacobian)
      jacobian.compress(VectorOperation::add);
  }

  template <int dim>
  SolveStatistics
  Simulator<dim>::solve_at(const double t)
  {
    SolveStatistics stats;
    Timer           timer;
    apply_contact_potentials(t);
    locally_relevant_solution = solution;

    // The electrostatic problem is linear with a fixed Jacobian: assemble it
    // and build the AMG hierarchy once, reuse them at every time.
    const bool build_jacobian = !jacobian_is_current;
    assemble(update_constraints, residual, build_jacobian);
    if (build_jacobian)
      {
        stats.assembly_seconds = timer.wall_time();
        timer.restart();
        PETScWrappers::PreconditionBoomerAMG::AdditionalData amg;
        amg.symmetric_operator = true;
        preconditioner         = std::make_unique<PETScWrappers::PreconditionBoomerAMG>(jacobian, amg);
        jacobian_is_current    = true;
        stats.setup_seconds    = timer.wall_time();
      }
    else
      stats.assembly_seconds = timer.wall_time();

    const double initial_norm = residual.l2_norm();
    double       norm         = initial_norm;
    // Scale of the right-hand side for an absolute floor: one unit of
    // scaled charge on a cell would be far above it.
    const double floor = 1e-12 * std::max(1., initial_norm);
    while (norm > prm.newton_tolerance * initial_norm && norm > floor)
      {
        if (stats.newton_iterations == prm.newton_max_iterations)
          throw SolverError("Newton did not converge at t = " + std::to_string(t) + " s: residual " +
                            std::to_string(norm) + " after " + std::to_string(stats.newton_iterations) +
                            " iterations (from " + std::to_string(initial_norm) + ")");
        timer.restart();
        SolverControl control(std::max<unsigned>(1000, dof_handler.n_dofs()), prm.linear_tolerance * norm);
        PETScWrappers::SolverCG cg(control, comm);
        newton_update = 0;
        residual *= -1.;
        cg.solve(jacobian, newton_update, residual, *preconditioner);
        update_constraints.distribute(newton_update);
        solution += newton_update;
        locally_relevant_solution = solution;
        stats.linear_iterations += control.last_step();
        ++stats.newton_iterations;
        stats.solve_seconds += timer.wall_time();

        timer.restart();
        assemble(update_constraints, residual, false);
        stats.assembly_seconds += timer.wall_time();
        norm = residual.l2_norm();
        if (!std::isfinite(norm))
          throw SolverError("the residual is not finite at t = " + std::to_string(t) + " s");
      }
    return stats;
  }

  template class Simulator<1>;
  template class Simulator<2>;
  template class Simulator<3>;
} // namespace FerroStack
