#ifndef ferrostack_meshes_stack_mesh_h
#define ferrostack_meshes_stack_mesh_h

#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria_base.h>

#include <meshes/stack_description.h>

#include <memory>
#include <string>
#include <vector>

namespace FerroStack
{
  using dealii::types::boundary_id;
  using dealii::types::material_id;

  /**
   * The mesh of a layered stack and its bookkeeping: which layer (region)
   * each cell belongs to, and which boundary faces belong to which contact.
   *
   * It is built from a StackDescription (the deck's `Stack/Layers`, mesh
   * keys and contacts' geometry): generated (a tensor-product mesh whose
   * vertical axis is the last coordinate, with a mesh line at every interface
   * and at every end of a partial contact) or read from a Gmsh file whose
   * physical groups carry the layer and contact names. Cells carry the
   * layer index as material id. Boundary faces carry
   * - contact_boundary_id(k) for the faces of contact k,
   * - side_boundary_id(side) for the other faces, so that periodicity and
   *   later boundary conditions can find them.
   *
   * 2D and 3D meshes are p4est-distributed; 1D meshes (which p4est does not
   * support) are parallel::shared, i.e. replicated and partitioned.
   */
  template <int dim>
  class StackMesh
  {
  public:
    StackMesh(const StackDescription &stack, const MPI_Comm comm);

    dealii::parallel::TriangulationBase<dim> &
    triangulation()
    {
      return *tria;
    }
    const dealii::parallel::TriangulationBase<dim> &
    triangulation() const
    {
      return *tria;
    }

    /// The layer of the cells with @p id.
    const Layer &
    layer(const material_id id) const
    {
      return layers.at(id);
    }
    unsigned
    n_layers() const
    {
      return layers.size();
    }

    static boundary_id
    contact_boundary_id(const unsigned contact_index)
    {
      return 100 + contact_index;
    }
    /// Sides: 0 left, 1 right, 2 front, 3 back, 4 bottom, 5 top (in 2D
    /// there is no front/back; in 1D only bottom and top).
    static boundary_id
    side_boundary_id(const ContactGeometry::Side side);

    bool
    periodic() const
    {
      return periodic_lateral;
    }

    /// Height of the stack [nm] (sum of the layer thicknesses).
    double
    height() const
    {
      return total_height;
    }

    /// A summary for `--check` and run.log: layers, cells, contacts.
    std::string
    summary() const;

  private:
    std::unique_ptr<dealii::parallel::TriangulationBase<dim>> tria;
    std::vector<Layer>                                        layers;
    std::vector<std::string>                                  material_kinds;
    std::vector<ContactGeometry>                              contacts;
    bool                                                      periodic_lateral;
    double                                                    total_height = 0;

    void
    generate_stack(const StackDescription &stack);
    void
    read_gmsh(const StackDescription &stack);
    void
    check_contacts(const StackDescription &stack) const;
  };
} // namespace FerroStack

#endif
