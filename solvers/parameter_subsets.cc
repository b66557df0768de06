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
