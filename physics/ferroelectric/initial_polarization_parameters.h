#ifndef ferrostack_physics_ferroelectric_initial_polarization_parameters_h
#define ferrostack_physics_ferroelectric_initial_polarization_parameters_h

#include <physics/materials/material.h>

#include <string>
#include <vector>

namespace FerroStack
{
  /**
   * What InitialPolarization takes from the deck (`Initial polarization`,
   * `Physics/Polarization`, `Temperature`) and the materials of the stack.
   * A struct of its own, filled by solvers/, so that physics/ does not depend
   * on the whole deck (Parameters).
   */
  struct InitialPolarizationParameters
  {
    /// False with `Polarization = off`: P is zero everywhere.
    bool enabled = true;

    /// The temperature [K] of the Landau coefficients (alpha = alpha0 (T - Tc)).
    double temperature = 300;

    /// `uniform`, `stripes` or `random`.
    std::string mode = "uniform";
    /// P in units of the material's Ps, one value per polarization axis.
    std::vector<double> value;
    /// Seed of `random`.
    unsigned seed = 1;
    /// Period of `stripes` along x [nm].
    double stripe_period = 100;

    /// The materials of the stack's layers, bottom to top; Ps is computed
    /// once for each ferroelectric among them. They must outlive the
    /// InitialPolarization.
    std::vector<const Material *> layer_materials;
  };
} // namespace FerroStack

#endif
