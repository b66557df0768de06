#include <deal.II/base/exceptions.h>
#include <deal.II/base/mpi.h>

#include <base/deck_error.h>
#include <solvers/command_line.h>
#include <solvers/output_directory.h>
#include <solvers/parameters.h>
#include <solvers/run_log.h>
#include <solvers/simulator.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include <dlfcn.h>
#include <unistd.h>

using namespace FerroStack;

namespace
{
  /// Where the run writes: --output, else the directory a --restart
  /// continues (deck-spec.md: `--restart DIR` appends to DIR's files), else
  /// the deck's Output/Directory.
  std::string
  run_directory(const Parameters &prm, const CommandLine &command_line)
  {
    if (!command_line.output.empty())
      return command_line.output;
    return command_line.restart.empty() ? prm.output_directory : command_line.restart;
  }

  /**
   * Started without mpirun (a laptop run, a test), Open MPI's MPI_Init
   * forks an orted daemon for a "singleton" that could later spawn ranks,
   * about 0.3 s of a 1 s start-up; FerroStack never spawns, so ask for an
   * isolated singleton instead. Under mpirun/srun (the launcher's
   * variables are set) and when the user has chosen, nothing changes.
   */
  void
  prefer_isolated_singleton()
  {
    for (const char *launcher : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "SLURM_STEP_ID"})
      if (std::getenv(launcher) != nullptr)
        return;
    setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
  }

  /**
   * OpenBLAS (MUMPS' BLAS, libopenblas0-serial) picks its kernels from the
   * CPU's model number. Hypervisors that hide the model (the CI machines
   * report "Intel(R) Xeon(R) Processor" with AVX-512) make it fall back to
   * its generic Prescott (SSE3) kernels, and MUMPS' frontal dgemm runs at
   * a fraction of the machine's speed: on the Al2O3 FeS-FET deck the
   * linear solves took 25 % longer (benchmarks/README.md, session 10).
   * OpenBLAS reads OPENBLAS_CORETYPE only when it is loaded, before
   * main(); so when it has chosen Prescott on a CPU with AVX-512 or AVX2
   * and the user has not chosen, name the matching kernels and start the
   * program again: execv keeps the process, its arguments and the MPI
   * launcher's environment, and nothing has been initialized yet. Another
   * BLAS (no openblas_get_corename) or a user's choice is left alone.
   */
  void
  choose_blas_kernels(char **argv)
  {
    if (std::getenv("OPENBLAS_CORETYPE") != nullptr)
      return;
    using CoreName       = char *(*)();
    const auto core_name = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    if (core_name == nullptr || std::string(core_name()) != "Prescott")
      return;
    __builtin_cpu_init();
    const char *kernels = __builtin_cpu_supports("avx512f") ? "SkylakeX" :
                          __builtin_cpu_supports("avx2")    ? "Haswell" :
                                                              nullptr;
    if (kernels == nullptr)
      return;
    setenv("OPENBLAS_CORETYPE", kernels, 1);
    execv("/proc/self/exe", argv);
    // Only reached if the exec failed: run on with the generic kernels.
  }

  /// Build and run the simulator of dimension dim (ASPECT's dispatch).
  template <int dim>
  void
  run(const Parameters &prm, const CommandLine &command_line, RunLog &log)
  {
    Simulator<dim> simulator(prm, MPI_COMM_WORLD, log);
    try
      {
        simulator.setup();
        if (command_line.check)
          {
            log.print("Deck " + prm.deck_file + " is valid.\n" + simulator.summary());
            return;
          }
        simulator.run(run_directory(prm, command_line), command_line.restart);
      }
    catch (const DeckError &)
      {
        throw; // raised on every rank alike (the deck is read by all)
      }
    catch (const SolverError &)
      {
        throw; // raised after the collective norms and tests of the solver
      }
    catch (const std::exception &e)
      {
        // Anything else (a failed assertion, an allocation) may be raised
        // on one rank only: unwinding the simulator would then wait in its
        // collective destructors (PETSc, MUMPS) for ranks that never come.
        // Say where, and end the whole job.
        if (dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD) > 1)
          {
            std::cerr << "ferrostack: internal error on rank "
                      << dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) << ": " << e.what() << std::endl;
            MPI_Abort(MPI_COMM_WORLD, exit_codes::other_error);
          }
        throw;
      }
  }
} // namespace

int
main(int argc, char **argv)
{
  choose_blas_kernels(argv);
  prefer_isolated_singleton();
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  RunLog     log(root);
  try
    {
      dealii::deal_II_exceptions::disable_abort_on_exception();
      const CommandLine command_line(argc, argv);
      if (command_line.help)
        {
          if (root)
            std::cout << CommandLine::usage();
          return exit_codes::success;
        }
      if (command_line.print_parameters)
        {
          if (root)
            Parameters::print_parameters(std::cout);
          return exit_codes::success;
        }
      const Parameters prm(command_line.deck, command_line.overrides);
      if (command_line.print_protocol)
        {
          if (root)
            prm.protocol.write_json(std::cout);
          return exit_codes::success;
        }
      if (!command_line.check)
        check_output_directory(prm,
                               command_line.output.empty() ? command_line.restart : command_line.output,
                               MPI_COMM_WORLD);
      switch (prm.dimension)
        {
          case 1:
            run<1>(prm, command_line, log);
            break;
          case 2:
            run<2>(prm, command_line, log);
            break;
          default:
            run<3>(prm, command_line, log);
        }
      return exit_codes::success;
    }
  catch (const DeckError &e)
    {
      if (root)
        std::cerr << "ferrostack: error: " << e.what() << std::endl;
      return exit_codes::bad_input;
    }
  catch (const SolverError &e)
    {
      if (root)
        std::cerr << "ferrostack: solver failure: " << e.what() << std::endl;
      return exit_codes::solver_error;
    }
  catch (const std::exception &e)
    {
      if (root)
        std::cerr << "ferrostack: error: " << e.what() << std::endl;
      return exit_codes::other_error;
    }
}
