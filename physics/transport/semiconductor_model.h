#ifndef ferrostack_physics_transport_semiconductor_model_h
#define ferrostack_physics_transport_semiconductor_model_h

#include <base/units.h>
#include <physics/materials/material.h>

#include <cmath>

namespace FerroStack
{
  /**
   * Electron and hole statistics, mobilities and recombination of one
   * semiconducting region, scaled (Scaling): potentials in kT/q, densities in
   * Scaling::density, time in Scaling::time, mobilities in Scaling::mobility.
   *
   * Unknowns are the electrostatic potential phi and the quasi-Fermi
   * potentials phi_n, phi_p (PHYSICS.md: "log-density / quasi-Fermi
   * variables"), so that densities are positive by construction:
   *   n = exp(ln_Cn + phi - phi_n),   p = exp(ln_Cp - phi + phi_p),
   * Boltzmann statistics with the band edges E_c = W_ref - chi - q phi and
   * E_v = E_c - E_g measured from the Fermi level of a grounded reference
   * metal of work function W_ref (the potential's zero, Simulator):
   *   ln_Cn = ln(N_c / N0) + (chi - W_ref) / kT,
   *   ln_Cp = ln(N_v / N0) - (chi + E_g - W_ref) / kT.
   * Currents: J_n = -q mu_n n grad phi_n, J_p = -q mu_p p grad phi_p, which
   * are drift plus diffusion with the Einstein relation D = mu kT/q.
   * Recombination: Shockley-Read-Hall,
   *   R = (n p - n_i^2) / (tau_p (n + n_1) + tau_n (p + p_1)),
   *   n_1 = n_i exp(E_t / kT), p_1 = n_i exp(-E_t / kT),
   * absent when the material gives no lifetimes.
   */
  struct SemiconductorModel
  {
    bool   active = false; ///< carriers live in this region
    double ln_Cn = 0, ln_Cp = 0;
    double mu_n = 0, mu_p = 0;   ///< scaled mobilities
    double tau_n = 0, tau_p = 0; ///< scaled SRH lifetimes; 0 = no SRH
    double n1 = 0, p1 = 0;       ///< SRH trap densities, scaled
    /// Thermionic emission velocities A* T^2 / (q N_c,v), scaled by
    /// Scaling::length / Scaling::time (Schottky contacts).
    double emission_velocity_n = 0, emission_velocity_p = 0;
    /**
     * A density floor in the flux coefficients, mu (n + n_floor) grad phi_n:
     * where a carrier is depleted to nothing (1e-40 of the scale in a wide-
     * gap channel under a polarization charge), its quasi-Fermi potential is
     * otherwise undetermined and the Jacobian singular to round-off. At
     * 1e-3 cm^-3 the floor carries at most ~1e-10 A/m^2 at 1 V/10 nm.
     */
    double density_floor = 0;

    /// The model of @p m at @p scale's temperature (N_c, N_v ~ T^1.5 from
    /// their 300 K values); @p W_ref [eV] is the potential's reference.
    static SemiconductorModel
    of(const Material &m, const Scaling &scale, const double W_ref)
    {
      SemiconductorModel s;
      s.active = true;
      const std::string purpose = "drift-diffusion (Physics/Carriers = true)";
      const double      kT      = scale.potential; // eV per kT
      const double      T_ratio = std::pow(scale.temperature / 300., 1.5);
      const double      chi     = m.require("Electron affinity", purpose);
      const double      gap     = m.require("Band gap", purpose);
      const double      Nc = m.require("Effective DOS conduction", purpose) * 1e6 * T_ratio; // m^-3
      const double      Nv = m.require("Effective DOS valence", purpose) * 1e6 * T_ratio;
      s.ln_Cn             = std::log(Nc / scale.density) + (chi - W_ref) / kT;
      s.ln_Cp             = std::log(Nv / scale.density) - (chi + gap - W_ref) / kT;
      s.mu_n = m.require("Electron mobility", purpose) * 1e-4 / scale.mobility;
      s.mu_p = m.require("Hole mobility", purpose) * 1e-4 / scale.mobility;
      const auto tau_n = m.get("SRH lifetime electrons"), tau_p = m.get("SRH lifetime holes");
      if (tau_n && tau_p)
        {
          s.tau_n                 = *tau_n / scale.time;
          s.tau_p                 = *tau_p / scale.time;
          const double trap_level = m.get("SRH trap level").value_or(0.) / kT;
          const double ln_ni      = 0.5 * (s.ln_Cn + s.ln_Cp);
          s.n1                    = std::exp(ln_ni + trap_level);
          s.p1                    = std::exp(ln_ni - trap_level);
        }
      s.density_floor = 1e3 / scale.density; // 1e-3 cm^-3
      // A* in A/(cm^2 K^2) -> A/(m^2 K^2); velocity in m/s, then scaled.
      const double T2 = scale.temperature * scale.temperature;
      const double velocity_scale = scale.length / scale.time;
      s.emission_velocity_n = m.get("Richardson constant electrons").value_or(120.) * 1e4 * T2 /
                              (Constants::q * Nc) / velocity_scale;
      s.emission_velocity_p = m.get("Richardson constant holes").value_or(120.) * 1e4 * T2 /
                              (Constants::q * Nv) / velocity_scale;
      return s;
    }

    double
    electrons(const double phi, const double phi_n) const
    {
      return std::exp(ln_Cn + phi - phi_n);
    }

    double
    holes(const double phi, const double phi_p) const
    {
      return std::exp(ln_Cp - phi + phi_p);
    }

