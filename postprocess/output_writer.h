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

  private:
    const Simulator<dim>                       &simulator;
    std::string                                 directory;
    std::vector<std::pair<double, std::string>> records;
  };
} // namespace FerroStack

#endif
