#ifndef ferrostack_physics_contacts_contact_h
#define ferrostack_physics_contacts_contact_h

#include <meshes/contact_geometry.h>

#include <string>

namespace FerroStack
{
  /**
   * One contact of the deck's `Contacts/List`: where it is (ContactGeometry,
   * which the mesh takes) and what kind of interface it makes. Metals are
   * contacts, not meshed volumes (PHYSICS.md, "Fields and where they live").
   */
  struct Contact : ContactGeometry
  {
    enum class Kind
    {
      ohmic,
      schottky, ///< barrier [eV] given directly
      metal,    ///< work function from the library's metal
      gate      ///< work function [eV] given directly
    };

    Kind        kind         = Kind::ohmic;
    double      barrier      = 0; ///< Schottky barrier [eV]
    double      workfunction = 0; ///< metal or gate work function [eV]
    std::string metal;            ///< library name of the metal, if any
  };
} // namespace FerroStack

#endif
