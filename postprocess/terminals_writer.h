#ifndef ferrostack_postprocess_terminals_writer_h
#define ferrostack_postprocess_terminals_writer_h

#include <fstream>
#include <string>
#include <vector>

namespace FerroStack
{
  /**
   * terminals.csv (deck-spec.md): a header of column names with their units,
   * then one row per accepted time step, flushed at once so that a run that
   * fails later leaves every good row on disk. Only the root rank writes.
   */
  class TerminalsWriter
  {
  public:
    TerminalsWriter(const std::string &filename, const std::vector<std::string> &columns, const bool root);

    /// Append one row; it must have one value per column, all finite.
    void
    write_row(const std::vector<double> &values);

  private:
    std::ofstream file;
    std::size_t   n_columns;
    bool          root;
  };
} // namespace FerroStack

#endif
