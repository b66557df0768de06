#ifndef ferrostack_physics_materials_material_h
#define ferrostack_physics_materials_material_h

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace FerroStack
{
  /// What a material is, which decides the fields that live in its region.
  enum class MaterialKind
  {
    dielectric,
    semiconductor,
    ferroelectric,
    ferroelectric_semiconductor,
    ionic_conductor,
    metal
  };

  /// The deck spelling of @p kind.
  std::string
  kind_name(const MaterialKind kind);

  /**
   * The parameters of one material, in the deck's units (deck-spec.md,
   * "Material keys"). Optional values are absent when the library and the
   * deck leave them empty; physics that needs one asks for it with
   * Material::require(), which names the material and key in its error.
   */
  struct Material
  {
    std::string  name;
    MaterialKind kind = MaterialKind::dielectric;

    /// Relative permittivity, diagonal (x, y, z); isotropic if one number.
    std::array<double, 3> permittivity = {{1., 1., 1.}};

    /// Every numeric key by its deck name ("Work function", "Landau beta"),
    /// in the unit its documentation states. Absent = not given.
    std::map<std::string, double> values;

    /// Ferroelectric axes: "z", "x" or "xz"; empty for non-ferroelectrics.
    std::string polarization_axes;
    /// Kinetics of the mobile-ion flux: "activity" or "site-blocking".
    std::string ion_flux = "activity";
    /// How the mobile ions couple to the polarization: "charge" (always)
    /// or "landau" (charge plus the Landau term of IonLandauCoupling).
    std::string ion_coupling = "charge";

    std::optional<double>
    get(const std::string &key) const;

    /// The value of @p key; throws DeckError naming the material, the key
    /// and @p purpose if the material does not define it.
    double
    require(const std::string &key, const std::string &purpose) const;

    bool
    is_ferroelectric() const
    {
      return kind == MaterialKind::ferroelectric || kind == MaterialKind::ferroelectric_semiconductor;
    }

    /// Whether electrons and holes move in this material (drift-diffusion).
    bool
    is_semiconducting() const
    {
      return kind == MaterialKind::semiconductor || kind == MaterialKind::ferroelectric_semiconductor;
    }
  };

  /// One numeric material key: its name, unit and documentation.
  struct MaterialKey
  {
    std::string name;
    std::string unit;
    std::string documentation;
  };

  /// The numeric material keys of the deck contract, in documentation order.
  const std::vector<MaterialKey> &
  numeric_material_keys();
} // namespace FerroStack

#endif
