#ifndef ferrostack_physics_ions_ion_landau_coupling_h
#define ferrostack_physics_ions_ion_landau_coupling_h

#include <physics/field_registry.h>
#include <physics/ions/ion_species.h>
#include <physics/physics_module.h>

#include <vector>

namespace FerroStack
{
  /**
   * The Landau coupling of mobile ions to the polarization, the material
   * model `Ion polarization coupling = landau` (the other, `charge`, is
   * the ions' space charge in Poisson that IonModule always adds): the
   * energy density
   *
   *   f_c = w ((c - c0) / c0) |P|^2,
   *
   * a local shift of the Landau alpha by w (c - c0)/c0, so that for w > 0
   * ions above their mean density weaken the double well and a depleted
   * region stiffens it (the picture of Cu+ in the van der Waals gap of
   * CuInP2S6 softening the local Cu off-centring; no published continuum
   * model has measured w, materials.md: a fit). The lowest-order term that
   * the symmetry allows (a scalar density times the invariant |P|^2), the
   * form of the density-polarization terms of the Vegard-strain couplings
   * in Morozovska, Eliseev, Kalinin et al.'s ferroionic Landau-Ginzburg-
   * Devonshire models, with the strain eliminated.
   *
   * Its derivative in P is this module's term, added to each P row of
   * TDGL: 2 w ((c - c0)/c0) P_a w_test. Its derivative in c, w |P|^2 / c0,
   * is part of the ions' electrochemical potential, which IonModule
   * carries in its unknown eta (IonSpecies::landau): the two together make
   * the coupled system the gradient flow of one free energy. The module
   * reads the ion density through the species' statistics; it declares no
   * field.
   */
  template <int dim>
  class IonLandauCoupling : public PhysicsModule<dim>
  {
  public:
    std::vector<IonSpecies> layers; ///< the ion species per layer (landau 0: uncoupled)
    unsigned                phi = 0, eta = 1, P0 = 1; ///< components (from the registry)

    std::string
    name() const override
    {
      return "ion-landau-coupling";
    }

    void
    declare_fields(FieldRegistry<dim> &) const override
    {}

    bool
    active_on(const unsigned layer) const override
    {
      return layer < layers.size() && layers[layer].active && layers[layer].landau != 0;
    }

    /// The TDGL term 2 w ((c - c0)/c0) P_a with its derivatives in P, eta
    /// and phi (through c: dc/dx (delta eta - z delta phi - 2 shift P .
    /// delta P), IonSpecies::occupation). Not in the initial solve, whose
    /// P rows hold the initial polarization.
    void
    cell_terms(const PointState<dim> &s, const TimeCoefficients &time, PointTerms<dim> &t) const override
    {
      if (time.mode == TimeCoefficients::Mode::hold)
        return;
      const IonSpecies &m     = layers[s.layer];
      const auto        occ   = m.occupation(s.value[phi], s.value[eta], m.polarization_squared(s.value, P0, dim));
      const double      w     = m.landau;
      const double      shift = m.polarization_shift();
      const double      delta = (occ.c - m.density) / m.density;
      for (unsigned a = 0; a < dim; ++a)
        {
          const unsigned r  = P0 + a;
          const double   Pa = s.value[r];
          t.value[r] += 2 * w * delta * Pa;
          t.value_size[r] += 2 * std::abs(w) * (occ.c + m.density) / m.density * std::abs(Pa);
          // d/dP_b: 2 w delta delta_ab + 2 w P_a (dc/dP_b) / c0.
          const double dterm_dc = 2 * w * Pa / m.density;
          for (unsigned b = 0; b < dim; ++b)
            {
              t.dvalue_du[r][P0 + b] += (a == b ? 2 * w * delta : 0.) +
                                        dterm_dc * (-2 * shift * s.value[P0 + b] * occ.dcdx);
              t.couple(r, P0 + b);
            }
          t.dvalue_du[r][eta] += dterm_dc * occ.dcdx;
          t.dvalue_du[r][phi] -= dterm_dc * m.charge * occ.dcdx;
          t.couple(r, eta);
          t.couple(r, phi);
        }
    }

    /// f_c = w ((c - c0)/c0) |P|^2 (the free energy of Simulator::free_energy).
    double
    energy_density(const PointState<dim> &s) const override
    {
      const IonSpecies &m  = layers[s.layer];
      const double      P2 = m.polarization_squared(s.value, P0, dim);
      const auto        occ = m.occupation(s.value[phi], s.value[eta], P2);
      return m.landau * (occ.c - m.density) / m.density * P2;
    }
  };
} // namespace FerroStack

#endif
