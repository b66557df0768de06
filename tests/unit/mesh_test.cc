#include <deal.II/base/mpi.h>

#include <base/deck_error.h>
#include <meshes/stack_mesh.h>
#include <meshes/stack_size.h>
#include <solvers/parameter_subsets.h>
#include <solvers/simulator.h>

#include <cmath>

#include "test_utilities.h"
#include <gtest/gtest.h>

#include <map>

using namespace FerroStack;
using namespace dealii;

namespace
{
  /// Total measure of the locally owned cells of layer @p id, summed over ranks.
  template <int dim>
  double
  region_measure(const StackMesh<dim> &mesh, const unsigned id)
  {
    double sum = 0;
    for (const auto &cell : mesh.triangulation().active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() == id)
        sum += cell->measure();
    return Utilities::MPI::sum(sum, MPI_COMM_WORLD);
  }

  /// Total measure of the locally owned boundary faces with @p id.
  template <int dim>
  double
  boundary_measure(const StackMesh<dim> &mesh, const types::boundary_id id)
  {
    double sum = 0;
    for (const auto &cell : mesh.triangulation().active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned f : cell->face_indices())
          if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == id)
            sum += cell->face(f)->measure();
    return Utilities::MPI::sum(sum, MPI_COMM_WORLD);
  }

  /// The smallest vertical extent of the locally owned cells of layer @p id.
  template <int dim>
  double
  smallest_height(const StackMesh<dim> &mesh, const unsigned id)
  {
    double h = 1e300;
    for (const auto &cell : mesh.triangulation().active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() == id)
        h = std::min(h, cell->extent_in_direction(dim - 1));
    return Utilities::MPI::min(h, MPI_COMM_WORLD);
  }
} // namespace

