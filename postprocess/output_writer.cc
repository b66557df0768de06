#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/petsc_vector.h>
#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/data_postprocessor.h>

#include <postprocess/output_writer.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace FerroStack
{
  using namespace dealii;

  template <int dim>
  OutputWriter<dim>::OutputWriter(const std::string                                 &directory,
                                  const DoFHandler<dim>                             &dofs,
                                  const PETScWrappers::MPI::Vector                  &solution,
                                  const std::vector<const DataPostprocessor<dim> *> &postprocessors,
                                  const bool                                         material_ids,
                                  const unsigned                                     subdivisions)
      : directory(directory)
      , dofs(dofs)
      , solution(solution)
      , postprocessors(postprocessors)
      , material_ids(material_ids)
      , subdivisions(subdivisions)
  {}

  template <int dim>
  void
  OutputWriter<dim>::write(const double t)
  {
    const MPI_Comm comm = dofs.get_triangulation().get_communicator();
    const unsigned rank = Utilities::MPI::this_mpi_process(comm);
    const unsigned size = Utilities::MPI::n_mpi_processes(comm);

    DataOut<dim> data_out;
    data_out.attach_dof_handler(dofs);
    for (const DataPostprocessor<dim> *postprocessor : postprocessors)
      if (!postprocessor->get_names().empty())
        data_out.add_data_vector(solution, *postprocessor);

    Vector<float> material(dofs.get_triangulation().n_active_cells());
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
        material(cell->active_cell_index()) = cell->material_id();
    if (material_ids)
      data_out.add_data_vector(material, "material", DataOut<dim>::type_cell_data);

    // Only the cells this rank owns (1D meshes are replicated on all ranks).
    data_out.set_cell_selection([](const typename Triangulation<dim>::cell_iterator &cell) {
      return cell->is_active() && cell->is_locally_owned();
    });
    data_out.build_patches(subdivisions);

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
    const MPI_Comm comm = dofs.get_triangulation().get_communicator();
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
