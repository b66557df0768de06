#include <solvers/deck_error.h>
#include <solvers/parameters.h>

#include <sstream>

#include "test_utilities.h"
#include <gtest/gtest.h>

using namespace FerroStack;

namespace
{
  const std::string good_deck = R"(set Dimension = 2
subsection Stack
  set Layers = ox: SiO2: 10, fe: CIPS: 20 : 8
  set Width = 200
  set Lateral cells = 20
  set Doping = fe: donors 1e17
end
subsection Contacts
  set List = gate: bottom: metal(Pt), source: top[0,40]: ohmic, drain: top[160,200]: gate(4.5)
end
subsection Bias
  set gate = PWL(0 0, 1e-3 5)
  set drain = DC 0.1
end
subsection Initial polarization
  set Value = -1
end
subsection Materials
  subsection CIPS
    set Permittivity = 9
  end
end
)";

  /// The error message of parsing @p deck (which must fail).
  std::string
  error_of(const std::string &name, const std::string &deck, const std::vector<Override> &overrides = {})
  {
    const std::string path = Testing::write_deck(name, deck);
    try
      {
        Parameters prm(path, overrides);
      }
    catch (const DeckError &e)
      {
        return e.what();
      }
    ADD_FAILURE() << "deck " << name << " was accepted";
    return "";
  }

  /// Replace the first occurrence of @p from in the good deck by @p to.
  std::string
  good_with(const std::string &from, const std::string &to)
  {
    std::string deck = good_deck;
    const auto  at   = deck.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return deck.replace(at, from.size(), to);
  }
} // namespace

TEST(Deck, GoodDeckIsReadInDeckUnits)
{
  const Parameters prm(Testing::write_deck("good", good_deck));
  EXPECT_EQ(prm.dimension, 2u);
  ASSERT_EQ(prm.layers.size(), 2u);
  EXPECT_EQ(prm.layers[1].material, "CIPS");
  EXPECT_EQ(prm.layers[1].cells, 8u);
  EXPECT_DOUBLE_EQ(prm.layers[1].donors, 1e17);
  ASSERT_EQ(prm.contacts.size(), 3u);
  EXPECT_TRUE(prm.contacts[1].partial);
  EXPECT_DOUBLE_EQ(prm.contacts[2].x0, 160.);
  EXPECT_DOUBLE_EQ(prm.contacts[0].workfunction, 5.65); // Pt from the library
  EXPECT_DOUBLE_EQ(prm.contacts[2].workfunction, 4.5);
  EXPECT_DOUBLE_EQ(prm.bias.at("gate").value(0.5e-3), 2.5);
  EXPECT_DOUBLE_EQ(prm.bias.at("source").value(1.), 0.);            // default DC 0
  EXPECT_DOUBLE_EQ(prm.materials.get("CIPS").permittivity[2], 9.);  // deck override
  EXPECT_DOUBLE_EQ(prm.materials.get("SiO2").permittivity[2], 3.9); // library
  // The deck as run contains defaults too.
  EXPECT_NE(prm.deck_as_run.find("set Temperature"), std::string::npos);
}

TEST(Deck, OverridesFromTheCommandLine)
{
  const Parameters prm(Testing::write_deck("override", good_deck),
                       {{"Stack/Width", "0.3 um"},
                        {"Bias/gate", "DC 2"},
                        {"Materials/CIPS/Landau alpha", "-1e8"}});
  EXPECT_DOUBLE_EQ(prm.width, 300.);
  EXPECT_DOUBLE_EQ(prm.bias.at("gate").value(1.), 2.);
  EXPECT_DOUBLE_EQ(*prm.materials.get("CIPS").get("Landau alpha"), -1e8);
}