TEST(StackMesh, LayersGradingAndPartialContacts)
{
  const Parameters prm(Testing::write_deck("mesh2d", R"(set Dimension = 2
subsection Stack
  set Layers = gox: hBN: 10 : 12, fe: CIPS: 20 : 16
  set Width = 200
  set Lateral cells = 40
  set Interface cell size = 0.25
  set Refinement = 1
end
subsection Contacts
  set List = gate: bottom: metal(Pt), source: top[0,37]: ohmic, drain: top[163,200]: ohmic
end
)"));
  StackMesh<2>     mesh(stack_description(prm), MPI_COMM_WORLD);
  EXPECT_NEAR(region_measure(mesh, 0), 200 * 10, 1e-9);
  EXPECT_NEAR(region_measure(mesh, 1), 200 * 20, 1e-9);
  // Contact faces cover exactly the requested segments (mesh lines at their ends).
  EXPECT_NEAR(boundary_measure(mesh, StackMesh<2>::contact_boundary_id(0)), 200, 1e-9);
  EXPECT_NEAR(boundary_measure(mesh, StackMesh<2>::contact_boundary_id(1)), 37, 1e-9);
  EXPECT_NEAR(boundary_measure(mesh, StackMesh<2>::contact_boundary_id(2)), 37, 1e-9);
  // Graded: the interface cells are 0.25 nm before one refinement -> 0.125 nm.
  EXPECT_NEAR(smallest_height(mesh, 0), 0.125, 1e-9);
  EXPECT_NEAR(smallest_height(mesh, 1), 0.125, 1e-9);
  // Counted by hand: 40 lateral cells spread over the segments 37, 126, 37 nm
  // give 7 + 25 + 7; vertically, gox (mean 10/12 nm) grows 0.25 * 1.25^k for
  // 6 cells per side plus 5 in the middle (17), fe (mean 1.25 nm) 8 per side
  // plus 8 (24); one refinement multiplies by 4.
  EXPECT_EQ(mesh.triangulation().n_global_active_cells(), 4u * 39 * (17 + 24));
}

// The deck-only count that refuses too large meshes (Parameters) follows
// the same rules as the generated mesh: graded layers, partial-contact mesh
// lines, default layer cells from the lateral cell size, refinement, 1D-3D.
TEST(StackMesh, SizeEstimateEqualsGeneratedMesh)
{
  const auto count = [](const Parameters &prm) {
    return estimate_stack_size(prm.dimension, stack_description(prm), prm.degree);
  };
  const std::string stack = R"(subsection Stack
  set Layers = gox: hBN: 10, fe: CIPS: 20 : 16, top: SiO2: 3.3
  set Width = 200
  set Depth = 50
  set Lateral cells = 13
  set Interface cell size = 0.3
  set Refinement = 1
end
subsection Physics
  set Polarization = off
end
)";
  {
    const Parameters prm(Testing::write_deck("size2d",
                                             "set Dimension = 2\n" + stack +
                                               "subsection Contacts\n  set List = g: bottom: metal(Pt), s: "
                                               "top[0,37]: ohmic, d: top[150,200]: ohmic\nend\n"));
    const StackSize  size = count(prm);
    StackMesh<2>     mesh(stack_description(prm), MPI_COMM_WORLD);
    EXPECT_EQ(size.cells, mesh.triangulation().n_global_active_cells());
    EXPECT_EQ(size.coarse_cells * 4, size.cells);
  }
  {
    const Parameters prm(Testing::write_deck("size3d",
                                             "set Dimension = 3\n" + stack +
                                               "subsection Contacts\n  set List = g: bottom: ohmic\nend\n"));
    StackMesh<3>     mesh(stack_description(prm), MPI_COMM_WORLD);
    EXPECT_EQ(count(prm).cells, mesh.triangulation().n_global_active_cells());
  }
  {
    const Parameters prm(Testing::write_deck("size1d", R"(set Dimension = 1
subsection Stack
  set Layers = a: SiO2: 0.5, b: CIPS: 7, c: hBN: 30 : 3
end
subsection Contacts
  set List = bottom: bottom: ohmic, top: top: ohmic
end
)"));
    const StackSize  size = count(prm);
    StackMesh<1>     mesh(stack_description(prm), MPI_COMM_WORLD);
    EXPECT_EQ(size.cells, mesh.triangulation().n_global_active_cells());
    EXPECT_EQ(size.layer_cells[0], 4.); // at least 4 cells per layer in 1D
    EXPECT_EQ(size.nodes, size.cells + 1);
  }
}

// Stack/Contact edge cell size grades the lateral cells toward the ends of
// the partial contacts: the cells that touch each contact edge are that
// size (ratio 1.25 away from it, as the vertical grading), the mesh has a
// line at every edge, the size estimate still counts the generated cells
// exactly, and without partial contacts the key changes nothing.
TEST(StackMesh, LateralCellsGradeTowardContactEdges)
{
  const std::string deck = R"(set Dimension = 2
subsection Stack
  set Layers = cips: CIPS: 20 : 4
  set Width = 1200
  set Lateral cells = 60
  set Contact edge cell size = 0.5
end
subsection Contacts
  set List = a: top[0,100]: ohmic, c: top[1100,1200]: ohmic
end
subsection Physics
  set Polarization = off
end
)";
  const Parameters prm(Testing::write_deck("edge_grading", deck));
  StackMesh<2>     mesh(stack_description(prm), MPI_COMM_WORLD);
  EXPECT_EQ(estimate_stack_size(2, stack_description(prm), 1).cells, mesh.triangulation().n_global_active_cells());
  // The lateral sizes of the bottom row of cells, by their left x.
  std::map<double, double> widths;
  for (const auto &cell : mesh.triangulation().active_cell_iterators())
    if (cell->is_locally_owned() && cell->center()[1] < 5)
      widths[cell->vertex(0)[0]] = cell->vertex(1)[0] - cell->vertex(0)[0];
  double smallest_at_edge = 1e9, largest = 0;
  unsigned at_edge = 0;
  for (const auto &[x, h] : widths)
    {
      largest = std::max(largest, h);
      for (const double edge : {100., 1100.})
        if (std::abs(x - edge) < 1e-9 || std::abs(x + h - edge) < 1e-9)
          {
            smallest_at_edge = std::min(smallest_at_edge, h);
            ++at_edge;
          }
    }
  if (!widths.empty() && widths.begin()->first == 0 && dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD) == 1)
    {
      EXPECT_EQ(at_edge, 4u); // both sides of both edges
      EXPECT_NEAR(smallest_at_edge, 0.5, 1e-9);
      EXPECT_NEAR(largest, 20, 1.5); // the mean Width / Lateral cells in the gap
    }
  // Without partial contacts: uniform lateral cells, the key notwithstanding.
  std::string whole = deck;
  whole.replace(whole.find("a: top[0,100]: ohmic, c: top[1100,1200]: ohmic"), 46, "a: top: ohmic, c: bottom: ohmic");
  const Parameters uniform(Testing::write_deck("edge_grading_whole", whole));
  StackMesh<2>     uniform_mesh(stack_description(uniform), MPI_COMM_WORLD);
  EXPECT_EQ(uniform_mesh.triangulation().n_global_active_cells(), 60u * 4u);
}

