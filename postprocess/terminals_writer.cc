#include <base/text_utilities.h>
#include <postprocess/terminals_writer.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace FerroStack
{
  TerminalsWriter::TerminalsWriter(const std::string              &filename,
                                   const std::vector<std::string> &columns,
                                   const bool                      root)
      : filename(filename)
      , n_columns(columns.size())
      , root(root)
  {
    if (!root)
      return;
    file.open(filename);
    if (!file)
      throw std::runtime_error("cannot write " + filename);
    file << join(columns, ",") << "\n" << std::flush;
  }

  TerminalsWriter::TerminalsWriter(const std::string              &filename,
                                   const std::vector<std::string> &columns,
                                   const bool                      root,
                                   const std::string              &source,
                                   const std::size_t               rows)
      : filename(filename)
      , n_columns(columns.size())
      , root(root)
      , rows(rows)
  {
    if (!root)
      return;
    // Lines, not parsed values, so that the kept rows stay byte for byte
    // what the killed run wrote.
    std::vector<std::string> lines;
    {
      std::ifstream in(source);
      std::string   line;
      while (lines.size() < rows + 1 && std::getline(in, line))
        lines.push_back(line);
    }
    if (lines.size() < rows + 1 || lines[0] != join(columns, ","))
      throw std::runtime_error(source + " does not hold the header and the " + std::to_string(rows) +
                               " rows of the checkpoint");
    const std::string temporary = filename + ".restart.tmp";
    {
      std::ofstream out(temporary);
      for (const std::string &line : lines)
        out << line << "\n";
      if (!out)
        throw std::runtime_error("cannot write " + temporary);
    }
    if (std::rename(temporary.c_str(), filename.c_str()) != 0)
      throw std::runtime_error("cannot rename " + temporary + " to " + filename);
    file.open(filename, std::ios::app);
    if (!file)
      throw std::runtime_error("cannot write " + filename);
  }

  void
  TerminalsWriter::write_row(const std::vector<double> &values)
  {
    if (values.size() != n_columns)
      throw std::logic_error("terminals.csv row has the wrong number of columns");
    for (const double v : values)
      if (!std::isfinite(v))
        throw std::logic_error("refusing to write a non-finite value to terminals.csv");
    ++rows; // on every rank: checkpoints store it
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
