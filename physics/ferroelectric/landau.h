#ifndef ferrostack_physics_ferroelectric_landau_h
#define ferrostack_physics_ferroelectric_landau_h

#include <physics/materials/material.h>

namespace FerroStack
{
  /**
   * The Landau polynomial of one polarization axis in the deck-spec
   * convention, f_L(P) = alpha P^2 + beta P^4 + gamma P^6 + delta P^8 [J/m^3]
   * with P in [C/m^2], alpha = alpha0 (T - Tc) unless `Landau alpha` is set.
   */
  struct LandauPolynomial
  {
    double alpha = 0, beta = 0, gamma = 0, delta = 0;

    /// The coefficients of @p material along @p axis ('z' or 'x') at @p T [K].
    static LandauPolynomial
    of(const Material &material, const char axis, const double T);

    /// f_L(P) [J/m^3].
    double
    energy(const double P) const;

    /// The spontaneous polarization Ps >= 0 [C/m^2]: the P > 0 of the global
    /// minimum of f_L (0 for a paraelectric).
    double
    spontaneous_polarization() const;
  };
} // namespace FerroStack

#endif
