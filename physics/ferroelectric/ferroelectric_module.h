#ifndef ferrostack_physics_ferroelectric_ferroelectric_module_h
#define ferrostack_physics_ferroelectric_ferroelectric_module_h

#include <physics/ferroelectric/landau.h>
#include <physics/ferroelectric/quenched_disorder.h>
#include <physics/field_registry.h>
#include <physics/physics_module.h>

#include <array>
#include <cmath>
#include <functional>
#include <memory>
#include <vector>

namespace FerroStack
{
  /**
   * Time-dependent Ginzburg-Landau (Landau-Khalatnikov with gradients,
   * PHYSICS.md), scaled, per polarized component a:
   *   R_Pa = [(eps0/Gamma) dPa/dt + df_L/dPa + d phi/dx_a] w + g grad Pa . grad w,
   * and the bound charge in Poisson's row, -P . grad v. Held mode (the
   * initial solve) replaces the row by Pa - Pa_hold. The Landau axes are x
   * (component 0) and z (the last); the in-plane y of 3D has none. On a
   * face with an extrapolation length lambda (dP/dn = -P/lambda, PHYSICS.md
   * TDGL boundary conditions) the surface energy (g / 2 lambda) |P|^2 adds
   * the face term (g / lambda) Pa w.
   *
   * A disordered layer (QuenchedDisorder, the material's `Disorder`) has
   * at each point the alpha of both axes times 1 + s g(x) (random-alpha,
   * grains; s the relative `Disorder spread`), or a built-in field E_b =
   * s g(x) along its polar axis (random-field; z, or x for an in-plane
   * ferroelectric), whose energy -E_b P_axis adds -E_b to that row.
   */
  template <int dim>
  class FerroelectricModule : public PhysicsModule<dim>
  {
  public:
    struct LayerData
    {
      bool         active = false; ///< P is a TDGL field in this layer
      LandauEnergy landau;         ///< scaled
      double       mass     = 0;   ///< eps0 / Gamma [s]
      double       gradient = 0;   ///< g eps0 / L^2 (scaled)
      /// Extrapolation length [nm] per side (FaceInfo::side()); 0 = none.
      std::array<double, 2 * dim> extrapolation{};
      /// Quenched disorder; null for an ideal film.
      std::shared_ptr<const QuenchedDisorder<dim>> disorder;
      double alpha_spread = 0; ///< relative spread of alpha per unit g
      double field_spread = 0; ///< built-in field per unit g (scaled)
      unsigned polar_component = dim - 1; ///< the P component of the built-in field
      /// Nucleation sites at interfaces (`Disorder depth`): the disorder
      /// acts within this distance [nm] of the layer's faces at heights
      /// bottom and top [nm] only; 0: everywhere.
      double interface_depth = 0, bottom = 0, top = 0;

      /// The disorder number g at @p x [nm], zero beyond the interface
      /// depth (and in an ideal film).
      double
      disorder_at(const dealii::Point<dim> &x) const
      {
        if (!disorder)
          return 0.;
        const double height = x[dim - 1];
        if (interface_depth > 0 && std::min(height - bottom, top - height) > interface_depth)
          return 0.;
        return disorder->value(x);
      }
    };

    std::vector<LayerData> layers;
    unsigned               phi = 0, P0 = 1; ///< components (from the registry)
    /// The deck's initial polarization (scaled) at a point of a layer.
    std::function<dealii::Tensor<1, dim>(const dealii::Point<dim> &, unsigned)> initial_polarization;

    std::string
    name() const override
    {
      return "ferroelectric";
    }

    void
    declare_fields(FieldRegistry<dim> &registry) const override
    {
      registry.declare("polarization", dim, "eps0 kT/(q nm)");
    }

    bool
    active_on(const unsigned layer) const override
    {
      return layers[layer].active;
    }

    std::optional<double>
    initial_value(const dealii::Point<dim> &x, const unsigned layer, const unsigned c) const override
    {
      if (!layers[layer].active || c < P0 || c >= P0 + dim || !initial_polarization)
        return std::nullopt;
      return initial_polarization(x, layer)[c - P0];
    }

