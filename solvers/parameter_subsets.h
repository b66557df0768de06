#ifndef ferrostack_solvers_parameter_subsets_h
#define ferrostack_solvers_parameter_subsets_h

#include <meshes/stack_description.h>
#include <physics/ferroelectric/initial_polarization_parameters.h>
#include <physics/materials/material.h>
#include <solvers/parameters.h>

#include <vector>

namespace FerroStack
{
  /**
   * @name The parts of the deck that physics/ and meshes/ take
   *
   * Parameters is the whole deck and belongs to solvers/. The folders below
   * it own plain structs of just what they need; these functions fill them
   * from Parameters, so that includes run one way (README, "Layout").
   */
  /// @{

  /// The material of each layer of `Stack/Layers`, bottom to top (pointers
  /// into prm.materials, valid as long as @p prm).
  std::vector<const Material *>
  layer_materials(const Parameters &prm);

  /// What StackMesh and estimate_stack_size() take: `Stack`, the contacts'
  /// geometry and the kind of each layer's material.
  StackDescription
  stack_description(const Parameters &prm);

  /// What InitialPolarization takes: `Initial polarization`, whether
  /// `Physics/Polarization` is off, the temperature and the layers' materials.
  InitialPolarizationParameters
  initial_polarization_parameters(const Parameters &prm);

  /// @}
} // namespace FerroStack

#endif
