#ifndef ferrostack_physics_transport_carrier_module_h
#define ferrostack_physics_transport_carrier_module_h

#include <physics/field_registry.h>
#include <physics/physics_module.h>
#include <physics/transport/semiconductor_model.h>

#include <array>
#include <cmath>
#include <functional>
#include <vector>

namespace FerroStack
{
  /**
   * Electron and hole continuity in quasi-Fermi variables (PHYSICS.md,
   * SemiconductorModel), time in Scaling::time:
   *   R_n = mu_n n grad phi_n . grad v - (dn/dt + R - G_n) v,
   *   R_p = mu_p p grad phi_p . grad v + (dp/dt + R - G_p) v,
   * n = n(phi, phi_n), p = p(phi, phi_p) Boltzmann, R = SRH, and their
   * space charge p - n in Poisson's row. The flux coefficient carries the
   * model's density floor (so that depleted rows keep a conductance). The
   * fluxes are cell terms; the space charge, storage and recombination are
   * lumped terms (PhysicsModule::lumped_terms), so that Poisson's charge
   * and the continuity rows' storage share one quadrature and the sum of
   * the terminal currents vanishes with either.
   * G is a manufactured generation (tests); the optical module will add its
   * own rows' generation the same way.
   */
  template <int dim>
  class CarrierModule : public PhysicsModule<dim>
  {
  public:
    std::vector<SemiconductorModel> layers; ///< inactive where no carriers live
    std::vector<bool>               active;
    std::vector<double>             net_doping; ///< N_D - N_A per layer (scaled density)
    double                          time_scale = 1; ///< Scaling::time [s]
    double                          density_unit = 1; ///< Scaling::density [m^-3]
    double                          current_unit = 1; ///< q density mobility V_T / L [A/m^2]
    unsigned                        phi = 0, n = 1, p = 2; ///< components (from the registry)
    /// Manufactured generation (tests): component 0 G_n, 1 G_p (scaled).
    std::function<double(const dealii::Point<dim> &, unsigned)> manufactured_generation;

    std::string
    name() const override
    {
      return "carriers";
    }

    void
    declare_fields(FieldRegistry<dim> &registry) const override
    {
      registry.declare("electrons", 1, "kT/q (quasi-Fermi potential)");
      registry.declare("holes", 1, "kT/q (quasi-Fermi potential)");
    }

    bool
    active_on(const unsigned layer) const override
    {
      return active[layer];
    }

    /// The start: charge neutrality n - p = N_D - N_A at phi_n = phi_p = 0
    /// (equilibrium with grounded contacts), i.e. phi = the neutral potential.
    std::optional<double>
    initial_value(const dealii::Point<dim> &, const unsigned layer, const unsigned c) const override
    {
      if (!active[layer] || c != phi)
        return std::nullopt;
      return layers[layer].neutral_potential(net_doping[layer]);
    }

    /// n and p [m^-3] at a point (zero where no carriers live).
    std::array<double, 2>
    densities(const PointState<dim> &s) const
    {
      const SemiconductorModel &m = layers[s.layer];
      if (!m.active)
        return {{0., 0.}};
      return {{m.electrons(s.value[phi], s.value[n]) * density_unit, m.holes(s.value[phi], s.value[p]) * density_unit}};
    }

    /// The conduction current density [A/m^2], J = -q mu_n n grad phi_n -
    /// q mu_p p grad phi_p: the fluxes of the continuity rows below, in SI.
    dealii::Tensor<1, dim>
    current_density(const PointState<dim> &s) const
    {
      const SemiconductorModel &m = layers[s.layer];
      if (!m.active)
        return dealii::Tensor<1, dim>();
      return -current_unit * (m.mu_n * (m.electrons(s.value[phi], s.value[n]) + m.density_floor) * s.gradient[n] +
                              m.mu_p * (m.holes(s.value[phi], s.value[p]) + m.density_floor) * s.gradient[p]);
    }