    void
    cell_terms(const PointState<dim> &s, const TimeCoefficients &time, PointTerms<dim> &t) const override
    {
      const LayerData       &layer = layers[s.layer];
      const bool             hold  = time.mode == TimeCoefficients::Mode::hold;
      const bool             bdf   = time.mode == TimeCoefficients::Mode::bdf;
      dealii::Tensor<1, dim> P;
      for (unsigned a = 0; a < dim; ++a)
        P[a] = s.value[P0 + a];

      // Bound charge in Poisson's row: -P . grad v.
      for (unsigned a = 0; a < dim; ++a)
        {
          t.flux[phi][a] -= P[a];
          t.flux_size[phi][a] += std::abs(P[a]);
          t.dflux_du[phi][P0 + a][a] -= 1;
          t.couple(phi, P0 + a);
        }

      if (hold)
        {
          for (unsigned a = 0; a < dim; ++a)
            {
              t.value[P0 + a] += P[a] - s.history[P0 + a];
              t.value_size[P0 + a] += std::abs(P[a]) + std::abs(s.history[P0 + a]);
              t.dvalue_du[P0 + a][P0 + a] += 1;
              t.couple(P0 + a, P0 + a);
            }
          return;
        }

      const double Px = dim > 1 ? P[0] : 0., Pz = P[dim - 1];
      double       built_in = 0;
      const auto   landau   = landau_at(layer, s.x, built_in);
      const auto   g        = landau.gradient(Px, Pz);
      const auto   H        = landau.hessian(Px, Pz);
      // Landau axis of component a: x = 0, z = 1, none (3D y) = -1.
      const auto axis = [](const unsigned a) { return a == dim - 1 ? 1 : (a == 0 ? 0 : -1); };
      for (unsigned a = 0; a < dim; ++a)
        {
          const unsigned c  = P0 + a;
          const int      la = axis(a);
          double         force = la >= 0 ? g[la] : 0.;
          double         size  = la >= 0 ? std::abs(H[la][la] * P[a]) : 0.;
          force += s.gradient[phi][a]; // -E_a
          size += std::abs(s.gradient[phi][a]);
          if (a == layer.polar_component && built_in != 0)
            {
              force -= built_in;
              size += std::abs(built_in);
            }
          t.dvalue_dgrad[c][phi][a] += 1;
          t.couple(c, phi);
          if (bdf)
            {
              const double m = layer.mass / time.dt;
              force += m * (time.a0 * P[a] + s.history[c]);
              size += m * (std::abs(time.a0 * P[a]) + std::abs(s.history[c]));
              t.dvalue_du[c][c] += m * time.a0;
            }
          for (unsigned b = 0; b < dim; ++b)
            {
              const int lb = axis(b);
              if (la >= 0 && lb >= 0)
                t.dvalue_du[c][P0 + b] += H[la][lb];
              t.couple(c, P0 + b);
            }
          t.value[c] += force;
          t.value_size[c] += size;
          for (unsigned d = 0; d < dim; ++d)
            {
              t.flux[c][d] += layer.gradient * s.gradient[c][d];
              t.flux_size[c][d] += std::abs(layer.gradient * s.gradient[c][d]);
              t.dflux_dgrad[c][c][d][d] += layer.gradient;
            }
        }
    }

    bool
    active_on_face(const FaceInfo &face) const override
    {
      return layers[face.layer].active && layers[face.layer].extrapolation[face.side()] > 0;
    }

    /// f_L(P) + (g/2) |grad P|^2 + P . grad phi (the last, -P . E, couples
    /// P to the field; the field's own energy is ElectrostaticsModule's).
    double
    energy_density(const PointState<dim> &s) const override
    {
      const LayerData &layer = layers[s.layer];
      double           density = 0;
      for (unsigned a = 0; a < dim; ++a)
        density += s.value[P0 + a] * s.gradient[phi][a] +
                   0.5 * layer.gradient * s.gradient[P0 + a] * s.gradient[P0 + a];
      double     built_in = 0;
      const auto landau   = landau_at(layer, s.x, built_in);
      return density + landau.energy(dim > 1 ? s.value[P0] : 0., s.value[P0 + dim - 1]) -
             built_in * s.value[P0 + layer.polar_component];
    }

    /// The Landau energy of @p layer at @p x, and the built-in field there
    /// (scaled), both with the layer's quenched disorder.
    static LandauEnergy
    landau_at(const LayerData &layer, const dealii::Point<dim> &x, double &built_in)
    {
      built_in = 0;
      if (!layer.disorder)
        return layer.landau;
      const double g = layer.disorder_at(x);
      if (layer.field_spread != 0)
        {
          built_in = layer.field_spread * g;
          return layer.landau;
        }
      LandauEnergy local = layer.landau;
      local.x.alpha *= 1 + layer.alpha_spread * g;
      local.z.alpha *= 1 + layer.alpha_spread * g;
      return local;
    }

    /// (g / 2 lambda) |P|^2 on a face with an extrapolation length.
    double
    face_energy_density(const PointState<dim> &s, const FaceInfo &face) const override
    {
      const LayerData &layer = layers[face.layer];
      double           P2    = 0;
      for (unsigned a = 0; a < dim; ++a)
        P2 += s.value[P0 + a] * s.value[P0 + a];
      return 0.5 * layer.gradient / layer.extrapolation[face.side()] * P2;
    }

    void
    face_terms(const PointState<dim> &s,
               const FaceInfo        &face,
               const TimeCoefficients &time,
               PointTerms<dim>        &t) const override
    {
      if (time.mode == TimeCoefficients::Mode::hold)
        return; // P is held, its row is P - P_hold
      const LayerData &layer = layers[face.layer];
      const double     robin = layer.gradient / layer.extrapolation[face.side()];
      for (unsigned a = 0; a < dim; ++a)
        {
          const unsigned c = P0 + a;
          t.value[c] += robin * s.value[c];
          t.value_size[c] += std::abs(robin * s.value[c]);
          t.dvalue_du[c][c] += robin;
          t.couple(c, c);
        }
    }
  };
} // namespace FerroStack

#endif
