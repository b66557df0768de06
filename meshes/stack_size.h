#ifndef ferrostack_meshes_stack_size_h
#define ferrostack_meshes_stack_size_h

#include <meshes/stack_description.h>

#include <vector>

namespace FerroStack
{
  /**
   * The size of the mesh that StackMesh would generate from `Stack/Layers`
   * and the mesh-size keys (a StackDescription), counted without building
   * it. It exists so that a deck asking for a mesh that cannot fit in
   * memory (a 1e9 nm layer, a million lateral cells) is refused as a deck
   * error before anything is allocated or written, instead of ending in
   * std::bad_alloc. The counts are doubles: they must not overflow where
   * the deck asks for more cells than an unsigned holds.
   */
  struct StackSize
  {
    /// Vertical cells of each layer, before refinement (as StackMesh makes them).
    std::vector<double> layer_cells;
    /// Cells across the width and the depth (1 where the device has no such axis).
    double lateral_cells[2] = {1, 1};
    /// Active cells after `Stack/Refinement`.
    double cells = 0;
    /// Active cells before refinement.
    double coarse_cells = 0;
    /// Nodes of the Lagrange elements of @p degree: the unknowns of the potential
    /// alone, the least any run solves for.
    double nodes = 0;
  };

  /**
   * Count the cells StackMesh<dim>::generate_stack() makes for @p stack (its
   * mesh file is not looked at): the same rules (a layer's default cell count
   * from the lateral cell size, graded cells toward the interfaces, mesh lines
   * at the ends of partial contacts), evaluated in floating point. Equal to
   * the generated mesh's cell count (tested in mesh_test.cc).
   */
  StackSize
  estimate_stack_size(const unsigned dim, const StackDescription &stack, const unsigned degree);
} // namespace FerroStack

#endif
