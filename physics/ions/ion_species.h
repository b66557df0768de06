#ifndef ferrostack_physics_ions_ion_species_h
#define ferrostack_physics_ions_ion_species_h

#include <base/units.h>
#include <physics/materials/material.h>

#include <cmath>

namespace FerroStack
{
  /**
   * One mobile ion species in one layer, scaled (densities in
   * Scaling::density, the diffusivity in mobility V_T, so that time runs in
   * Scaling::time like the carriers'), and its lattice-gas statistics
   * (PHYSICS.md, "Mobile ions"; Bikerman, or Fermi-Dirac of order -1):
   *
   *   c = c_max / (1 + exp(z phi - eta)),   eta = mu / kT,
   *
   * the inverse of mu = kT ln(c / (c_max - c)) + z q phi. The unknown is the
   * electrochemical potential eta (like the carriers' quasi-Fermi
   * potentials), so that 0 < c < c_max holds for every iterate by
   * construction, and the flux is the mobility times c times grad eta,
   *
   *   J = -D k(c) grad eta,  k = c (activity) or c (1 - c/c_max) (site blocking),
   *
   * which is exactly J = -D (grad c + z c grad phi + c grad c / (c_max - c))
   * for the activity form: no exponential fitting is needed, as the
   * Peclet-number trouble of the density form lives in grad c, which this
   * form never differentiates (the same reason the carriers use
   * quasi-Fermi potentials).
   */
  struct IonSpecies
  {
    bool   active        = false;
    double charge        = 0; ///< z [e]
    double density       = 0; ///< mean density c0 (of the fixed background too), scaled
    double max_density   = 0; ///< site density c_max, scaled
    double diffusivity   = 0; ///< D / (mobility V_T)
    bool   site_blocking = false;
    /// A density added to k in the flux coefficient only (relative 1e-12 of
    /// c0): the rows of a fully depleted region keep a conductance. It
    /// changes no equilibrium (zero flux is still grad eta = 0) and no
    /// conservation (the flux stays a flux), only depleted kinetics.
    double floor = 0;
    /// |z| a / 2 (scaled; a the `Ion hopping distance`): the field-assisted
    /// hopping of field_factor, 0 = constant mobility.
    double hopping = 0;
    /**
     * The Landau coupling of the ions to the polarization (material model
     * `Ion polarization coupling = landau`; IonLandauCoupling): the energy
     * density f_c = w ((c - c0) / c0) |P|^2, w the `Ion Landau coupling`
     * [m/F], scaled like a Landau alpha (w eps0); 0 = through charge only.
     * Its two derivatives are the coupling: df_c/dP = 2 w ((c - c0)/c0) P
     * in TDGL (ions above c0 weaken the local double well for w > 0) and
     * df_c/dc = w |P|^2 / c0 in the ions' electrochemical potential, which
     * in scaled units (energy density eps0 (V_T/L)^2, density
     * eps0 V_T / (q L^2)) is landau |P|^2 / c0 in kT:
     *
     *   mu / kT = ln(c / (c_max - c)) + z phi + (landau / c0) |P|^2,
     *
     * so that c = c_max / (1 + exp(z phi + (landau / c0) |P|^2 - eta)).
     */
    double landau = 0;

    /// The species of material @p m at temperature scale.temperature
    /// (parameters.cc checks the keys first).
    static IonSpecies
    of(const Material &m, const Scaling &scale)
    {
      IonSpecies s;
      s.active      = true;
      s.charge      = m.require("Ion charge", "mobile ions");
      s.density     = m.require("Ion density", "mobile ions") * 1e6 / scale.density;
      s.max_density = m.require("Ion max density", "mobile ions") * 1e6 / scale.density;
      double D      = 0; // [cm^2/s]
      if (const auto given = m.get("Ion diffusivity"))
        D = *given;
      else
        D = m.require("Ion diffusivity prefactor", "mobile ions") *
            std::exp(-m.require("Ion activation energy", "mobile ions") / scale.potential);
      s.diffusivity   = D * 1e-4 / (scale.mobility * scale.potential);
      s.site_blocking = m.ion_flux == "site-blocking";
      s.floor         = 1e-12 * s.density;
      // Lengths are scaled in nm.
      s.hopping = 0.5 * std::abs(s.charge) * m.get("Ion hopping distance").value_or(0.) * 1e-9 / scale.length;
      if (m.ion_coupling == "landau")
        s.landau = m.require("Ion Landau coupling", "Ion polarization coupling = landau") * Constants::eps0;
      return s;
    }

