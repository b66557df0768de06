#ifndef ferrostack_solvers_time_grid_h
#define ferrostack_solvers_time_grid_h

#include <solvers/parameters.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace FerroStack
{
  namespace TimeGrid
  {
    inline bool
    is_output_time(const double t, const Parameters &prm, const bool last)
    {
      if (last)
        return true;
      if (prm.fields_every <= 0)
        return false;
      const double k = std::round(t / prm.fields_every);
      return std::abs(t - k * prm.fields_every) < 1e-9 * prm.max_step;
    }

    /// The times an adaptive integrator must step onto: every field output,
    /// every kink of a bias waveform, and the end.
    inline std::vector<double>
    stop_times(const Parameters &prm)
    {
      std::vector<double> times;
      if (prm.fields_every > 0)
        for (double k = 1; k * prm.fields_every < prm.end_time; ++k)
          times.push_back(k * prm.fields_every);
      for (const auto &b : prm.bias)
        for (const double t : b.second.breakpoints(prm.end_time))
          if (t > 0)
            times.push_back(t);
      times.push_back(prm.end_time);
      std::sort(times.begin(), times.end());
      times.erase(std::unique(times.begin(),
                              times.end(),
                              [&](double a, double b) { return b - a < 1e-12 * prm.end_time; }),
                  times.end());
      return times;
    }

    /// The times at which the quasi-static problem is solved: t = 0, every
    /// Max step, and every stop time (outputs, bias kinks, the end).
    inline std::vector<double>
    solve_times(const Parameters &prm)
    {
      std::vector<double> times = {0.};
      if (prm.end_time <= 0)
        return times;
      for (double k = 1; k * prm.max_step < prm.end_time; ++k)
        times.push_back(k * prm.max_step);
      const std::vector<double> stops = stop_times(prm);
      times.insert(times.end(), stops.begin(), stops.end());
      std::sort(times.begin(), times.end());
      times.erase(std::unique(times.begin(),
                              times.end(),
                              [&](double a, double b) { return b - a < 1e-9 * prm.max_step; }),
                  times.end());
      return times;
    }
  } // namespace TimeGrid
} // namespace FerroStack

#endif
