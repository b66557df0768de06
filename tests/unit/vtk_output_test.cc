#include <deal.II/base/mpi.h>

#include <solvers/simulator.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "test_utilities.h"
#include <gtest/gtest.h>
#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkPointData.h>
#include <vtkSmartPointer.h>
#include <vtkUnstructuredGrid.h>
#include <vtkXMLPUnstructuredGridReader.h>

using namespace FerroStack;
using namespace dealii;

// Run a 2D ferroelectric capacitor and read its output back with the reader
// ParaView uses. Metal/FE/metal with a frozen P and V on the bottom: the field
// is uniform, E = -V/d (from bottom to top: phi falls, E points up when V > 0).
TEST(Output, PvtuReadsBackThroughVtk)
{
  const std::string deck = R"(
subsection Stack
  set Layers = fe: BaTiO3: 20
  set Width = 60
  set Lateral cells = 6
end
subsection Contacts
  set List = bottom: bottom: metal(Au), top: top: metal(Au)
end
subsection Bias
  set bottom = PWL(0 0, 1e-3 2)
end
subsection Initial polarization
  set Value = -1
end
subsection Time
  set End time = 1e-3
  set Max step = 2.5e-4
end
subsection Output
  set Fields every = 5e-4
  set Fields = potential, electric field, polarization, material
end
)";
  Testing::run_deck<2>("vtk", deck + Testing::landau_24_materials);
  const std::string dir = Testing::scratch_directory() + "/vtk_out";

  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) != 0)
    return;

  // The .pvd lists the three output times 0, 5e-4 and 1e-3 s.
  std::ifstream     pvd(dir + "/solution.pvd");
  std::stringstream text;
  text << pvd.rdbuf();
  EXPECT_NE(text.str().find("solution-00002.pvtu"), std::string::npos);
  EXPECT_NE(text.str().find("timestep=\"0.0005\""), std::string::npos) << text.str();

  auto reader = vtkSmartPointer<vtkXMLPUnstructuredGridReader>::New();
  reader->SetFileName((dir + "/solution-00002.pvtu").c_str());
  reader->Update();
  vtkUnstructuredGrid *grid = reader->GetOutput();
  ASSERT_NE(grid, nullptr);
  ASSERT_GT(grid->GetNumberOfPoints(), 0);

  vtkDataArray *phi = grid->GetPointData()->GetArray("potential [V]");
  vtkDataArray *E   = grid->GetPointData()->GetArray("electric field [MV/cm]");
  vtkDataArray *P   = grid->GetPointData()->GetArray("polarization [uC/cm^2]");
  // deal.II writes cell data as piecewise constant point data of its patches.
  vtkDataArray *mat = grid->GetPointData()->GetArray("material");
  ASSERT_NE(phi, nullptr);
  ASSERT_NE(E, nullptr);
  ASSERT_NE(P, nullptr);
  ASSERT_NE(mat, nullptr);
  EXPECT_EQ(E->GetNumberOfComponents(), 3);

  // Coordinates in nm, vertical axis = y; the potential is linear in y
  // (tolerance: the 12-digit ASCII/binary round trip, 1e-9 V).
  const double V = 2., d = 20., Ps_uC = 100. * std::sqrt(0.05);
  double       bounds[6];
  grid->GetBounds(bounds);
  EXPECT_NEAR(bounds[1], 60., 1e-9);
  EXPECT_NEAR(bounds[3], 20., 1e-9);
  for (vtkIdType i = 0; i < grid->GetNumberOfPoints(); ++i)
    {
      double x[3];
      grid->GetPoint(i, x);
      EXPECT_NEAR(phi->GetComponent(i, 0), V * (1 - x[1] / d), 1e-6);
      // E = V / d = 0.1 V/nm = 1 MV/cm, pointing up (+y).
      EXPECT_NEAR(E->GetComponent(i, 1), V / d * 1e9 * 1e-8, 1e-6);
      EXPECT_NEAR(E->GetComponent(i, 0), 0., 1e-6);
      EXPECT_NEAR(P->GetComponent(i, 1), -Ps_uC, 1e-6 * Ps_uC);
    }
  EXPECT_EQ(mat->GetRange()[1], 0.);
}