    /// SRH rate R and its derivatives with respect to n and p.
    struct Recombination
    {
      double R = 0, dR_dn = 0, dR_dp = 0;
    };

    Recombination
    recombination(const double n, const double p) const
    {
      Recombination r;
      if (tau_n <= 0)
        return r;
      const double ni2         = std::exp(ln_Cn + ln_Cp);
      const double denominator = tau_p * (n + n1) + tau_n * (p + p1);
      const double numerator   = n * p - ni2;
      r.R                      = numerator / denominator;
      r.dR_dn = (p - r.R * tau_p) / denominator;
      r.dR_dp = (n - r.R * tau_n) / denominator;
      return r;
    }

    /// A barrier lowering sqrt(beta F) (scaled) and its derivative in F.
    struct Lowering
    {
      double value = 0, derivative = 0;
    };

    /**
     * sqrt(beta max(F, 0)) with the max smoothed over a field F0 = 1e-3 kT/q
     * per nm (26 kV/m): the square root's infinite slope at F = 0 would stall
     * Newton at flat band. At F = 0 this leaves a lowering of 0.05 kT (Si);
     * the image-force law itself fails long before, where the barrier
     * maximum, sqrt(q / (16 pi eps_s F)) from the interface (136 nm at F0),
     * leaves the depletion region.
     */
    static Lowering
    image_force_lowering(const double F, const double beta)
    {
      Lowering l;
      if (beta <= 0)
        return l;
      constexpr double F0       = 1e-3;
      const double     root     = std::sqrt(F * F + F0 * F0);
      const double     positive = 0.5 * (F + root);
      l.value                   = std::sqrt(beta * positive);
      l.derivative              = 0.25 * beta * (1 + F / root) / l.value;
      return l;
    }

    /**
     * Thermionic emission into a metal whose Fermi level sits at potential
     * V (scaled): the outward particle fluxes v_n (n - n_eq), v_p (p - p_eq)
     * with n_eq = exp(ln_Cn + phi - V), p_eq = exp(ln_Cp - phi + V), the
     * densities at which the interface is in equilibrium with the metal. At
     * the contact phi = V - Phi_B/q + chi... so that n_eq = N_c exp(-Phi_B/kT)
     * and the net current is A* T^2 exp(-Phi_B/kT)(exp(qV_s/kT) - 1) with V_s
     * the quasi-Fermi splitting at the interface (Sze, Physics of
     * Semiconductor Devices, 3rd ed., sec. 3.3).
     *
     * Image-force (Schottky) lowering, when @p image_force > 0: the field F
     * at the interface (scaled, positive pointing into the metal, i.e.
     * F = -grad phi . nu) lowers the electron barrier by
     *   Delta_n = sqrt(q F / (4 pi eps_s))      (Sze, sec. 3.2.4),
     * and a field of the other sign the hole barrier by the same law, so
     * that n_eq and p_eq grow by exp(Delta / kT). In scaled units
     * Delta = sqrt(image_force F) with image_force = q / (4 pi eps0 eps_s
     * L V_T) (Simulator). Phi_B is the barrier at zero field.
     */
    struct Emission
    {
      double flux_n = 0, dflux_n_dphi = 0, dflux_n_dphi_n = 0, dflux_n_dF = 0;
      double flux_p = 0, dflux_p_dphi = 0, dflux_p_dphi_p = 0, dflux_p_dF = 0;
      /// v (n + n_eq), v (p + p_eq): the size of the two fluxes whose
      /// difference is the net emission (the scale of its round-off).
      double size_n = 0, size_p = 0;
    };

    Emission
    thermionic_emission(const double phi,
                        const double phi_n,
                        const double phi_p,
                        const double V,
                        const double F           = 0,
                        const double image_force = 0) const
    {
      Emission       e;
      const Lowering lower_n = image_force_lowering(F, image_force);
      const Lowering lower_p = image_force_lowering(-F, image_force);
      const double   n = electrons(phi, phi_n), n_eq = electrons(phi, V) * std::exp(lower_n.value);
      const double   p = holes(phi, phi_p), p_eq = holes(phi, V) * std::exp(lower_p.value);
      e.flux_n         = emission_velocity_n * (n - n_eq);
      e.size_n         = emission_velocity_n * (n + n_eq);
      e.size_p         = emission_velocity_p * (p + p_eq);
      e.dflux_n_dphi   = e.flux_n;
      e.dflux_n_dphi_n = -emission_velocity_n * n;
      e.dflux_n_dF     = -emission_velocity_n * n_eq * lower_n.derivative;
      e.flux_p         = emission_velocity_p * (p - p_eq);
      e.dflux_p_dphi   = -e.flux_p;
      e.dflux_p_dphi_p = emission_velocity_p * p;
      e.dflux_p_dF     = emission_velocity_p * p_eq * lower_p.derivative;
      return e;
    }

    /**
     * The potential of charge neutrality n - p = N (scaled net donors) at
     * phi_n = phi_p = 0: the equilibrium potential of a region far from
     * junctions and of an ohmic contact at 0 V. Written so that neither
     * branch cancels: for N > 0, n = (N + sqrt(N^2 + 4 Cn Cp)) / 2.
     */
    double
    neutral_potential(const double N) const
    {
      const double ni2  = std::exp(ln_Cn + ln_Cp);
      const double root = std::sqrt(N * N + 4 * ni2);
      if (N >= 0)
        return std::log(0.5 * (N + root)) - ln_Cn;
      return ln_Cp - std::log(0.5 * (-N + root));
    }
  };
} // namespace FerroStack

#endif
