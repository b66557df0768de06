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
    /// The keys that may differ per mobile-ion species
    /// (MaterialKey::per_species), with every entry of their comma list;
    /// `values` holds the first (the only one of a single species).
    std::map<std::string, std::vector<double>> lists;

    /// Ferroelectric axes: "z", "x" or "xz"; empty for non-ferroelectrics.
    std::string polarization_axes;
    /// Kinetics of the mobile-ion flux: "activity" or "site-blocking".
    std::string ion_flux = "activity";
    /// How the mobile ions couple to the polarization: "charge" (always)
    /// or "landau" (charge plus the Landau term of IonLandauCoupling).
    std::string ion_coupling = "charge";
    /// Quenched disorder model (`Disorder`): none | random-alpha |
    /// random-field | grains (QuenchedDisorder).
    std::string disorder = "none";
    /// Charge of the traps (`Trap kind`): "acceptor" or "donor".
    std::string trap_kind = "acceptor";
    /// The traps' density of states in energy (`Trap distribution`):
    /// single | uniform | gaussian (trap_levels()).
    std::string trap_distribution = "single";
    /// Where its interface traps sit: all | bottom | top (faces shared
    /// with another layer).
    std::string interface_trap_faces = "all";

    std::optional<double>
    get(const std::string &key) const;

    /// The value of @p key; throws DeckError naming the material, the key
    /// and @p purpose if the material does not define it.
    double
    require(const std::string &key, const std::string &purpose) const;

    /// How many mobile-ion species the material has: the entries of its
    /// `Ion density` (0 if unset).
    unsigned
    ion_species_count() const;

    /// The entries of a per-species key @p key (empty if unset).
    std::vector<double>
    entries(const std::string &key) const;

    /**
     * The material as species @p k (from 0) of its mobile ions sees it:
     * every per-species key with one entry per species holds its k-th, one
     * with a single entry keeps it (shared by all species). A key whose list
     * has another length is a deck error that parameters.cc reports first;
     * here it is left unset. The ion physics reads one species through this
     * view with the keys of a single one.
     */
    Material
    ion_species(const unsigned k) const;

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
    /// Whether the key takes one value per mobile-ion species (a comma list;
    /// one value is shared by all).
    bool per_species = false;
  };

  /// The numeric material keys of the deck contract, in documentation order.
  const std::vector<MaterialKey> &
  numeric_material_keys();
} // namespace FerroStack

#endif
