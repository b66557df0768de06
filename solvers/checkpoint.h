#ifndef ferrostack_solvers_checkpoint_h
#define ferrostack_solvers_checkpoint_h

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace FerroStack
{
  /**
   * Everything of a time loop that the next step depends on, besides the
   * solution vectors themselves (those are stored cell by cell, see
   * simulator_checkpoint.cc): written into a checkpoint after an accepted
   * step and read back by `--restart DIR`.
   *
   * The transient loop (run_transient, adaptive BDF2) stores its time,
   * step size and the step before it (the variable-step BDF2 weights and the
   * error controller's next step depend on both), the index of the next
   * stop time, its counters, the times and contact charges of the accepted
   * states (the displacement currents are the BDF derivative of these
   * charges) and the solver totals for the final report. The quasi-static
   * loop (run_quasi_static) stores the index of its next solve in
   * @p next_stop, and the last time and charges (for dQ/dt) in @p times and
   * @p charge_history.
   *
   * The output counters make the files of a restarted run continue those of
   * the killed one: @p terminal_rows is the number of rows of terminals.csv
   * (below its header) written when the checkpoint was taken, and
   * @p field_records the entries of solution.pvd (time, .pvtu file).
   */
  struct TimeStepperState
  {
    enum class Kind : std::uint32_t
    {
      transient    = 1,
      quasi_static = 2
    };
    Kind          kind      = Kind::transient;
    double        t         = 0; ///< [s]
    double        dt        = 0; ///< the next step to try [s]
    double        last_dt   = 0; ///< the last accepted step [s]
    std::uint64_t next_stop = 0;
    std::uint32_t accepted = 0, rejected = 0, failed = 0;
    /// Totals for the final report (SolveStatistics).
    std::uint32_t                               newton_iterations = 0, linear_iterations = 0;
    double                                      assembly_seconds = 0, solve_seconds = 0, setup_seconds = 0;
    std::vector<double>                         times;          ///< of the accepted states, newest first [s]
    std::vector<std::vector<double>>            charge_history; ///< per accepted state, per contact
    std::uint64_t                               terminal_rows = 0;
    std::vector<std::pair<double, std::string>> field_records;
    /// The checkpoint's number in its directory (state-NNNNNNNN.ckpt).
    std::uint64_t sequence = 0;
  };
} // namespace FerroStack

#endif
