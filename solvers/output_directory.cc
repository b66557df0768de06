#include <base/deck_error.h>
#include <solvers/output_directory.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include <unistd.h>

namespace FerroStack
{
  namespace fs = std::filesystem;

  namespace
  {
    std::string
    quoted(const fs::path &path)
    {
      return "'" + path.string() + "'";
    }

    /// Create and remove a scratch file (@p as_directory false) or directory
    /// in @p directory; the error text of the failure, or "".
    std::string
    probe(const fs::path &directory, const bool as_directory)
    {
      std::string       name = (directory / ".ferrostack-write-test-XXXXXX").string();
      std::vector<char> buffer(name.begin(), name.end());
      buffer.push_back('\0');
      if (as_directory)
        {
          if (mkdtemp(buffer.data()) == nullptr)
            return std::strerror(errno);
          rmdir(buffer.data());
        }
      else
        {
          const int fd = mkstemp(buffer.data());
          if (fd < 0)
            return std::strerror(errno);
          close(fd);
          unlink(buffer.data());
        }
      return "";
    }
  } // namespace

  std::string
  output_directory_problem(const std::string &directory)
  {
    if (directory.empty())
      return "the output directory is empty; expected the path of a directory";
    fs::path target = fs::path(directory).lexically_normal();
    if (!target.has_filename() && target.has_parent_path() && target != target.root_path())
      target = target.parent_path(); // "out/" -> "out"

    // The nearest existing path: the directory itself or an ancestor.
    fs::path existing = target;
    while (true)
      {
        std::error_code ec;
        const auto      status = fs::status(existing, ec);
        if (status.type() != fs::file_type::not_found)
          {
            if (ec)
              return "cannot inspect " + quoted(existing) + " (" + ec.message() + ")";
            break;
          }
        existing = existing.parent_path();
        if (existing.empty())
          {
            existing = ".";
            break;
          }
      }

    if (!fs::is_directory(existing))
      return existing == target ? quoted(target) + " exists and is not a directory" :
                                  "cannot create the directory " + quoted(target) + ": " + quoted(existing) +
                                    " is a file, not a directory";
    const std::string error = probe(existing, existing != target);
    if (error.empty())
      return "";
    if (existing == target)
      return "the directory " + quoted(target) + " exists, but this user cannot create files in it (" +
             error + ")";
    return "cannot create the directory " + quoted(target) + ": this user cannot create a directory in " +
           quoted(existing) + " (" + error + ")";
  }

  std::string
  output_directory(const Parameters &prm, const std::string &command_line_output)
  {
    return command_line_output.empty() ? prm.output_directory : command_line_output;
  }

  void
  check_output_directory(const Parameters &prm, const std::string &command_line_output, const MPI_Comm comm)
  {
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    std::string problem =
      rank == 0 ? output_directory_problem(output_directory(prm, command_line_output)) : "";
    int length = problem.size();
    MPI_Bcast(&length, 1, MPI_INT, 0, comm);
    problem.resize(length);
    MPI_Bcast(problem.data(), length, MPI_CHAR, 0, comm);
    if (problem.empty())
      return;
    const std::string where = command_line_output.empty() ?
                                prm.output_directory_location + ": Output/Directory" :
                                "--output " + command_line_output;
    throw DeckError(where + ": " + problem + "; expected a directory this user can write to");
  }
} // namespace FerroStack
