#ifndef ferrostack_physics_ions_ion_module_h
#define ferrostack_physics_ions_ion_module_h

#include <physics/field_registry.h>
#include <physics/ions/ion_species.h>
#include <physics/physics_module.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

namespace FerroStack
{
  /**
   * Size-limited Nernst-Planck transport of one mobile ion species
   * (PHYSICS.md, "Mobile ions") in the layers where it lives: the k-th
   * species of every layer that has k or more (a deck with several species
   * per layer has one module, and one field, per species; they share phi
   * and, through their charge, Poisson's row), in the electrochemical
   * potential eta = mu / kT (IonSpecies), time in Scaling::time:
   *
   *   R_eta = D k(c) grad eta . grad v + (dc/dt) v,
   *
   * the weak form of dc/dt + div J = 0 with J = -D k(c) grad eta and zero
   * flux through every face of the layer (the natural condition: inert,
   * blocking electrodes and interfaces). The test function v = 1 on the
   * layer makes the sum of its rows d/dt of the ion number, so the number
   * is conserved to the Newton tolerance by the discretization itself.
   *
   * The ions' charge against a fixed background of the same mean density,
   * q z (c - c0), enters Poisson's row (the layer is neutral when the ions
   * are uniform): this is the ion-polarization coupling through charge, the
   * ions screening the bound charge and the depolarization field.
   *
   * The initial solve (TimeCoefficients::Mode::hold) holds the ions at
   * their uniform density, c = c0, while the potential settles.
   *
   * Active electrodes (a metal with an `Ion exchange rate`) exchange ions
   * with the layer by a Butler-Volmer flux out of the layer,
   *
   *   J_out = k0 c_eq [exp(alpha D) - exp(-(1 - alpha) D)],
   *   D = eta - z phi_M - ln(c_eq / (c_max - c_eq)),
   *
   * D the overpotential in kT (the ions' electrochemical potential over the
   * metal's, z phi_M with phi_M the metal's potential, and the exchange
   * density c_eq: the interfacial density in equilibrium with the metal, at
   * which D = 0 when phi = phi_M), k0 c_eq the exchange flux. It is the
   * face term of the ion row, R_eta += J_out v, and a contact flux: the
   * terminal residual leaves it out, so that the ion rows of the contact
   * measure the ionic current through it.
   */
  template <int dim>
  class IonModule : public PhysicsModule<dim>
  {
  public:
    /// The field of species k (from 0): "ions", "ions_2", "ions_3", ...
    static std::string
    field_name(const unsigned k)
    {
      return k == 0 ? "ions" : "ions_" + std::to_string(k + 1);
    }

    std::string             field = "ions";  ///< this species' field_name
    std::vector<IonSpecies> layers; ///< inactive where the species does not live
    std::vector<double>     initial_potential; ///< phi where the ions start (scaled), per layer
    double                  time_scale   = 1; ///< Scaling::time [s]
    double                  density_unit = 1; ///< Scaling::density [m^-3]
    unsigned                phi = 0, eta = 1; ///< components (from the registry)
    /// The polarization's first component and count (0 without a P field):
    /// the Landau coupling (IonSpecies::landau) puts |P|^2 into eta.
    unsigned P0 = 0, n_P = 0;
    /// A factor on the ions' mobility at a point (1 if unset): the hook of
    /// light-assisted hopping (the optical module will set it from its
    /// generation rate); it must not depend on the unknowns.
    std::function<double(const dealii::Point<dim> &, unsigned layer)> mobility_enhancement;
    /// A manufactured source S of the ion rows (tests, scaled): dc/dt + div J = S.
    std::function<double(const dealii::Point<dim> &)> manufactured_source;

    /// An active electrode (scaled): its boundary id, k0 (L / time unit),
    /// c_eq, ln(c_eq / (c_max - c_eq)) of the layer it touches, alpha and
    /// the metal's potential phi_M (set at every solve).
    struct ExchangeContact
    {
      bool     active   = false;
      unsigned boundary = 0;
      double   rate = 0, density = 0, offset = 0, alpha = 0.5, phi_metal = 0;
    };
    std::vector<ExchangeContact> exchange; ///< per contact (inactive: blocking)

    std::string
    name() const override
    {
      return field;
    }

