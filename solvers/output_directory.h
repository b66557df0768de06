#ifndef ferrostack_solvers_output_directory_h
#define ferrostack_solvers_output_directory_h

#include <solvers/parameters.h>

#include <string>

#include <mpi.h>

namespace FerroStack
{
  /**
   * Why a run could not write its results into @p directory, or "" if it
   * can: the directory exists and this user can create files in it, or it
   * does not exist yet and its nearest existing ancestor is a directory in
   * which this user can create one. The test is a real one (a file or
   * directory is created there and removed at once), because permission bits
   * say nothing for root, read-only mounts or /proc; nothing is left behind
   * and the output directory itself is not created.
   */
  std::string
  output_directory_problem(const std::string &directory);

  /// The directory a run of @p prm writes to: @p command_line_output (the
  /// `--output` option) if given, else the deck's Output/Directory.
  std::string
  output_directory(const Parameters &prm, const std::string &command_line_output);

  /**
   * Throw DeckError (exit code 2) naming the directory, where it was given
   * (`--output` or the deck's file:line of Output/Directory) and why, unless
   * the run can write there. Call before the run starts (before the mesh is
   * built): otherwise an unwritable directory ends the run with a raw
   * filesystem error (exit code 1) after the setup. Collective on @p comm:
   * rank 0 tests the file system and every rank throws the same error.
   */
  void
  check_output_directory(const Parameters &prm, const std::string &command_line_output, const MPI_Comm comm);
} // namespace FerroStack

#endif
