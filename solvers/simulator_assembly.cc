#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/hp/fe_values.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/petsc_solver.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/vector.h>

#include <physics/electrostatics/poisson_terms.h>
#include <solvers/deck_error.h>
#include <solvers/simulator.h>

#include <cmath>
#include <functional>

#include <petscksp.h>

namespace FerroStack
{
  using namespace dealii;

  namespace
  {
    /// Which field and component a shape function belongs to.
    struct ShapeInfo
    {
      bool     is_potential;
      unsigned direction; ///< P component (0..dim-1) if !is_potential
    };
  } // namespace

  template <int dim>
  void
  Simulator<dim>::for_each_extrapolation_face(
    const typename DoFHandler<dim>::active_cell_iterator &cell,
    hp::FEFaceValues<dim>                                &hp_face_values,
    const std::function<void(const FEFaceValues<dim> &, const std::vector<Tensor<1, dim>> &, double)> &action)
    const
  {
    std::vector<Tensor<1, dim>> face_P;
    for (const unsigned f : cell->face_indices())
      {
        const auto *bc = polarization_boundary(cell, f);
        if (bc == nullptr || bc->kind != Parameters::PolarizationBoundary::Kind::extrapolation)
          continue;
        hp_face_values.reinit(cell, f);
        const FEFaceValues<dim> &face_values = hp_face_values.get_present_fe_values();
        face_P.resize(face_values.n_quadrature_points);
        face_values[polarization_field].get_function_values(locally_relevant_solution, face_P);
        action(face_values, face_P, bc->length);
      }
  }

