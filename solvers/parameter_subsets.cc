#include <solvers/parameter_subsets.h>

namespace FerroStack
{
  std::vector<const Material *>
  layer_materials(const Parameters &prm)
  {
    std::vector<const Material *> materials;
    for (const Layer &layer : prm.layers)
      materials.push_back(&prm.materials.get(layer.material));
    return materials;
  }

  StackDescription
  stack_description(const Parameters &prm)
  {
    StackDescription stack;
    stack.layers = prm.layers;
    for (const Material *m : layer_materials(prm))
      stack.material_kinds.push_back(kind_name(m->kind));
    stack.contacts.assign(prm.contacts.begin(), prm.contacts.end()); // their geometry only
    stack.width               = prm.width;
    stack.depth               = prm.depth;
    stack.lateral_cells       = prm.lateral_cells;
    stack.interface_cell_size = prm.interface_cell_size;
    stack.contact_edge_cell_size = prm.contact_edge_cell_size;
    stack.refinement          = prm.refinement;
    stack.periodic_lateral    = prm.periodic_lateral;
    stack.mesh_file           = prm.mesh_file;
    stack.deck_file           = prm.deck_file;
    return stack;
  }

  InitialPolarizationParameters
  initial_polarization_parameters(const Parameters &prm)
  {
    InitialPolarizationParameters parameters;
    parameters.enabled         = prm.polarization != Parameters::PolarizationModel::off;
    parameters.temperature     = prm.temperature;
    parameters.mode            = prm.initial_mode;
    parameters.value           = prm.initial_value;
    parameters.seed            = prm.initial_seed;
    parameters.stripe_period   = prm.stripe_period;
    parameters.layer_materials = layer_materials(prm);
    return parameters;
  }
} // namespace FerroStack
