#include <postprocess/terminals_writer.h>
#include <solvers/text_utilities.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace FerroStack
{
  TerminalsWriter::TerminalsWriter(const std::string              &filename,
                                   const std::vector<std::string> &columns,
                                   const bool                      root)
      : n_columns(columns.size())
      , root(root)
  {
    if (!root)
      return;
    file.open(filename);
    if (!file)
      throw std::runtime_error("cannot write " + filename);
    file << join(columns, ",") << "\n" << std::flush;
  }

  void
  TerminalsWriter::write_row(const std::vector<double> &values)
  {
    if (values.size() != n_columns)
      throw std::logic_error("terminals.csv row has the wrong number of columns");
    for (const double v : values)
      if (!std::isfinite(v))
        throw std::logic_error("refusing to write a non-finite value to terminals.csv");
    if (!root)
      return;
    char buffer[32];
    for (std::size_t i = 0; i < values.size(); ++i)
      {
        std::snprintf(buffer, sizeof(buffer), "%.12e", values[i]);
        file << (i > 0 ? "," : "") << buffer;
      }
    file << "\n" << std::flush;
  }
} // namespace FerroStack
