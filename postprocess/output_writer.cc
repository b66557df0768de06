#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/data_postprocessor.h>

#include <postprocess/output_writer.h>
#include <solvers/simulator.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace FerroStack
{
  using namespace dealii;

  namespace
  {
    bool
    wanted(const Parameters &prm, const std::string &field)
    {
      return std::find(prm.output_fields.begin(), prm.output_fields.end(), field) != prm.output_fields.end();
    }

    /**
     * Turns the scaled potential into the deck-unit fields of deck-spec.md:
     * `potential [V]`, `electric field [MV/cm]` (E = -grad phi) and
     * `polarization [uC/cm^2]` and, with carriers, `electrons [cm^-3]`,
     * `holes [cm^-3]`, `current density [A/cm^2]` (conduction), each when the
     * deck's Output/Fields asks.
     */
    template <int dim>
    class SolutionFields : public DataPostprocessor<dim>
    {
    public:
      explicit SolutionFields(const Simulator<dim> &simulator)
          : simulator(simulator)
          , prm(simulator.parameters())
      {}

      void
      evaluate_scalar_field(const DataPostprocessorInputs::Scalar<dim> &inputs,
                            std::vector<Vector<double>>                &computed) const override
      {
        // Potential only: P is the frozen function of the deck.
        std::vector<Vector<double>>              values(inputs.solution_values.size(), Vector<double>(1));
        std::vector<std::vector<Tensor<1, dim>>> gradients(inputs.solution_values.size(),
                                                           std::vector<Tensor<1, dim>>(1));
        for (unsigned q = 0; q < values.size(); ++q)
          {
            values[q][0]    = inputs.solution_values[q];
            gradients[q][0] = inputs.solution_gradients[q];
          }
        compute(inputs.template get_cell<dim>(), inputs.evaluation_points, values, gradients, computed);
      }

      void
      evaluate_vector_field(const DataPostprocessorInputs::Vector<dim> &inputs,
                            std::vector<Vector<double>>                &computed) const override
      {
        compute(inputs.template get_cell<dim>(),
                inputs.evaluation_points,
                inputs.solution_values,
                inputs.solution_gradients,
                computed);
      }

      template <typename CellIterator>
      void
      compute(const CellIterator                             &cell,
              const std::vector<Point<dim>>                  &points,
              const std::vector<Vector<double>>              &values,
              const std::vector<std::vector<Tensor<1, dim>>> &gradients,
              std::vector<Vector<double>>                    &computed) const
      {
        const double    V_T      = simulator.scaling().potential;
        const double    E_factor = -V_T / simulator.scaling().length * 1e-8; // V/m -> MV/cm
        const Material &material = simulator.layer_material(cell->material_id());
        for (unsigned q = 0; q < values.size(); ++q)
          {
            unsigned c = 0;
            if (wanted(prm, "potential"))
              computed[q][c++] = V_T * values[q][0];
            if (wanted(prm, "electric field"))
              for (unsigned d = 0; d < dim; ++d)
                computed[q][c++] = E_factor * gradients[q][0][d];
            if (wanted(prm, "polarization"))
              {
                const Tensor<1, dim> P = simulator.polarization_at(points[q], material, values[q]);
                for (unsigned d = 0; d < dim; ++d)
                  computed[q][c++] = 100. * P[d]; // C/m^2 -> uC/cm^2
              }
            if (!simulator.carriers())
              continue;
            const auto np = simulator.carrier_densities(cell->material_id(), values[q]);
            if (wanted(prm, "electrons"))
              computed[q][c++] = 1e-6 * np[0]; // m^-3 -> cm^-3
            if (wanted(prm, "holes"))
              computed[q][c++] = 1e-6 * np[1];
            if (wanted(prm, "current density"))
              {
                const Tensor<1, dim> J =
                  simulator.conduction_current_density(cell->material_id(), values[q], gradients[q]);
                for (unsigned d = 0; d < dim; ++d)
                  computed[q][c++] = 1e-4 * J[d]; // A/m^2 -> A/cm^2
              }
          }
      }

      std::vector<std::string>
      get_names() const override
      {
        std::vector<std::string> names;
        if (wanted(prm, "potential"))
          names.push_back("potential [V]");
        if (wanted(prm, "electric field"))
          for (unsigned d = 0; d < dim; ++d)
            names.push_back("electric field [MV/cm]");
        if (wanted(prm, "polarization"))
          for (unsigned d = 0; d < dim; ++d)
            names.push_back("polarization [uC/cm^2]");
        if (simulator.carriers())
          {
            if (wanted(prm, "electrons"))
              names.push_back("electrons [cm^-3]");
            if (wanted(prm, "holes"))
              names.push_back("holes [cm^-3]");
            if (wanted(prm, "current density"))
              for (unsigned d = 0; d < dim; ++d)
                names.push_back("current density [A/cm^2]");
          }
        return names;
      }

      std::vector<DataComponentInterpretation::DataComponentInterpretation>
      get_data_component_interpretation() const override
      {
        std::vector<DataComponentInterpretation::DataComponentInterpretation> kinds;
        if (wanted(prm, "potential"))
          kinds.push_back(DataComponentInterpretation::component_is_scalar);
        const auto vector = [&]() {
          for (unsigned d = 0; d < dim; ++d)
            kinds.push_back(dim == 1 ? DataComponentInterpretation::component_is_scalar :
                                       DataComponentInterpretation::component_is_part_of_vector);
        };
        for (const char *field : {"electric field", "polarization"})
          if (wanted(prm, field))
            vector();
        if (simulator.carriers())
          {
            for (const char *field : {"electrons", "holes"})
              if (wanted(prm, field))
                kinds.push_back(DataComponentInterpretation::component_is_scalar);
            if (wanted(prm, "current density"))
              vector();
          }
        return kinds;
      }

      UpdateFlags
      get_needed_update_flags() const override
      {
        return update_values | update_gradients | update_quadrature_points;
      }

    private:
      const Simulator<dim> &simulator;
      const Parameters     &prm;
    };
  } // namespace

  template <int dim>
  OutputWriter<dim>::OutputWriter(const Simulator<dim> &simulator, const std::string &directory)
      : simulator(simulator)
      , directory(directory)
  {}

  template <int dim>
  void
  OutputWriter<dim>::write(const double t)
  {
    const Parameters &prm  = simulator.parameters();
    const MPI_Comm    comm = simulator.dofs().get_triangulation().get_communicator();
    const unsigned    rank = Utilities::MPI::this_mpi_process(comm);
    const unsigned    size = Utilities::MPI::n_mpi_processes(comm);

    SolutionFields<dim> fields(simulator);
    DataOut<dim>             data_out;
    data_out.attach_dof_handler(simulator.dofs());
    const bool any_point_field =
      wanted(prm, "potential") || wanted(prm, "electric field") || wanted(prm, "polarization") ||
      (simulator.carriers() &&
       (wanted(prm, "electrons") || wanted(prm, "holes") || wanted(prm, "current density")));
    if (any_point_field)
      data_out.add_data_vector(simulator.ghosted_solution(), fields);

    Vector<float> material(simulator.dofs().get_triangulation().n_active_cells());
    for (const auto &cell : simulator.dofs().active_cell_iterators())
      if (cell->is_locally_owned())
        material(cell->active_cell_index()) = cell->material_id();
    if (wanted(prm, "material"))
      data_out.add_data_vector(material, "material", DataOut<dim>::type_cell_data);

    // Only the cells this rank owns (1D meshes are replicated on all ranks).
    data_out.set_cell_selection([](const typename Triangulation<dim>::cell_iterator &cell) {
      return cell->is_active() && cell->is_locally_owned();
    });
    data_out.build_patches(prm.degree);

    DataOutBase::VtkFlags flags;
    flags.time = t;
    // zlib at its default level took 13 % of a TDGL run's wall time (perf,
    // cips_film_2d); best_speed writes files ~20 % larger in a fraction of
    // the time, and ParaView reads both alike.
    flags.compression_level = DataOutBase::VtkFlags::best_speed;
    data_out.set_flags(flags);

    const std::string base = "solution-" + Utilities::int_to_string(pvd_records.size(), 5);
    {
      const std::string name = base + "." + Utilities::int_to_string(rank, 4) + ".vtu";
      std::ofstream     out(directory + "/" + name + ".tmp");
      data_out.write_vtu(out);
      out.close();
      std::rename((directory + "/" + name + ".tmp").c_str(), (directory + "/" + name).c_str());
    }
    MPI_Barrier(comm);
    if (rank == 0)
      {
        std::vector<std::string> pieces;
        for (unsigned r = 0; r < size; ++r)
          pieces.push_back(base + "." + Utilities::int_to_string(r, 4) + ".vtu");
        {
          std::ofstream out(directory + "/" + base + ".pvtu");
          data_out.write_pvtu_record(out, pieces);
        }
        pvd_records.emplace_back(t, base + ".pvtu");
        write_pvd();
      }
    else
      pvd_records.emplace_back(t, base + ".pvtu");
  }

  template <int dim>
  void
  OutputWriter<dim>::write_pvd() const
  {
    std::ofstream pvd(directory + "/solution.pvd.tmp");
    DataOutBase::write_pvd_record(pvd, pvd_records);
    pvd.close();
    std::rename((directory + "/solution.pvd.tmp").c_str(), (directory + "/solution.pvd").c_str());
  }

  template <int dim>
  void
  OutputWriter<dim>::resume(const std::vector<std::pair<double, std::string>> &kept,
                            const std::string                                 &source)
  {
    namespace fs        = std::filesystem;
    const MPI_Comm comm = simulator.dofs().get_triangulation().get_communicator();
    pvd_records         = kept;
    if (Utilities::MPI::this_mpi_process(comm) == 0)
      {
        std::error_code error;
        const bool      same = fs::equivalent(source, directory, error);
        // solution-NNNNN.pvtu and solution-NNNNN.RRRR.vtu: files numbered
        // from kept.size() on are outputs of the killed run after its
        // checkpoint (or of an earlier run); the restarted run writes its own.
        const auto number_of = [](const std::string &name) -> long {
          if (name.rfind("solution-", 0) != 0 || name.size() < 15 || name[14] != '.')
            return -1;
          const std::string digits = name.substr(9, 5);
          return digits.find_first_not_of("0123456789") == std::string::npos ? std::stol(digits) : -1;
        };
        for (const auto &entry : fs::directory_iterator(directory))
          if (number_of(entry.path().filename().string()) >= long(kept.size()))
            fs::remove(entry.path(), error);
        if (!same)
          for (const auto &entry : fs::directory_iterator(source))
            {
              const long n = number_of(entry.path().filename().string());
              if (n >= 0 && n < long(kept.size()))
                fs::copy_file(entry.path(),
                              fs::path(directory) / entry.path().filename(),
                              fs::copy_options::overwrite_existing);
            }
        write_pvd();
      }
    MPI_Barrier(comm);
  }

  template class OutputWriter<1>;
  template class OutputWriter<2>;
  template class OutputWriter<3>;
} // namespace FerroStack