    /// The fluxes, at the cell's quadrature points.
    void
    cell_terms(const PointState<dim> &s, const TimeCoefficients &, PointTerms<dim> &t) const override
    {
      const SemiconductorModel &m   = layers[s.layer];
      const double              n_q = m.electrons(s.value[phi], s.value[n]);
      const double              p_q = m.holes(s.value[phi], s.value[p]);
      // dn/dphi = n, dn/dphi_n = -n, dp/dphi = -p, dp/dphi_p = p.
      for (const unsigned c : {n, p})
        for (const unsigned e : {phi, n, p})
          t.couple(c, e);
      const dealii::Tensor<1, dim> &grad_n = s.gradient[n], &grad_p = s.gradient[p];
      for (unsigned d = 0; d < dim; ++d)
        {
          t.flux[n][d] += m.mu_n * (n_q + m.density_floor) * grad_n[d];
          t.flux_size[n][d] += std::abs(m.mu_n * (n_q + m.density_floor) * grad_n[d]);
          t.dflux_du[n][phi][d] += m.mu_n * n_q * grad_n[d];
          t.dflux_du[n][n][d] -= m.mu_n * n_q * grad_n[d];
          t.dflux_dgrad[n][n][d][d] += m.mu_n * (n_q + m.density_floor);

          t.flux[p][d] += m.mu_p * (p_q + m.density_floor) * grad_p[d];
          t.flux_size[p][d] += std::abs(m.mu_p * (p_q + m.density_floor) * grad_p[d]);
          t.dflux_du[p][phi][d] -= m.mu_p * p_q * grad_p[d];
          t.dflux_du[p][p][d] += m.mu_p * p_q * grad_p[d];
          t.dflux_dgrad[p][p][d][d] += m.mu_p * (p_q + m.density_floor);
        }
    }

    bool
    has_lumped_terms() const override
    {
      return true;
    }

    /// The space charge, storage, recombination and generation (at the
    /// nodes when the mass is lumped).
    void
    lumped_terms(const PointState<dim> &s, const TimeCoefficients &time, PointTerms<dim> &t) const override
    {
      const SemiconductorModel &m   = layers[s.layer];
      const double              n_q = m.electrons(s.value[phi], s.value[n]);
      const double              p_q = m.holes(s.value[phi], s.value[p]);
      const auto                srh = m.recombination(n_q, p_q);

      // Space charge in Poisson's row: -rho = n - p.
      t.value[phi] += n_q - p_q;
      t.value_size[phi] += n_q + p_q;
      t.dvalue_du[phi][phi] += n_q + p_q;
      t.dvalue_du[phi][n] -= n_q;
      t.dvalue_du[phi][p] -= p_q;
      t.couple(phi, phi);
      t.couple(phi, n);
      t.couple(phi, p);

      // Storage (BDF) and generation.
      const auto n_rate = time.rate(n_q, time_scale, [&](const unsigned k) {
        return m.electrons(s.old_value[k][phi], s.old_value[k][n]);
      });
      const auto p_rate = time.rate(p_q, time_scale, [&](const unsigned k) {
        return m.holes(s.old_value[k][phi], s.old_value[k][p]);
      });
      const double mass  = n_rate.mass;
      double       dn_dt = n_rate.value, dp_dt = p_rate.value;
      double       n_size = std::abs(srh.R) + n_rate.size, p_size = std::abs(srh.R) + p_rate.size;
      if (manufactured_generation)
        {
          const double G_n = manufactured_generation(s.x, 0), G_p = manufactured_generation(s.x, 1);
          dn_dt -= G_n;
          dp_dt -= G_p;
          n_size += std::abs(G_n);
          p_size += std::abs(G_p);
        }

      for (const unsigned c : {n, p})
        for (const unsigned e : {phi, n, p})
          t.couple(c, e);
      t.value[n] -= dn_dt + srh.R;
      t.value_size[n] += n_size;
      t.dvalue_du[n][phi] -= (mass + srh.dR_dn) * n_q - srh.dR_dp * p_q;
      t.dvalue_du[n][n] += (mass + srh.dR_dn) * n_q;
      t.dvalue_du[n][p] -= srh.dR_dp * p_q;

      t.value[p] += dp_dt + srh.R;
      t.value_size[p] += p_size;
      t.dvalue_du[p][phi] += -(mass + srh.dR_dp) * p_q + srh.dR_dn * n_q;
      t.dvalue_du[p][n] -= srh.dR_dn * n_q;
      t.dvalue_du[p][p] += (mass + srh.dR_dp) * p_q;
    }
  };
} // namespace FerroStack

#endif
