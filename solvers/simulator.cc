#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/numerics/vector_tools.h>

#include <postprocess/output_writer.h>
#include <postprocess/terminals_writer.h>
#include <solvers/deck_error.h>
#include <solvers/simulator.h>

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <set>
#include <sstream>

namespace FerroStack
{
  using namespace dealii;

  template <int dim>
  Simulator<dim>::Simulator(const Parameters &prm, const MPI_Comm comm, RunLog &log)
      : prm(prm)
      , comm(comm)
      , log(log)
      , scale(prm.temperature)
      , fe(prm.degree)
      , initial_polarization(prm)
  {}

  template <int dim>
  Simulator<dim>::~Simulator()
  {
    dof_handler.clear();
  }

  template <int dim>
  void
  Simulator<dim>::set_manufactured_solution(const ManufacturedSolution<dim> &mms)
  {
    manufactured = mms;
  }

  template <int dim>
  void
  Simulator<dim>::setup()
  {
    Timer timer;
    stack = std::make_unique<StackMesh<dim>>(prm, comm);
    dof_handler.reinit(stack->triangulation());
    dof_handler.distribute_dofs(fe);
    locally_owned_dofs = dof_handler.locally_owned_dofs();
    DoFTools::extract_locally_relevant_dofs(dof_handler, locally_relevant_dofs);

    // Constraints shared by the residual used for the contact charges and
    // by the Newton updates: hanging nodes and periodic lateral boundaries.
    free_constraints.clear();
    free_constraints.reinit(locally_relevant_dofs);
    DoFTools::make_hanging_node_constraints(dof_handler, free_constraints);
    if (stack->periodic())
      for (unsigned d = 0; d + 1 < dim; ++d)
        DoFTools::make_periodicity_constraints(dof_handler, 2 * d, 2 * d + 1, d, free_constraints);
    free_constraints.close();

    update_constraints.clear();
    update_constraints.reinit(locally_relevant_dofs);
    update_constraints.merge(free_constraints);
    contact_dofs.clear();
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      {
        const types::boundary_id id = StackMesh<dim>::contact_boundary_id(k);
        VectorTools::interpolate_boundary_values(dof_handler,
                                                 id,
                                                 Functions::ZeroFunction<dim>(),
                                                 update_constraints);
        contact_dofs.push_back(DoFTools::extract_boundary_dofs(dof_handler, ComponentMask(), {id}));
      }
    update_constraints.close();
    if (prm.contacts.empty())
      throw DeckError(prm.deck_file + ": Contacts/List: the potential needs at least one contact");

    DynamicSparsityPattern dsp(locally_relevant_dofs);
    DoFTools::make_sparsity_pattern(dof_handler, dsp, update_constraints, false);
    SparsityTools::distribute_sparsity_pattern(dsp, locally_owned_dofs, comm, locally_relevant_dofs);
    jacobian.reinit(locally_owned_dofs, locally_owned_dofs, dsp, comm);
    jacobian_is_current = false;

    solution.reinit(locally_owned_dofs, comm);
    residual.reinit(locally_owned_dofs, comm);
    newton_update.reinit(locally_owned_dofs, comm);
    locally_relevant_solution.reinit(locally_owned_dofs, locally_relevant_dofs, comm);

    compute_contact_offsets();
    setup_seconds = timer.wall_time();
  }

