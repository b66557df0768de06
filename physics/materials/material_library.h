#ifndef ferrostack_physics_materials_material_library_h
#define ferrostack_physics_materials_material_library_h

#include <base/deck_scanner.h>
#include <physics/materials/material.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dealii
{
  class ParameterHandler;
}

namespace FerroStack
{
  /**
   * The material library: a ParameterHandler file with one subsection per
   * material (inputs/materials/default.prm is the built-in one), overridden
   * key by key by a deck's `subsection Materials / subsection NAME`.
   *
   * Loading is in two steps because ParameterHandler only accepts declared
   * keys: read_library() learns the material names and their library values;
   * declare_parameters() then declares every key of every material in the
   * deck's Materials section with the library value as its default, so that
   * a deck override is parsed and checked like any other key.
   */
  class MaterialLibrary
  {
  public:
    /// Path of the built-in library (the `default` of `Materials/Library`).
    static std::string
    default_library_path();

    /// Read the library named by @p library ("default" or a path).
    void
    read_library(const std::string &library);

    /// Declare the Materials subsection of a deck (call inside it).
    void
    declare_parameters(dealii::ParameterHandler &prm) const;

    /// Read the final values (inside the Materials subsection).
    void
    parse_parameters(dealii::ParameterHandler &prm, const DeckScanner &deck);

    /// Whether @p name is in the library.
    bool
    has(const std::string &name) const
    {
      return library_values.count(name) > 0;
    }

    const Material &
    get(const std::string &name) const
    {
      return materials.at(name);
    }

    std::vector<std::string>
    names() const;

    const std::string &
    path() const
    {
      return library_path;
    }

    /**
     * Where the value of @p key of material @p name comes from, so that an
     * error about a material value points at the line to edit: the deck's
     * `subsection Materials / subsection NAME` (or its `--set`) if @p deck
     * overrides it there, else the library file and line.
     */
    DeckScanner::Location
    location(const std::string &name, const std::string &key, const DeckScanner &deck) const;

  private:
    std::string                                               library_path;
    std::map<std::string, std::map<std::string, std::string>> library_values;
    std::map<std::string, Material>                           materials;
    /// The library's text, for the lines of its values (location()).
    std::shared_ptr<const DeckScanner> library_text;
  };
} // namespace FerroStack

#endif
