#ifndef ferrostack_postprocess_output_writer_h
#define ferrostack_postprocess_output_writer_h

#include <string>
#include <utility>
#include <vector>

namespace dealii
{
  template <int dim, int spacedim>
  class DoFHandler;
  template <int dim>
  class DataPostprocessor;
  namespace PETScWrappers
  {
    namespace MPI
    {
      class Vector;
    }
  } // namespace PETScWrappers
} // namespace dealii

namespace FerroStack
{
  /**
   * The field output of a run: `solution-NNNNN.pvtu` with one `.vtu` per
   * rank, and `solution.pvd`, the ParaView time series, rewritten after each
   * output so that it always lists complete files only. Coordinates are
   * those of the mesh (nm); the fields, their names and units
   * (deck-spec.md) are the postprocessors' (DataPostprocessor), so that the
   * writer knows nothing of the physics.
   */
  template <int dim>
  class OutputWriter
  {
  public:
    /**
     * Write into @p directory the fields that each of @p postprocessors
     * computes from @p solution on @p dofs (one without names is left out)
     * and, with @p material_ids, each cell's material id (its layer) as the
     * cell field `material`. Each cell is cut into @p subdivisions^dim
     * patches (the elements' degree). The DoF handler, the solution and the
     * postprocessors are read at every write() and must outlive the writer.
     */
    OutputWriter(const std::string                                         &directory,
                 const dealii::DoFHandler<dim, dim>                        &dofs,
                 const dealii::PETScWrappers::MPI::Vector                  &solution,
                 const std::vector<const dealii::DataPostprocessor<dim> *> &postprocessors,
                 const bool                                                 material_ids,
                 const unsigned                                             subdivisions);

    /// Write the fields of the present solution at time @p t [s].
    void
    write(const double t);

    /// The entries of solution.pvd so far: (time [s], .pvtu file).
    const std::vector<std::pair<double, std::string>> &
    records() const
    {
      return pvd_records;
    }

    /**
     * Continue the field output of a restarted run: solution.pvd gets
     * @p kept (the checkpoint's entries), files of later outputs of the
     * killed run are removed, and, if @p source is another directory, the
     * kept .pvtu/.vtu files are copied from there, so that the series is
     * complete in this run's directory. The next output gets the next
     * number. Collective; rank 0 touches the files.
     */
    void
    resume(const std::vector<std::pair<double, std::string>> &kept, const std::string &source);

  private:
    /// Rewrite solution.pvd from pvd_records (temporary name, renamed).
    void
    write_pvd() const;

    std::string                                         directory;
    const dealii::DoFHandler<dim, dim>                 &dofs;
    const dealii::PETScWrappers::MPI::Vector           &solution;
    std::vector<const dealii::DataPostprocessor<dim> *> postprocessors;
    bool                                                material_ids;
    unsigned                                            subdivisions;
    std::vector<std::pair<double, std::string>>         pvd_records;
  };
} // namespace FerroStack

#endif
