#ifndef ferrostack_physics_ferroelectric_landau_h
#define ferrostack_physics_ferroelectric_landau_h

#include <physics/materials/material.h>

#include <array>

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

    /// df_L/dP.
    double
    derivative(const double P) const
    {
      const double P2 = P * P;
      return P * (2 * alpha + P2 * (4 * beta + P2 * (6 * gamma + P2 * 8 * delta)));
    }

    /// d^2 f_L/dP^2.
    double
    second_derivative(const double P) const
    {
      const double P2 = P * P;
      return 2 * alpha + P2 * (12 * beta + P2 * (30 * gamma + P2 * 56 * delta));
    }

    /**
     * The same polynomial in scaled variables (Scaling): with P = P0 P_hat
     * and energy densities in eps0 (V_T/L)^2, each coefficient of P^(2k)
     * becomes eps0 P0^(2k-2) times itself.
     */
    LandauPolynomial
    scaled(const double eps0, const double P0) const
    {
      const double P02 = P0 * P0;
      return {alpha * eps0, beta * eps0 * P02, gamma * eps0 * P02 * P02, delta * eps0 * P02 * P02 * P02};
    }
  };

  /**
   * The Landau energy of a ferroelectric with in-plane (x) and out-of-plane
   * (z) axes: f = f_z(Pz) + f_x(Px) + beta_xz Px^2 Pz^2 + kappa Px Pz, where
   * kappa is the `IP-OOP coupling` that locks the dipoles of alpha-In2Se3 so
   * that an in-plane field switches Pz. An axis the material does not
   * polarize along contributes nothing (its component is not an unknown).
   */
  struct LandauEnergy
  {
    LandauPolynomial x, z;
    bool             has_x = false, has_z = false;
    double           beta_xz = 0, kappa = 0;

    static LandauEnergy
    of(const Material &material, const double T);

    LandauEnergy
    scaled(const double eps0, const double P0) const
    {
      LandauEnergy s = *this;
      s.x            = x.scaled(eps0, P0);
      s.z            = z.scaled(eps0, P0);
      s.beta_xz      = beta_xz * eps0 * P0 * P0;
      s.kappa        = kappa * eps0;
      return s;
    }

    double
    energy(const double Px, const double Pz) const
    {
      return (has_z ? z.energy(Pz) : 0.) + (has_x ? x.energy(Px) : 0.) + beta_xz * Px * Px * Pz * Pz +
             kappa * Px * Pz;
    }

    /// (df/dPx, df/dPz).
    std::array<double, 2>
    gradient(const double Px, const double Pz) const
    {
      return {{(has_x ? x.derivative(Px) : 0.) + 2 * beta_xz * Px * Pz * Pz + kappa * Pz,
               (has_z ? z.derivative(Pz) : 0.) + 2 * beta_xz * Px * Px * Pz + kappa * Px}};
    }

    /// The Hessian [[f_xx, f_xz], [f_xz, f_zz]].
    std::array<std::array<double, 2>, 2>
    hessian(const double Px, const double Pz) const
    {
      const double xz = 4 * beta_xz * Px * Pz + kappa;
      return {{{{(has_x ? x.second_derivative(Px) : 0.) + 2 * beta_xz * Pz * Pz, xz}},
               {{xz, (has_z ? z.second_derivative(Pz) : 0.) + 2 * beta_xz * Px * Px}}}};
    }
  };
} // namespace FerroStack

#endif
