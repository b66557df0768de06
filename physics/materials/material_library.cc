#include <deal.II/base/parameter_handler.h>

#include <base/deck_error.h>
#include <base/deck_patterns.h>
#include <base/deck_scanner.h>
#include <base/text_utilities.h>
#include <physics/materials/material_library.h>

#include <sstream>

#ifndef FERROSTACK_MATERIALS_DIR
#  define FERROSTACK_MATERIALS_DIR "inputs/materials"
#endif

namespace FerroStack
{
  using namespace dealii;

  namespace
  {
    const char *kind_selection = "dielectric|semiconductor|ferroelectric|ferroelectric semiconductor|"
                                 "ionic conductor|metal";

    MaterialKind
    parse_kind(const std::string &text)
    {
      for (const MaterialKind kind : {MaterialKind::dielectric,
                                      MaterialKind::semiconductor,
                                      MaterialKind::ferroelectric,
                                      MaterialKind::ferroelectric_semiconductor,
                                      MaterialKind::ionic_conductor,
                                      MaterialKind::metal})
        if (kind_name(kind) == text)
          return kind;
      return MaterialKind::dielectric;
    }

    /// Declare every material key, with the values of @p defaults.
    void
    declare_material_keys(ParameterHandler &prm, const std::map<std::string, std::string> &defaults)
    {
      const auto value_or = [&](const std::string &key, const std::string &d) {
        const auto entry = defaults.find(key);
        return entry == defaults.end() ? d : entry->second;
      };
      prm.declare_entry("Kind",
                        value_or("Kind", "dielectric"),
                        Patterns::Selection(kind_selection),
                        "What the material is; decides which fields live in "
                        "its layers.");
      prm.declare_entry("Permittivity",
                        value_or("Permittivity", "1"),
                        Patterns::List(Patterns::Double(0, Patterns::Double::max_double_value), 1, 3),
                        "Relative background permittivity [1]: one number (isotropic), "
                        "'x, z' (in-plane, out-of-plane) or 'x, y, z'.");
      prm.declare_entry("Polarization axes",
                        value_or("Polarization axes", "none"),
                        Patterns::Selection("none|z|x|xz"),
                        "Axes along which a ferroelectric polarizes: z (out of "
                        "plane), x (in plane) or xz (both).");
      prm.declare_entry("Ion flux",
                        value_or("Ion flux", "activity"),
                        Patterns::Selection("activity|site-blocking"),
                        "Kinetics of the size-limited ion flux (PHYSICS.md): activity, "
                        "J = -(D/kT) c grad mu (ChargeTransport.jl, Driftfusion, IonMonger's "
                        "'Diffusion'), or site-blocking, J = -(D/kT) c (1 - c/c_max) grad mu "
                        "(IonMonger's 'Drift'); the same equilibrium, other kinetics.");
      prm.declare_entry("Ion polarization coupling",
                        value_or("Ion polarization coupling", "charge"),
                        Patterns::Selection("charge|landau"),
                        "How the mobile ions couple to the polarization (a material model): "
                        "charge (the ions screen the bound charge and the field; always) or "
                        "landau (charge plus the energy density w ((c - c0)/c0) |P|^2, w the "
                        "'Ion Landau coupling': ions above their mean density weaken the local "
                        "double well for w > 0, and |P|^2 enters their electrochemical "
                        "potential; phenomenological, see README 'Mobile ions').");
      prm.declare_entry("Disorder",
                        value_or("Disorder", "none"),
                        Patterns::Selection("none|random-alpha|random-field|grains"),
                        "Quenched disorder of a ferroelectric (a material model; README 'Disorder'): "
                        "none (an ideal film), random-alpha (a Gaussian random field of correlation "
                        "length 'Disorder length' scales the local Landau alpha by 1 + 'Disorder "
                        "spread' g), random-field (the same field times the spread, in MV/cm, as a "
                        "built-in field along the polar axis) or grains (Poisson-Voronoi grains of "
                        "mean size 'Disorder length', each with its own alpha, 1 + spread g). Acts "
                        "through TDGL (Physics/Polarization = dynamic); seeded by 'Disorder seed'.");
      prm.declare_entry("Trap kind",
                        value_or("Trap kind", "acceptor"),
                        Patterns::Selection("acceptor|donor"),
                        "Charge of the material's traps ('Trap density'): acceptor (negative when "
                        "filled with an electron, neutral when empty) or donor (positive when empty, "
                        "neutral when filled).");
      prm.declare_entry("Trap distribution",
                        value_or("Trap distribution", "single"),
                        Patterns::Selection("single|uniform|gaussian"),
                        "Density of states in energy of the material's traps ('Trap density' in all): "
                        "single (one level at 'Trap level'), uniform (a band of full width 'Trap "
                        "width' centred at 'Trap level', the flat D_it of an interface) or gaussian "
                        "(standard deviation 'Trap width' about 'Trap level'); sampled by 'Trap "
                        "levels' discrete levels, each with its own SRH occupancy.");
      prm.declare_entry("Interface trap faces",
                        value_or("Interface trap faces", "all"),
                        Patterns::Selection("all|bottom|top"),
                        "Where the material's interface traps ('Interface trap density') sit: on "
                        "every face the layer shares with another layer (all), or only on its "
                        "bottom or top one (the oxide/semiconductor or ferroelectric/semiconductor "
                        "interface of a stack).");
      prm.declare_entry("Source",
                        value_or("Source", ""),
                        Patterns::Anything(),
                        "Where the numbers come from (documentation only).");
      for (const MaterialKey &key : numeric_material_keys())
        prm.declare_entry(key.name,
                          value_or(key.name, ""),
                          key.per_species ? *DeckPatterns::optional_number_list() : *DeckPatterns::optional_number(),
                          key.documentation + " [" + key.unit + "]");
    }

