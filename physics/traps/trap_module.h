#ifndef ferrostack_physics_traps_trap_module_h
#define ferrostack_physics_traps_trap_module_h

#include <physics/field_registry.h>
#include <physics/physics_module.h>
#include <physics/transport/semiconductor_model.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace FerroStack
{
  /**
   * Charge traps of one energy level in a semiconductor layer (material key
   * `Trap density` > 0) with Shockley-Read-Hall occupancy dynamics
   * (Shockley and Read, Phys. Rev. 87, 835 (1952)): the fraction f of the
   * N_t traps that hold an electron obeys
   *
   *   N_t df/dt = r_n - r_p,
   *   r_n = c_n [n (1 - f) - n1 f]   (electron capture minus emission),
   *   r_p = c_p [p f - p1 (1 - f)]   (hole capture minus emission),
   *
   * with c_n, c_p the capture coefficients (sigma v_th) and n1, p1 the
   * densities at which emission balances capture (n_i exp(+-E_t/kT), E_t
   * the `Trap level` from midgap, as the SRH level of SemiconductorModel).
   * r_n leaves the electrons' continuity row as a recombination and r_p the
   * holes', and the trapped charge enters Poisson: -q N_t f for acceptor
   * traps (neutral when empty), +q N_t (1 - f) for donor traps (neutral
   * when full). After a step in the Fermi level f relaxes towards
   * f_inf = (c_n n + c_p p1) / (c_n (n + n1) + c_p (p + p1)) with the time
   * constant tau = 1 / (c_n (n + n1) + c_p (p + p1)).
   *
   * The unknown is the logit u = ln(f / (1 - f)), so that 0 < f < 1 holds
   * for every Newton iterate (as the ions' electrochemical potential keeps
   * 0 < c < c_max). Interface traps (a density per area, D_it) are traps
   * in a thin layer of the semiconductor at the interface: a sheet density
   * N_it is N_t = N_it / thickness.
   *
   * The initial solve (TimeCoefficients::Mode::hold) puts the traps in
   * steady state with the carriers (r_n = r_p), or holds them at the
   * material's `Trap initial occupancy` when it is given (a state prepared
   * out of equilibrium: a programmed FeFET, a relaxation experiment).
   */
  template <int dim>
  class TrapModule : public PhysicsModule<dim>
  {
  public:
    struct LayerData
    {
      bool               active = false;
      SemiconductorModel carriers;          ///< n(phi, phi_n), p(phi, phi_p)
      double             density   = 0;     ///< N_t (scaled)
      double             capture_n = 0;     ///< c_n (scaled: per density per time unit)
      double             capture_p = 0;     ///< c_p
      double             n1 = 0, p1 = 0;    ///< scaled
      bool               acceptor  = true;  ///< acceptor (charge -N_t f) or donor (+N_t (1 - f))
      double             initial_occupancy = -1; ///< held in the initial solve if in (0, 1)
    };

    std::vector<LayerData> layers;
    double                 time_scale = 1; ///< Scaling::time [s]
    unsigned               phi = 0, n = 1, p = 2, u = 3; ///< components (from the registry)

    /// The occupancy f of the logit @p x, and df/dx = f (1 - f).
    static std::pair<double, double>
    occupancy(const double x)
    {
      // Written so that neither branch overflows.
      const double f = x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
      return {f, f * (1 - f)};
    }

    std::string
    name() const override
    {
      return "traps";
    }

    void
    declare_fields(FieldRegistry<dim> &registry) const override
    {
      registry.declare("traps", 1, "1 (logit of the trap occupancy)");
    }

    bool
    active_on(const unsigned layer) const override
    {
      return layer < layers.size() && layers[layer].active;
    }

    std::optional<double>
    initial_value(const dealii::Point<dim> &, const unsigned layer, const unsigned c) const override
    {
      if (!active_on(layer) || c != u)
        return std::nullopt;
      const double f0 = layers[layer].initial_occupancy;
      return f0 > 0 && f0 < 1 ? std::log(f0 / (1 - f0)) : 0.;
    }

    /// No fluxes: traps do not move.
    void
    cell_terms(const PointState<dim> &, const TimeCoefficients &, PointTerms<dim> &) const override
    {}

    bool
    has_lumped_terms() const override
    {
      return true;
    }

    /// The trapped charge, the capture and emission in the carrier rows and
    /// the occupancy's balance (at the nodes when the mass is lumped).
    void
    lumped_terms(const PointState<dim> &s, const TimeCoefficients &time, PointTerms<dim> &t) const override
    {
      const LayerData &m      = layers[s.layer];
      const auto [f, df]      = occupancy(s.value[u]);
      const double     n_q    = m.carriers.electrons(s.value[phi], s.value[n]);
      const double     p_q    = m.carriers.holes(s.value[phi], s.value[p]);
      const double     N      = m.density;
      for (const unsigned c : {phi, n, p, u})
        for (const unsigned e : {phi, n, p, u})
          t.couple(c, e);

      // Poisson's row holds -rho / q: +N f (acceptor, charge -q N f) or
      // -N (1 - f) (donor, charge +q N (1 - f)); d/du = N df either way.
      t.value[phi] += m.acceptor ? N * f : -N * (1 - f);
      t.value_size[phi] += N;
      t.dvalue_du[phi][u] += N * df;

      // Capture minus emission: r_n (electrons) and r_p (holes), with
      // dn/dphi = n, dn/dphi_n = -n, dp/dphi = -p, dp/dphi_p = p.
      const double rn = N * m.capture_n * (n_q * (1 - f) - m.n1 * f);
      const double rp = N * m.capture_p * (p_q * f - m.p1 * (1 - f));
      const double rn_size = N * m.capture_n * (n_q * (1 - f) + m.n1 * f);
      const double rp_size = N * m.capture_p * (p_q * f + m.p1 * (1 - f));
      const double drn_dn = N * m.capture_n * (1 - f), drn_df = -N * m.capture_n * (n_q + m.n1);
      const double drp_dp = N * m.capture_p * f, drp_df = N * m.capture_p * (p_q + m.p1);

      // Electron row: -(dn/dt + R) + ... -> a capture r_n enters as -r_n;
      // hole row: +(dp/dt + R) -> +r_p (CarrierModule's signs).
      t.value[n] -= rn;
      t.value_size[n] += rn_size;
      t.dvalue_du[n][phi] -= drn_dn * n_q;
      t.dvalue_du[n][n] += drn_dn * n_q;
      t.dvalue_du[n][u] -= drn_df * df;
      t.value[p] += rp;
      t.value_size[p] += rp_size;
      t.dvalue_du[p][phi] -= drp_dp * p_q;
      t.dvalue_du[p][p] += drp_dp * p_q;
      t.dvalue_du[p][u] += drp_df * df;

      // The occupancy row, in units of N_t: df/dt - (r_n - r_p) / N_t.
      if (time.mode == TimeCoefficients::Mode::hold && m.initial_occupancy > 0 && m.initial_occupancy < 1)
        {
          t.value[u] += f - m.initial_occupancy;
          t.value_size[u] += f + m.initial_occupancy;
          t.dvalue_du[u][u] += df;
          return;
        }
      const double scale = 1 / N;
      t.value[u] -= scale * (rn - rp);
      t.value_size[u] += scale * (rn_size + rp_size);
      t.dvalue_du[u][phi] -= scale * (drn_dn * n_q + drp_dp * p_q);
      t.dvalue_du[u][n] += scale * drn_dn * n_q;
      t.dvalue_du[u][p] += scale * drp_dp * p_q;
      t.dvalue_du[u][u] -= scale * (drn_df - drp_df) * df;
      if (time.mode != TimeCoefficients::Mode::bdf)
        return;
      const auto df_dt = time.rate(f, time_scale, [&](const unsigned k) {
        return occupancy(s.old_value[k][u]).first;
      });
      t.value[u] += df_dt.value;
      t.value_size[u] += df_dt.size;
      t.dvalue_du[u][u] += df_dt.mass * df;
    }

    /// The trapped-electron density N_t f [scaled] at a point.
    double
    trapped(const PointState<dim> &s) const
    {
      const LayerData &m = layers[s.layer];
      return m.active ? m.density * occupancy(s.value[u]).first : 0.;
    }
  };
} // namespace FerroStack

#endif
