#include <deal.II/base/timer.h>

#include <base/deck_error.h>
#include <postprocess/output_writer.h>
#include <postprocess/terminals_writer.h>
#include <solvers/simulator.h>
#include <solvers/time_grid.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

namespace FerroStack
{
  using namespace dealii;

  /**
   * Adaptive implicit time stepping of TDGL + Poisson (PHYSICS.md,
   * "Numerics that matter"): variable-step BDF2 (backward Euler for the first
   * step), with the local error of P estimated from the difference between
   * the BDF2 solution and the quadratic extrapolation of the last three
   * states. For constant steps the extrapolation errs by h^3 P''' and BDF2 by
   * -(2/9) h^3 P''', so LTE ~ (2/11) |P_BDF2 - P_extrapolated| (Milne's
   * device). A step whose error exceeds `Time/Tolerance` (relative to the
   * largest Ps) is repeated with a smaller step; a step whose Newton fails is
   * cut by 4; steps land exactly on every bias kink and output time.
   */
  template <int dim>
  void
  Simulator<dim>::solve_initial_state(SolveStatistics &stats)
  {
    time_history = solution;
    TimeDiscretization hold;
    hold.mode           = TimeDiscretization::Mode::hold;
    const unsigned many = std::max(200u, prm.newton_max_iterations);
    if (carriers() && !advance(0, hold, stats, many, true))
      throw SolverError("the initial equilibrium solve (t = 0, nonlinear Poisson) did not converge");
    // At t = 0 only conduction flows through a series resistor.
    const auto conduction = [](const TerminalResiduals &r) { return r.conduction; };
    if (!advance_through_resistors(0, hold, stats, conduction, carriers() || ions() ? many : 0))
      throw SolverError("the initial solve (t = 0) did not converge");
  }

  template <int dim>
  bool
  Simulator<dim>::advance_through_resistors(const double                                                     t_new,
                                            const TimeDiscretization                                        &time,
                                            SolveStatistics                                                 &stats,
                                            const std::function<std::vector<double>(const TerminalResiduals &)> &currents,
                                            const unsigned max_iterations)
  {
    if (!series_resistors())
      return advance(t_new, time, stats, max_iterations);
    const unsigned      n    = prm.contacts.size();
    const double        size = dim == 3 ? 1. : device_size(); // currents per area / length -> A
    const double        inf  = std::numeric_limits<double>::infinity();
    std::vector<double> applied(n), low(n, -inf), high(n, inf), last_V(n, inf), last_g(n, 0), next(n);
    // Start from the voltage drop of the last accepted current.
    for (unsigned k = 0; k < n; ++k)
      {
        applied[k] = prm.bias.at(prm.contacts[k].name).value(t_new);
        if (prm.series_resistance[k] > 0)
          inner_voltage[k] = applied[k] - prm.series_resistance[k] * resistor_current[k];
      }
    for (unsigned evaluation = 0; evaluation < 40; ++evaluation)
      {
        if (!advance(t_new, time, stats, max_iterations))
          return false;
        const std::vector<double> I         = currents(terminal_residuals());
        bool                      converged = true;
        for (unsigned k = 0; k < n; ++k)
          {
            const double R = prm.series_resistance[k];
            if (!(R > 0))
              continue;
            const double V = inner_voltage[k];
            const double g = V + R * I[k] * size - applied[k];
            // The current is known to Newton's tolerance; ask the circuit
            // equation for 1e-8 of the bias (at least of kT/q).
            if (!std::isfinite(g))
              return false;
            if (std::abs(g) > 1e-8 * std::max(std::abs(applied[k]), scale.potential))
              converged = false;
            // g rises with V: a sign seen brackets the root.
            if (g > 0)
              high[k] = std::min(high[k], V);
            else
              low[k] = std::max(low[k], V);
            double slope = resistor_slope[k];
            if (std::isfinite(last_V[k]) && V != last_V[k])
              {
                const double secant = (g - last_g[k]) / (V - last_V[k]);
                if (std::isfinite(secant) && secant > 0)
                  slope = secant;
              }
            // No slope yet: the fixed-point step V = V_app - R I (slope 1).
            if (!(slope > 0))
              slope = 1;
            resistor_slope[k] = slope;
            next[k]           = V - g / slope;
            if (std::isfinite(low[k]) && std::isfinite(high[k]) && !(next[k] > low[k] && next[k] < high[k]))
              next[k] = 0.5 * (low[k] + high[k]);
            last_V[k] = V;
            last_g[k] = g;
          }
        if (converged)
          {
            for (unsigned k = 0; k < n; ++k)
              resistor_current[k] = I[k] * size;
            return true;
          }
        for (unsigned k = 0; k < n; ++k)
          if (prm.series_resistance[k] > 0)
            inner_voltage[k] = next[k];
      }
    return false;
  }