  template <int dim>
  void
  Simulator<dim>::compute_contact_offsets()
  {
    // The potential is measured from the vacuum level of the first contact
    // with a work function at 0 V, so that phi = V at contacts of that metal:
    // phi_contact = V - (W - W_ref) / q.
    std::vector<double> work_function(prm.contacts.size(), 0);
    double              reference      = 0;
    bool                have_reference = false;
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      {
        const Contact &c = prm.contacts[k];
        if (c.kind == Contact::Kind::metal || c.kind == Contact::Kind::gate)
          work_function[k] = c.workfunction;
        else if (c.kind == Contact::Kind::schottky)
          {
            // Barrier on the electron affinity of the layer the contact touches.
            int layer = -1;
            for (const auto &cell : dof_handler.active_cell_iterators())
              if (cell->is_locally_owned())
                for (const unsigned f : cell->face_indices())
                  if (cell->face(f)->at_boundary() &&
                      cell->face(f)->boundary_id() == StackMesh<dim>::contact_boundary_id(k))
                    layer = std::max<int>(layer, cell->material_id());
            layer             = Utilities::MPI::max(layer, comm);
            const Material &m = stack->material(layer);
            work_function[k] =
              m.require("Electron affinity", "the Schottky contact '" + c.name + "'") + c.barrier;
          }
        if (!have_reference && c.kind != Contact::Kind::ohmic)
          {
            reference      = work_function[k];
            have_reference = true;
          }
      }
    contact_work_function_offset.assign(prm.contacts.size(), 0);
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      if (prm.contacts[k].kind != Contact::Kind::ohmic)
        contact_work_function_offset[k] = work_function[k] - reference;
  }

  template <int dim>
  double
  Simulator<dim>::contact_potential(const unsigned k, const double t) const
  {
    return prm.bias.at(prm.contacts[k].name).value(t) - contact_work_function_offset[k];
  }

  template <int dim>
  void
  Simulator<dim>::apply_contact_potentials(const double t)
  {
    AffineConstraints<double> values;
    values.reinit(locally_relevant_dofs);
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      {
        const types::boundary_id id = StackMesh<dim>::contact_boundary_id(k);
        if (manufactured.exact)
          VectorTools::interpolate_boundary_values(dof_handler, id, *manufactured.exact, values);
        else
          VectorTools::interpolate_boundary_values(dof_handler,
                                                   id,
                                                   Functions::ConstantFunction<dim>(contact_potential(k, t) /
                                                                                    scale.potential),
                                                   values);
      }
    values.close();
    values.distribute(solution);
  }

  template <int dim>
  std::vector<double>
  Simulator<dim>::contact_charges()
  {
    assemble(free_constraints, residual, false);
    // R = eps0 V_T L^(dim-2) * R_hat: C/m^2 (1D), C/m (2D), C (3D).
    const double        factor = Constants::eps0 * scale.potential * std::pow(scale.length, int(dim) - 2);
    std::vector<double> charges;
    for (const IndexSet &dofs : contact_dofs)
      {
        double sum = 0;
        for (const auto i : dofs)
          if (locally_owned_dofs.is_element(i) && !free_constraints.is_constrained(i))
            sum += residual[i];
        charges.push_back(factor * Utilities::MPI::sum(sum, comm));
      }
    return charges;
  }