  template <int dim>
  void
  Simulator<dim>::assemble(const AffineConstraints<double> &constraints,
                           PETScWrappers::MPI::Vector      &r,
                           const bool                       with_jacobian)
  {
    r = 0;
    if (with_jacobian)
      jacobian = 0;

    hp::FEValues<dim>     hp_values(fe_collection,
                                q_collection,
                                update_values | update_gradients | update_quadrature_points |
                                  update_JxW_values);
    hp::FEFaceValues<dim> hp_face_values(fe_collection, face_q_collection, update_values | update_JxW_values);
    FullMatrix<double>    cell_matrix;
    Vector<double>        cell_residual;
    std::vector<types::global_dof_index> dof_indices;
    std::vector<Tensor<1, dim>>          grad_phi;
    std::vector<Tensor<1, dim>>          P_values, P_history;
    std::vector<Tensor<2, dim>>          grad_P;
    std::vector<ShapeInfo>               shape;

    // Charge density from doping [C/m^3], scaled; frozen P [C/m^2], scaled.
    const double doping_factor = Constants::q * 1e6 / scale.charge_density;
    const double P_factor      = 1. / scale.polarization;
    const bool   transient     = time_discretization.mode == TimeDiscretization::Mode::bdf;
    const bool   hold          = time_discretization.mode == TimeDiscretization::Mode::hold;

    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          hp_values.reinit(cell);
          const FEValues<dim>      &fe_values = hp_values.get_present_fe_values();
          const FiniteElement<dim> &fe        = cell->get_fe();
          const unsigned            n         = fe.n_dofs_per_cell();
          const unsigned            n_q       = fe_values.n_quadrature_points;
          const bool                has_P     = cell->active_fe_index() > 0;

          cell_matrix.reinit(n, n);
          cell_residual.reinit(n);
          dof_indices.resize(n);
          grad_phi.resize(n_q);
          fe_values[potential_field].get_function_gradients(locally_relevant_solution, grad_phi);
          if (has_P)
            {
              P_values.resize(n_q);
              P_history.resize(n_q);
              grad_P.resize(n_q);
              fe_values[polarization_field].get_function_values(locally_relevant_solution, P_values);
              fe_values[polarization_field].get_function_gradients(locally_relevant_solution, grad_P);
              fe_values[polarization_field].get_function_values(time_history, P_history);
            }
          shape.resize(n);
          for (unsigned i = 0; i < n; ++i)
            {
              const unsigned c = fe.system_to_component_index(i).first;
              shape[i]         = {c == 0, c == 0 ? 0u : c - 1};
            }

          const Layer    &layer    = stack->layer(cell->material_id());
          const Material &material = stack->material(cell->material_id());
          Tensor<1, dim>  eps_r;
          for (unsigned d = 0; d < dim; ++d)
            eps_r[d] = material.permittivity[d == dim - 1 ? 2 : d];
          const double        rho_doping = doping_factor * (layer.donors - layer.acceptors);
          const LandauEnergy &landau     = layer_landau[cell->material_id()];
          // TDGL coefficients, scaled: mass eps0/Gamma [s], gradient g eps0/L^2.
          double mass = 0, gradient_coefficient = 0;
          if (has_P)
            {
              mass                 = Constants::eps0 / material.require("Kinetic coefficient", "TDGL");
              gradient_coefficient = material.require("Gradient coefficient", "TDGL") * Constants::eps0 /
                                     (scale.length * scale.length);
            }

          cell_matrix   = 0;
          cell_residual = 0;
          for (unsigned q = 0; q < n_q; ++q)
            {
              const Point<dim> &x   = fe_values.quadrature_point(q);
              double            rho = rho_doping;
              if (manufactured.permittivity)
                for (unsigned d = 0; d < dim; ++d)
                  eps_r[d] = manufactured.permittivity->value(x);
              if (manufactured.source)
                rho += manufactured.source->value(x);
              const Tensor<1, dim> P =
                has_P ? P_values[q] : P_factor * initial_polarization.value(x, material);
              const Tensor<1, dim> flux = PoissonTerms::flux(eps_r, grad_phi[q], P);
              const double         JxW  = fe_values.JxW(q);

              // TDGL driving force per P direction (Landau axes: x = 0, z = dim-1).
              Tensor<1, dim>                       force;
              std::array<std::array<double, 2>, 2> H                = {{{{0, 0}}, {{0, 0}}}};
              double                               time_coefficient = 0;
              if (has_P)
                {
                  const double Px = dim > 1 ? P[0] : 0., Pz = P[dim - 1];
                  const auto   g = landau.gradient(Px, Pz);
                  H              = landau.hessian(Px, Pz);
                  if (hold)
                    {
                      // Hold P at its present value: R_P = mass (P - P_hold).
                      time_coefficient = 1.;
                      force            = P - P_history[q];
                    }
                  else
                    {
                      if (dim > 1)
                        force[0] = g[0];
                      force[dim - 1] += g[1];
                      force += grad_phi[q]; // -E
                      if (transient)
                        {
                          time_coefficient = mass * time_discretization.a0 / time_discretization.dt;
                          force +=
                            mass / time_discretization.dt * (time_discretization.a0 * P + P_history[q]);
                        }
                    }
                }
              const auto hessian = [&](const unsigned a, const unsigned b) {
                if (hold)
                  return 0.;
                const unsigned la = (a == dim - 1 ? 1 : 0), lb = (b == dim - 1 ? 1 : 0);
                if (dim == 1)
                  return H[1][1];
                if ((a != 0 && a != dim - 1) || (b != 0 && b != dim - 1))
                  return 0.; // the y component of 3D has no Landau energy
                return H[la][lb];
              };

              for (unsigned i = 0; i < n; ++i)
                {
                  const double          v      = fe_values.shape_value(i, q);
                  const Tensor<1, dim> &grad_v = fe_values.shape_grad(i, q);
                  if (shape[i].is_potential)
                    cell_residual(i) += (flux * grad_v - rho * v) * JxW;
                  else
                    {
                      const unsigned a = shape[i].direction;
                      cell_residual(i) +=
                        (force[a] * v + (hold ? 0. : gradient_coefficient * (grad_P[q][a] * grad_v))) * JxW;
                    }
                  if (!with_jacobian)
                    continue;
                  for (unsigned j = 0; j < n; ++j)
                    {
                      const double          u      = fe_values.shape_value(j, q);
                      const Tensor<1, dim> &grad_u = fe_values.shape_grad(j, q);
                      double                value  = 0;
                      if (shape[i].is_potential && shape[j].is_potential)
                        value = PoissonTerms::flux_derivative(eps_r, grad_u) * grad_v;
                      else if (shape[i].is_potential)
                        value = -u * grad_v[shape[j].direction]; // d(-P . grad v)/dP
                      else if (shape[j].is_potential)
                        value = hold ? 0. : grad_u[shape[i].direction] * v; // d(grad phi)/dphi
                      else
                        {
                          const unsigned a = shape[i].direction, b = shape[j].direction;
                          value = hessian(a, b) * u * v;
                          if (a == b)
                            value += time_coefficient * u * v +
                                     (hold ? 0. : gradient_coefficient * (grad_u * grad_v));
                        }
                      cell_matrix(i, j) += value * JxW;
                    }
                }
            }
          // Extrapolation length lambda on ferroelectric faces: dP/dn = -P/lambda,
          // i.e. the gradient term's boundary integral int (g/lambda) P w.
          if (has_P && !hold)
            for_each_extrapolation_face(
              cell,
              hp_face_values,
              [&](const FEFaceValues<dim>           &face_values,
                  const std::vector<Tensor<1, dim>> &face_P,
                  const double                       length) {
                const double robin = gradient_coefficient / length; // lengths are in nm
                for (const unsigned q : face_values.quadrature_point_indices())
                  for (unsigned i = 0; i < n; ++i)
                    {
                      if (shape[i].is_potential)
                        continue;
                      const double w = face_values.shape_value(i, q) * face_values.JxW(q);
                      cell_residual(i) += robin * face_P[q][shape[i].direction] * w;
                      if (with_jacobian)
                        for (unsigned j = 0; j < n; ++j)
                          if (!shape[j].is_potential && shape[j].direction == shape[i].direction)
                            cell_matrix(i, j) += robin * face_values.shape_value(j, q) * w;
                    }
              });

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
  unsigned
  Simulator<dim>::solve_linear(PETScWrappers::MPI::Vector &r, PETScWrappers::MPI::Vector &du)
  {
    r *= -1.;
    du = 0;
    if (!dynamic_polarization())
      {
        // Poisson alone: symmetric positive definite, CG with BoomerAMG.
        SolverControl           control(std::max<unsigned>(1000, dof_handler.n_dofs()),
                              prm.linear_tolerance * r.l2_norm());
        PETScWrappers::SolverCG cg(control, comm);
        cg.solve(jacobian, du, r, *preconditioner);
        return control.last_step();
      }
    // Poisson + TDGL: nonsymmetric coupling blocks. A parallel direct
    // solver (MUMPS) is robust for the stiff phase-field Jacobian at the
    // sizes of device decks; GMRES with BoomerAMG on the whole Jacobian is
    // the option for large meshes.
    if (prm.iterative_linear_solver)
      return solve_field_split(r, du);
    SolverControl                    control(1, 0);
    PETScWrappers::SparseDirectMUMPS solver(control, comm);
    solver.solve(jacobian, du, r);
    return 1;
  }

  /**
   * GMRES on the whole Jacobian with a field-split preconditioner (PETSc
   * PCFIELDSPLIT, block Gauss-Seidel over phi then P) and one BoomerAMG
   * V-cycle per block: each block is a scalar elliptic (Poisson) or
   * mass + Laplacian (TDGL) operator, which AMG handles mesh-independently,
   * while AMG on the interleaved coupled matrix does not. deal.II 9.4 has no
   * wrapper for field splits, so this uses PETSc's C API on its matrices.
   */
  template <int dim>
  unsigned
  Simulator<dim>::solve_field_split(PETScWrappers::MPI::Vector &r, PETScWrappers::MPI::Vector &du)
  {
    std::vector<PetscInt> phi_indices, P_indices;
    for (const auto i : locally_owned_dofs)
      (polarization_dofs.is_element(i) ? P_indices : phi_indices).push_back(i);
    IS phi_set, P_set;
    ISCreateGeneral(comm, phi_indices.size(), phi_indices.data(), PETSC_COPY_VALUES, &phi_set);
    ISCreateGeneral(comm, P_indices.size(), P_indices.data(), PETSC_COPY_VALUES, &P_set);

    KSP ksp;
    KSPCreate(comm, &ksp);
    KSPSetOptionsPrefix(ksp, "ferrostack_");
    KSPSetOperators(ksp, jacobian, jacobian);
    KSPSetType(ksp, KSPGMRES);
    KSPGMRESSetRestart(ksp, 200);
    KSPSetTolerances(ksp, prm.linear_tolerance, 1e-300, PETSC_DEFAULT, 2000);
    PC pc;
    KSPGetPC(ksp, &pc);
    PCSetType(pc, PCFIELDSPLIT);
    PCFieldSplitSetIS(pc, "phi", phi_set);
    PCFieldSplitSetIS(pc, "P", P_set);
    PCFieldSplitSetType(pc, PC_COMPOSITE_MULTIPLICATIVE);
    for (const char *field : {"phi", "P"})
      {
        const std::string prefix = std::string("-ferrostack_fieldsplit_") + field;
        PetscOptionsSetValue(nullptr, (prefix + "_ksp_type").c_str(), "preonly");
        PetscOptionsSetValue(nullptr, (prefix + "_pc_type").c_str(), "hypre");
        PetscOptionsSetValue(nullptr, (prefix + "_pc_hypre_type").c_str(), "boomeramg");
      }
    KSPSetFromOptions(ksp);
    KSPSolve(ksp, r, du);
    PetscInt           iterations = 0;
    KSPConvergedReason reason;
    KSPGetIterationNumber(ksp, &iterations);
    KSPGetConvergedReason(ksp, &reason);
    KSPDestroy(&ksp);
    ISDestroy(&phi_set);
    ISDestroy(&P_set);
    du.compress(VectorOperation::insert);
    if (reason < 0)
      throw SolverError("GMRES with the field-split AMG preconditioner did not converge (PETSc reason " +
                        std::to_string(int(reason)) + ")");
    return iterations;
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
    const double floor        = 1e-12 * std::max(1., initial_norm);
    while (norm > prm.newton_tolerance * initial_norm && norm > floor)
      {
        if (stats.newton_iterations == prm.newton_max_iterations)
          throw SolverError("Newton did not converge at t = " + std::to_string(t) + " s: residual " +
                            std::to_string(norm) + " after " + std::to_string(stats.newton_iterations) +
                            " iterations (from " + std::to_string(initial_norm) + ")");
        timer.restart();
        stats.linear_iterations += solve_linear(residual, newton_update);
        update_constraints.distribute(newton_update);
        solution += newton_update;
        locally_relevant_solution = solution;
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

  template <int dim>
  bool
  Simulator<dim>::advance(const double t_new, const TimeDiscretization &time, SolveStatistics &stats)
  {
    time_discretization = time;
    apply_contact_potentials(t_new);
    locally_relevant_solution = solution;
    Timer timer;
    assemble(update_constraints, residual, true);
    stats.assembly_seconds += timer.wall_time();
    const double               initial_norm = residual.l2_norm();
    double                     norm         = initial_norm;
    PETScWrappers::MPI::Vector trial(locally_owned_dofs, comm);
    for (unsigned it = 0; it < prm.newton_max_iterations; ++it)
      {
        timer.restart();
        stats.linear_iterations += solve_linear(residual, newton_update);
        update_constraints.distribute(newton_update);
        stats.solve_seconds += timer.wall_time();
        ++stats.newton_iterations;

        // Backtracking line search on the residual norm (step-57 style).
        const PETScWrappers::MPI::Vector start = solution;
        double                           step = 1, new_norm = 0;
        bool                             decreased = false;
        for (unsigned k = 0; k < 10 && !decreased; ++k)
          {
            if (k > 0)
              step *= 0.5;
            solution = start;
            solution.add(step, newton_update);
            locally_relevant_solution = solution;
            timer.restart();
            assemble(update_constraints, residual, false);
            stats.assembly_seconds += timer.wall_time();
            new_norm  = residual.l2_norm();
            decreased = std::isfinite(new_norm) && new_norm < (1 - 1e-4 * step) * norm;
          }
        const double full_update = newton_update.linfty_norm();
        if (!decreased)
          {
            // No descent: converged if the full Newton update is at round-off,
            // otherwise a failure that the time stepper answers with a cut.
            solution                  = start;
            locally_relevant_solution = solution;
            return full_update <= 1e-10 * std::max(1., solution.linfty_norm());
          }
        norm = new_norm;
        if (norm <= prm.newton_tolerance * std::max(initial_norm, 1e-300) ||
            (step == 1 && full_update <= 1e-10 * std::max(1., solution.linfty_norm())))
          return true;
        timer.restart();
        assemble(update_constraints, residual, true);
        stats.assembly_seconds += timer.wall_time();
      }
    return false;
  }

  template <int dim>
  double
  Simulator<dim>::free_energy() const
  {
    hp::FEValues<dim>           hp_values(fe_collection,
                                q_collection,
                                update_values | update_gradients | update_quadrature_points |
                                  update_JxW_values);
    std::vector<Tensor<1, dim>> grad_phi, P_values;
    std::vector<Tensor<2, dim>> grad_P;
    double                      energy = 0;
    hp::FEFaceValues<dim> hp_face_values(fe_collection, face_q_collection, update_values | update_JxW_values);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          hp_values.reinit(cell);
          const FEValues<dim> &fe_values = hp_values.get_present_fe_values();
          const unsigned       n_q       = fe_values.n_quadrature_points;
          const bool           has_P     = cell->active_fe_index() > 0;
          const Material      &material  = stack->material(cell->material_id());
          grad_phi.resize(n_q);
          P_values.resize(n_q);
          grad_P.resize(n_q);
          fe_values[potential_field].get_function_gradients(locally_relevant_solution, grad_phi);
          if (has_P)
            {
              fe_values[polarization_field].get_function_values(locally_relevant_solution, P_values);
              fe_values[polarization_field].get_function_gradients(locally_relevant_solution, grad_P);
            }
          const double g = has_P ? material.require("Gradient coefficient", "TDGL") * Constants::eps0 /
                                     (scale.length * scale.length) :
                                   0.;
          for (unsigned q = 0; q < n_q; ++q)
            {
              double density = 0;
              for (unsigned d = 0; d < dim; ++d)
                density -=
                  0.5 * material.permittivity[d == dim - 1 ? 2 : d] * grad_phi[q][d] * grad_phi[q][d];
              if (has_P)
                {
                  const Tensor<1, dim> &P = P_values[q];
                  density += P * grad_phi[q] + 0.5 * g * scalar_product(grad_P[q], grad_P[q]) +
                             layer_landau[cell->material_id()].energy(dim > 1 ? P[0] : 0., P[dim - 1]);
                }
              energy += density * fe_values.JxW(q);
            }
          // The surface energy of an extrapolation length: (g / 2 lambda) |P|^2.
          if (has_P)
            for_each_extrapolation_face(cell,
                                        hp_face_values,
                                        [&](const FEFaceValues<dim>           &face_values,
                                            const std::vector<Tensor<1, dim>> &face_P,
                                            const double                       length) {
                                          for (const unsigned q : face_values.quadrature_point_indices())
                                            energy +=
                                              0.5 * g / length * face_P[q].norm_square() * face_values.JxW(q);
                                        });
        }
    // Scaled energy density eps0 (V_T/L)^2 times L^dim -> J/m^(3-dim).
    return Utilities::MPI::sum(energy, comm) * Constants::eps0 * scale.potential * scale.potential *
           std::pow(scale.length, int(dim) - 2);
  }

  template <int dim>
  double
  Simulator<dim>::jacobian_check()
  {
    // A time term with BDF2-like coefficients and a history of its own, so
    // that every block of the Jacobian is exercised.
    time_discretization.mode           = TimeDiscretization::Mode::bdf;
    time_discretization.a0             = 1.5;
    time_discretization.dt             = 1e-9;
    PETScWrappers::MPI::Vector history = solution;
    history *= -1.3;
    time_history = history;

    // Direction: pseudo-random, O(1) relative to each field, zero where constrained.
    PETScWrappers::MPI::Vector direction(locally_owned_dofs, comm), Jd(locally_owned_dofs, comm),
      plus(locally_owned_dofs, comm), minus(locally_owned_dofs, comm);
    for (const auto i : locally_owned_dofs)
      if (!update_constraints.is_constrained(i))
        direction(i) = std::sin(12.9898 * i + 4.1414) * (1 + std::abs(solution(i)));
    direction.compress(VectorOperation::insert);

    const PETScWrappers::MPI::Vector u = solution;
    locally_relevant_solution          = solution;
    assemble(update_constraints, residual, true);
    jacobian.vmult(Jd, direction);

    const double h = 1e-6;
    for (const double sign : {1., -1.})
      {
        solution = u;
        solution.add(sign * h, direction);
        locally_relevant_solution = solution;
        assemble(update_constraints, sign > 0 ? plus : minus, false);
      }
    solution                  = u;
    locally_relevant_solution = solution;
    plus.add(-1., minus);
    plus *= 1. / (2 * h);
    plus.add(-1., Jd);
    return plus.l2_norm() / Jd.l2_norm();
  }

  template class Simulator<1>;
  template class Simulator<2>;
  template class Simulator<3>;
} // namespace FerroStack
