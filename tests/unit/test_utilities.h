#ifndef ferrostack_tests_unit_test_utilities_h
#define ferrostack_tests_unit_test_utilities_h

#include <deal.II/base/mpi.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace FerroStack
{
  namespace Testing
  {
    /// A scratch directory of this test run, different per rank and process.
    inline std::string
    scratch_directory()
    {
      static const std::string dir = [] {
        // One directory per test run, shared by its ranks (rank 0's pid).
        const int         pid = dealii::Utilities::MPI::broadcast(MPI_COMM_WORLD, int(::getpid()), 0);
        const std::string d   = "/tmp/ferrostack-tests-" + std::to_string(pid);
        std::string       cmd = "mkdir -p " + d;
        if (std::system(cmd.c_str()) != 0)
          throw std::runtime_error("cannot create " + d);
        return d;
      }();
      return dir;
    }

    /// Write @p text into a deck file of this rank and return its path.
    inline std::string
    write_deck(const std::string &name, const std::string &text)
    {
      const std::string path = scratch_directory() + "/" + name + "." +
                               std::to_string(dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD)) +
                               ".prm";
      std::ofstream(path) << text;
      return path;
    }

    /// The directory of the sources (for inputs/ and meshes/).
    inline std::string
    source_directory()
    {
      return FERROSTACK_SOURCE_DIR;
    }
  } // namespace Testing
} // namespace FerroStack

#endif
