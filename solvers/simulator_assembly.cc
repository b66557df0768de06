#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/hp/fe_values.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/petsc_solver.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/vector.h>

#include <base/deck_error.h>
#include <physics/electrostatics/poisson_terms.h>
#include <solvers/direct_solver.h>
#include <solvers/simulator.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include <petscksp.h>

namespace FerroStack
{
  using namespace dealii;


  template <int dim>
  void
  Simulator<dim>::assemble(const AffineConstraints<double> &constraints,
                           PETScWrappers::MPI::Vector      &r,
                           const bool                       with_jacobian,
                           const bool                       terminal,
                           PETScWrappers::MPI::Vector      *reference)
  {
    r = 0;
    if (reference != nullptr)
      *reference = 0;
    if (with_jacobian)
      jacobian = 0;

    // Built once: an hp::FEValues computes the shape functions of every
    // element of the collection at its quadrature points when first used.
    if (!assembly_values)
      {
        assembly_values = std::make_unique<hp::FEValues<dim>>(fe_collection,
                                                              q_collection,
                                                              update_values | update_gradients |
                                                                update_quadrature_points | update_JxW_values);
        assembly_face_values =
          std::make_unique<hp::FEFaceValues<dim>>(fe_collection,
                                                  face_q_collection,
                                                  update_values | update_gradients | update_normal_vectors |
                                                    update_quadrature_points | update_JxW_values);
      }
    if (!assembly_lumped_values && prm.mass_lumping)
      assembly_lumped_values = std::make_unique<hp::FEValues<dim>>(fe_collection,
                                                                   lumped_q_collection,
                                                                   update_values | update_quadrature_points |
                                                                     update_JxW_values);
    hp::FEValues<dim>     &hp_values      = *assembly_values;
    hp::FEFaceValues<dim> &hp_face_values = *assembly_face_values;
    FullMatrix<double>     cell_matrix;
    Vector<double>        cell_residual, cell_reference;
    std::vector<types::global_dof_index> dof_indices;
    std::vector<unsigned>                   component, node_dofs;
    std::vector<const PhysicsModule<dim> *> active_modules, face_modules, lumped_modules;
    PointTerms<dim>                         terms;
    // Per component, the gradient of the interpolant with the magnitudes of
    // the nodal values and shape gradients, sum_j |U_j| |grad u_j|: the size
    // of a gradient before the cancellation between nodes (whose round-off
    // the Newton criterion's reference must cover).
    std::vector<double>                       local_values, local_history;
    std::array<std::vector<double>, 2>        local_states;
    std::array<Tensor<1, dim>, max_components> abs_gradient;
    std::array<double, max_components>         reference_value;
    std::array<Tensor<1, dim>, max_components> reference_flux;
    // a_cj and each direction d of b_cj (scatter), zero where row c does
    // not couple to component e of u_j, so that the (i, j) loop needs no
    // test.
    std::vector<double>                        value_derivative;
    std::array<std::vector<double>, dim>       flux_derivative;

    const bool transient = time_discretization.mode == TimeDiscretization::Mode::bdf;

    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          hp_values.reinit(cell);
          const FEValues<dim>      &fe_values = hp_values.get_present_fe_values();
          const FiniteElement<dim> &fe        = cell->get_fe();
          const unsigned            n         = fe.n_dofs_per_cell();
          const unsigned            n_q       = fe_values.n_quadrature_points;
          const bool                has_P     = has_polarization(cell);
          const bool                has_nc    = has_carriers(cell);
          // The modules that need the last accepted states (densities of
          // the carriers and ions at the BDF history).
          const bool with_states = (has_nc || has_ions(cell)) && transient;

          if (cell_residual.size() != n)
            {
              cell_matrix.reinit(n, n);
              cell_residual.reinit(n);
              cell_reference.reinit(n);
              local_values.resize(n);
              local_history.resize(n);
              for (auto &state : local_states)
                state.resize(n);
            }
          dof_indices.resize(n);
          cell->get_dof_indices(dof_indices);
          // One read of each vector per cell (each PETSc read has a cost of
          // its own); values and gradients come from the local dof values.
          locally_relevant_solution.extract_subvector_to(dof_indices.begin(),
                                                         dof_indices.end(),
                                                         local_values.begin());
          if (has_P)
            time_history.extract_subvector_to(dof_indices.begin(), dof_indices.end(), local_history.begin());
          if (with_states)
            for (unsigned s = 0; s < 2; ++s)
              history_states[s].extract_subvector_to(dof_indices.begin(),
                                                     dof_indices.end(),
                                                     local_states[s].begin());
          // The round-off of a gradient term: 64 machine epsilons of its
          // nodal sums, weighted so that rtol * reference stays above it.
          const double round_off = std::min(1., 64 * std::numeric_limits<double>::epsilon() / prm.newton_tolerance);

          // The modules active on this cell, and each shape function's component.
          active_modules.clear();
          lumped_modules.clear();
          for (const PhysicsModule<dim> *module : modules)
            if (module->active_on(cell->material_id()))
              {
                active_modules.push_back(module);
                if (module->has_lumped_terms())
                  lumped_modules.push_back(module);
              }
          component.resize(n);
          for (unsigned i = 0; i < n; ++i)
            component[i] = fe.system_to_component_index(i).first;
          const unsigned n_components = fields.n_components();

          cell_matrix    = 0;
          cell_residual  = 0;
          cell_reference = 0;
          PointState<dim> state;
          state.layer = cell->material_id();

          // The state every module reads at point q of a cell or a face: each
          // component's value and gradient, the BDF history and the last
          // accepted states; with the reference, the gradients' nodal sums of
          // magnitudes, sum_j |U_j| |grad u_j|.
          // At the nodes of the lumped terms (value terms only) the gradients
          // are left zero and the shape functions of other nodes skipped.
          const auto evaluate = [&](const FEValuesBase<dim> &values, const unsigned q, const bool gradients = true) {
            state.x = values.quadrature_point(q);
            for (unsigned c = 0; c < n_components; ++c)
              {
                state.value[c]    = 0;
                state.gradient[c] = Tensor<1, dim>();
                state.history[c]  = 0;
                for (auto &old : state.old_value)
                  old[c] = 0;
                abs_gradient[c] = Tensor<1, dim>();
              }
            for (unsigned j = 0; j < n; ++j)
              {
                const unsigned c     = component[j];
                const double   shape = values.shape_value(j, q);
                if (!gradients && shape == 0)
                  continue;
                state.value[c] += local_values[j] * shape;
                if (has_P)
                  state.history[c] += local_history[j] * shape;
                if (with_states)
                  for (unsigned s = 0; s < 2; ++s)
                    state.old_value[s][c] += local_states[s][j] * shape;
                if (!gradients)
                  continue;
                const Tensor<1, dim> &grad = values.shape_grad(j, q);
                state.gradient[c] += local_values[j] * grad;
                if (reference != nullptr)
                  for (unsigned d = 0; d < dim; ++d)
                    abs_gradient[c][d] += std::abs(local_values[j]) * std::abs(grad[d]);
              }
          };

          // Scatter the terms at point q: R_i = value[c] v + flux[c] . grad v,
          // the reference with the terms' magnitudes plus the round-off of
          // the gradients they contain, and the Jacobian.
          const auto scatter = [&](const FEValuesBase<dim> &values, const unsigned q) {
            const double JxW = values.JxW(q);
            // The derivative of row c's value and flux terms along each
            // shape function u_j (of component e = component[j]), once per
            // (c, j) rather than per (i, j):
            //   a_cj = dvalue_du[c][e] u_j + dvalue_dgrad[c][e] . grad u_j,
            //   b_cj = dflux_du[c][e] u_j + dflux_dgrad[c][e] grad u_j.
            if (with_jacobian)
              {
                value_derivative.assign(n_components * n, 0.);
                for (auto &b : flux_derivative)
                  b.assign(n_components * n, 0.);
                for (unsigned j = 0; j < n; ++j)
                  {
                    const unsigned        e      = component[j];
                    const double          u      = values.shape_value(j, q);
                    const Tensor<1, dim> &grad_u = values.shape_grad(j, q);
                    for (unsigned c = 0; c < n_components; ++c)
                      if (terms.coupled[c][e])
                        {
                          value_derivative[c * n + j] = terms.dvalue_du[c][e] * u + terms.dvalue_dgrad[c][e] * grad_u;
                          const Tensor<1, dim> b      = terms.dflux_du[c][e] * u + terms.dflux_dgrad[c][e] * grad_u;
                          for (unsigned d = 0; d < dim; ++d)
                            flux_derivative[d][c * n + j] = b[d];
                        }
                  }
              }
            // The reference of row c at this point is
            //   value_size[c] |v| + flux_size[c] . |grad v|
            //   + round_off (sum_e |dvalue_dgrad[c][e]| . abs_gradient[e]) |v|
            //   + round_off sum_d |d_d v| sum_e sum_k |dflux_dgrad[c][e][d][k]| abs_gradient[e][k]:
            // the sums over e and k do not depend on the test function, so
            // they are formed once per component, not once per shape function.
            if (reference != nullptr)
              for (unsigned c = 0; c < n_components; ++c)
                {
                  reference_value[c] = terms.value_size[c];
                  reference_flux[c]  = Tensor<1, dim>();
                  for (unsigned d = 0; d < dim; ++d)
                    reference_flux[c][d] = terms.flux_size[c][d];
                  for (unsigned e = 0; e < n_components; ++e)
                    if (terms.coupled[c][e])
                      for (unsigned d = 0; d < dim; ++d)
                        {
                          reference_value[c] += round_off * std::abs(terms.dvalue_dgrad[c][e][d]) * abs_gradient[e][d];
                          for (unsigned k = 0; k < dim; ++k)
                            reference_flux[c][d] +=
                              round_off * std::abs(terms.dflux_dgrad[c][e][d][k]) * abs_gradient[e][k];
                        }
                }
            for (unsigned i = 0; i < n; ++i)
              {
                const unsigned        c      = component[i];
                const double          v      = values.shape_value(i, q);
                const Tensor<1, dim> &grad_v = values.shape_grad(i, q);
                cell_residual(i) += (terms.value[c] * v + terms.flux[c] * grad_v) * JxW;
                if (reference != nullptr)
                  {
                    double size = reference_value[c] * std::abs(v);
                    for (unsigned d = 0; d < dim; ++d)
                      size += reference_flux[c][d] * std::abs(grad_v[d]);
                    cell_reference(i) += size * JxW;
                  }
                if (!with_jacobian)
                  continue;
                // Row i: (v a_cj + grad v . b_cj) JxW for every j, the dot
                // product summed in the order of the Tensor contraction (so
                // that the sums are those of a per-entry evaluation);
                // uncoupled entries add 0.
                double       *row = &cell_matrix(i, 0);
                const double *a   = &value_derivative[c * n];
                for (unsigned j = 0; j < n; ++j)
                  {
                    double flux = 0;
                    for (unsigned d = 0; d < dim; ++d)
                      flux += grad_v[d] * flux_derivative[d][c * n + j];
                    row[j] += (v * a[j] + flux) * JxW;
                  }
              }
          };

          // The lumped terms at the nodes (Gauss-Lobatto points, where each
          // shape function is 1 at its own node and 0 at the others): value
          // terms only, so row i and column j meet only at their common node.
          const auto scatter_lumped = [&](const FEValuesBase<dim> &values, const unsigned q) {
            const double JxW = values.JxW(q);
            // The shape functions of node q (one per component that lives there).
            node_dofs.clear();
            for (unsigned i = 0; i < n; ++i)
              if (std::abs(values.shape_value(i, q)) >= 1e-12)
                node_dofs.push_back(i);
            for (const unsigned i : node_dofs)
              {
                const double   v = values.shape_value(i, q);
                const unsigned c = component[i];
                cell_residual(i) += terms.value[c] * v * JxW;
                if (reference != nullptr)
                  cell_reference(i) += terms.value_size[c] * std::abs(v) * JxW;
                if (!with_jacobian)
                  continue;
                for (const unsigned j : node_dofs)
                  if (terms.coupled[c][component[j]])
                    cell_matrix(i, j) += v * terms.dvalue_du[c][component[j]] * values.shape_value(j, q) * JxW;
              }
          };

          const bool lump = prm.mass_lumping && !lumped_modules.empty();
          for (unsigned q = 0; q < n_q; ++q)
            {
              evaluate(fe_values, q);
              terms.clear(n_components);
              for (const PhysicsModule<dim> *module : active_modules)
                module->cell_terms(state, time_discretization, terms);
              if (!lump)
                for (const PhysicsModule<dim> *module : lumped_modules)
                  module->lumped_terms(state, time_discretization, terms);
              scatter(fe_values, q);
            }
          if (lump)
            {
              assembly_lumped_values->reinit(cell);
              const FEValues<dim> &nodal_values = assembly_lumped_values->get_present_fe_values();
              for (const unsigned q : nodal_values.quadrature_point_indices())
                {
                  evaluate(nodal_values, q, false);
                  terms.clear(n_components);
                  for (const PhysicsModule<dim> *module : lumped_modules)
                    module->lumped_terms(state, time_discretization, terms);
                  scatter_lumped(nodal_values, q);
                }
            }

          // Face terms (contacts, surface conditions) on the faces that bound
          // the mesh or a layer. The terminal residual leaves out the fluxes
          // through contacts: its contact sums are these fluxes.
          for (const unsigned f : cell->face_indices())
            {
              const std::optional<FaceInfo> face = face_info(cell, f);
              if (!face)
                continue;
              face_modules_on(*face, terminal, face_modules);
              if (face_modules.empty())
                continue;
              hp_face_values.reinit(cell, f);
              const FEFaceValues<dim> &face_values = hp_face_values.get_present_fe_values();
              for (const unsigned q : face_values.quadrature_point_indices())
                {
                  evaluate(face_values, q);
                  state.normal = face_values.normal_vector(q);
                  terms.clear(n_components);
                  for (const PhysicsModule<dim> *module : face_modules)
                    module->face_terms(state, *face, time_discretization, terms);
                  scatter(face_values, q);
                }
            }

          if (with_jacobian)
            constraints.distribute_local_to_global(cell_matrix, cell_residual, dof_indices, jacobian, r);
          else
            constraints.distribute_local_to_global(cell_residual, dof_indices, r);
          if (reference != nullptr)
            constraints.distribute_local_to_global(cell_reference, dof_indices, *reference);
        }
    r.compress(VectorOperation::add);
    if (reference != nullptr)
      reference->compress(VectorOperation::add);
    if (with_jacobian)
      jacobian.compress(VectorOperation::add);
  }

  template <int dim>
  void
  Simulator<dim>::face_modules_on(const FaceInfo                          &face,
                                  const bool                               without_contact_fluxes,
                                  std::vector<const PhysicsModule<dim> *> &active) const
  {
    active.clear();
    for (const PhysicsModule<dim> *module : modules)
      if (!(without_contact_fluxes && module->contact_flux()) && module->active_on_face(face))
        active.push_back(module);
  }

  template <int dim>
  unsigned
  Simulator<dim>::solve_linear(PETScWrappers::MPI::Vector &r, PETScWrappers::MPI::Vector &du)
  {
    r *= -1.;
    du = 0;
    if (!dynamic_polarization() && !carriers() && !ions())
      {
        // Poisson alone: symmetric positive definite, CG with BoomerAMG.
        SolverControl           control(std::max<unsigned>(1000, dof_handler.n_dofs()),
                              prm.linear_tolerance * r.l2_norm());
        PETScWrappers::SolverCG cg(control, comm);
        cg.solve(jacobian, du, r, *preconditioner);
        return control.last_step();
      }
    // Poisson + TDGL (+ drift-diffusion): nonsymmetric coupling blocks. A
    // parallel direct solver (MUMPS) is robust for the stiff phase-field and
    // exponential carrier Jacobians at the sizes of device decks; GMRES with
    // field-split BoomerAMG is the option for large meshes.
    if (prm.iterative_linear_solver)
      return solve_field_split(r, du);
    if (!direct_solver)
      direct_solver = std::make_unique<DirectSolver>();
    direct_solver->solve(jacobian, du, r);
    return 1;
  }

  /**
   * GMRES on the whole Jacobian with a field-split preconditioner (PETSc
   * PCFIELDSPLIT, block Gauss-Seidel over phi, P, then the carriers) and one
   * BoomerAMG V-cycle per block: each block is a scalar elliptic (Poisson),
   * mass + Laplacian (TDGL) or variable-coefficient diffusion (continuity in
   * quasi-Fermi form) operator, which AMG handles mesh-independently,
   * while AMG on the interleaved coupled matrix does not. deal.II 9.4 has no
   * wrapper for field splits, so this uses PETSc's C API on its matrices.
   */
  template <int dim>
  unsigned
  Simulator<dim>::solve_field_split(PETScWrappers::MPI::Vector &r, PETScWrappers::MPI::Vector &du)
  {
    // The fields present: phi, then P, then the carriers (phi_n, phi_p).
    std::vector<std::string>           names   = {"phi"};
    std::vector<std::vector<PetscInt>> indices = {{}};
    if (dynamic_polarization())
      {
        names.push_back("P");
        indices.emplace_back();
      }
    if (carriers())
      {
        names.push_back("carriers");
        indices.emplace_back();
      }
    const unsigned carrier_split = names.size() - 1;
    for (const auto i : locally_owned_dofs)
      indices[polarization_dofs.is_element(i) ? 1 : carrier_dofs.is_element(i) ? carrier_split : 0].push_back(i);
    std::vector<IS> sets(names.size());
    for (unsigned f = 0; f < names.size(); ++f)
      ISCreateGeneral(comm, indices[f].size(), indices[f].data(), PETSC_COPY_VALUES, &sets[f]);

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
    for (unsigned f = 0; f < names.size(); ++f)
      PCFieldSplitSetIS(pc, names[f].c_str(), sets[f]);
    PCFieldSplitSetType(pc, PC_COMPOSITE_MULTIPLICATIVE);
    // Defaults for each block, unless the user set them (PETSC_OPTIONS,
    // e.g. "-ferrostack_fieldsplit_carriers_pc_type lu" to study a block).
    const auto set_default = [](const std::string &name, const char *value) {
      PetscBool present = PETSC_FALSE;
      PetscOptionsHasName(nullptr, nullptr, name.c_str(), &present);
      if (!present)
        PetscOptionsSetValue(nullptr, name.c_str(), value);
    };
    for (const std::string &field : names)
      {
        const std::string prefix = "-ferrostack_fieldsplit_" + field;
        set_default(prefix + "_ksp_type", "preonly");
        set_default(prefix + "_pc_type", "hypre");
        set_default(prefix + "_pc_hypre_type", "boomeramg");
      }
    KSPSetFromOptions(ksp);
    KSPSolve(ksp, r, du);
    PetscInt           iterations = 0;
    KSPConvergedReason reason;
    KSPGetIterationNumber(ksp, &iterations);
    KSPGetConvergedReason(ksp, &reason);
    KSPDestroy(&ksp);
    for (IS &set : sets)
      ISDestroy(&set);
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
    // Electrostatics alone carries no conduction current: a series
    // resistor drops nothing in a quasi-static solve.
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      inner_voltage[k] = prm.bias.at(prm.contacts[k].name).value(t);
    apply_contact_potentials(t);
    locally_relevant_solution = solution;

    // The electrostatic problem is linear with a fixed Jacobian: assemble it
    // and build the AMG hierarchy once, reuse them at every time.
    const bool build_jacobian = !jacobian_is_current;
    assemble(update_constraints, residual, build_jacobian, false, &residual_reference);
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

    // Linear (frozen P, no carriers): one Newton step is exact up to the
    // linear solver's tolerance; a start that is already converged (a DC
    // bias at its second time) is accepted at once.
    FieldNorms norms = residual_norms();
    while (!newton_converged(norms))
      {
        if (stats.newton_iterations == prm.newton_max_iterations)
          throw SolverError("Newton did not converge at t = " + format_number(t) + " s after " +
                            std::to_string(stats.newton_iterations) +
                            " iterations: residual per field " + newton_report(norms));
        timer.restart();
        stats.linear_iterations += solve_linear(residual, newton_update);
        update_constraints.distribute(newton_update);
        solution += newton_update;
        locally_relevant_solution = solution;
        ++stats.newton_iterations;
        stats.solve_seconds += timer.wall_time();

        timer.restart();
        assemble(update_constraints, residual, false, false, &residual_reference);
        stats.assembly_seconds += timer.wall_time();
        norms = residual_norms();
        for (const double value : norms.l2)
          if (!std::isfinite(value))
            throw SolverError("the residual is not finite at t = " + format_number(t) + " s");
      }
    return stats;
  }

  /**
   * Logarithmic damping of the potential-like components of a Newton update
   * (phi, phi_n, phi_p, in units of kT/q): du -> sign(du) ln(1 + |du|). The
   * densities are exponentials of these potentials, so a full step of many
   * kT/q overflows or overshoots by orders of magnitude; damped, each step
   * changes a density by at most a factor (1 + |du|), while small updates
   * (the quadratic end phase) are unchanged to first order. P is left
   * alone. (The potential damping of PISCES-type device simulators.)
   */
  template <int dim>
  void
  Simulator<dim>::damp_potential_update(PETScWrappers::MPI::Vector &du) const
  {
    for (const auto i : locally_owned_dofs)
      if (!polarization_dofs.is_element(i))
        {
          const double value = du[i];
          du[i]              = (value < 0 ? -1. : 1.) * std::log1p(std::abs(value));
        }
    du.compress(VectorOperation::insert);
  }

  template <int dim>
  FieldNorms
  Simulator<dim>::norms_of(const PETScWrappers::MPI::Vector &v) const
  {
    return field_norms(v, fields.local_fields(), fields.n_fields());
  }

  template <int dim>
  FieldNorms
  Simulator<dim>::residual_norms() const
  {
    return norms_of(residual);
  }

  template <int dim>
  bool
  Simulator<dim>::newton_converged(const FieldNorms &norms) const
  {
    const FieldNorms reference = norms_of(residual_reference);
    return newton_criterion->converged(norms, reference, field_counts);
  }

  /**
   * The conservation test of the ion rows. The rows of species k sum to
   * (a0 N^(n+1) + a1 N^n + a2 N^(n-1)) / step (the fluxes cancel: the
   * test functions sum to one), so their residual's sum times step / a0 is
   * the species' number lost or gained in this step. The per-field
   * criterion measures a row against the sizes of all its terms, which at
   * long steps near equilibrium are flux terms many orders above the
   * storage: a lagged Newton can meet it and still leave 1e-10 of the
   * number per step (a two-species blocking cell, IonSpecies tests). Here
   * the loss per step, relative to N, must stay below 1e-13 (the round-off
   * of the flux terms allows about that at a step of 0.1 s), so that 1e4
   * steps keep the number to 1e-10. Where Newton can do no better (a line
   * search without descent, a stagnated iteration), @p at_round_off lets a
   * sum within 2 eps of the sum of its terms' magnitudes (the reference)
   * pass too: it is as well known as floating point allows. (Accepting
   * 1e3 times the 1e-13 there instead, 1e-10 in one step, was the drift of
   * a two-species cell at -np 2.)
   */
  template <int dim>
  bool
  Simulator<dim>::ions_conserved(const bool at_round_off) const
  {
    if (time_discretization.mode != TimeDiscretization::Mode::bdf || manufactured.exact)
      return true;
    const double step = time_discretization.dt / scale.time;
    for (unsigned k = 0; k < n_ion_species(); ++k)
      {
        double sum = 0;
        for (const auto i : fields.owned_dofs(fields.index(ion_modules[k]->field)))
          sum += residual[i];
        sum = Utilities::MPI::sum(sum, comm);
        if (std::abs(sum) * step / time_discretization.a0 <= 1e-13 * ion_number_scaled[k])
          continue;
        if (!at_round_off)
          return false;
        // The sum of the rows' terms' magnitudes, whose round-off bounds
        // how well their sum is known.
        double size = 0;
        for (const auto i : fields.owned_dofs(fields.index(ion_modules[k]->field)))
          size += std::abs(residual_reference[i]);
        if (std::abs(sum) > 2 * std::numeric_limits<double>::epsilon() * Utilities::MPI::sum(size, comm))
          return false;
      }
    return true;
  }

  template <int dim>
  double
  Simulator<dim>::newton_merit() const
  {
    return newton_criterion->merit(residual_norms(),
                                   norms_of(residual_reference),
                                   field_counts);
  }

  template <int dim>
  std::string
  Simulator<dim>::newton_report(const FieldNorms &norms) const
  {
    return newton_criterion->report(norms,
                                    norms_of(residual_reference));
  }

  /**
   * Damped Newton with a backtracking line search (step-57's names). It
   * stops when NewtonConvergence says every field's residual is at its
   * natural size times `Solver/Newton tolerance` (checked before the first
   * iteration too: a start that is already converged costs no iteration).
   * With carriers, the potential-like components of each update are
   * damped logarithmically first (damp_potential_update).
   *
   * Why not PETSc SNES: the update must pass through deal.II's
   * AffineConstraints (hanging nodes, periodicity, contact values, and the
   * equilibrium stage that freezes the quasi-Fermi potentials) between the
   * linear solve and the line search, and the terminal currents read the
   * residual of the accepted state; both are a few lines here and a shell
   * of callbacks around SNES. What SNES would add, the per-field
   * convergence test, is NewtonConvergence.
   */
  template <int dim>
  bool
  Simulator<dim>::advance(const double              t_new,
                          const TimeDiscretization &time,
                          SolveStatistics          &stats,
                          const unsigned            max_iterations,
                          const bool                equilibrium_carriers)
  {
    const AffineConstraints<double> &constraints =
      equilibrium_carriers ? equilibrium_constraints : update_constraints;
    time_discretization = time;
    apply_contact_potentials(t_new);
    locally_relevant_solution = solution;
    Timer timer;
    assemble(constraints, residual, true, false, &residual_reference);
    stats.assembly_seconds += timer.wall_time();
    FieldNorms norms = residual_norms();
    if (newton_converged(norms) && ions_conserved())
      return true;
    double         norm         = newton_merit();
    const unsigned n_iterations = max_iterations > 0 ? max_iterations : prm.newton_max_iterations;
    if (line_search_start.size() != solution.size())
      line_search_start.reinit(solution);
    // Whether the Jacobian is that of an earlier iterate (Jacobian reuse).
    bool lagged = false;
    // The merit after each iteration (the stagnation test).
    std::vector<double> merits;
    for (unsigned it = 0; it < n_iterations; ++it)
      {
        timer.restart();
        try
          {
            stats.linear_iterations += solve_linear(residual, newton_update);
          }
        catch (const SolverError &)
          {
            // A Krylov breakdown is a failed Newton step, like the other
            // failures below: the time stepper restores the step's start and
            // cuts the step (and reports it if that does not help).
            return false;
          }
        if (carriers() || ions())
          damp_potential_update(newton_update);
        constraints.distribute(newton_update);
        stats.solve_seconds += timer.wall_time();
        ++stats.newton_iterations;

        // Backtracking line search (step-57 style) on the residual in units
        // of each field's tolerance (NewtonConvergence::merit).
        line_search_start = solution;
        double step = 1, new_norm = 0;
        bool   decreased = false;
        for (unsigned k = 0; k < 10 && !decreased; ++k)
          {
            if (k > 0)
              step *= 0.5;
            solution = line_search_start;
            solution.add(step, newton_update);
            locally_relevant_solution = solution;
            timer.restart();
            assemble(constraints, residual, false, false, &residual_reference);
            stats.assembly_seconds += timer.wall_time();
            new_norm  = newton_merit();
            decreased = std::isfinite(new_norm) && new_norm < (1 - 1e-4 * step) * norm;
          }
        if (!decreased && (carriers() || ions()) && newton_update.linfty_norm() > 0.1)
          {
            // Far from the solution (damped updates of more than 0.1 kT/q),
            // the residual norm is a poor merit function for exponential
            // densities: take the damped step if it stays finite.
            solution = line_search_start;
            solution.add(1., newton_update);
            locally_relevant_solution = solution;
            assemble(constraints, residual, false, false, &residual_reference);
            new_norm  = newton_merit();
            decreased = std::isfinite(new_norm);
          }
        if (!decreased && lagged)
          {
            // A lagged Jacobian gave no descent: refresh it at the start of
            // this iteration and try again.
            solution                  = line_search_start;
            locally_relevant_solution = solution;
            timer.restart();
            assemble(constraints, residual, true, false, &residual_reference);
            stats.assembly_seconds += timer.wall_time();
            lagged = false;
            continue;
          }
        norms = residual_norms();
        // Either criterion per field (NewtonConvergence): the residual at
        // its natural size, or the full update of this iteration at the
        // update floor.
        // @p update_relax widens the per-field criterion; @p at_round_off
        // lets the ions' number test pass at the round-off of their rows'
        // sum (ions_conserved).
        const auto converged = [&](const double update_relax, const bool at_round_off) {
          FieldNorms update = norms_of(newton_update), start = norms_of(line_search_start);
          // The ions' update is judged by the density change it makes,
          // relative to c + c0 (ion_density_update): where they are
          // depleted their electrochemical potential is noise of the solve.
          for (unsigned k = 0; k < n_ion_species(); ++k)
            {
              const unsigned f = fields.index(ion_modules[k]->field);
              update.max[f]    = ion_density_update(line_search_start, newton_update, k);
              start.max[f]     = 1;
            }
          return newton_criterion->converged(norms, norms_of(residual_reference), field_counts, update, start, update_relax) &&
                 ions_conserved(at_round_off);
        };
        if (prm.newton_log)
          log.print("    Newton " + std::to_string(it + 1) + (lagged ? " (lagged Jacobian)" : "") +
                    ": step " + format_number(step) + (decreased ? "" : " (no descent)") + ", update " +
                    newton_criterion->report(norms_of(newton_update),
                                             norms_of(line_search_start)) +
                    "; residual " + newton_report(norms) + "\n");
        if (!decreased)
          {
            // No descent: the residual is at its floor. Converged if the
            // update is too (the start of this iteration is then as good as
            // any point along it), otherwise a failure that the time
            // stepper answers with a cut (from the step's start).
            solution                  = line_search_start;
            locally_relevant_solution = solution;
            const bool at_floor       = converged(1e3, true);
            if (at_floor)
              assemble(constraints, residual, false, false, &residual_reference);
            return at_floor;
          }
        const double reduction = new_norm / norm;
        norm                   = new_norm;
        if (converged(1, false))
          return true;
        // Stagnation (PETSc SNES's divergence tests in spirit): a time step
        // whose merit has not halved over the last four iterations, from
        // the eighth on, will not converge in the rest of its budget at a
        // rate worth waiting for (near a polarization fold Newton creeps at
        // 0.9 per iteration): give up now, so that the time stepper cuts the
        // step after 8 iterations instead of 20. Halving, not a tenfold
        // fall: a damped Newton that is still leaving its linear phase falls
        // less than tenfold over four iterations and then converges (the
        // FeS-FET benchmark's fixed 10 us steps: 756 failures with the
        // tenfold test, 104 with halving). Only for time steps with the
        // standard budget, not the initial solves.
        merits.push_back(norm);
        // Stagnated with every field converged and only the ions' number
        // test unmet while their rows' sum is at its round-off (2 eps of
        // the sum of their terms): the state cannot get better, so it is
        // accepted. (A Landau-coupled ion cell at 1e-16 s steps, on a CPU
        // whose exp() rounds differently, crept at line-search steps of
        // 1/64 with the sum at 1.0 eps of its terms, 7 times the 1e-13 of
        // the number, and failed down to the minimum step.)
        if (prm.newton_stagnation_test && max_iterations == 0 && merits.size() >= 8 &&
            merits.back() > 0.5 * merits[merits.size() - 5])
          return converged(1, true);
        // Keep the Jacobian while it still buys a tenfold reduction per
        // iteration: the next solve then reuses its factorization.
        lagged = prm.jacobian_reuse && step == 1 && reduction <= 0.1;
        if (lagged)
          continue;
        timer.restart();
        assemble(constraints, residual, true);
        stats.assembly_seconds += timer.wall_time();
      }
    return false;
  }

  template <int dim>
  double
  Simulator<dim>::free_energy() const
  {
    // The sum of the modules' energy densities (cells and faces), each
    // evaluated from the same PointState as their equations.
    hp::FEValues<dim>     hp_values(fe_collection,
                                q_collection,
                                update_values | update_gradients | update_quadrature_points | update_JxW_values);
    hp::FEFaceValues<dim> hp_face_values(fe_collection,
                                         face_q_collection,
                                         update_values | update_gradients | update_quadrature_points |
                                           update_normal_vectors | update_JxW_values);
    const unsigned                           n_components = fields.n_components();
    std::vector<Vector<double>>              values;
    std::vector<std::vector<Tensor<1, dim>>> gradients;
    PointState<dim>                          state;
    std::vector<const PhysicsModule<dim> *>  face_modules;
    const auto evaluate = [&](const FEValuesBase<dim> &fe_values, const unsigned q) {
      state.x = fe_values.quadrature_point(q);
      for (unsigned c = 0; c < n_components; ++c)
        {
          state.value[c]    = values[q][c];
          state.gradient[c] = gradients[q][c];
        }
    };
    const auto read = [&](const FEValuesBase<dim> &fe_values) {
      const unsigned n_q = fe_values.n_quadrature_points;
      values.assign(n_q, Vector<double>(n_components));
      gradients.assign(n_q, std::vector<Tensor<1, dim>>(n_components));
      fe_values.get_function_values(locally_relevant_solution, values);
      fe_values.get_function_gradients(locally_relevant_solution, gradients);
    };
    double energy = 0;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          hp_values.reinit(cell);
          const FEValues<dim> &fe_values = hp_values.get_present_fe_values();
          state.layer                    = cell->material_id();
          read(fe_values);
          for (unsigned q = 0; q < fe_values.n_quadrature_points; ++q)
            {
              evaluate(fe_values, q);
              for (const PhysicsModule<dim> *module : modules)
                if (module->active_on(state.layer))
                  energy += module->energy_density(state) * fe_values.JxW(q);
            }
          for (const unsigned f : cell->face_indices())
            {
              const std::optional<FaceInfo> face = face_info(cell, f);
              if (!face)
                continue;
              face_modules_on(*face, false, face_modules);
              if (face_modules.empty())
                continue;
              hp_face_values.reinit(cell, f);
              const FEFaceValues<dim> &face_values = hp_face_values.get_present_fe_values();
              read(face_values);
              for (const unsigned q : face_values.quadrature_point_indices())
                {
                  evaluate(face_values, q);
                  state.normal = face_values.normal_vector(q);
                  for (const PhysicsModule<dim> *module : face_modules)
                    energy += module->face_energy_density(state, *face) * face_values.JxW(q);
                }
            }
        }
    // Scaled energy density eps0 (V_T/L)^2 times L^dim -> J/m^(3-dim).
    return Utilities::MPI::sum(energy, comm) * Constants::eps0 * scale.potential * scale.potential *
           std::pow(scale.length, int(dim) - 2);
  }

  template <int dim>
  double
  Simulator<dim>::jacobian_check(const bool held)
  {
    // A time term with BDF2-like coefficients and a history of its own, so
    // that every block of the Jacobian is exercised.
    time_discretization.mode           = held ? TimeDiscretization::Mode::hold : TimeDiscretization::Mode::bdf;
    time_discretization.a0             = 1.5;
    time_discretization.a1             = -1.3;
    time_discretization.a2             = 0;
    time_discretization.dt             = 1e-9;
    PETScWrappers::MPI::Vector history = solution;
    history *= -1.3;
    time_history      = history;
    history_states[0] = solution;

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