    void
    declare_fields(FieldRegistry<dim> &registry) const override
    {
      registry.declare(field, 1, "kT (ionic electrochemical potential)");
    }

    bool
    active_on(const unsigned layer) const override
    {
      return layer < layers.size() && layers[layer].active;
    }

    /// eta of the uniform start c = c0 at the layer's initial potential (the
    /// initial solve then holds c = c0 while phi moves).
    std::optional<double>
    initial_value(const dealii::Point<dim> &, const unsigned layer, const unsigned c) const override
    {
      if (!layers[layer].active || c != eta)
        return std::nullopt;
      const IonSpecies &s = layers[layer];
      return s.electrochemical_potential(s.density, initial_potential[layer]);
    }

    /// The active electrode a face lies on, if any.
    const ExchangeContact *
    exchange_on(const FaceInfo &face) const
    {
      if (face.boundary == FaceInfo::none || !layers[face.layer].active)
        return nullptr;
      for (const ExchangeContact &e : exchange)
        if (e.active && e.boundary == face.boundary)
          return &e;
      return nullptr;
    }

    bool
    active_on_face(const FaceInfo &face) const override
    {
      return exchange_on(face) != nullptr;
    }

    bool
    contact_flux() const override
    {
      return true;
    }

    void
    face_terms(const PointState<dim> &s,
               const FaceInfo        &face,
               const TimeCoefficients &time,
               PointTerms<dim>        &t) const override
    {
      // The exchange acts in time steps; the initial solve holds c = c0.
      if (time.mode != TimeCoefficients::Mode::bdf)
        return;
      const ExchangeContact &e = *exchange_on(face);
      const IonSpecies      &m = layers[s.layer];
      // The overpotential, bounded so that no Newton iterate overflows
      // (exp(600) is far beyond any flux a converged state has).
      const double D  = std::clamp(s.value[eta] - m.charge * e.phi_metal - e.offset, -600., 600.);
      const double ef = std::exp(e.alpha * D), eb = std::exp(-(1 - e.alpha) * D);
      const double J0 = e.rate * e.density;
      t.value[eta] += J0 * (ef - eb);
      t.value_size[eta] += J0 * (ef + eb);
      t.dvalue_du[eta][eta] += J0 * (e.alpha * ef + (1 - e.alpha) * eb);
      t.couple(eta, eta);
    }

    /// The mobility_enhancement at the point of @p s (1 without).
    double
    mobility_enhancement_at(const PointState<dim> &s) const
    {
      return mobility_enhancement ? mobility_enhancement(s.x, s.layer) : 1.;
    }

    /// The occupation at the values @p u (phi, eta and P of one state).
    template <typename Values>
    IonSpecies::Occupation
    occupation_at(const IonSpecies &m, const Values &u) const
    {
      return m.occupation(u[phi], u[eta], m.polarization_squared(u, P0, n_P));
    }

    /// Add dc/dP_a = -2 shift P_a dc/dx, times @p factor, to row @p row's
    /// value derivatives (the Landau coupling's part of a density term).
    void
    add_polarization_derivative(const IonSpecies &m, const PointState<dim> &s, const double dcdx,
                                const unsigned row, const double factor, PointTerms<dim> &t) const
    {
      if (m.landau == 0)
        return;
      for (unsigned a = 0; a < n_P; ++a)
        {
          t.dvalue_du[row][P0 + a] += factor * (-2 * m.polarization_shift() * s.value[P0 + a] * dcdx);
          t.couple(row, P0 + a);
        }
    }

    /// The ion density [m^-3] at a point (zero where no ions live).
    double
    density(const PointState<dim> &s) const
    {
      const IonSpecies &m = layers[s.layer];
      if (!m.active)
        return 0;
      return occupation_at(m, s.value).c * density_unit;
    }