TEST(StackMesh, OneDimensionalStackIsDistributed)
{
  const Parameters prm(Testing::write_deck("mesh1d", R"(set Dimension = 1
subsection Stack
  set Layers = a: SiO2: 3, b: CIPS: 7
end
subsection Contacts
  set List = bottom: bottom: ohmic, top: top: ohmic
end
)"));
  StackMesh<1>     mesh(stack_description(prm), MPI_COMM_WORLD);
  EXPECT_NEAR(region_measure(mesh, 0), 3, 1e-12);
  EXPECT_NEAR(region_measure(mesh, 1), 7, 1e-12);
  // Each rank owns a part of the cells.
  unsigned owned = 0;
  for (const auto &cell : mesh.triangulation().active_cell_iterators())
    owned += cell->is_locally_owned();
  EXPECT_GT(owned, 0u);
  EXPECT_EQ(Utilities::MPI::sum(owned, MPI_COMM_WORLD), mesh.triangulation().n_global_active_cells());
}

namespace
{
  const std::string gmsh_layers = R"(set Dimension = 2
subsection Stack
  set Layers = ox: SiO2: 10, fe: CIPS: 20
  set Width = 100
  set Lateral cells = 40
  set Mesh file = MESH
end
subsection Physics
  set Polarization = off
end
subsection Bias
  set gate = DC 1
end
)";
} // namespace

// The example Gmsh mesh: regions and contacts by physical name, the same
// areas and contact lengths as the .geo file, and the same capacitance as
// the generated stack of that geometry.
TEST(StackMesh, GmshImportWithPhysicalNames)
{
  std::string deck = gmsh_layers;
  deck.replace(deck.find("MESH"), 4, Testing::source_directory() + "/meshes/two_layer_gate.msh");
  deck += "subsection Contacts\n  set List = gate: gate_face: metal(Au), top: top_face: metal(Au)\nend\n";
  const Parameters prm(Testing::write_deck("gmsh", deck));
  StackMesh<2>     mesh(stack_description(prm), MPI_COMM_WORLD);
  EXPECT_NEAR(region_measure(mesh, 0), 100 * 10, 1e-9);
  EXPECT_NEAR(region_measure(mesh, 1), 100 * 20, 1e-9);
  EXPECT_NEAR(boundary_measure(mesh, StackMesh<2>::contact_boundary_id(0)), 100, 1e-9);
  EXPECT_NEAR(boundary_measure(mesh, StackMesh<2>::contact_boundary_id(1)), 40, 1e-9);

  const auto from_gmsh = Testing::steady_charges<2>(prm);
  EXPECT_NEAR(from_gmsh[0] + from_gmsh[1], 0., 1e-9 * std::abs(from_gmsh[0])); // Gauss

  std::string generated = gmsh_layers;
  generated.replace(generated.find("MESH"), 4, "");
  generated += "subsection Contacts\n  set List = gate: bottom: metal(Au), top: top[30,70]: metal(Au)\nend\n";
  generated.replace(generated.find("set Lateral cells = 40"),
                    22,
                    "set Lateral cells = 80\n  set Refinement = 1");
  const auto reference = Testing::steady_charges<2>(Parameters(Testing::write_deck("gmsh_ref", generated)));
  // Different meshes of the same geometry: they agree to discretization
  // error, which the fringe field at the electrode edges keeps near 1 %.
  EXPECT_NEAR(from_gmsh[0], reference[0], 0.02 * std::abs(reference[0]));
}

TEST(StackMesh, MissingPhysicalGroupIsAnError)
{
  std::string deck = gmsh_layers;
  deck.replace(deck.find("MESH"), 4, Testing::source_directory() + "/meshes/two_layer_gate.msh");
  deck += "subsection Contacts\n  set List = gate: nowhere: metal(Au)\nend\n";
  const Parameters prm(Testing::write_deck("gmsh_bad", deck));
  try
    {
      StackMesh<2> mesh(stack_description(prm), MPI_COMM_WORLD);
      ADD_FAILURE() << "a contact on a missing physical group was accepted";
    }
  catch (const DeckError &e)
    {
      EXPECT_NE(std::string(e.what()).find("nowhere"), std::string::npos) << e.what();
    }
}