    std::map<std::string, std::string>
    read_material_keys(ParameterHandler &prm)
    {
      std::map<std::string, std::string> values;
      for (const char *key : {"Kind", "Permittivity", "Polarization axes", "Ion flux", "Ion polarization coupling", "Disorder", "Trap kind", "Trap distribution", "Interface trap faces", "Source"})
        values[key] = prm.get(key);
      for (const MaterialKey &key : numeric_material_keys())
        values[key.name] = prm.get(key.name);
      return values;
    }

  } // namespace

  std::string
  MaterialLibrary::default_library_path()
  {
    return std::string(FERROSTACK_MATERIALS_DIR) + "/default.prm";
  }

  void
  MaterialLibrary::read_library(const std::string &library)
  {
    library_path =
      (trim(library).empty() || trim(library) == "default") ? default_library_path() : trim(library);
    library_text             = std::make_shared<const DeckScanner>(library_path);
    const DeckScanner &text  = *library_text;
    const auto         names = text.subsections("");
    if (names.empty())
      throw DeckError(library_path + ": the material library defines no material "
                                     "(expected one 'subsection NAME' per material)");

    ParameterHandler prm;
    for (const std::string &name : names)
      {
        prm.enter_subsection(name);
        declare_material_keys(prm, {});
        prm.leave_subsection();
      }
    try
      {
        prm.parse_input(library_path, "", false);
      }
    catch (const ExceptionBase &e)
      {
        throw DeckError("material library " + library_path + ": " + DeckPatterns::exception_message(e));
      }
    library_values.clear();
    for (const std::string &name : names)
      {
        prm.enter_subsection(name);
        library_values[name] = read_material_keys(prm);
        prm.leave_subsection();
      }
  }

  void
  MaterialLibrary::declare_parameters(ParameterHandler &prm) const
  {
    for (const auto &material : library_values)
      {
        prm.enter_subsection(material.first);
        declare_material_keys(prm, material.second);
        prm.leave_subsection();
      }
  }

  void
  MaterialLibrary::parse_parameters(ParameterHandler &prm, const DeckScanner &deck)
  {
    materials.clear();
    for (const auto &entry : library_values)
      {
        const std::string &name = entry.first;
        prm.enter_subsection(name);
        const auto values = read_material_keys(prm);
        prm.leave_subsection();

        Material material;
        material.name = name;
        material.kind = parse_kind(values.at("Kind"));

        const auto          eps = split(values.at("Permittivity"), ',');
        std::vector<double> e;
        for (const auto &piece : eps)
          e.push_back(std::stod(piece));
        if (e.size() == 1)
          material.permittivity = {{e[0], e[0], e[0]}};
        else if (e.size() == 2)
          material.permittivity = {{e[0], e[0], e[1]}};
        else
          material.permittivity = {{e[0], e[1], e[2]}};
        for (const double value : e)
          if (value <= 0)
            throw DeckError(deck.location("Materials/" + name + "/Permittivity").describe() + ": Materials/" +
                            name + "/Permittivity: expected positive relative permittivities");

        const std::string axes     = values.at("Polarization axes");
        material.polarization_axes = (axes == "none" ? "" : axes);
        if (material.is_ferroelectric() && material.polarization_axes.empty())
          throw DeckError(deck.location("Materials/" + name + "/Polarization axes").describe() +
                          ": Materials/" + name + "/Polarization axes: a ferroelectric needs z, x or xz");

        material.ion_flux     = values.at("Ion flux");
        material.ion_coupling = values.at("Ion polarization coupling");
        material.disorder     = values.at("Disorder");
        material.trap_kind    = values.at("Trap kind");
        material.trap_distribution = values.at("Trap distribution");
        material.interface_trap_faces = values.at("Interface trap faces");
        for (const MaterialKey &key : numeric_material_keys())
          {
            double value;
            if (!key.per_species)
              {
                if (parse_double(values.at(key.name), value))
                  material.values[key.name] = value;
                continue;
              }
            // One entry per mobile-ion species (the pattern checked them).
            if (trim(values.at(key.name)).empty())
              continue;
            std::vector<double> list;
            for (const std::string &piece : split(values.at(key.name), ','))
              if (parse_double(piece, value))
                list.push_back(value);
            if (list.empty())
              continue;
            material.values[key.name] = list.front();
            material.lists[key.name]  = list;
          }
        materials[name] = material;
      }
  }

  DeckScanner::Location
  MaterialLibrary::location(const std::string &name, const std::string &key, const DeckScanner &deck) const
  {
    const std::string in_deck = "Materials/" + name + "/" + key;
    if (deck.has(in_deck) || library_text == nullptr)
      return deck.location(in_deck);
    return library_text->location(name + "/" + key);
  }

  std::vector<std::string>
  MaterialLibrary::names() const
  {
    std::vector<std::string> result;
    for (const auto &entry : library_values)
      result.push_back(entry.first);
    return result;
  }
} // namespace FerroStack
