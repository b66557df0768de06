#ifndef ferrostack_physics_traps_trap_module_h
#define ferrostack_physics_traps_trap_module_h

#include <physics/field_registry.h>
#include <physics/physics_module.h>
#include <physics/traps/trap_distribution.h>
#include <physics/transport/semiconductor_model.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace FerroStack
{
  /**
   * Charge traps in a semiconductor layer (material key `Trap density` > 0)
   * with Shockley-Read-Hall occupancy dynamics (Shockley and Read, Phys.
   * Rev. 87, 835 (1952)). Their density of states in energy is sampled by
   * n_levels discrete levels (trap_levels(): one level, a uniform band or a
   * Gaussian), level k holding N_t w_k of the traps at its own energy, with
   * its own occupancy (component k of the field "traps"); the terms below
   * are those of one level, summed over the levels. The fraction f of the
   * N_t traps of a level that hold an electron obeys
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
   * 0 < c < c_max).
   *
   * Interface traps (`Interface trap density`, a sheet density N_it on
   * the layer's faces to other layers, as Sentaurus' interface traps): the
   * same level terms with N_it in place of N_t, on the face (their charge
   * a sheet in Poisson's face row, their capture and emission surface
   * rates in the carrier rows there). Their occupancy is the same field,
   * whose node on the face is the interface's: the occupancy row is
   * written per trap (the balance above divided by the density), which
   * does not depend on how many traps there are, so it holds at every
   * node of the layer, and where the layer has no bulk traps its nodes
   * off the face only follow the carriers without acting on anything.
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
    /// One level of a layer's traps: its density and emission densities.
    struct Level
    {
      double density = 0;     ///< N_t w_k (scaled)
      double sheet   = 0;     ///< N_it w_k (scaled density x Scaling::length)
      double weight  = 1;     ///< w_k, its share of the traps
      double n1 = 0, p1 = 0;  ///< n_i exp(+-E_k / kT) (scaled)
    };

    struct LayerData
    {
      bool               active = false;
      SemiconductorModel carriers;          ///< n(phi, phi_n), p(phi, phi_p)
      std::vector<Level> levels;            ///< n_levels of them
      double             capture_n = 0;     ///< c_n (scaled: per density per time unit)
      double             capture_p = 0;     ///< c_p
      bool               acceptor  = true;  ///< acceptor (charge -N_t f) or donor (+N_t (1 - f))
      double             initial_occupancy = -1; ///< held in the initial solve if in (0, 1)
      /// Interface traps on the bottom and the top face (those shared with
      /// another layer).
      bool interface_bottom = false, interface_top = false;
    };

    std::vector<LayerData> layers;
    double                 time_scale = 1; ///< Scaling::time [s]
    unsigned               n_levels   = 1; ///< levels per layer (the components of "traps")
    unsigned               phi = 0, n = 1, p = 2, u = 3; ///< components (from the registry); u: level 0

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
      registry.declare("traps", n_levels, "1 (logit of the trap occupancy, one per level)");
    }

    bool
    active_on(const unsigned layer) const override
    {
      return layer < layers.size() && layers[layer].active;
    }

    std::optional<double>
    initial_value(const dealii::Point<dim> &, const unsigned layer, const unsigned c) const override
    {
      if (!active_on(layer) || c < u || c >= u + n_levels)
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
      for (unsigned k = 0; k < n_levels; ++k)
        level_terms(s, time, k, t);
    }

    /// Interface traps on this face (FaceInfo): a face the trap layer
    /// shares with another layer, on the side its material names.
    bool
    active_on_face(const FaceInfo &face) const override
    {
      if (!active_on(face.layer) || face.neighbor_layer == FaceInfo::none || face.axis != dim - 1)
        return false;
      const LayerData &m = layers[face.layer];
      return face.positive ? m.interface_top : m.interface_bottom;
    }

    /// The interface traps' sheet charge and surface capture and emission
    /// (their occupancy row is the layer's, lumped_terms).
    void
    face_terms(const PointState<dim> &s, const FaceInfo &, const TimeCoefficients &, PointTerms<dim> &t) const override
    {
      const LayerData &m = layers[s.layer];
      for (unsigned k = 0; k < n_levels; ++k)
        {
          const auto [f, df] = occupancy(s.value[u + k]);
          exchange_terms(m, k, m.levels[k].sheet, f, df, rates(s, m, m.levels[k], f), t);
        }
    }

    /// The rates of level @p k per trap at a point: r_n / N and r_p / N,
    /// their sizes and derivatives (dr/dn, dr/dp, dr/df), with n and p.
    struct Rates
    {
      double n = 0, p = 0;
      double rn = 0, rp = 0, rn_size = 0, rp_size = 0;
      double drn_dn = 0, drn_df = 0, drp_dp = 0, drp_df = 0;
    };

    Rates
    rates(const PointState<dim> &s, const LayerData &m, const Level &level, const double f) const
    {
      Rates r;
      r.n = m.carriers.electrons(s.value[phi], s.value[n]);
      r.p = m.carriers.holes(s.value[phi], s.value[p]);
      // Capture minus emission: r_n (electrons) and r_p (holes).
      r.rn      = m.capture_n * (r.n * (1 - f) - level.n1 * f);
      r.rp      = m.capture_p * (r.p * f - level.p1 * (1 - f));
      r.rn_size = m.capture_n * (r.n * (1 - f) + level.n1 * f);
      r.rp_size = m.capture_p * (r.p * f + level.p1 * (1 - f));
      r.drn_dn  = m.capture_n * (1 - f);
      r.drn_df  = -m.capture_n * (r.n + level.n1);
      r.drp_dp  = m.capture_p * f;
      r.drp_df  = m.capture_p * (r.p + level.p1);
      return r;
    }

    /// What N traps of level @p k do to the other fields: their charge in
    /// Poisson's row and their capture and emission in the carrier rows (N
    /// per volume in a cell, per area on a face), for their occupancy f,
    /// df/du and rates @p r at the point.
    void
    exchange_terms(const LayerData &m,
                   const unsigned   k,
                   const double     N,
                   const double     f,
                   const double     df,
                   const Rates     &r,
                   PointTerms<dim> &t) const
    {
      const unsigned u = this->u + k;
      for (const unsigned c : {phi, n, p})
        for (const unsigned e : {phi, n, p, u})
          t.couple(c, e);

      // Poisson's row holds -rho / q: +N f (acceptor, charge -q N f) or
      // -N (1 - f) (donor, charge +q N (1 - f)); d/du = N df either way.
      t.value[phi] += m.acceptor ? N * f : -N * (1 - f);
      t.value_size[phi] += N;
      t.dvalue_du[phi][u] += N * df;

      // Electron row: -(dn/dt + R) + ... -> a capture r_n enters as -r_n;
      // hole row: +(dp/dt + R) -> +r_p (CarrierModule's signs), with
      // dn/dphi = n, dn/dphi_n = -n, dp/dphi = -p, dp/dphi_p = p.
      t.value[n] -= N * r.rn;
      t.value_size[n] += N * r.rn_size;
      t.dvalue_du[n][phi] -= N * r.drn_dn * r.n;
      t.dvalue_du[n][n] += N * r.drn_dn * r.n;
      t.dvalue_du[n][u] -= N * r.drn_df * df;
      t.value[p] += N * r.rp;
      t.value_size[p] += N * r.rp_size;
      t.dvalue_du[p][phi] -= N * r.drp_dp * r.p;
      t.dvalue_du[p][p] += N * r.drp_dp * r.p;
      t.dvalue_du[p][u] += N * r.drp_df * df;
    }

    /// The terms of level @p k (component u + k).
    void
    level_terms(const PointState<dim> &s, const TimeCoefficients &time, const unsigned k, PointTerms<dim> &t) const
    {
      const LayerData &m      = layers[s.layer];
      const Level     &level  = m.levels[k];
      const unsigned   u      = this->u + k;
      const auto [f, df]      = occupancy(s.value[u]);
      // The rates once, for the trapped charge's terms and the occupancy row.
      const Rates r = rates(s, m, level, f);
      if (level.density > 0)
        exchange_terms(m, k, level.density, f, df, r, t);
      for (const unsigned e : {phi, n, p, u})
        t.couple(u, e);

      // The occupancy row, per trap: df/dt - (r_n - r_p) / N_t.
      if (time.mode == TimeCoefficients::Mode::hold && m.initial_occupancy > 0 && m.initial_occupancy < 1)
        {
          t.value[u] += f - m.initial_occupancy;
          t.value_size[u] += f + m.initial_occupancy;
          t.dvalue_du[u][u] += df;
          return;
        }
      if (time.mode != TimeCoefficients::Mode::bdf)
        {
          // Steady state, r_n = r_p, written as the logit of its solution,
          //   u = ln(c_n n + c_p p1) - ln(c_n n1 + c_p p)
          // (f_inf / (1 - f_inf)): the same root as the balance, but a row
          // whose derivatives in phi, phi_n, phi_p lie between -1 and 1
          // (log-sum-exp), so that Newton moves u with the potential. The
          // balance r_n - r_p is a difference of densities that vanish in
          // a depleted layer (n, p, n1, p1 down to 1e-11 of the density
          // unit in MoS2): there its Newton updates of u ran away by
          // thousands and the initial solve of a FeFET under a depleting
          // polarization failed.
          const double n_q = r.n, p_q = r.p;
          const double A = m.capture_n * n_q + m.capture_p * level.p1, B = m.capture_n * level.n1 + m.capture_p * p_q;
          t.value[u] += s.value[u] - std::log(A) + std::log(B);
          t.value_size[u] += 1 + std::abs(s.value[u]);
          t.dvalue_du[u][u] += 1;
          t.dvalue_du[u][phi] += -m.capture_n * n_q / A - m.capture_p * p_q / B;
          t.dvalue_du[u][n] += m.capture_n * n_q / A;
          t.dvalue_du[u][p] += m.capture_p * p_q / B;
          return;
        }
      t.value[u] -= r.rn - r.rp;
      t.value_size[u] += r.rn_size + r.rp_size;
      t.dvalue_du[u][phi] -= r.drn_dn * r.n + r.drp_dp * r.p;
      t.dvalue_du[u][n] += r.drn_dn * r.n;
      t.dvalue_du[u][p] += r.drp_dp * r.p;
      t.dvalue_du[u][u] -= (r.drn_df - r.drp_df) * df;
      const auto df_dt = time.rate(f, time_scale, [&](const unsigned state) {
        return occupancy(s.old_value[state][u]).first;
      });
      t.value[u] += df_dt.value;
      t.value_size[u] += df_dt.size;
      t.dvalue_du[u][u] += df_dt.mass * df;
    }

    /// The trapped-electron density N_t f [scaled] at a point.
    double
    trapped(const PointState<dim> &s) const
    {
      return trapped(s.layer, s.value);
    }

    /// The same from the solution values @p values (any container indexed
    /// by component) at a point of layer @p layer: sum_k N_t w_k f_k.
    template <typename Values>
    double
    trapped(const unsigned layer, const Values &values) const
    {
      return level_sum(layer, values, &Level::density);
    }

    /// The trapped-electron sheet density N_it f of the interface traps
    /// [scaled density x Scaling::length] from the solution values at a
    /// point of a face of layer @p layer: sum_k N_it w_k f_k.
    template <typename Values>
    double
    trapped_at_interface(const unsigned layer, const Values &values) const
    {
      return level_sum(layer, values, &Level::sheet);
    }

    /// The mean occupancy sum_k w_k f_k over the levels from the solution
    /// values at a point of layer @p layer (0 where it has no traps).
    template <typename Values>
    double
    mean_occupancy(const unsigned layer, const Values &values) const
    {
      return level_sum(layer, values, &Level::weight);
    }

    /// sum_k x_k f_k over the levels of layer @p layer, x_k the level's
    /// member @p x (its density, sheet density or weight); 0 without traps.
    template <typename Values>
    double
    level_sum(const unsigned layer, const Values &values, double Level::*x) const
    {
      const LayerData &m   = layers[layer];
      double           sum = 0;
      if (m.active)
        for (unsigned k = 0; k < n_levels; ++k)
          sum += m.levels[k].*x * occupancy(values[u + k]).first;
      return sum;
    }
  };
} // namespace FerroStack

#endif
