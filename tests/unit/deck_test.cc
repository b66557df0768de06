#include <base/deck_error.h>
#include <solvers/output_directory.h>
#include <solvers/parameters.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_utilities.h"
#include <gtest/gtest.h>
#include <unistd.h>

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
     {":12:", "Bias/gate", "PULSE expects 7 to 9 numbers"}},
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
     good_deck + "subsection Physics\n  set Optical = true\nend\n",
     {":24:", "Physics/Optical", "not implemented"}},
    {"ion_site_density_below_density",
     good_with("    set Permittivity = 9", "    set Permittivity = 9\n    set Ion max density = 1e18") +
       "subsection Physics\n  set Ions = true\nend\n",
     {":21:", "Materials/CIPS/Ion max density", "site density above the mean density"}},
    {"negative_hopping_distance",
     good_with("    set Permittivity = 9", "    set Permittivity = 9\n    set Ion hopping distance = -1") +
       "subsection Physics\n  set Ions = true\nend\n",
     {":21:", "Materials/CIPS/Ion hopping distance", "hopping distance >= 0 nm"}},
    {"landau_coupling_without_w",
     good_with("    set Permittivity = 9", "    set Permittivity = 9\n    set Ion polarization coupling = landau") +
       "subsection Physics\n  set Ions = true\n  set Polarization = dynamic\nend\n",
     {":21:", "Materials/CIPS/Ion polarization coupling", "'Ion Landau coupling', a coupling w [m/F]"}},
    {"landau_coupling_without_tdgl",
     good_with("    set Permittivity = 9",
               "    set Permittivity = 9\n    set Ion polarization coupling = landau\n    set Ion Landau coupling = 1e8") +
       "subsection Physics\n  set Ions = true\nend\n",
     {":21:", "Materials/CIPS/Ion polarization coupling", "Physics/Polarization = dynamic"}},
    {"ions_without_ionic_layer",
     good_with("    set Permittivity = 9", "    set Permittivity = 9\n    set Ion density = 0") +
       "subsection Physics\n  set Ions = true\nend\n",
     {":25:", "Physics/Ions", "no layer"}},
    // Several ion species: comma lists of the per-species keys.
    {"ion_list_length",
     good_with("    set Permittivity = 9",
               "    set Permittivity = 9\n    set Ion density = 1e19, 1e18\n    set Ion charge = 1, -1\n"
               "    set Ion max density = 4.8e21, 1e21, 1e21") +
       "subsection Physics\n  set Ions = true\nend\n",
     {":23:", "Materials/CIPS/Ion max density", "3 entries", "2 mobile-ion species"}},
    {"ion_list_negative_density",
     good_with("    set Permittivity = 9", "    set Permittivity = 9\n    set Ion density = 1e19, -1e18") +
       "subsection Physics\n  set Ions = true\nend\n",
     {":21:", "Materials/CIPS/Ion density", "-1e+18", "> 0 cm^-3"}},
    {"ion_list_second_charge_zero",
     good_with("    set Permittivity = 9", "    set Permittivity = 9\n    set Ion density = 1e19, 1e18\n    set Ion charge = 1, 0") +
       "subsection Physics\n  set Ions = true\nend\n",
     {":22:", "Materials/CIPS/Ion charge", "(species 2)", "z != 0"}},
    {"ion_list_not_numbers",
     good_with("    set Permittivity = 9", "    set Permittivity = 9\n    set Ion charge = 1, two") +
       "subsection Physics\n  set Ions = true\nend\n",
     {"Line <21>", "Ion charge", "one number per mobile-ion species"}},
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
    // Issue 9, item 6: input gaps a new user found.
    {"zero_time_tolerance",
     good_deck + "subsection Time\n  set Tolerance = 0\nend\n",
     {":24:", "Time/Tolerance", "expected a number > 0", "can never be met"}},
    {"negative_time_tolerance",
     good_deck + "subsection Time\n  set Tolerance = -1e-4\nend\n",
     {"Line <24>", "Tolerance"}},
    {"zero_initial_step",
     good_deck + "subsection Time\n  set Initial step = 0\nend\n",
     {"Line <24>", "Initial step", "> 0"}},
    {"zero_max_step",
     good_deck + "subsection Time\n  set Max step = 0\nend\n",
     {"Line <24>", "Max step", "> 0"}},
    {"zero_newton_tolerance",
     good_deck + "subsection Solver\n  set Newton tolerance = 0\nend\n",
     {":24:", "Solver/Newton tolerance", "> 0 and < 1"}},
    {"unit_linear_tolerance",
     good_deck + "subsection Solver\n  set Linear tolerance = 1\nend\n",
     {":24:", "Solver/Linear tolerance", "> 0 and < 1"}},
    {"negative_gradient_coefficient",
     good_with("set Permittivity = 9", "set Gradient coefficient = -1e-9") +
       "subsection Physics\n  set Polarization = dynamic\nend\n",
     {":20:", "Materials/CIPS/Gradient coefficient", "layer 'fe'", "-1e-09", ">= 0 m^3/F"}},
    {"zero_kinetic_coefficient",
     good_with("set Permittivity = 9", "set Kinetic coefficient = 0") +
       "subsection Physics\n  set Polarization = dynamic\nend\n",
     {":20:", "Materials/CIPS/Kinetic coefficient", "layer 'fe'", "> 0 F/(m s)"}},
    {"missing_kinetic_coefficient",
     good_with("set Permittivity = 9", "set Kinetic coefficient =") +
       "subsection Physics\n  set Polarization = dynamic\nend\n",
     {":20:", "Materials/CIPS/Kinetic coefficient", "has no value", "TDGL"}},
    // Quenched disorder (QuenchedDisorder): spread >= 0, length > 0, an
    // integer seed, and a lattice that fits.
    {"disorder_negative_spread",
     good_with("set Permittivity = 9",
               "set Permittivity = 9\n    set Disorder = random-field\n    set Disorder spread = -0.2\n"
               "    set Disorder length = 5") +
       "subsection Physics\n  set Polarization = dynamic\nend\n",
     {":22:", "Materials/CIPS/Disorder spread", "layer 'fe'", "-0.2", "spread >= 0 MV/cm"}},
    {"disorder_without_length",
     good_with("set Permittivity = 9",
               "set Permittivity = 9\n    set Disorder = grains\n    set Disorder spread = 0.2") +
       "subsection Physics\n  set Polarization = dynamic\nend\n",
     {":21:", "Materials/CIPS/Disorder:", "the disorder 'grains'", "'Disorder length'", "mean grain size > 0 nm"}},
    {"disorder_zero_length",
     good_with("set Permittivity = 9",
               "set Permittivity = 9\n    set Disorder = random-alpha\n    set Disorder spread = 0.2\n"
               "    set Disorder length = 0") +
       "subsection Physics\n  set Polarization = dynamic\nend\n",
     {":23:", "Materials/CIPS/Disorder length", "correlation length > 0 nm"}},
    {"disorder_fractional_seed",
     good_with("set Permittivity = 9",
               "set Permittivity = 9\n    set Disorder = random-alpha\n    set Disorder spread = 0.2\n"
               "    set Disorder length = 5\n    set Disorder seed = 1.5") +
       "subsection Physics\n  set Polarization = dynamic\nend\n",
     {":24:", "Materials/CIPS/Disorder seed", "integer seed >= 0"}},
    {"disorder_lattice_too_large",
     good_with("set Permittivity = 9",
               "set Permittivity = 9\n    set Disorder = random-alpha\n    set Disorder spread = 0.2\n"
               "    set Disorder length = 1e-4") +
       "subsection Physics\n  set Polarization = dynamic\nend\n",
     {":23:", "Materials/CIPS/Disorder length", "lattice of", "longer length"}},
    {"disorder_unknown_kind",
     good_with("set Permittivity = 9", "set Permittivity = 9\n    set Disorder = random"),
     {"Line <21>", "Disorder", "random-alpha"}},
    // Fermi-level pinning of a semiconductor (here Si in place of the
    // SiO2): S in [0, 1], phi_0 given and in the gap.
    {"pinning_factor_above_one",
     good_with("ox: SiO2: 10", "ox: Si: 10") +
       "subsection Materials\n  subsection Si\n    set Pinning factor = 1.5\n  end\nend\n",
     {":25:", "Materials/Si/Pinning factor", "layer 'ox'", "1.5", "between 0 (Bardeen) and 1"}},
    {"pinning_without_barrier",
     good_with("ox: SiO2: 10", "ox: Si: 10") +
       "subsection Materials\n  subsection Si\n    set Pinning factor = 0.2\n  end\nend\n",
     {":25:", "Materials/Si/Pinning factor", "'Pinned barrier'"}},
    {"pinned_barrier_outside_gap",
     good_with("ox: SiO2: 10", "ox: Si: 10") +
       "subsection Materials\n  subsection Si\n    set Pinning factor = 0.2\n    set Pinned barrier = 1.5\n"
       "  end\nend\n",
     {":26:", "Materials/Si/Pinned barrier", "1.5 eV", "band gap (1.12 eV)"}},
    // Charge traps: carriers on, capture coefficients given, occupancy in (0, 1).
    {"traps_without_carriers",
     good_with("ox: SiO2: 10", "ox: Si: 10") +
       "subsection Materials\n  subsection Si\n    set Trap density = 1e15\n  end\nend\n",
     {":25:", "Materials/Si/Trap density", "Physics/Carriers = true"}},
    {"traps_without_capture",
     good_with("ox: SiO2: 10", "ox: Si: 10") +
       "subsection Materials\n  subsection Si\n    set Trap density = 1e15\n  end\nend\n"
       "subsection Physics\n  set Carriers = true\nend\n",
     {":25:", "Materials/Si/Trap density", "'Trap capture electrons'", "> 0 cm^3/s"}},
    {"traps_occupancy_one",
     good_with("ox: SiO2: 10", "ox: Si: 10") +
       "subsection Materials\n  subsection Si\n    set Trap density = 1e15\n    set Trap capture electrons = 1e-8\n"
       "    set Trap capture holes = 1e-8\n    set Trap initial occupancy = 1\n  end\nend\n"
       "subsection Physics\n  set Carriers = true\nend\n",
     {":28:", "Materials/Si/Trap initial occupancy", "strictly between 0 and 1"}},
    {"interface_traps_negative",
     good_with("ox: SiO2: 10", "ox: Si: 10") +
       "subsection Materials\n  subsection Si\n    set Interface trap density = -1e11\n  end\nend\n"
       "subsection Physics\n  set Carriers = true\nend\n",
     {":25:", "Materials/Si/Interface trap density", ">= 0 cm^-2"}},
    {"interface_traps_on_no_interface",
     good_with("ox: SiO2: 10", "ox: Si: 10") +
       "subsection Materials\n  subsection Si\n    set Interface trap density = 1e11\n"
       "    set Interface trap faces = bottom\n    set Trap capture electrons = 1e-8\n"
       "    set Trap capture holes = 1e-8\n  end\nend\n"
       "subsection Physics\n  set Carriers = true\nend\n",
     {":25:", "Materials/Si/Interface trap density", "bottom face of layer 'ox'", "borders another layer"}},
    {"device_area_in_2d",
     good_with("  set Width = 200", "  set Width = 200\n  set Device area = 10"),
     {":5:", "Stack/Device area", "takes 'Device depth' [um]"}},
    {"huge_layer",
     good_with("fe: CIPS: 20 : 8", "fe: CIPS: 1e9"),
     {":3:", "Stack/Layers", "about 2e+09 cells", "fe 1e+08", "GiB per MPI rank", "thickness_nm: cells"}},
    {"huge_layer_cell_count",
     good_with("fe: CIPS: 20 : 8", "fe: CIPS: 20: 1e10"),
     {":3:", "Stack/Layers", "at most 4294967295"}},
    {"huge_lateral_cells",
     good_with("set Lateral cells = 20", "set Lateral cells = 2000000000"),
     {":5:", "Stack/Lateral cells", "indices can number"}},
    {"huge_refinement",
     good_deck + "subsection Stack\n  set Refinement = 12\nend\n",
     {":24:", "Stack/Refinement", "multiplies by 1.68e+07"}},
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

