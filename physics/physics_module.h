#ifndef ferrostack_physics_physics_module_h
#define ferrostack_physics_physics_module_h

#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace FerroStack
{
  template <int dim>
  class FieldRegistry;

  /// The most components a problem has: phi, three P, phi_n, phi_p, and
  /// room for ion species and trap levels (FieldRegistry::declare refuses
  /// more). PointTerms is sized by it; its clear() touches only the
  /// problem's components, so the room costs no time.
  constexpr unsigned max_components = 12;

  /**
   * How the time derivative enters a residual at the present solve (the
   * BDF coefficients a module needs, nothing of the time loop): not at all,
   * held at a given state (the initial solve), or the BDF formula
   * du/dt = (a0 u + a1 u_1 + a2 u_2) / dt.
   */
  struct TimeCoefficients
  {
    enum class Mode
    {
      none,
      hold,
      bdf
    } mode    = Mode::none;
    double a0 = 1; ///< BDF coefficient of the new state
    double a1 = 0; ///< coefficient of the last accepted state
    double a2 = 0; ///< coefficient of the one before (BDF2)
    double dt = 1; ///< [s]

    /// The BDF rate of a stored quantity and the size of its terms.
    struct Rate
    {
      double value = 0; ///< (a0 x + a1 x_1 + a2 x_2) / dt
      double size  = 0; ///< (|a0 x| + |a1 x_1| + |a2 x_2|) / dt
      double mass  = 0; ///< a0 / dt, d value / d x
    };

    /// The rate of x, in time units of @p time_unit seconds, from its
    /// present value @p x and @p old(k), its value at accepted state k (0
    /// the last), asked for only where its coefficient is not zero; zero
    /// outside BDF mode.
    template <typename OldValue>
    Rate
    rate(const double x, const double time_unit, const OldValue &old) const
    {
      Rate r;
      if (mode != Mode::bdf)
        return r;
      const double step = dt / time_unit;
      r.value           = a0 * x;
      r.size            = std::abs(r.value);
      const double a[2] = {a1, a2};
      for (unsigned k = 0; k < 2; ++k)
        if (a[k] != 0)
          {
            const double term = a[k] * old(k);
            r.value += term;
            r.size += std::abs(term);
          }
      r.value /= step;
      r.size /= step;
      r.mass = a0 / step;
      return r;
    }
  };

  /**
   * Everything a module may read at one quadrature point, filled once per
   * point by the assembly loop: each component's value and gradient (zero
   * where its field does not live), the BDF history sum of each component
   * (sum_k a_k u^(n-k), k >= 1) and the two last accepted states, the point
   * and the layer of the cell (whose material the modules look up in their
   * own per-layer data).
   */
  template <int dim>
  struct PointState
  {
    dealii::Point<dim>                                x;
    dealii::Tensor<1, dim>                            normal; ///< outward unit normal (faces only)
    unsigned                                          layer = 0;
    std::array<double, max_components>                value{};
    std::array<dealii::Tensor<1, dim>, max_components> gradient{};
    std::array<double, max_components>                history{};
    std::array<std::array<double, max_components>, 2> old_value{};
  };

  /**
   * What the modules add at one quadrature point (PRISMS-PF's pointwise
   * residual idea): for each component c the residual row is
   *   R_c = value[c] v + flux[c] . grad v,
   * and the Jacobian with respect to component e's shape function u is
   *   v (dvalue_du[c][e] u + dvalue_dgrad[c][e] . grad u)
   *   + grad v . (dflux_du[c][e] u + dflux_dgrad[c][e] grad u).
   * value_size and flux_size are the magnitudes of the terms without their
   * cancellation (the Newton criterion's reference residual). `coupled`
   * marks the (c, e) pairs a module wrote, so that the loop skips the rest.
   * A module adds (+=) to whatever rows it owns or couples into.
   */
  template <int dim>
  struct PointTerms
  {
    std::array<double, max_components>                                     value{};
    std::array<dealii::Tensor<1, dim>, max_components>                     flux{};
    std::array<double, max_components>                                     value_size{};
    std::array<dealii::Tensor<1, dim>, max_components>                     flux_size{};
    std::array<std::array<double, max_components>, max_components>         dvalue_du{};
    std::array<std::array<dealii::Tensor<1, dim>, max_components>, max_components> dvalue_dgrad{};
    std::array<std::array<dealii::Tensor<1, dim>, max_components>, max_components> dflux_du{};
    std::array<std::array<dealii::Tensor<2, dim>, max_components>, max_components> dflux_dgrad{};
    std::array<std::array<bool, max_components>, max_components>           coupled{};

    /// Zero the terms of the first @p n components (the problem's), not
    /// the whole fixed-size block: this runs at every quadrature point.
    void
    clear(const unsigned n = max_components)
    {
      for (unsigned c = 0; c < n; ++c)
        {
          value[c]      = 0;
          flux[c]       = dealii::Tensor<1, dim>();
          value_size[c] = 0;
          flux_size[c]  = dealii::Tensor<1, dim>();
          for (unsigned e = 0; e < n; ++e)
            {
              dvalue_du[c][e]    = 0;
              dvalue_dgrad[c][e] = dealii::Tensor<1, dim>();
              dflux_du[c][e]     = dealii::Tensor<1, dim>();
              dflux_dgrad[c][e]  = dealii::Tensor<2, dim>();
              coupled[c][e]      = false;
            }
        }
    }

    /// Mark (c, e) as coupled and return *this (for chained writes).
    void
    couple(const unsigned c, const unsigned e)
    {
      coupled[c][e] = true;
    }
  };

  /**
   * Where a face lies, for the modules' face terms: the layer of the cell
   * it bounds, the layer on the other side (or none at the boundary of the
   * mesh), the boundary id (contacts: StackMesh::contact_boundary_id), and
   * the side of the cell it is on (axis 0 = x, dim-1 = the stack's normal;
   * positive = the face lies towards +axis). Only faces at the boundary of
   * the mesh (periodic ones excluded) and between two layers are offered.
   */
  struct FaceInfo
  {
    static constexpr unsigned none = static_cast<unsigned>(-1);
    unsigned                  layer          = 0;
    unsigned                  neighbor_layer = none;
    unsigned                  boundary       = none;
    unsigned                  axis           = 0;
    bool                      positive       = false;

    /// Index of the side, 2 axis + positive (0 = left ... 2 dim - 1 = top).
    unsigned
    side() const
    {
      return 2 * axis + (positive ? 1 : 0);
    }
  };

  /**
   * A physics module (lethe's one-lifecycle-per-physics): it declares its
   * fields, says on which layers it is active, and adds its residual and
   * Jacobian terms at a quadrature point of a cell and of a face (contacts,
   * surface conditions), in the same PointTerms. A module reads only the PointState and its own
   * data, never another module, and knows nothing of the time loop or the
   * solver beyond the TimeCoefficients it is given. The simulator asks each
   * active module for its terms and scatters them through the field
   * registry; adding a field means adding a module.
   */
  template <int dim>
  class PhysicsModule
  {
  public:
    virtual ~PhysicsModule() = default;

    /// The module's name, for messages.
    virtual std::string
    name() const = 0;

    /// Declare the module's fields (name, components, unit).
    virtual void
    declare_fields(FieldRegistry<dim> &registry) const = 0;

    /// Whether the module has terms on cells of layer @p layer.
    virtual bool
    active_on(const unsigned layer) const = 0;

    /// The initial value (scaled) of component @p component at point @p x
    /// of layer @p layer, if this module sets it (else the next module's, or
    /// zero).
    virtual std::optional<double>
    initial_value(const dealii::Point<dim> & /*x*/, const unsigned /*layer*/, const unsigned /*component*/) const
    {
      return std::nullopt;
    }

    /// Add the module's terms at one quadrature point.
    virtual void
    cell_terms(const PointState<dim> &state, const TimeCoefficients &time, PointTerms<dim> &terms) const = 0;

    /**
     * Add the module's terms of densities at one point: their space charge,
     * storage (BDF) and reactions (recombination, generation), value terms
     * only (value, value_size, dvalue_du), from the state's values, not its
     * gradients (which are zero at the nodes). The simulator evaluates them at
     * the element's nodes (nodal quadrature: a lumped mass, the box method's
     * control-volume balance) when `Discretization/Mass lumping` is on, and
     * at the cell's quadrature points otherwise. Lumped, the storage of a
     * node sees only that node's density: a node depleted towards zero has
     * no storage term left that a neighbour's density could hold away from
     * balance, so the implicit step keeps a positive solution where the
     * consistent mass matrix asks for a negative density (Thomee, Galerkin
     * Finite Element Methods for Parabolic Problems, ch. 15; the positivity
     * of lumped schemes).
     */
    virtual void
    lumped_terms(const PointState<dim> & /*state*/,
                 const TimeCoefficients & /*time*/,
                 PointTerms<dim> & /*terms*/) const
    {}

    /// Whether lumped_terms adds anything (the simulator skips the nodal
    /// loop of modules without).
    virtual bool
    has_lumped_terms() const
    {
      return false;
    }

    /// Whether the module has terms on the face @p face.
    virtual bool
    active_on_face(const FaceInfo & /*face*/) const
    {
      return false;
    }

    /// Add the module's terms at one quadrature point of a face (state.normal
    /// set): R_c = value[c] v on the face (flux[c] . grad v too, if any).
    virtual void
    face_terms(const PointState<dim> & /*state*/,
               const FaceInfo & /*face*/,
               const TimeCoefficients & /*time*/,
               PointTerms<dim> & /*terms*/) const
    {}

    /// The module's share of the free-energy density at a cell point
    /// (scaled, eps0 V_T^2 / L^2): the functional whose variation gives its
    /// equations, so that a run can check that TDGL lowers it.
    virtual double
    energy_density(const PointState<dim> & /*state*/) const
    {
      return 0;
    }

    /// The module's surface energy density at a face point (scaled).
    virtual double
    face_energy_density(const PointState<dim> & /*state*/, const FaceInfo & /*face*/) const
    {
      return 0;
    }

    /// Whether the face terms are the fluxes through contacts that the
    /// terminal residual measures (and so are left out of it).
    virtual bool
    contact_flux() const
    {
      return false;
    }
  };
} // namespace FerroStack

#endif
