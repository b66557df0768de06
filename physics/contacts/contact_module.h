#ifndef ferrostack_physics_contacts_contact_module_h
#define ferrostack_physics_contacts_contact_module_h

#include <physics/field_registry.h>
#include <physics/physics_module.h>
#include <physics/transport/semiconductor_model.h>

#include <cmath>
#include <vector>

namespace FerroStack
{
  /**
   * The face terms of contacts (PHYSICS.md, contacts), on the faces whose
   * boundary id is a contact's:
   * - a metal with a Thomas-Fermi screening length lambda: the Robin
   *   condition (eps grad phi - P) . nu = (eps_m / lambda) (phi_c - phi),
   *   i.e. the term G (phi - phi_c) v in Poisson's row with G = eps_m/lambda;
   * - thermionic emission at a Schottky (metal, gate on a semiconductor)
   *   contact: the electron continuity row loses the outflow
   *   v_n (n - n_eq), the hole row gains v_p (p - p_eq) (SemiconductorModel::
   *   thermionic_emission), with image-force lowering of the barriers by the
   *   interface field F = -grad phi . nu when image_force > 0, with the
   *   layer's permittivity along the normal, eps_nu = sum_d eps_d nu_d^2.
   * Dirichlet values (ohmic contacts, metals without screening) are
   * constraints, not terms: the simulator sets them. The contact voltages
   * change with time; the simulator writes them into `contacts` before each
   * solve (phi_c and voltage), the module only reads them.
   */
  template <int dim>
  class ContactModule : public PhysicsModule<dim>
  {
  public:
    struct ContactData
    {
      unsigned boundary    = FaceInfo::none; ///< StackMesh::contact_boundary_id
      double   screening   = 0;              ///< G = eps_m / lambda [1/nm]; 0 = none
      bool     thermionic  = false;          ///< emission on a semiconductor
      double   image_force = 0;              ///< q / (4 pi eps0 L V_T), scaled; 0 = off
      double   phi_c       = 0;              ///< potential behind the screening layer (scaled)
      double   voltage     = 0;              ///< the contact's Fermi level V (scaled)
    };

    std::vector<ContactData>            contacts;
    std::vector<SemiconductorModel>     layers;       ///< per layer (active where carriers live)
    std::vector<bool>                   has_carriers; ///< per layer
    std::vector<dealii::Tensor<1, dim>> permittivity; ///< per layer, per axis
    unsigned                            phi = 0, n = 0, p = 0; ///< components (from the registry)

    std::string
    name() const override
    {
      return "contacts";
    }

    void
    declare_fields(FieldRegistry<dim> &) const override
    {}

    bool
    active_on(const unsigned) const override
    {
      return false;
    }

    void
    cell_terms(const PointState<dim> &, const TimeCoefficients &, PointTerms<dim> &) const override
    {}

    bool
    active_on_face(const FaceInfo &face) const override
    {
      const ContactData *c = contact_of(face);
      return c != nullptr && (c->screening > 0 || emits(*c, face));
    }

    void
    face_terms(const PointState<dim> &s,
               const FaceInfo        &face,
               const TimeCoefficients &,
               PointTerms<dim> &t) const override
    {
      const ContactData &c = *contact_of(face);
      if (c.screening > 0)
        {
          t.value[phi] += c.screening * (s.value[phi] - c.phi_c);
          t.value_size[phi] += c.screening * (std::abs(s.value[phi]) + std::abs(c.phi_c));
          t.dvalue_du[phi][phi] += c.screening;
          t.couple(phi, phi);
        }
      if (!emits(c, face))
        return;
      double beta = 0;
      if (c.image_force > 0)
        {
          double eps_normal = 0;
          for (unsigned d = 0; d < dim; ++d)
            eps_normal += permittivity[face.layer][d] * s.normal[d] * s.normal[d];
          beta = c.image_force / eps_normal;
        }
      const double F = -(s.gradient[phi] * s.normal);
      const auto   e = layers[face.layer].thermionic_emission(s.value[phi], s.value[n], s.value[p], c.voltage, F, beta);
      // dF/d(grad phi) = -nu.
      t.value[n] -= e.flux_n;
      t.value_size[n] += e.size_n;
      t.dvalue_du[n][phi] -= e.dflux_n_dphi;
      t.dvalue_dgrad[n][phi] += e.dflux_n_dF * s.normal;
      t.dvalue_du[n][n] -= e.dflux_n_dphi_n;
      t.couple(n, phi);
      t.couple(n, n);
      t.value[p] += e.flux_p;
      t.value_size[p] += e.size_p;
      t.dvalue_du[p][phi] += e.dflux_p_dphi;
      t.dvalue_dgrad[p][phi] -= e.dflux_p_dF * s.normal;
      t.dvalue_du[p][p] += e.dflux_p_dphi_p;
      t.couple(p, phi);
      t.couple(p, p);
    }

    bool
    contact_flux() const override
    {
      return true;
    }

  private:
    const ContactData *
    contact_of(const FaceInfo &face) const
    {
      if (face.boundary == FaceInfo::none)
        return nullptr;
      for (const ContactData &c : contacts)
        if (c.boundary == face.boundary)
          return &c;
      return nullptr;
    }

    bool
    emits(const ContactData &c, const FaceInfo &face) const
    {
      return c.thermionic && has_carriers[face.layer];
    }
  };
} // namespace FerroStack

#endif
