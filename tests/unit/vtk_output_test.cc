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

// Through a switching transient of a ferroelectric-semiconductor channel
// (In2Se3 on a gate oxide, the gate swept through the coercive field, P
// reversing), every written electron and hole density is finite and
// positive, and the carrier fields of deck-spec.md are there with their
// units. (Quasi-Fermi unknowns make densities positive by construction;
// this checks that nothing on the way, a damped Newton step, a cut step, the
// output, breaks it.)
TEST(Output, CarrierDensitiesStayPositiveThroughSwitching)
{
  const std::string deck = R"(
subsection Stack
  set Layers = ox: Al2O3: 5 : 3, ch: In2Se3: 12 : 6
  set Width = 40
  set Lateral cells = 8
  set Doping = ch: donors 1e17
end
subsection Contacts
  set List = gate: bottom: gate(4.6), source: top[0,8]: ohmic, drain: top[32,40]: ohmic
end
subsection Bias
  set gate = PWL(0 0, 1e-4 -4, 3e-4 4)
  set drain = DC 0.1
end
subsection Physics
  set Polarization = dynamic
  set Carriers = true
end
subsection Initial polarization
  set Value = 0, -1
end
subsection Time
  set End time = 3e-4
  set Initial step = 1e-9
  set Max step = 5e-6
  set Tolerance = 1e-3
end
subsection Output
  set Fields every = 2.5e-5
  set Fields = polarization, electrons, holes, current density
end
)";
  const auto        t   = Testing::run_deck<2>("vtk_carriers", deck);
  const std::string dir = Testing::scratch_directory() + "/vtk_carriers_out";
  // The polarization did reverse: from down to up.
  EXPECT_LT(t["P_ch_z"].front(), 0.);
  EXPECT_GT(t["P_ch_z"].back(), 0.);
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) != 0)
    return;
  unsigned frames = 0;
  for (unsigned k = 0;; ++k)
    {
      char name[64];
      std::snprintf(name, sizeof(name), "/solution-%05u.pvtu", k);
      if (!std::ifstream(dir + name))
        break;
      auto reader = vtkSmartPointer<vtkXMLPUnstructuredGridReader>::New();
      reader->SetFileName((dir + name).c_str());
      reader->Update();
      vtkPointData *points = reader->GetOutput()->GetPointData();
      for (const char *field : {"electrons [cm^-3]", "holes [cm^-3]"})
        {
          vtkDataArray *values = points->GetArray(field);
          ASSERT_NE(values, nullptr) << field;
          for (vtkIdType i = 0; i < values->GetNumberOfTuples(); ++i)
            {
              const double v = values->GetTuple1(i);
              EXPECT_TRUE(std::isfinite(v)) << field << " frame " << k;
              // Zero in the oxide (no carriers there; its cells' copies of
              // the interface points too), positive in the channel above.
              double x[3];
              reader->GetOutput()->GetPoint(i, x);
              if (x[1] > 5 + 1e-6)
                {
                  EXPECT_GT(v, 0.) << field << " frame " << k << " point " << i;
                }
            }
        }
      ASSERT_NE(points->GetArray("current density [A/cm^2]"), nullptr);
      ++frames;
    }
  EXPECT_GE(frames, 12u);
}