    /// The flux, at the cell's quadrature points (none in the initial
    /// solve, which holds c = c0).
    void
    cell_terms(const PointState<dim> &s, const TimeCoefficients &time, PointTerms<dim> &t) const override
    {
      if (time.mode == TimeCoefficients::Mode::hold)
        return;
      const IonSpecies &m   = layers[s.layer];
      const double      z   = m.charge;
      const auto        occ = occupation_at(m, s.value);
      // dc/deta = dc/dx, dc/dphi = -z dc/dx (and dc/dP_a = -2 (landau/c0)
      // P_a dc/dx with the Landau coupling).
      const double c = occ.c, s_c = occ.dcdx;
      t.couple(eta, phi);
      t.couple(eta, eta);

      // Flux: D g k(c) grad eta . grad v; dk/deta = k'(c) dc/dx, dk/dphi =
      // -z k'(c) dc/dx; g the field-assisted hopping factor (1 without) and
      // its derivative along grad phi (IonSpecies::field_factor).
      const auto [k, dk_dc]          = m.mobility_factor(c);
      const dealii::Tensor<1, dim> &grad = s.gradient[eta], &grad_phi = s.gradient[phi];
      double                        g = 1, h = 0;
      if (m.hopping > 0)
        std::tie(g, h) = m.field_factor(grad_phi.norm());
      const double D = m.diffusivity * g * mobility_enhancement_at(s);
      for (unsigned d = 0; d < dim; ++d)
        {
          t.flux[eta][d] += D * (k + m.floor) * grad[d];
          t.flux_size[eta][d] += std::abs(D * (k + m.floor) * grad[d]);
          t.dflux_du[eta][eta][d] += D * dk_dc * s_c * grad[d];
          t.dflux_du[eta][phi][d] -= z * D * dk_dc * s_c * grad[d];
          t.dflux_dgrad[eta][eta][d][d] += D * (k + m.floor);
          if (m.landau != 0)
            for (unsigned a = 0; a < n_P; ++a)
              t.dflux_du[eta][P0 + a][d] -= 2 * m.polarization_shift() * s.value[P0 + a] * D * dk_dc * s_c * grad[d];
          if (m.hopping > 0)
            for (unsigned e = 0; e < dim; ++e)
              t.dflux_dgrad[eta][phi][d][e] +=
                D / g * (k + m.floor) * grad[d] * m.hopping * m.hopping * h * grad_phi[e];
        }
      if (m.landau != 0)
        for (unsigned a = 0; a < n_P; ++a)
          t.couple(eta, P0 + a);
    }

    bool
    has_lumped_terms() const override
    {
      return true;
    }

    /// The space charge and the storage (or the initial solve's c = c0), at
    /// the nodes when the mass is lumped: then the ion number that the rows
    /// conserve is the nodal sum, the quadrature of Simulator::ion_number.
    void
    lumped_terms(const PointState<dim> &s, const TimeCoefficients &time, PointTerms<dim> &t) const override
    {
      const IonSpecies &m   = layers[s.layer];
      const double      z   = m.charge;
      const auto        occ = occupation_at(m, s.value);
      const double      c = occ.c, s_c = occ.dcdx;

      // Space charge in Poisson's row: -rho / q = -z (c - c0).
      t.value[phi] -= z * (c - m.density);
      t.value_size[phi] += std::abs(z) * (c + m.density);
      t.dvalue_du[phi][phi] += z * z * s_c;
      t.dvalue_du[phi][eta] -= z * s_c;
      add_polarization_derivative(m, s, s_c, phi, -z, t);
      t.couple(phi, phi);
      t.couple(phi, eta);
      t.couple(eta, phi);
      t.couple(eta, eta);

      if (time.mode == TimeCoefficients::Mode::hold)
        {
          // The start: c = c0 (the row in units of the density).
          t.value[eta] += c - m.density;
          t.value_size[eta] += c + m.density;
          t.dvalue_du[eta][eta] += s_c;
          t.dvalue_du[eta][phi] -= z * s_c;
          add_polarization_derivative(m, s, s_c, eta, 1, t);
          return;
        }

      // Storage (BDF): dc/dt = (a0 c + a1 c_1 + a2 c_2) / dt.
      const auto dc_dt = time.rate(c, time_scale, [&](const unsigned k) {
        return occupation_at(m, s.old_value[k]).c;
      });
      t.value[eta] += dc_dt.value;
      t.value_size[eta] += dc_dt.size;
      t.dvalue_du[eta][eta] += dc_dt.mass * s_c;
      t.dvalue_du[eta][phi] -= z * dc_dt.mass * s_c;
      add_polarization_derivative(m, s, s_c, eta, dc_dt.mass, t);
      if (manufactured_source)
        {
          const double S = manufactured_source(s.x);
          t.value[eta] -= S;
          t.value_size[eta] += std::abs(S);
        }
    }
  };
} // namespace FerroStack

#endif