// A huge layer in 1D (4e9 cells of the default 0.25 nm) is refused with the
// estimate instead of ending in std::bad_alloc, and the error names the key.
TEST(Deck, MeshThatCannotFitIsRefusedBeforeItIsBuilt)
{
  const std::string deck    = R"(set Dimension = 1
subsection Stack
  set Layers = fe: CIPS: 1e9
end
subsection Contacts
  set List = b: bottom: metal(Pt), t: top: metal(Pt)
end
)";
  const std::string message = error_of("huge_1d", deck);
  for (const char *fragment : {"huge_1d.", ":3:", "Stack/Layers", "about 4e+09 cells", "fe 4e+09", "GiB"})
    EXPECT_NE(message.find(fragment), std::string::npos) << fragment << " missing from: " << message;
  // The same layer with a cell count of its own is fine.
  const Parameters prm(
    Testing::write_deck("huge_1d_cells", good_with("fe: CIPS: 20 : 8", "fe: CIPS: 1e9: 100")));
  EXPECT_EQ(prm.layers[1].cells, 100u);
}

// A value from the material library is located in the library file, and
// frozen polarization does not need the TDGL coefficients.
TEST(Deck, TdglCoefficientsAreCheckedWhereTheyAreDefined)
{
  const std::string library = Testing::write_deck("fe_library", R"(subsection FE
  set Kind = ferroelectric
  set Permittivity = 8
  set Polarization axes = z
  set Landau alpha = -1e8
  set Landau beta = 1e11
  set Gradient coefficient = -1e-10
  set Kinetic coefficient = 1
end
)");
  const std::string deck    = "set Dimension = 1\nsubsection Materials\n  set Library = " + library +
                           "\nend\nsubsection Stack\n  set Layers = film: FE: 10\nend\n"
                           "subsection Contacts\n  set List = b: bottom: gate(5), t: top: gate(5)\nend\n";
  const std::string message =
    error_of("fe_library_deck", deck + "subsection Physics\n  set Polarization = dynamic\nend\n");
  for (const std::string &fragment :
       {library + ":7:", std::string("Materials/FE/Gradient coefficient"), std::string("layer 'film'")})
    EXPECT_NE(message.find(fragment), std::string::npos) << fragment << " missing from: " << message;
  // An override on the command line is named as such.
  const std::string from_set = error_of("fe_library_set",
                                        deck,
                                        {{"Physics/Polarization", "dynamic"},
                                         {"Materials/FE/Gradient coefficient", "1e-10"},
                                         {"Materials/FE/Kinetic coefficient", "-5"}});
  EXPECT_NE(from_set.find("--set Materials/FE/Kinetic coefficient=-5: Materials/FE/Kinetic coefficient"),
            std::string::npos)
    << from_set;
  EXPECT_NO_THROW({ const Parameters frozen(Testing::write_deck("fe_library_frozen", deck)); });
}