TEST(Deck, BadInputNamesFileLineKeyAndExpectation)
{
  struct Case
  {
    std::string              name, deck;
    std::vector<std::string> expected; // fragments of the message
  };
  const std::vector<Case> cases = {
    {"unknown_key", good_with("set Width = 200", "set Widht = 200"), {"Line <4>", "Widht"}},
    {"unknown_material",
     good_with("fe: CIPS: 20 : 8", "fe: CIPSX: 20"),
     {":3:", "Stack/Layers", "CIPSX", "not in the material library"}},
    {"unknown_material_section",
     good_with("subsection CIPS", "subsection Unobtainium"),
     {":19:", "Unobtainium", "not in the material library"}},
    {"zero_thickness", good_with("ox: SiO2: 10", "ox: SiO2: 0"), {":3:", "Stack/Layers", "positive length"}},
    {"negative_thickness", good_with("ox: SiO2: 10", "ox: SiO2: -5"), {":3:", "positive length"}},
    {"missing_boundary",
     good_with("gate: bottom:", "gate: front:"),
     {":9:", "Contacts/List", "front", "does not have"}},
    {"outside_device",
     good_with("top[160,200]", "top[160,300]"),
     {":9:", "Contacts/List", "outside the device"}},
    {"bad_waveform",
     good_with("PWL(0 0, 1e-3 5)", "PULSE(0 5 1e-3)"),
     {":12:", "Bias/gate", "PULSE expects 7 or 8 numbers"}},
    {"bias_of_unknown_contact",
     good_with("set drain = DC 0.1", "set drian = DC 0.1"),
     {"Line <13>", "drian"}},
    {"wrong_unit", good_with("set Width = 200", "set Width = 200 V"), {"Line <4>", "Width", "nm"}},
    {"not_a_number",
     good_with("set Lateral cells = 20", "set Lateral cells = many"),
     {"Line <5>", "Lateral cells"}},
    {"unknown_metal",
     good_with("metal(Pt)", "metal(Unobtainium)"),
     {":9:", "Unobtainium", "not in the material library"}},
    {"non_metal_contact", good_with("metal(Pt)", "metal(SiO2)"), {":9:", "not a metal"}},
    {"unknown_contact_kind",
     good_with("top[0,40]: ohmic", "top[0,40]: magic"),
     {":9:", "magic", "ohmic | schottky"}},
    {"value_count",
     good_with("set Value = -1", "set Value = 1, 1"),
     {":16:", "Initial polarization/Value", "1 number"}},
    {"not_implemented_physics",
     good_deck + "subsection Physics\n  set Ions = true\nend\n",
     {":24:", "Physics/Ions", "not implemented"}},
    {"metal_layer", good_with("ox: SiO2: 10", "ox: Au: 10"), {":3:", "metals are contacts"}},
    {"bad_polarization_boundary",
     good_deck + "subsection Physics\n  set Polarization boundary at = fe.top: pinned\nend\n",
     {":24:", "Polarization boundary at", "pinned"}},
    {"polarization_boundary_on_dielectric",
     good_deck + "subsection Physics\n  set Polarization boundary at = ox.top: zero\nend\n",
     {":24:", "not ferroelectric"}},
    {"doping_of_unknown_layer",
     good_with("fe: donors 1e17", "fx: donors 1e17"),
     {":6:", "Stack/Doping", "fx"}},
  };
  for (const Case &c : cases)
    {
      const std::string message = error_of(c.name, c.deck);
      EXPECT_NE(message.find(c.name + "."), std::string::npos) << c.name << ": no file name in: " << message;
      for (const std::string &fragment : c.expected)
        EXPECT_NE(message.find(fragment), std::string::npos)
          << c.name << ": '" << fragment << "' missing from: " << message;
    }
}

TEST(Deck, PolarizationBoundaries)
{
  const Parameters prm(Testing::write_deck(
    "pbc",
    good_deck +
      "subsection Physics\n  set Polarization boundary = zero\n  set Polarization boundary at = fe.top: "
      "extrapolation(3); fe.bottom: natural\nend\n"));
  using Kind = Parameters::PolarizationBoundary::Kind;
  EXPECT_EQ(prm.polarization_boundary.kind, Kind::zero);
  EXPECT_EQ(prm.polarization_boundary_at.at("fe.top").kind, Kind::extrapolation);
  EXPECT_DOUBLE_EQ(prm.polarization_boundary_at.at("fe.top").length, 3.);
  EXPECT_EQ(prm.polarization_boundary_at.at("fe.bottom").kind, Kind::natural);
}

TEST(Deck, BadOverrideIsReported)
{
  const std::string message = error_of("bad_override", good_deck, {{"Stack/Nope", "1"}});
  EXPECT_NE(message.find("--set Stack/Nope=1"), std::string::npos) << message;
}

TEST(Deck, PrintParametersDocumentsEveryKeyWithItsUnit)
{
  std::ostringstream out;
  Parameters::print_parameters(out);
  const std::string text = out.str();
  for (const char *key : {"Dimension",
                          "Temperature",
                          "Layers",
                          "Width",
                          "Depth",
                          "Lateral cells",
                          "Mesh file",
                          "Refinement",
                          "Interface cell size",
                          "Doping",
                          "Lateral boundary",
                          "List",
                          "Intensity",
                          "Wavelength",
                          "From",
                          "Polarization",
                          "Carriers",
                          "Ions",
                          "Optical",
                          "Polarization boundary",
                          "Polarization boundary at",
                          "Mode",
                          "Value",
                          "Seed",
                          "Stripe period",
                          "Library",
                          "End time",
                          "Initial step",
                          "Max step",
                          "Tolerance",
                          "Directory",
                          "Fields every",
                          "Fields",
                          "Checkpoint every",
                          "Kind",
                          "Permittivity",
                          "Work function",
                          "Band gap",
                          "Electron affinity",
                          "Effective DOS conduction",
                          "Electron mobility",
                          "SRH lifetime electrons",
                          "SRH trap level",
                          "Polarization axes",
                          "Landau alpha0",
                          "Curie temperature",
                          "Landau alpha",
                          "Landau beta",
                          "Landau gamma",
                          "Landau delta",
                          "IP-OOP coupling",
                          "Gradient coefficient",
                          "Kinetic coefficient",
                          "Ion charge",
                          "Ion density",
                          "Ion max density",
                          "Ion diffusivity",
                          "Ion diffusivity prefactor",
                          "Ion activation energy",
                          "Absorption coefficient",
                          "Reflectance"})
    EXPECT_NE(text.find("set " + std::string(key) + " "), std::string::npos) << key;
  for (const char *unit : {"[K]",
                           "[nm]",
                           "[s]",
                           "[V]",
                           "[W/cm^2]",
                           "[eV]",
                           "[cm^-3]",
                           "[cm^2/(V s)]",
                           "[m/F]",
                           "[m^3/F]",
                           "[F/(m s)]",
                           "[cm^2/s]",
                           "[cm^-1]"})
    EXPECT_NE(text.find(unit), std::string::npos) << unit;
}
