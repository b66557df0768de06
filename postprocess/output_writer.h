#ifndef ferrostack_postprocess_output_writer_h
#define ferrostack_postprocess_output_writer_h

#include <string>
#include <utility>
#include <vector>

namespace FerroStack
{
  template <int dim>
  class Simulator;

  /**
   * The field output of a run: `solution-NNNNN.pvtu` with one `.vtu` per
   * rank, and `solution.pvd`, the ParaView time series, rewritten after each
   * output so that it always lists complete files only. Coordinates are in
   * nm and every field carries its unit in its name (deck-spec.md).
   */
  template <int dim>
  class OutputWriter
  {
  public:
    OutputWriter(const Simulator<dim> &simulator, const std::string &directory);

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

    const Simulator<dim>                       &simulator;
    std::string                                 directory;
    std::vector<std::pair<double, std::string>> pvd_records;
  };
} // namespace FerroStack

#endif
