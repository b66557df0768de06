#ifndef ferrostack_postprocess_terminals_writer_h
#define ferrostack_postprocess_terminals_writer_h

#include <cstddef>
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

    /**
     * Continue the rows of a restarted run: @p filename gets the header and
     * the first @p rows rows of @p source (the killed run's terminals.csv,
     * possibly the same file; rows it wrote after its checkpoint are
     * dropped), written to a temporary name and renamed into place, and new
     * rows are appended after them. The caller has checked that @p source
     * has these rows and columns (load_checkpoint, before anything is
     * written).
     */
    TerminalsWriter(const std::string              &filename,
                    const std::vector<std::string> &columns,
                    const bool                      root,
                    const std::string              &source,
                    const std::size_t               rows);

    /// Append one row; it must have one value per column, all finite.
    void
    write_row(const std::vector<double> &values);

    /// The rows written so far below the header (with those kept on restart).
    std::size_t
    n_rows() const
    {
      return rows;
    }

    /// The file's name.
    const std::string &
    name() const
    {
      return filename;
    }

  private:
    std::string   filename;
    std::ofstream file;
    std::size_t   n_columns;
    bool          root;
    std::size_t   rows = 0;
  };
} // namespace FerroStack

#endif
