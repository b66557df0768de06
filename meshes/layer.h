#ifndef ferrostack_meshes_layer_h
#define ferrostack_meshes_layer_h

#include <string>

namespace FerroStack
{
  /// One layer of a stack, from the deck's `Stack/Layers` list.
  struct Layer
  {
    std::string name;
    std::string material;
    double      thickness = 0; ///< [nm]
    unsigned    cells     = 0; ///< vertical cells; 0 = chosen from the mesh size
    double      donors    = 0; ///< uniform donor density [cm^-3]
    double      acceptors = 0; ///< uniform acceptor density [cm^-3]
  };
} // namespace FerroStack

#endif
