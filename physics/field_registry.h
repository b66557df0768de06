#ifndef ferrostack_physics_field_registry_h
#define ferrostack_physics_field_registry_h

#include <deal.II/base/index_set.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/component_mask.h>
#include <deal.II/fe/fe_values_extractors.h>

#include <string>
#include <vector>

namespace FerroStack
{
  /// One field of the coupled problem: its name, how many vector components
  /// it has, the first of them in the finite element, and its scaled unit.
  struct FieldDescription
  {
    std::string name;
    unsigned    n_components    = 1;
    unsigned    first_component = 0;
    std::string unit; ///< what one scaled unit is (for messages), e.g. "kT/q"
  };

  /**
   * The fields of the coupled problem, looked up by name (ASPECT's
   * "introspection"): whoever needs the polarization asks for
   * `component("polarization")` or `vector("polarization")` instead of
   * hard-coding "component 1". Fields are declared in order; each takes the
   * next components of the FESystem. After the DoFHandler is distributed,
   * distribute() records which locally owned degrees of freedom belong to
   * which field, for per-field norms (the Newton criterion, the time-step
   * error) without looking at components again.
   */
  template <int dim>
  class FieldRegistry
  {
  public:
    /// Add a field of @p n_components components; returns its index.
    unsigned
    declare(const std::string &name, const unsigned n_components, const std::string &unit);

    bool
    has(const std::string &name) const;

    /// The index of field @p name (throws std::logic_error if undeclared).
    unsigned
    index(const std::string &name) const;

    const FieldDescription &
    field(const unsigned f) const
    {
      return fields[f];
    }

    unsigned
    n_fields() const
    {
      return fields.size();
    }

    /// The total number of components of the FESystem.
    unsigned
    n_components() const;

    /// The first component of field @p name.
    unsigned
    component(const std::string &name) const
    {
      return fields[index(name)].first_component;
    }

    /// The field that component @p c belongs to.
    unsigned
    field_of_component(const unsigned c) const;

    dealii::FEValuesExtractors::Scalar
    scalar(const std::string &name) const
    {
      return dealii::FEValuesExtractors::Scalar(component(name));
    }

    dealii::FEValuesExtractors::Vector
    vector(const std::string &name) const
    {
      return dealii::FEValuesExtractors::Vector(component(name));
    }

    /// The component mask of the fields named in @p names.
    dealii::ComponentMask
    mask(const std::vector<std::string> &names) const;

    /// Record the locally owned dofs of every field (call after distribute_dofs).
    void
    distribute(const dealii::DoFHandler<dim> &dof_handler);

    /// The locally owned dofs of field @p f.
    const dealii::IndexSet &
    owned_dofs(const unsigned f) const
    {
      return field_dofs[f];
    }

    /// For each locally owned dof (in the order of the local vector
    /// entries), the field it belongs to.
    const std::vector<unsigned char> &
    local_fields() const
    {
      return local_field;
    }

  private:
    std::vector<FieldDescription> fields;
    std::vector<dealii::IndexSet> field_dofs;
    std::vector<unsigned char>    local_field;
  };
} // namespace FerroStack

#endif