// The output directory is tested before a run starts; nothing is created.
TEST(Deck, UnwritableOutputDirectoryIsADeckError)
{
  namespace fs          = std::filesystem;
  const std::string dir = Testing::scratch_directory() + "/output_" +
                          std::to_string(dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD));
  fs::create_directories(dir);
  const std::string file = dir + "/a_file";
  std::ofstream(file) << "not a directory\n";

  EXPECT_EQ(output_directory_problem(dir), "");
  EXPECT_EQ(output_directory_problem(dir + "/new/deeper/"), "");
  EXPECT_FALSE(fs::exists(dir + "/new"));                                             // tested, not created
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1); // no probe left

  const std::string under_file = output_directory_problem(file + "/out");
  EXPECT_NE(under_file.find("'" + file + "' is a file, not a directory"), std::string::npos) << under_file;
  const std::string is_file = output_directory_problem(file);
  EXPECT_NE(is_file.find("exists and is not a directory"), std::string::npos) << is_file;
  const std::string proc = output_directory_problem("/proc/forbidden");
  EXPECT_NE(proc.find("cannot create a directory in '/proc'"), std::string::npos) << proc;
  EXPECT_NE(output_directory_problem(""), "");
  if (geteuid() != 0) // root may write into a read-only directory
    {
      fs::create_directories(dir + "/read_only");
      fs::permissions(dir + "/read_only", fs::perms::owner_read | fs::perms::owner_exec);
      const std::string read_only = output_directory_problem(dir + "/read_only/out");
      EXPECT_NE(read_only.find("Permission denied"), std::string::npos) << read_only;
      fs::permissions(dir + "/read_only", fs::perms::owner_all);
    }

  // Through the parameters: --output wins over Output/Directory and is named.
  const Parameters prm(
    Testing::write_deck("output_dir",
                        good_deck + "subsection Output\n  set Directory = " + file + "/out\nend\n"));
  EXPECT_NO_THROW(check_output_directory(prm, dir + "/run", MPI_COMM_WORLD));
  try
    {
      check_output_directory(prm, "", MPI_COMM_WORLD);
      ADD_FAILURE() << "an output directory under a file was accepted";
    }
  catch (const DeckError &e)
    {
      const std::string message = e.what();
      EXPECT_NE(message.find(".prm:24: Output/Directory: cannot create the directory"), std::string::npos)
        << message;
    }
  try
    {
      check_output_directory(prm, "/proc/forbidden", MPI_COMM_WORLD);
      ADD_FAILURE() << "/proc/forbidden was accepted";
    }
  catch (const DeckError &e)
    {
      EXPECT_NE(std::string(e.what()).find("--output /proc/forbidden: "), std::string::npos) << e.what();
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