    /// |P|^2 of the components @p P0 ... @p P0 + @p n_P - 1 of the values @p
    /// u where the species couples to P through the Landau term, else 0.
    template <typename Values>
    double
    polarization_squared(const Values &u, const unsigned P0, const unsigned n_P) const
    {
      double P2 = 0;
      if (landau != 0)
        for (unsigned a = 0; a < n_P; ++a)
          P2 += u[P0 + a] * u[P0 + a];
      return P2;
    }

    /// The shift of x per |P|^2 (scaled P): landau / c0.
    double
    polarization_shift() const
    {
      return landau / density;
    }

    /// The density and its derivative along x = eta - z phi - (landau /
    /// c0) |P|^2 (@p P2 = |P|^2, scaled; 0 without the Landau coupling),
    /// dc/dx = c (1 - c/c_max), both without cancellation at either end.
    struct Occupation
    {
      double c    = 0;
      double dcdx = 0;
    };

    Occupation
    occupation(const double phi, const double eta, const double P2 = 0) const
    {
      const double x = eta - charge * phi - polarization_shift() * P2;
      // sigma(x) = 1 / (1 + e^-x) and 1 - sigma(x) = sigma(-x), each from the
      // exponential that cannot overflow.
      const double e     = std::exp(-std::abs(x));
      const double sigma = x >= 0 ? 1 / (1 + e) : e / (1 + e);
      const double rest  = x >= 0 ? e / (1 + e) : 1 / (1 + e);
      return {max_density * sigma, max_density * sigma * rest};
    }

    /// The density change that the changes @p d_phi, @p d_eta (and @p d_P2
    /// of |P|^2) of the unknowns make at (phi, eta, P2), linearized,
    /// delta c = dc/dx (delta eta - z delta phi - shift delta P2), relative
    /// to c + c0: to the local density where the
    /// ions accumulate, to the mean density where they are depleted (where
    /// eta itself is noise of the solve). The ions' measure of a Newton
    /// update and of the time-step error.
    double
    relative_density_change(const double phi,
                            const double eta,
                            const double d_phi,
                            const double d_eta,
                            const double P2   = 0,
                            const double d_P2 = 0) const
    {
      const Occupation o = occupation(phi, eta, P2);
      return o.dcdx * (d_eta - charge * d_phi - polarization_shift() * d_P2) / (o.c + density);
    }

    /// eta of density @p c at potential @p phi (and |P|^2 @p P2).
    double
    electrochemical_potential(const double c, const double phi, const double P2 = 0) const
    {
      return std::log(c / (max_density - c)) + charge * phi + polarization_shift() * P2;
    }

    /**
     * Field-assisted hopping (Mott and Gurney, Electronic Processes in Ionic
     * Crystals, 1940, ch. II; the nonlinear drift of ionic memristor
     * models): an ion hopping a distance a over a barrier that the field E
     * tilts by z q a E / 2 moves at sinh(u)/u times its low-field rate,
     * u = |z| q a |E| / (2 kT). The factor g(u) multiplies the flux
     * coefficient, J = -D k(c) g grad eta, so that equilibrium (grad eta =
     * 0) is unchanged. With u = hopping |grad phi| (scaled), returns g and
     * h = g'(u) / u, so that dg/d(grad phi) = hopping^2 h grad phi (finite
     * at zero field: h(0) = 1/3).
     */
    std::pair<double, double>
    field_factor(const double grad_phi_norm) const
    {
      const double u = hopping * grad_phi_norm;
      if (u < 1e-3)
        return {1 + u * u / 6, 1. / 3 + u * u / 30};
      // Bounded: beyond u = 300 (a barrier tilted by 300 kT) no iterate
      // of a physical state goes, and sinh would overflow at 710.
      const double v = std::min(u, 300.);
      const double sh = std::sinh(v), ch = std::cosh(v);
      return {sh / v, u > 300. ? 0. : (v * ch - sh) / (v * v * v)};
    }

    /// The flux coefficient k(c) and dk/dc.
    std::pair<double, double>
    mobility_factor(const double c) const
    {
      if (site_blocking)
        return {c * (1 - c / max_density), 1 - 2 * c / max_density};
      return {c, 1.};
    }
  };
} // namespace FerroStack

#endif
