#include <base/deck_error.h>
#include <meshes/gmsh_names.h>

#include <fstream>
#include <sstream>

namespace FerroStack
{
  std::map<std::string, GmshPhysicalGroup>
  read_gmsh_physical_names(const std::string &filename)
  {
    std::ifstream in(filename);
    if (!in)
      throw DeckError(filename + ": cannot open the Gmsh mesh file");
    std::map<std::string, GmshPhysicalGroup> groups;
    std::string                              line;
    while (std::getline(in, line))
      if (line.rfind("$PhysicalNames", 0) == 0)
        {
          int count = 0;
          in >> count;
          for (int i = 0; i < count; ++i)
            {
              GmshPhysicalGroup group;
              std::string       name;
              in >> group.dimension >> group.tag;
              std::getline(in, name);
              const auto first = name.find('"'), last = name.rfind('"');
              if (first == std::string::npos || last == first)
                throw DeckError(filename + ": malformed $PhysicalNames entry");
              groups[name.substr(first + 1, last - first - 1)] = group;
            }
          break;
        }
    return groups;
  }
} // namespace FerroStack
