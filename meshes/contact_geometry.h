#ifndef ferrostack_meshes_contact_geometry_h
#define ferrostack_meshes_contact_geometry_h

#include <string>

namespace FerroStack
{
  /**
   * Where a contact of the deck's `Contacts/List` is: a side of the device
   * (all of it, or x in [x0, x1]) or a Gmsh physical group. This is all the
   * mesh needs to mark the contact's boundary faces; what kind of interface
   * the contact makes is physics (Contact, physics/contacts/contact.h).
   */
  struct ContactGeometry
  {
    enum class Side
    {
      bottom,
      top,
      left,
      right,
      front,
      back,
      physical ///< a Gmsh physical group, named by physical_name
    };

    std::string name;
    Side        side    = Side::bottom;
    bool        partial = false; ///< only x in [x0, x1] of the side
    double      x0 = 0, x1 = 0;  ///< [nm]
    std::string physical_name;

    /// The side's deck spelling.
    static std::string
    side_name(const Side side);
  };
} // namespace FerroStack

#endif
