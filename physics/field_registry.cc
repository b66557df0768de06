#include <deal.II/dofs/dof_tools.h>

#include <base/deck_error.h>
#include <physics/field_registry.h>
#include <physics/physics_module.h>

#include <stdexcept>

namespace FerroStack
{
  template <int dim>
  unsigned
  FieldRegistry<dim>::declare(const std::string &name, const unsigned n_components, const std::string &unit)
  {
    if (has(name))
      throw std::logic_error("field '" + name + "' declared twice");
    if (this->n_components() + n_components > max_components)
      throw DeckError("this problem needs more than " + std::to_string(max_components) +
                      " solution components (adding '" + name + "' to " + std::to_string(this->n_components()) +
                      "): fewer ion species or trap levels (Materials/<name>/Trap levels)");
    fields.push_back({name, n_components, this->n_components(), unit});
    return fields.size() - 1;
  }

  template <int dim>
  bool
  FieldRegistry<dim>::has(const std::string &name) const
  {
    for (const FieldDescription &f : fields)
      if (f.name == name)
        return true;
    return false;
  }

  template <int dim>
  unsigned
  FieldRegistry<dim>::index(const std::string &name) const
  {
    for (unsigned f = 0; f < fields.size(); ++f)
      if (fields[f].name == name)
        return f;
    throw std::logic_error("no field named '" + name + "' in this problem");
  }

  template <int dim>
  unsigned
  FieldRegistry<dim>::n_components() const
  {
    return fields.empty() ? 0 : fields.back().first_component + fields.back().n_components;
  }

  template <int dim>
  unsigned
  FieldRegistry<dim>::field_of_component(const unsigned c) const
  {
    for (unsigned f = 0; f < fields.size(); ++f)
      if (c >= fields[f].first_component && c < fields[f].first_component + fields[f].n_components)
        return f;
    throw std::logic_error("component " + std::to_string(c) + " belongs to no field");
  }

  template <int dim>
  dealii::ComponentMask
  FieldRegistry<dim>::mask(const std::vector<std::string> &names) const
  {
    std::vector<bool> selected(n_components(), false);
    for (const std::string &name : names)
      {
        const FieldDescription &f = fields[index(name)];
        for (unsigned c = 0; c < f.n_components; ++c)
          selected[f.first_component + c] = true;
      }
    return dealii::ComponentMask(selected);
  }

  template <int dim>
  void
  FieldRegistry<dim>::distribute(const dealii::DoFHandler<dim> &dof_handler)
  {
    const dealii::IndexSet owned = dof_handler.locally_owned_dofs();
    if (!owned.is_contiguous())
      throw std::logic_error("FieldRegistry: the locally owned dofs are not contiguous");
    field_dofs.clear();
    local_field.assign(owned.n_elements(), 0);
    const auto first = owned.n_elements() > 0 ? *owned.begin() : 0;
    for (unsigned f = 0; f < fields.size(); ++f)
      {
        field_dofs.push_back(dealii::DoFTools::extract_dofs(dof_handler, mask({fields[f].name})) & owned);
        for (const auto i : field_dofs.back())
          local_field[i - first] = f;
      }
  }

  template class FieldRegistry<1>;
  template class FieldRegistry<2>;
  template class FieldRegistry<3>;
} // namespace FerroStack
