#ifndef ferrostack_physics_contacts_contact_h
#define ferrostack_physics_contacts_contact_h

#include <string>

namespace FerroStack
{
  /**
   * One contact of the deck's `Contacts/List`: a name, where it is and what
   * kind of interface it makes. Metals are contacts, not meshed volumes
   * (PHYSICS.md, "Fields and where they live").
   */
  struct Contact
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
    enum class Kind
    {
      ohmic,
      schottky, ///< barrier [eV] given directly
      metal,    ///< work function from the library's metal
      gate      ///< work function [eV] given directly
    };

    std::string name;
    Side        side    = Side::bottom;
    bool        partial = false; ///< only x in [x0, x1] of the side
    double      x0 = 0, x1 = 0;  ///< [nm]
    std::string physical_name;

    Kind        kind         = Kind::ohmic;
    double      barrier      = 0; ///< Schottky barrier [eV]
    double      workfunction = 0; ///< metal or gate work function [eV]
    std::string metal;            ///< library name of the metal, if any

    /// The side's deck spelling.
    static std::string
    side_name(const Side side);
  };
} // namespace FerroStack

#endif
