// ferrostack-vtu2csv: dump the point data of a FerroStack .pvtu/.vtu as CSV,
// for plotting without ParaView (gnuplot, spreadsheets, scripts).
//
//   ferrostack-vtu2csv out/cips_film_2d/solution-00004.pvtu > p.csv
//
// Columns: x, y, z (nm), then every point array; vectors as name_0, name_1, ...
// It reads through VTK's XML readers, the ones ParaView uses.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <vtkDataArray.h>
#include <vtkPointData.h>
#include <vtkSmartPointer.h>
#include <vtkUnstructuredGrid.h>
#include <vtkXMLPUnstructuredGridReader.h>
#include <vtkXMLUnstructuredGridReader.h>

int
main(int argc, char **argv)
{
  const std::string usage = "usage: ferrostack-vtu2csv FILE.pvtu|FILE.vtu > FILE.csv\n";
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h"))
    {
      std::cout << usage;
      return 0;
    }
  if (argc != 2)
    {
      std::cerr << usage;
      return 2;
    }
  const std::string file = argv[1];
  // Checked here: VTK's readers would print a pipeline dump instead.
  if (!std::ifstream(file))
    {
      std::cerr << "ferrostack-vtu2csv: cannot open " << file << "\n";
      return 1;
    }
  vtkUnstructuredGrid *grid = nullptr;
  auto                 p    = vtkSmartPointer<vtkXMLPUnstructuredGridReader>::New();
  auto                 s    = vtkSmartPointer<vtkXMLUnstructuredGridReader>::New();
  if (file.size() > 5 && file.substr(file.size() - 5) == ".pvtu")
    {
      p->SetFileName(file.c_str());
      p->Update();
      grid = p->GetOutput();
    }
  else
    {
      s->SetFileName(file.c_str());
      s->Update();
      grid = s->GetOutput();
    }
  if (grid == nullptr || grid->GetNumberOfPoints() == 0)
    {
      std::cerr << "ferrostack-vtu2csv: cannot read " << file << "\n";
      return 1;
    }
  vtkPointData *data = grid->GetPointData();
  std::cout << "x,y,z";
  for (int a = 0; a < data->GetNumberOfArrays(); ++a)
    {
      vtkDataArray *array = data->GetArray(a);
      for (int c = 0; c < array->GetNumberOfComponents(); ++c)
        std::cout << "," << array->GetName()
                  << (array->GetNumberOfComponents() > 1 ? "_" + std::to_string(c) : "");
    }
  std::cout << "\n";
  for (vtkIdType i = 0; i < grid->GetNumberOfPoints(); ++i)
    {
      double x[3];
      grid->GetPoint(i, x);
      std::printf("%.6g,%.6g,%.6g", x[0], x[1], x[2]);
      for (int a = 0; a < data->GetNumberOfArrays(); ++a)
        {
          vtkDataArray *array = data->GetArray(a);
          for (int c = 0; c < array->GetNumberOfComponents(); ++c)
            std::printf(",%.6g", array->GetComponent(i, c));
        }
      std::printf("\n");
    }
  return 0;
}