  template <int dim>
  bool
  Simulator<dim>::biases_extrapolate(const double t1, const double t0, const double t) const
  {
    // The predictor is a line through the states at t1 and t0: right where
    // every bias is that line too, wrong past a kink (a pulse's top after
    // its rise: extrapolated to t = 3.1 ms from the rise's 0 -> 0.5 V in
    // 0.1 ms, a pn diode started from 10.5 V).
    const double w = (t - t0) / (t0 - t1);
    for (const auto &[name, waveform] : prm.bias)
      {
        const double V1 = waveform.value(t1), V0 = waveform.value(t0), V = waveform.value(t);
        const double line = V0 + w * (V0 - V1);
        if (std::abs(line - V) > 1e-9 * (1 + std::abs(V0) + std::abs(V1) + std::abs(V)))
          return false;
      }
    return true;
  }

  template <int dim>
  bool
  Simulator<dim>::quasi_static() const
  {
    // Electrostatics alone has no state to integrate: every mode is a
    // sequence of steady solves.
    if (!dynamic_polarization() && !carriers() && !ions())
      return true;
    return prm.time_mode == Parameters::TimeMode::quasi_static;
  }

  /**
   * Quasi-stationary continuation along the bias ramp (Sentaurus'
   * Quasistationary, DEVSIM's DC sweeps): the biases of t are reached from
   * the last steady state in sub-steps that start as one interval, halve
   * when Newton fails and double again after a success. Each sub-step
   * starts from the linear extrapolation of the last two steady states
   * (the potentials and quasi-Fermi potentials vary smoothly with the bias,
   * so the predictor takes most of the way), then Newton with the steady
   * equations (no time terms). Only the states at the requested times are
   * written; the sub-steps are the continuation's own.
   */
  template <int dim>
  SolveStatistics
  Simulator<dim>::continue_steady_state(std::vector<PETScWrappers::MPI::Vector> &states,
                                        std::vector<double>                     &times,
                                        const double                             t)
  {
    SolveStatistics    stats;
    TimeDiscretization steady;
    steady.mode         = TimeDiscretization::Mode::none;
    const double start  = times[0];
    const double span   = t - start;
    double       done   = start;
    double       step   = span;
    unsigned     failed = 0;
    while (done < t)
      {
        const double t_new = std::min(t, done + step);
        solution           = states[0];
        if (states.size() > 1 && times[0] > times[1] && biases_extrapolate(times[1], times[0], t_new))
          {
            const double w = (t_new - times[0]) / (times[0] - times[1]);
            solution.add(w, states[0]);
            solution.add(-w, states[1]);
          }
        if (advance_through_resistors(t_new, steady, stats, [](const TerminalResiduals &r) { return r.conduction; }))
          {
            states.insert(states.begin(), solution);
            times.insert(times.begin(), t_new);
            if (states.size() > 2)
              {
                states.pop_back();
                times.pop_back();
              }
            done = t_new;
            step *= 2;
            continue;
          }
        ++failed;
        step *= 0.5;
        if (step < 1e-6 * span)
          {
            solution                  = states[0];
            locally_relevant_solution = solution;
            std::ostringstream biases;
            for (const auto &contact : prm.contacts)
              biases << " " << contact.name << " " << format_number(prm.bias.at(contact.name).value(t_new))
                     << " V";
            throw SolverError("quasi-static sweep: Newton failed between t = " + format_number(done) +
                              " s and t = " + format_number(t_new) + " s (biases" + biases.str() +
                              ") even after " + std::to_string(failed) +
                              " bisections (residual per field: " + newton_report(residual_norms()) +
                              "); the files hold the last good state");
          }
      }
    return stats;
  }

