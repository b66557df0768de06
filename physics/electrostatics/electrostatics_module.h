#ifndef ferrostack_physics_electrostatics_electrostatics_module_h
#define ferrostack_physics_electrostatics_electrostatics_module_h

#include <physics/field_registry.h>
#include <physics/physics_module.h>

#include <cmath>
#include <functional>
#include <vector>

namespace FerroStack
{
  /**
   * Poisson's equation with bound and fixed charge (PHYSICS.md), scaled
   * (Scaling): the potential row
   *   R_phi = (eps_r grad phi - P_frozen) . grad v - rho_fixed v,
   * with rho_fixed the doping (and a manufactured source in tests). The
   * charges of other fields (the polarization's -div P, the carriers'
   * p - n) are added to this row by their own modules; a frozen
   * polarization is this module's, given as a function of the point.
   */
  template <int dim>
  class ElectrostaticsModule : public PhysicsModule<dim>
  {
  public:
    struct LayerData
    {
      dealii::Tensor<1, dim> permittivity; ///< eps_r along each axis
      double                 fixed_charge = 0; ///< scaled doping charge
      /// Whether P of this layer is a frozen function (not a TDGL field).
      bool frozen_polarization = false;
    };

    std::vector<LayerData> layers;
    /// The frozen polarization (scaled) at a point of a layer.
    std::function<dealii::Tensor<1, dim>(const dealii::Point<dim> &, unsigned)> frozen_polarization;
    /// Manufactured problems (tests): isotropic permittivity and extra charge.
    std::function<double(const dealii::Point<dim> &)> manufactured_permittivity, manufactured_source;

    std::string
    name() const override
    {
      return "electrostatics";
    }

    void
    declare_fields(FieldRegistry<dim> &registry) const override
    {
      registry.declare("potential", 1, "kT/q");
    }

    bool
    active_on(const unsigned) const override
    {
      return true; // phi lives in every non-metal layer
    }

    /// -(1/2) eps grad phi . grad phi: the field's share of the Gibbs
    /// energy at fixed contact voltages (the Legendre transform of the
    /// field energy, whose minimum over P TDGL follows).
    double
    energy_density(const PointState<dim> &s) const override
    {
      double density = 0;
      for (unsigned d = 0; d < dim; ++d)
        density -= 0.5 * layers[s.layer].permittivity[d] * s.gradient[phi][d] * s.gradient[phi][d];
      return density;
    }

    void
    cell_terms(const PointState<dim> &s, const TimeCoefficients &, PointTerms<dim> &t) const override
    {
      const LayerData       &layer = layers[s.layer];
      dealii::Tensor<1, dim> eps   = layer.permittivity;
      if (manufactured_permittivity)
        for (unsigned d = 0; d < dim; ++d)
          eps[d] = manufactured_permittivity(s.x);
      double rho = layer.fixed_charge;
      if (manufactured_source)
        rho += manufactured_source(s.x);
      dealii::Tensor<1, dim> P;
      if (layer.frozen_polarization && frozen_polarization)
        P = frozen_polarization(s.x, s.layer);
      t.couple(phi, phi);
      for (unsigned d = 0; d < dim; ++d)
        {
          t.flux[phi][d] += eps[d] * s.gradient[phi][d] - P[d];
          t.flux_size[phi][d] += std::abs(eps[d] * s.gradient[phi][d]) + std::abs(P[d]);
          t.dflux_dgrad[phi][phi][d][d] += eps[d];
        }
      t.value[phi] -= rho;
      t.value_size[phi] += std::abs(rho);
    }

    unsigned phi = 0; ///< the potential's component (set from the registry)
  };
} // namespace FerroStack

#endif
