#ifndef ferrostack_meshes_stack_description_h
#define ferrostack_meshes_stack_description_h

#include <meshes/contact_geometry.h>
#include <meshes/layer.h>

#include <string>
#include <vector>

namespace FerroStack
{
  /**
   * What StackMesh builds a mesh from and estimate_stack_size() counts: the
   * layers, the lateral extent and cells, the contacts' geometry, or a Gmsh
   * file. Units are those of the deck (lengths [nm]). A struct of its own,
   * filled by solvers/ from the deck and the material library, so that
   * meshes/ depends on neither.
   */
  struct StackDescription
  {
    /// The layers, bottom to top; layer l's cells get material id l.
    std::vector<Layer> layers;
    /// The kind of each layer's material ("dielectric", "ferroelectric",
    /// ...), for StackMesh::summary() only.
    std::vector<std::string> material_kinds;

    /// The contacts in the deck's order: contact k's faces get
    /// StackMesh::contact_boundary_id(k).
    std::vector<ContactGeometry> contacts;

    double   width               = 100; ///< along x [nm]
    double   depth               = 100; ///< along y, in 3D [nm]
    unsigned lateral_cells       = 20;  ///< cells across the width (and the depth)
    double   interface_cell_size = 0;   ///< [nm]; 0 = no grading toward the interfaces
    /// [nm]; > 0 grades the lateral (x) cells toward the ends of partial
    /// contacts (and the device's sides); 0 = uniform lateral cells.
    double contact_edge_cell_size = 0;
    unsigned refinement          = 0;   ///< global refinements of the coarse mesh
    bool     periodic_lateral    = false;

    /// A Gmsh mesh to read instead of generating the stack; empty: generate.
    std::string mesh_file;
    /// The deck, which error messages name.
    std::string deck_file;
  };
} // namespace FerroStack

#endif