  template <int dim>
  void
  Simulator<dim>::run_transient(TerminalsWriter &terminals, OutputWriter<dim> &fields)
  {
    SolveStatistics totals, attempted;
    if (!restart_state) // a restart has its state from load_checkpoint
      solve_initial_state(totals);
    attempted = totals;

    double P_scale = 0; // largest Ps of the ferroelectrics, scaled
    for (unsigned l = 0; l < stack->n_layers(); ++l)
      if (layer_material(l).is_ferroelectric())
        for (const char axis : {'x', 'z'})
          P_scale =
            std::max(P_scale, initial_polarization.spontaneous_polarization(layer_material(l).name, axis));
    P_scale = (P_scale > 0 ? P_scale : 0.01) / scale.polarization;

    // The error norm: rms of P relative to Ps, and rms of the quasi-Fermi
    // potentials relative to 1 V (a tolerance of 1e-4 is 0.1 mV), whichever
    // is larger.
    const double qf_scale = 1. / scale.potential;
    // The rms over all ranks of value(i) for the locally owned dofs i.
    const auto rms_over = [&](const IndexSet &dofs, const auto &value) {
      double sum = 0;
      for (const auto i : dofs)
        sum += value(i) * value(i);
      const double total = Utilities::MPI::sum(sum, comm);
      const double count = Utilities::MPI::sum(double(dofs.n_elements()), comm);
      return std::sqrt(total / std::max(count, 1.));
    };
    const auto rms_of = [&](const PETScWrappers::MPI::Vector &v, const IndexSet &dofs) {
      return rms_over(dofs, [&](const auto i) { return v(i); });
    };
    // The ions: the rms of their density error relative to c + c0
    // (ion_density_error), not of their electrochemical potential, which
    // is noise where they are depleted.
    // The traps: the rms of their occupancy's change, f(u + du) - f(u), not
    // of its logit u, which is noise where the traps are all full or empty.
    const auto trap_error = [&](const PETScWrappers::MPI::Vector &v) {
      return rms_over(trap_dofs, [&](const auto i) {
        return TrapModule<dim>::occupancy(solution(i) + v(i)).first - TrapModule<dim>::occupancy(solution(i)).first;
      });
    };
    // The error and the name of the field that sets it (the step log says
    // which field limits the step).
    const auto error_norm = [&](const PETScWrappers::MPI::Vector &v) {
      const std::array<std::pair<double, const char *>, 4> parts = {
        {{rms_of(v, polarization_dofs) / P_scale, "polarization"},
         {rms_of(v, carrier_dofs) / qf_scale, "carriers"},
         {ions() ? ion_density_error(v) : 0., "ions"},
         {traps() ? trap_error(v) : 0., "traps"}}};
      return *std::max_element(parts.begin(), parts.end(), [](const auto &a, const auto &b) {
        return a.first < b.first;
      });
    };

    TerminalResiduals   terminal = terminal_residuals();
    std::vector<double> charges  = terminal.charges;
    std::vector<double> currents = terminal.conduction;
    if (!restart_state)
      {
        terminals.write_row(terminal_row(0, charges, currents));
        if (!prm.output_fields.empty())
          fields.write(0);
      }

    // Accepted history: states[0] = newest.
    std::vector<PETScWrappers::MPI::Vector> states         = {solution};
    std::vector<double>                     times          = {0.};
    std::vector<std::vector<double>>        charge_history = {charges};

    const std::vector<double>  stops = prm.end_time > 0 ? TimeGrid::stop_times(prm) : std::vector<double>();
    std::size_t                next_stop = 0;
    double                     t = 0, dt = prm.initial_step, last_dt = 0;
    unsigned                   accepted = 0, rejected = 0, failed = 0, consecutive_failures = 0;
    const double               tol = prm.tolerance;
    PETScWrappers::MPI::Vector predicted(locally_owned_dofs, comm), history(locally_owned_dofs, comm);
    // The loop's state is what a checkpoint holds (TimeStepperState).
    const auto stepper_state = [&]() {
      TimeStepperState s;
      s.t = t, s.dt = dt, s.last_dt = last_dt, s.next_stop = next_stop;
      s.accepted = accepted, s.rejected = rejected, s.failed = failed;
      s.newton_iterations = totals.newton_iterations, s.linear_iterations = totals.linear_iterations;
      s.assembly_seconds = totals.assembly_seconds, s.solve_seconds = totals.solve_seconds;
      s.times = times, s.charge_history = charge_history;
      return s;
    };
    if (restart_state)
      {
        const TimeStepperState &s = *restart_state;
        t = s.t, dt = s.dt, last_dt = s.last_dt, next_stop = s.next_stop;
        accepted = s.accepted, rejected = s.rejected, failed = s.failed;
        totals.newton_iterations = s.newton_iterations, totals.linear_iterations = s.linear_iterations;
        totals.assembly_seconds = s.assembly_seconds, totals.solve_seconds = s.solve_seconds;
        // The checkpoint holds the accepted steps' work; the timing of
        // rejected attempts restarts from there.
        attempted = totals;
        states = restart_vectors, times = s.times, charge_history = s.charge_history;
      }

    while (next_stop < stops.size())
      {
        dt                = std::min(dt, prm.max_step);
        const double stop = stops[next_stop];
        // Reach a stop without a sliver of a step: take it if it is within
        // 10 % of the step (and of Max step), halve the distance if it is
        // within two steps (a tiny step would turn round-off in Q into
        // displacement current).
        const auto reach = [&]() { return std::min(1.1 * dt, (1 + 1e-9) * prm.max_step); };
        if (stop - t > reach() && stop - t < 2 * dt)
          dt = 0.5 * (stop - t);
        // (A step that rounds onto the stop reaches it too: otherwise the
        // next one would start on the stop and have zero length.)
        const bool snaps = stop - t <= reach() || t + dt >= stop;
        const double t_new = snaps ? stop : t + dt;
        dt                 = t_new - t;
        // A step below the resolution of t would have zero length (and a
        // BDF formula divided by zero): give up with the reason instead.
        if (!(dt > 0))
          throw SolverError("the time step fell below the resolution of t at t = " + format_number(t, 12) +
                            " s; the files hold the last good state");

        // BDF coefficients for dP/dt = (a0 P^(n+1) + a1 P^n + a2 P^(n-1)) / dt.
        TimeDiscretization bdf;
        bdf.mode      = TimeDiscretization::Mode::bdf;
        bdf.dt        = dt;
        double     a1 = -1, a2 = 0;
        const bool second_order = accepted >= 1;
        if (second_order)
          {
            const double w = dt / last_dt;
            bdf.a0         = (1 + 2 * w) / (1 + w);
            a1             = -(1 + w);
            a2             = w * w / (1 + w);
          }
        history = states[0];
        history *= a1;
        if (second_order)
          history.add(a2, states[1]);
        time_history      = history;
        bdf.a1            = a1;
        bdf.a2            = second_order ? a2 : 0.;
        history_states[0] = states[0];
        if (second_order)
          history_states[1] = states[1];

        // Newton starts from the linear extrapolation of the last two
        // accepted states (the predictor of variable-step BDF codes such as
        // SUNDIALS IDA), which takes most of a smooth step's way; after a
        // failure, from the last state itself.
        SolveStatistics stats;
        solution = states[0];
        if (prm.predictor && states.size() >= 2 && consecutive_failures == 0)
          {
            const double w = dt / (times[0] - times[1]);
            solution *= 1 + w;
            solution.add(-w, states[1]);
          }
        // The device's currents of a solved state: displacement from the BDF
        // formula of its charges (so that they are the derivative of the Q
        // that is written), plus conduction; the series resistors' circuit
        // equation and terminals.csv both use them.
        const auto device_currents = [&](const TerminalResiduals &r) {
          std::vector<double> I(r.charges.size());
          for (unsigned k = 0; k < I.size(); ++k)
            I[k] = (bdf.a0 * r.charges[k] + a1 * charge_history[0][k] +
                    (second_order ? a2 * charge_history[1][k] : 0.)) /
                     dt +
                   r.conduction[k];
          return I;
        };
        const bool success = advance_through_resistors(t_new, bdf, stats, device_currents);
        // Every attempt's work counts in the timing, the rejected and failed
        // ones too (run.log's "other" is then what is neither).
        attempted.newton_iterations += stats.newton_iterations;
        attempted.linear_iterations += stats.linear_iterations;
        attempted.assembly_seconds += stats.assembly_seconds;
        attempted.solve_seconds += stats.solve_seconds;
        // A failed step (Newton, or a state whose error estimate is not
        // finite) restarts from the last state with a quarter of the step;
        // 20 in a row, or a step below 1e-14 of the run, end the run.
        const auto cut_step = [&](const std::string &what) {
          ++failed;
          if (++consecutive_failures > 20 || dt < 1e-14 * std::max(prm.end_time, 1e-30))
            throw SolverError(what + " at t = " + format_number(t) + " s even with a step of " + format_number(dt) +
                              " s (residual per field: " + newton_report(residual_norms()) +
                              "); the files hold the last good state");
          solution                  = states[0];
          locally_relevant_solution = solution;
          dt *= 0.25;
          log.print("  " + what + " at t = " + format_number(t_new) + " s; step cut to " + format_number(dt) + " s\n");
        };
        if (!success)
          {
            cut_step("Newton failed");
            continue;
          }
        consecutive_failures = 0;

        // Local error estimate from the extrapolation of accepted states.
        double      error          = 0;
        const char *error_field    = "";
        if (states.size() >= 2)
          {
            predicted = 0;
            if (states.size() >= 3)
              {
                const double t0 = times[0], t1 = times[1], t2 = times[2];
                predicted.add((t_new - t1) * (t_new - t2) / ((t0 - t1) * (t0 - t2)), states[0]);
                predicted.add((t_new - t0) * (t_new - t2) / ((t1 - t0) * (t1 - t2)), states[1]);
                predicted.add((t_new - t0) * (t_new - t1) / ((t2 - t0) * (t2 - t1)), states[2]);
                predicted.add(-1., solution);
                const auto e = error_norm(predicted);
                error = 2. / 11. * e.first, error_field = e.second;
              }
            else
              {
                const double w = dt / (times[0] - times[1]);
                predicted.add(1 + w, states[0]);
                predicted.add(-w, states[1]);
                predicted.add(-1., solution);
                const auto e = error_norm(predicted);
                error = 0.5 * e.first, error_field = e.second;
              }
          }
        // A state with a non-finite error estimate is not a solution.
        if (!std::isfinite(error))
          {
            cut_step("non-finite error estimate");
            continue;
          }
        const double factor =
          error > 0 ? std::min(2., std::max(0.2, 0.9 * std::pow(tol / error, 1. / 3.))) : 2.;
        // A step at the resolution of t itself (1e-13 of it) is accepted
        // whatever its error estimate: a shorter one would not advance t
        // (a MoS2 FeFET with traps, programmed after a 100 s rest, had its
        // steps rejected down to 1e-15 s at t = 100 s, where t + dt == t,
        // and never returned).
        if (error > tol && dt > 1e-6 * prm.initial_step && dt > 1e-13 * std::abs(t_new))
          {
            ++rejected;
            solution                  = states[0];
            locally_relevant_solution = solution;
            dt *= factor;
            continue;
          }

        // Accept: terminal charges and currents from the residual
        // (device_currents).
        Timer terminal_timer;
        terminal = terminal_residuals();
        charges  = terminal.charges;
        // (An assembly: its time counts as one, in both totals.)
        totals.assembly_seconds += terminal_timer.wall_time();
        attempted.assembly_seconds += terminal_timer.wall_time();
        currents = device_currents(terminal);
        terminals.write_row(terminal_row(t_new, charges, currents));
        ++accepted;
        totals.newton_iterations += stats.newton_iterations;
        totals.linear_iterations += stats.linear_iterations;
        totals.assembly_seconds += stats.assembly_seconds;
        totals.solve_seconds += stats.solve_seconds;

        std::ostringstream line;
        line << "step " << accepted << "  t = " << std::setprecision(6) << t_new << " s  dt = " << dt
             << " s  Newton " << stats.newton_iterations << "  linear " << stats.linear_iterations
             << "  error " << std::setprecision(3) << error << (error > 0 ? " (" : "") << (error > 0 ? error_field : "")
             << (error > 0 ? ")" : "") << "\n";
        log.print(line.str());

        states.insert(states.begin(), solution);
        times.insert(times.begin(), t_new);
        charge_history.insert(charge_history.begin(), charges);
        if (states.size() > 3)
          {
            states.pop_back();
            times.pop_back();
            charge_history.pop_back();
          }
        last_dt = dt;
        t       = t_new;
        if (snaps)
          {
            ++next_stop;
            if (!prm.output_fields.empty() && TimeGrid::is_output_time(t, prm, next_stop == stops.size()))
              fields.write(t);
          }
        dt *= factor;
        if (checkpoint_due() || next_stop == stops.size())
          write_checkpoint(stepper_state(), states, terminals, fields);
      }

    std::ostringstream done;
    done << "Done: " << accepted << " steps (" << rejected << " rejected by the error estimate, " << failed
         << " Newton failures), " << totals.newton_iterations << " Newton and " << totals.linear_iterations
         << " linear iterations\n"
         << "All attempts (rejected and failed steps included): " << attempted.newton_iterations
         << " Newton and " << attempted.linear_iterations << " linear iterations\n"
         << "Timing: setup " << setup_seconds << " s, assembly " << attempted.assembly_seconds
         << " s, AMG setup 0 s, solve " << attempted.solve_seconds << " s, unknowns " << dof_handler.n_dofs()
         << ", ranks " << Utilities::MPI::n_mpi_processes(comm) << "\n";
    log.print(done.str());
  }

  template class Simulator<1>;
  template class Simulator<2>;
  template class Simulator<3>;
} // namespace FerroStack
