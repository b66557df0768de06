#include <meshes/contact_geometry.h>

namespace FerroStack
{
  std::string
  ContactGeometry::side_name(const Side side)
  {
    switch (side)
      {
        case Side::bottom:
          return "bottom";
        case Side::top:
          return "top";
        case Side::left:
          return "left";
        case Side::right:
          return "right";
        case Side::front:
          return "front";
        case Side::back:
          return "back";
        case Side::physical:
          return "physical";
      }
    return "";
  }
} // namespace FerroStack
