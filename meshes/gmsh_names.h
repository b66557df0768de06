#ifndef ferrostack_meshes_gmsh_names_h
#define ferrostack_meshes_gmsh_names_h

#include <map>
#include <string>

namespace FerroStack
{
  /**
   * The `$PhysicalNames` section of an ASCII Gmsh .msh file (formats 2 and
   * 4): physical name -> (dimension, tag). deal.II's reader turns physical
   * tags into material and boundary ids; this gives them their names, so that
   * a deck can refer to regions and contacts by the names of the .geo file.
   */
  struct GmshPhysicalGroup
  {
    int dimension = 0;
    int tag       = 0;
  };

  std::map<std::string, GmshPhysicalGroup>
  read_gmsh_physical_names(const std::string &filename);
} // namespace FerroStack

#endif
