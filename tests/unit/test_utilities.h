#ifndef ferrostack_tests_unit_test_utilities_h
#define ferrostack_tests_unit_test_utilities_h

#include <deal.II/base/mpi.h>

#include <solvers/simulator.h>

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

    /// Solve the steady problem of @p prm at t = 0; the contact charges.
    template <int dim>
    std::vector<double>
    steady_charges(const Parameters &prm)
    {
      RunLog         log(false);
      Simulator<dim> simulator(prm, MPI_COMM_WORLD, log);
      simulator.setup();
      simulator.solve_at(0);
      return simulator.contact_charges();
    }

    /**
     * A Materials section that gives BaTiO3 a 2-4 Landau energy with
     * alpha = -1e9 m/F and beta = 1e10 m^5/(F C^2), so Ps = sqrt(-alpha /
     * (2 beta)) = 0.2236 C/m^2 is known in closed form, and eps_b = 20.
     */
    inline const std::string landau_24_materials = R"(
subsection Materials
  subsection BaTiO3
    set Landau alpha = -1e9
    set Landau beta = 1e10
    set Landau gamma = 0
    set Landau delta = 0
    set Permittivity = 20
  end
end
)";

    /// The directory of the sources (for inputs/ and meshes/).
    inline std::string
    source_directory()
    {
      return FERROSTACK_SOURCE_DIR;
    }
  } // namespace Testing
} // namespace FerroStack

#endif
