#ifndef ferrostack_physics_traps_trap_distribution_h
#define ferrostack_physics_traps_trap_distribution_h

#include <physics/materials/material.h>

#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace FerroStack
{
  /// One discrete level of a trap density of states: its energy [eV from
  /// midgap] and the fraction of the traps it holds.
  struct TrapLevel
  {
    double energy = 0;
    double weight = 1;
  };

  /// The most levels a trap density of states is sampled with (each level
  /// is one component of the "traps" field; PointTerms holds max_components).
  constexpr unsigned max_trap_levels = 4;

  /// Whether material @p m has charge traps: in its bulk (`Trap density`)
  /// or on its interfaces (`Interface trap density`).
  inline bool
  has_traps(const Material &m)
  {
    return m.get("Trap density").value_or(0.) > 0 || m.get("Interface trap density").value_or(0.) > 0;
  }

  /// How many levels sample a material's traps: its `Trap levels`, or by
  /// default one for a single level and max_trap_levels for a band.
  inline unsigned
  trap_level_count(const std::string &distribution, const std::optional<double> &levels)
  {
    if (levels)
      return unsigned(*levels);
    return distribution == "single" ? 1 : max_trap_levels;
  }

  /**
   * The traps' density of states in energy (material keys `Trap
   * distribution`, `Trap level`, `Trap width`) sampled by @p n discrete
   * levels whose weights sum to one, each with its own SRH occupancy
   * (TrapModule):
   * - single: one level at @p center (all @p n levels there, n/n each);
   * - uniform: a band of full width @p width centred at @p center, the
   *   midpoint rule (energies center - width/2 + (k + 1/2) width/n, weights
   *   1/n), the usual flat D_it of an interface (Nicollian and Brews);
   * - gaussian: a Gaussian of standard deviation @p width about @p center,
   *   Gauss-Hermite quadrature of the probabilists' weight (nodes x_k, the
   *   roots of He_n: 0; +-1; 0, +-sqrt(3); +-sqrt(3 -+ sqrt(6)) with weights
   *   1; 1/2; 2/3, 1/6; 1/(4 (3 -+ sqrt(6)))), exact for the integral of
   *   any polynomial of degree 2n - 1 in the energy against the Gaussian.
   */
  inline std::vector<TrapLevel>
  trap_levels(const std::string &distribution, const double center, const double width, const unsigned n)
  {
    if (n < 1 || n > max_trap_levels)
      throw std::invalid_argument("trap levels: between 1 and " + std::to_string(max_trap_levels));
    std::vector<TrapLevel> levels(n);
    if (distribution == "single")
      {
        for (TrapLevel &l : levels)
          l = {center, 1. / n};
        return levels;
      }
    if (distribution == "uniform")
      {
        for (unsigned k = 0; k < n; ++k)
          levels[k] = {center - 0.5 * width + (k + 0.5) * width / n, 1. / n};
        return levels;
      }
    if (distribution == "gaussian")
      {
        std::vector<double> x, w;
        switch (n)
          {
            case 1:
              x = {0.}, w = {1.};
              break;
            case 2:
              x = {-1., 1.}, w = {0.5, 0.5};
              break;
            case 3:
              x = {-std::sqrt(3.), 0., std::sqrt(3.)}, w = {1. / 6, 2. / 3, 1. / 6};
              break;
            default:
              {
                const double a = 3 - std::sqrt(6.), b = 3 + std::sqrt(6.);
                x = {-std::sqrt(b), -std::sqrt(a), std::sqrt(a), std::sqrt(b)};
                w = {1 / (4 * b), 1 / (4 * a), 1 / (4 * a), 1 / (4 * b)};
              }
          }
        for (unsigned k = 0; k < n; ++k)
          levels[k] = {center + width * x[k], w[k]};
        return levels;
      }
    throw std::invalid_argument("trap distribution '" + distribution + "': single, uniform or gaussian");
  }
} // namespace FerroStack

#endif