  template <int dim>
  std::array<double, 2>
  Simulator<dim>::average_polarization(const unsigned layer) const
  {
    const QGauss<dim>     quadrature(fe.degree + 1);
    FEValues<dim>         fe_values(fe, quadrature, update_quadrature_points | update_JxW_values);
    std::array<double, 3> sums = {{0, 0, 0}};
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() == layer)
        {
          fe_values.reinit(cell);
          const Material &m = stack->material(layer);
          for (const unsigned q : fe_values.quadrature_point_indices())
            {
              const Tensor<1, dim> P = initial_polarization.value(fe_values.quadrature_point(q), m);
              if (dim > 1)
                sums[0] += P[0] * fe_values.JxW(q);
              sums[1] += P[dim - 1] * fe_values.JxW(q);
              sums[2] += fe_values.JxW(q);
            }
        }
    for (double &s : sums)
      s = Utilities::MPI::sum(s, comm);
    return {{sums[0] / sums[2], sums[1] / sums[2]}};
  }

  template <int dim>
  std::array<double, 2>
  Simulator<dim>::manufactured_errors() const
  {
    Vector<float>     cellwise(stack->triangulation().n_active_cells());
    const QGauss<dim> quadrature(fe.degree + 2);
    VectorTools::integrate_difference(dof_handler,
                                      locally_relevant_solution,
                                      *manufactured.exact,
                                      cellwise,
                                      quadrature,
                                      VectorTools::L2_norm);
    const double l2 =
      VectorTools::compute_global_error(stack->triangulation(), cellwise, VectorTools::L2_norm);
    VectorTools::integrate_difference(dof_handler,
                                      locally_relevant_solution,
                                      *manufactured.exact,
                                      cellwise,
                                      quadrature,
                                      VectorTools::H1_seminorm);
    const double h1 =
      VectorTools::compute_global_error(stack->triangulation(), cellwise, VectorTools::H1_seminorm);
    return {{l2, h1}};
  }

  template <int dim>
  double
  Simulator<dim>::potential_at(const Point<dim> &p) const
  {
    double     value = 0, found = 0;
    const auto cell = GridTools::find_active_cell_around_point(MappingQ1<dim>(), dof_handler, p);
    if (cell.first.state() == IteratorState::valid && cell.first->is_locally_owned())
      {
        Vector<double> v(1);
        VectorTools::point_value(dof_handler, locally_relevant_solution, p, v);
        value = v[0];
        found = 1;
      }
    found = Utilities::MPI::sum(found, comm);
    if (found == 0)
      throw std::runtime_error("point outside the mesh");
    return Utilities::MPI::sum(value, comm) / found * scale.potential;
  }

  template <int dim>
  std::string
  Simulator<dim>::summary() const
  {
    std::ostringstream out;
    out << stack->summary();
    out << "Unknowns: potential " << dof_handler.n_dofs() << " (Q" << fe.degree << ")\n";
    out << "Contacts:\n";
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      {
        const Contact &c = prm.contacts[k];
        out << "  " << c.name << ": "
            << (c.kind == Contact::Kind::ohmic    ? "ohmic" :
                c.kind == Contact::Kind::schottky ? "schottky" :
                c.kind == Contact::Kind::metal    ? "metal " + c.metal :
                                                    "gate")
            << ", phi = V(t) " << (contact_work_function_offset[k] > 0 ? "- " : "+ ")
            << std::abs(contact_work_function_offset[k]) << " V, V(t) = " << prm.bias.at(c.name).text()
            << ", " << contact_dofs[k].n_elements() << " local boundary dofs\n";
      }
    out << "MPI ranks: " << Utilities::MPI::n_mpi_processes(comm) << "\n";
    return out.str();
  }

  namespace
  {
    /// The times at which the quasi-static problem is solved: every Max step,
    /// every field output and every kink of a bias waveform.
    std::vector<double>
    solve_times(const Parameters &prm)
    {
      std::vector<double> times = {0.};
      if (prm.end_time <= 0)
        return times;
      for (double k = 1; k * prm.max_step < prm.end_time; ++k)
        times.push_back(k * prm.max_step);
      if (prm.fields_every > 0)
        for (double k = 1; k * prm.fields_every < prm.end_time; ++k)
          times.push_back(k * prm.fields_every);
      for (const auto &b : prm.bias)
        for (const double t : b.second.breakpoints(prm.end_time))
          times.push_back(t);
      times.push_back(prm.end_time);
      std::sort(times.begin(), times.end());
      times.erase(std::unique(times.begin(),
                              times.end(),
                              [&](double a, double b) { return b - a < 1e-9 * prm.max_step; }),
                  times.end());
      return times;
    }

    bool
    is_output_time(const double t, const Parameters &prm, const bool last)
    {
      if (last)
        return true;
      if (prm.fields_every <= 0)
        return false;
      const double k = std::round(t / prm.fields_every);
      return std::abs(t - k * prm.fields_every) < 1e-9 * prm.max_step;
    }
  } // namespace

  template <int dim>
  void
  Simulator<dim>::run(const std::string &directory)
  {
    const bool root = Utilities::MPI::this_mpi_process(comm) == 0;
    if (root)
      std::filesystem::create_directories(directory);
    MPI_Barrier(comm);
    if (root)
      {
        std::ofstream deck(directory + "/deck.prm");
        deck << "# The deck as run (" << prm.deck_file << "), every key with its final value.\n"
             << prm.deck_as_run;
      }
    log.open(directory + "/run.log");
    log.print(summary());
    for (const std::string &field : prm.output_fields)
      if (field != "potential" && field != "electric field" && field != "polarization" && field != "material")
        log.print("Note: Output/Fields asks for '" + field +
                  "', which this run does not compute (its physics is off); it is not written.\n");

    // Columns of terminals.csv (deck-spec.md).
    const std::string        current_unit = dim == 1 ? "A/m^2" : dim == 2 ? "A/m" : "A";
    const std::string        charge_unit  = dim == 1 ? "C/m^2" : dim == 2 ? "C/m" : "C";
    std::vector<std::string> columns      = {"time[s]"};
    for (const Contact &c : prm.contacts)
      {
        columns.push_back("V_" + c.name + "[V]");
        columns.push_back("I_" + c.name + "[" + current_unit + "]");
        columns.push_back("Q_" + c.name + "[" + charge_unit + "]");
      }
    std::vector<unsigned> ferroelectric_layers;
    for (unsigned l = 0; l < stack->n_layers(); ++l)
      if (stack->material(l).is_ferroelectric())
        {
          ferroelectric_layers.push_back(l);
          columns.push_back("P_" + stack->layer(l).name + "_x[uC/cm^2]");
          columns.push_back("P_" + stack->layer(l).name + "_z[uC/cm^2]");
        }
    TerminalsWriter   terminals(directory + "/terminals.csv", columns, root);
    OutputWriter<dim> fields(*this, directory);

    // The polarization is frozen, so its averages are the same at all times.
    std::vector<double> polarization_columns;
    for (const unsigned l : ferroelectric_layers)
      for (const double P : average_polarization(l))
        polarization_columns.push_back(P * 100.); // C/m^2 -> uC/cm^2

    const std::vector<double> times = solve_times(prm);
    std::vector<double>       previous_charges;
    double                    previous_time = 0;
    Timer                     timer;
    unsigned                  total_linear = 0;
    SolveStatistics           totals;
    for (std::size_t n = 0; n < times.size(); ++n)
      {
        const double          t     = times[n];
        const SolveStatistics stats = solve_at(t);
        total_linear += stats.linear_iterations;
        totals.assembly_seconds += stats.assembly_seconds;
        totals.setup_seconds += stats.setup_seconds;
        totals.solve_seconds += stats.solve_seconds;
        const std::vector<double> charges = contact_charges();

        std::vector<double> row = {t};
        for (unsigned k = 0; k < prm.contacts.size(); ++k)
          {
            // Quasi-static: all current is displacement current, dQ/dt.
            const double current = n == 0 ? 0. : (charges[k] - previous_charges[k]) / (t - previous_time);
            row.push_back(prm.bias.at(prm.contacts[k].name).value(t));
            row.push_back(current);
            row.push_back(charges[k]);
          }
        row.insert(row.end(), polarization_columns.begin(), polarization_columns.end());
        for (const double v : row)
          if (!std::isfinite(v))
            throw SolverError("non-finite terminal quantity at t = " + std::to_string(t) +
                              " s; the last good state is in " + directory);
        terminals.write_row(row);

        std::ostringstream line;
        line << "step " << n << "  t = " << std::setprecision(6) << t << " s  Newton "
             << stats.newton_iterations << "  CG " << stats.linear_iterations << "  assembly "
             << stats.assembly_seconds << " s  AMG setup " << stats.setup_seconds << " s  solve "
             << stats.solve_seconds << " s\n";
        log.print(line.str());

        if (!prm.output_fields.empty() && is_output_time(t, prm, n + 1 == times.size()))
          fields.write(t);
        previous_charges = charges;
        previous_time    = t;
      }
    std::ostringstream done;
    done << "Done: " << times.size() << " solves, " << total_linear << " CG iterations, " << timer.wall_time()
         << " s wall\n"
         << "Timing: setup " << setup_seconds << " s, assembly " << totals.assembly_seconds
         << " s, AMG setup " << totals.setup_seconds << " s, solve " << totals.solve_seconds
         << " s, unknowns " << dof_handler.n_dofs() << ", ranks " << Utilities::MPI::n_mpi_processes(comm)
         << "\n";
    log.print(done.str());
  }

  template class Simulator<1>;
  template class Simulator<2>;
  template class Simulator<3>;
} // namespace FerroStack
