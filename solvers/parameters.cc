#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/types.h>

#include <base/deck_error.h>
#include <base/deck_patterns.h>
#include <base/deck_scanner.h>
#include <base/text_utilities.h>
#include <meshes/stack_size.h>
#include <physics/ferroelectric/quenched_disorder.h>
#include <physics/traps/trap_distribution.h>
#include <solvers/parameter_subsets.h>
#include <solvers/parameters.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <set>
#include <sstream>

#include <unistd.h>

namespace FerroStack
{
  using namespace dealii;
  using DeckPatterns::QuantityPattern;

  namespace
  {
    /// A path in a deck is relative to the deck's folder, as users expect
    /// when they keep a deck beside its mesh or material library.
    std::string
    relative_to_deck(const std::string &deck_file, const std::string &path)
    {
      if (path.empty() || path[0] == '/')
        return path;
      const auto slash = deck_file.rfind('/');
      return slash == std::string::npos ? path : deck_file.substr(0, slash + 1) + path;
    }

    const std::vector<std::string> &
    known_output_fields()
    {
      static const std::vector<std::string> fields = {"potential",
                                                      "polarization",
                                                      "electric field",
                                                      "electrons",
                                                      "holes",
                                                      "ions",
                                                      "generation",
                                                      "current density",
                                                      "material",
                                                      "disorder",
                                                      "traps"};
      return fields;
    }

    /// Split a comma-separated list at the commas outside brackets.
    std::vector<std::string>
    split_outside_brackets(const std::string &text)
    {
      std::vector<std::string> pieces;
      std::string              current;
      int                      depth = 0;
      for (const char c : text)
        {
          if (c == '[' || c == '(')
            ++depth;
          if (c == ']' || c == ')')
            --depth;
          if (c == ',' && depth == 0)
            {
              pieces.push_back(trim(current));
              current.clear();
            }
          else
            current += c;
        }
      if (!trim(current).empty() || !pieces.empty())
        pieces.push_back(trim(current));
      return pieces;
    }


    /**
     * Declare every key of the deck. The material and contact names decide
     * which subsections of `Materials` and which keys of `Bias` exist.
     */
    void
    declare(ParameterHandler               &prm,
            const MaterialLibrary          &library,
            const std::vector<std::string> &contact_names)
    {
      prm.declare_entry("Dimension",
                        "2",
                        Patterns::Integer(1, 3),
                        "1 (vertical stack), 2 (x-z cross-section) or 3.");
      prm.declare_entry("Temperature",
                        "300",
                        QuantityPattern(Quantity::temperature, 0, true),
                        "Lattice temperature [K].");

      prm.enter_subsection("Stack");
      {
        prm.declare_entry("Layers",
                          "",
                          Patterns::Anything(),
                          "Layers from bottom (z = 0) to top, comma separated, each "
                          "'name: material: thickness_nm [: cells]'; material from the "
                          "library; thickness [nm] (a unit such as '2 um' is converted); "
                          "cells = vertical cells of the layer (default: about the lateral "
                          "cell size, at least 2).");
        prm.declare_entry("Width",
                          "100",
                          QuantityPattern(Quantity::length, 0, true),
                          "Lateral x extent of the device [nm] (2D, 3D).");
        prm.declare_entry("Depth",
                          "100",
                          QuantityPattern(Quantity::length, 0, true),
                          "Lateral y extent of the device [nm] (3D).");
        prm.declare_entry("Device area",
                          "0",
                          Patterns::Double(0),
                          "1D: the area of the measured device [um^2]; if set, terminals.csv also "
                          "has each contact's current and charge of that device, I_<name>_device[A] "
                          "and Q_<name>_device[C] (0 = not set).");
        prm.declare_entry("Device depth",
                          "0",
                          Patterns::Double(0),
                          "2D: the device's extent normal to the cross-section [um] (a FET's channel "
                          "width); if set, terminals.csv also has I_<name>_device[A] and "
                          "Q_<name>_device[C] (0 = not set).");
        prm.declare_entry("Lateral cells",
                          "20",
                          Patterns::Integer(1),
                          "Cells across the width (and depth in 3D).");
        prm.declare_entry("Mesh file",
                          "",
                          Patterns::Anything(),
                          "Optional Gmsh .msh file (relative to the deck's folder); its physical groups name "
                          "the regions (= layer names) and the contacts.");
        prm.declare_entry("Refinement",
                          "0",
                          Patterns::Integer(0, 12),
                          "Global refinements on top of the generated or "
                          "read mesh.");
        prm.declare_entry("Interface cell size",
                          "0",
                          QuantityPattern(Quantity::length, 0),
                          "Vertical cell size at every interface [nm]; > 0 grades cells "
                          "geometrically from this size to the layer's mean size; 0 = "
                          "uniform cells.");
        prm.declare_entry("Contact edge cell size",
                          "0",
                          QuantityPattern(Quantity::length, 0),
                          "Lateral cell size at the ends of partial contacts [nm] (2D, 3D: along x); > 0 "
                          "grades the lateral cells geometrically from this size at each contact edge (and "
                          "at the device's sides) to the mean Width / Lateral cells, for the double layers "
                          "and field peaks at contact edges; 0 = uniform lateral cells.");
        prm.declare_entry("Doping",
                          "",
                          Patterns::Anything(),
                          "Uniform doping per layer [cm^-3], entries "
                          "separated by ';': 'layer: donors 1e17', "
                          "'layer: acceptors 1e16', or both.");
        prm.declare_entry("Lateral boundary",
                          "insulating",
                          Patterns::Selection("insulating|periodic"),
                          "insulating (zero normal flux) or periodic (films).");
      }
      prm.leave_subsection();

      prm.enter_subsection("Contacts");
      prm.declare_entry("List",
                        "",
                        Patterns::Anything(),
                        "Contacts 'name: where: kind', comma separated. where: bottom | top | "
                        "left | right | front | back | top[x0,x1] | bottom[x0,x1] (x in nm) "
                        "| a Gmsh physical name. kind: ohmic | schottky(barrier_eV) | "
                        "metal(Au) (work function from the library) | gate(workfunction_eV).");
      prm.declare_entry("Metal screening",
                        "false",
                        Patterns::Bool(),
                        "Give metal(NAME) contacts the Thomas-Fermi screening of the library's "
                        "`Screening length` (a Robin condition on the potential, so that the "
                        "interface potential and a Schottky barrier follow the polarization "
                        "charge); false: ideal metals, the potential fixed at the contact.");
      prm.declare_entry("Image force lowering",
                        "false",
                        Patterns::Bool(),
                        "Lower the barriers of thermionic contacts (schottky, metal on a "
                        "semiconductor) by the image force, sqrt(q F / (4 pi eps_s)) with F the "
                        "interface field (Sze, sec. 3.2.4); the given barrier is then the "
                        "zero-field one. false: barriers independent of the field.");
      prm.declare_entry("Series resistance",
                        "",
                        Patterns::Anything(),
                        "Lumped resistors [Ohm] between the bias sources and contacts, 'name: R', "
                        "comma separated (the contacts' and leads' resistance of the measured "
                        "device, Sentaurus' Resist): the device sees V_inner = V(t) - R I, with I "
                        "the contact's current (conduction plus displacement) of the device of "
                        "Stack/Device area (1D) or Device depth (2D), which must be set. "
                        "terminals.csv then also has V_<name>_inner[V]. Empty: none.");
      prm.leave_subsection();

      prm.enter_subsection("Bias");
      for (const std::string &contact : contact_names)
        prm.declare_entry(contact,
                          "DC 0",
                          Patterns::Anything(),
                          "Voltage of contact '" + contact + "' [V] vs time [s]: " + waveform_syntax() + ".");
      prm.leave_subsection();

      prm.enter_subsection("Light");
      {
        prm.declare_entry("Intensity",
                          "DC 0",
                          Patterns::Anything(),
                          "Incident intensity [W/cm^2] vs time [s]: " + waveform_syntax() + ".");
        prm.declare_entry("Wavelength",
                          "532",
                          QuantityPattern(Quantity::length, 0, true),
                          "Wavelength [nm].");
        prm.declare_entry("From", "top", Patterns::Selection("top|bottom"), "Side the light comes from.");
      }
      prm.leave_subsection();

      prm.enter_subsection("Physics");
      {
        prm.declare_entry("Polarization",
                          "frozen",
                          Patterns::Selection("dynamic|frozen|off"),
                          "dynamic (TDGL), frozen (the initial polarization, held fixed) or "
                          "off.");
        prm.declare_entry("Carriers", "false", Patterns::Bool(), "Solve electron and hole drift-diffusion.");
        prm.declare_entry("Ions", "false", Patterns::Bool(), "Solve mobile-ion Nernst-Planck transport.");
        prm.declare_entry("Optical",
                          "false",
                          Patterns::Bool(),
                          "Include optical generation from the Light section.");
        prm.declare_entry("Polarization boundary",
                          "natural",
                          Patterns::Anything(),
                          "Every ferroelectric face: natural | zero | "
                          "extrapolation(length_nm).");
        prm.declare_entry("Polarization boundary at",
                          "",
                          Patterns::Anything(),
                          "Per face overrides, ';' separated: 'fe.bottom: "
                          "zero; fe.top: extrapolation(3)'.");
      }
      prm.leave_subsection();

      prm.enter_subsection("Initial polarization");
      {
        prm.declare_entry("Mode",
                          "uniform",
                          Patterns::Selection("uniform|random|stripes|from file"),
                          "uniform | random | stripes | from file.");
        prm.declare_entry("Value",
                          "1",
                          Patterns::List(Patterns::Double(), 1, 3),
                          "One number per axis of the material's 'Polarization axes' (x, z "
                          "for xz; one number for z or x alone), in units of its Ps: the "
                          "minimum of f_L at the deck's temperature [1].");
        prm.declare_entry("Seed",
                          "1",
                          Patterns::Integer(0),
                          "Seed of the random mode (results do not depend on "
                          "the number of MPI ranks).");
        prm.declare_entry("Stripe period",
                          "100",
                          QuantityPattern(Quantity::length, 0, true),
                          "Stripes mode [nm]: Pz = +Value for x mod period < "
                          "period/2, else -Value.");
        prm.declare_entry("File",
                          "",
                          Patterns::Anything(),
                          "'from file' mode: a .vtu with a polarization field.");
      }
      prm.leave_subsection();

      prm.enter_subsection("Materials");
      {
        prm.declare_entry("Library",
                          "default",
                          Patterns::Anything(),
                          "'default' (inputs/materials/default.prm) or the "
                          "path of a .prm material library (relative to the deck's folder).");
        library.declare_parameters(prm);
      }
      prm.leave_subsection();

      prm.enter_subsection("Time");
      {
        prm.declare_entry("Mode",
                          "auto",
                          Patterns::Selection("auto|transient|quasi-static"),
                          "transient: adaptive BDF2 in time (dynamic polarization, carriers). "
                          "quasi-static: a steady state at each bias point (t = 0, every Max "
                          "step, every bias kink and output time), continued from the last "
                          "one (linear predictor) and bisected where Newton fails, as "
                          "Sentaurus' Quasistationary and DEVSIM's DC sweeps do; for physics "
                          "without memory (no dynamic polarization); currents are the "
                          "steady conduction currents plus dQ/dt between the points. "
                          "auto: quasi-static without dynamic polarization and carriers, "
                          "transient otherwise.");
        prm.declare_entry("End time",
                          "0",
                          QuantityPattern(Quantity::time, 0),
                          "Final time [s]; 0 = one steady solve.");
        prm.declare_entry("Initial step",
                          "1e-7",
                          QuantityPattern(Quantity::time, 0, true),
                          "First time step [s].");
        prm.declare_entry("Max step",
                          "1e-5",
                          QuantityPattern(Quantity::time, 0, true),
                          "Largest time step [s]; quasi-static (electrostatic) "
                          "runs solve every Max step.");
        prm.declare_entry("Tolerance",
                          "1e-4",
                          Patterns::Double(0),
                          "Local error tolerance of the adaptive integrator "
                          "[1].");
      }
      prm.leave_subsection();

      prm.enter_subsection("Output");
      {
        prm.declare_entry("Directory",
                          "out",
                          Patterns::Anything(),
                          "Output directory (the --output option overrides "
                          "it).");
        prm.declare_entry("Fields every",
                          "0",
                          QuantityPattern(Quantity::time, 0),
                          "Interval of field output [s]; 0 = only the "
                          "final state.");
        prm.declare_entry("Fields",
                          "potential, polarization, electric field, material",
                          Patterns::MultipleSelection(join(known_output_fields(), "|")),
                          "Fields written to solution.pvd; empty = no field output (benchmarks). "
                          "'disorder' is the quenched-disorder number g [1] of unit variance "
                          "(Materials/<name>/Disorder; 0 in ideal layers); 'traps' the occupancy "
                          "[1] of the charge traps (Materials/<name>/Trap density).");
        prm.declare_entry("Checkpoint every",
                          "600",
                          QuantityPattern(Quantity::time, 0),
                          "Wall-clock interval of checkpoints [s] (measured from the start of "
                          "the run or the last checkpoint, checked after each accepted step); "
                          "0 = only the checkpoint at the end of the run, which is always "
                          "written. A checkpoint (DIR/checkpoint/) holds everything the next step "
                          "depends on; `ferrostack DECK.prm --restart DIR` continues from the "
                          "newest complete one.");
        prm.declare_entry("Checkpoint every steps",
                          "0",
                          Patterns::Integer(0),
                          "Also write a checkpoint after every this many accepted steps [1]; "
                          "0 = off. Deterministic, unlike the wall clock: for tests and for "
                          "runs whose steps take long.");
      }
      prm.leave_subsection();

      ProtocolParameters::declare(prm);

      prm.enter_subsection("Discretization");
      {
        prm.declare_entry("Polynomial degree",
                          "1",
                          Patterns::Integer(1, 4),
                          "Degree of the Lagrange (Q_k) elements.");
        prm.declare_entry("Mass lumping",
                          "false",
                          Patterns::Bool(),
                          "Evaluate the terms of carrier and ion densities (their space charge "
                          "in Poisson, storage, recombination and generation) at the element's "
                          "nodes (a lumped mass, the control-volume balance of the box method) "
                          "instead of at the Gauss points; the fluxes stay Gaussian. Keeps "
                          "depleted densities positive and their Newton solvable where the "
                          "consistent mass asks for negative densities; the ion number "
                          "conserved is then the nodal sum. Off by default: with it the refined "
                          "FeS-FET benchmark stalls on a fully depleted hole field [true|false].");
      }
      prm.leave_subsection();

      prm.enter_subsection("Solver");
      {
        prm.declare_entry("Linear tolerance",
                          "1e-10",
                          Patterns::Double(0),
                          "Relative residual reduction of the Krylov solver "
                          "[1].");
        prm.declare_entry("Newton tolerance",
                          "1e-12",
                          Patterns::Double(0),
                          "Newton has converged when every field's residual is below this "
                          "times its natural size, the norm of the magnitudes of the terms "
                          "of its equation (the round-off scale of that residual) [1].");
        prm.declare_entry("Linear solver",
                          "direct",
                          Patterns::Selection("direct|gmres-amg"),
                          "Linear solver of the coupled TDGL + Poisson Newton steps: direct (MUMPS, "
                          "robust) or gmres-amg (PETSc GMRES with a field-split phi | P | carriers block "
                          "Gauss-Seidel preconditioner, one BoomerAMG V-cycle per block, for large "
                          "meshes). Poisson alone always uses CG + BoomerAMG.");
        prm.declare_entry("Newton max iterations",
                          "20",
                          Patterns::Integer(1),
                          "Newton iterations before a step is cut.");
        prm.declare_entry("Predictor",
                          "true",
                          Patterns::Bool(),
                          "Start each time step's Newton from the linear extrapolation of the last "
                          "two accepted states (the predictor of variable-step BDF codes such as "
                          "SUNDIALS IDA) instead of the last state; after a failed attempt, from the "
                          "last state. Changes the path to the solution, not the solution.");
        prm.declare_entry("Newton stagnation test",
                          "true",
                          Patterns::Bool(),
                          "Give a time step's Newton up (and so cut the step) when its merit has not "
                          "halved over the last four iterations, from the eighth iteration on, "
                          "instead of using all of Newton max iterations; not applied to the initial "
                          "solves.");
        prm.declare_entry("Jacobian reuse",
                          "true",
                          Patterns::Bool(),
                          "Keep the Jacobian (and its factorization) of the previous Newton "
                          "iteration while each iteration still reduces the residual tenfold "
                          "(derivative lagging, PETSc's -snes_lag_jacobian idea); refreshed at "
                          "every time step and whenever a lagged one gives no descent. Changes "
                          "the path, not the converged answer [true|false].");
        prm.declare_entry("Newton log",
                          "false",
                          Patterns::Bool(),
                          "Write every Newton iteration to run.log: the line-search step, "
                          "whether the Jacobian was lagged, and each field's update and "
                          "residual (against the reference it is judged by) [true|false].");
      }
      prm.leave_subsection();
    }

    /// Throws a DeckError located at @p path of @p deck.
    [[noreturn]] void
    fail(const DeckScanner &deck, const std::string &path, const std::string &what)
    {
      throw DeckError(deck.location(path).describe() + ": " + path + ": " + what);
    }

    std::vector<Layer>
    parse_layers(const DeckScanner &deck, const std::string &text)
    {
      const std::string     path = "Stack/Layers";
      std::vector<Layer>    layers;
      std::set<std::string> names;
      for (const std::string &entry : split(text, ','))
        {
          const auto parts = split(entry, ':');
          if (parts.size() < 3 || parts.size() > 4)
            fail(deck, path, "'" + entry + "' is not 'name: material: thickness_nm [: cells]'");
          Layer layer;
          layer.name     = parts[0];
          layer.material = parts[1];
          if (layer.name.empty() || layer.name.find_first_of(" .[]") != std::string::npos)
            fail(deck, path, "layer name '" + layer.name + "' must be one word without '.', '[' or ']'");
          if (!names.insert(layer.name).second)
            fail(deck, path, "layer name '" + layer.name + "' is used twice");
          if (!parse_quantity(parts[2], Quantity::length, layer.thickness) || !(layer.thickness > 0) ||
              !std::isfinite(layer.thickness))
            fail(deck,
                 path,
                 "thickness '" + parts[2] + "' of layer '" + layer.name +
                   "' must be a positive length in nm");
          if (parts.size() == 4)
            {
              double cells;
              if (!parse_double(parts[3], cells) || cells < 1 || cells != std::floor(cells))
                fail(deck,
                     path,
                     "cells '" + parts[3] + "' of layer '" + layer.name + "' must be a positive integer");
              // Layer::cells is an unsigned; larger counts are refused here
              // rather than wrapped (check_mesh_size() refuses what fits in it
              // but not in memory).
              if (cells > std::numeric_limits<unsigned>::max())
                fail(deck,
                     path,
                     "cells '" + parts[3] + "' of layer '" + layer.name + "' must be at most " +
                       std::to_string(std::numeric_limits<unsigned>::max()));
              layer.cells = static_cast<unsigned>(cells);
            }
          layers.push_back(layer);
        }
      if (layers.empty())
        fail(deck, path, "expected at least one layer 'name: material: thickness_nm'");
      return layers;
    }

    void
    parse_doping(const DeckScanner &deck, const std::string &text, std::vector<Layer> &layers)
    {
      const std::string path   = "Stack/Doping";
      std::string       spaced = text;
      for (char &c : spaced)
        if (c == ',')
          c = ';';
      for (const std::string &entry : split(spaced, ';'))
        {
          const auto colon = entry.find(':');
          if (colon == std::string::npos)
            fail(deck, path, "'" + entry + "' is not 'layer: donors N' or 'layer: acceptors N' (N in cm^-3)");
          const std::string name = trim(entry.substr(0, colon));
          auto              layer =
            std::find_if(layers.begin(), layers.end(), [&](const Layer &l) { return l.name == name; });
          if (layer == layers.end())
            fail(deck, path, "no layer called '" + name + "' in Stack/Layers");
          std::istringstream in(entry.substr(colon + 1));
          std::string        kind, number;
          bool               any = false;
          while (in >> kind)
            {
              double value;
              if (!(in >> number) || !parse_double(number, value) || value < 0)
                fail(deck,
                     path,
                     "'" + kind + "' of layer '" + name + "' needs a non-negative density in cm^-3");
              if (kind == "donors")
                layer->donors = value;
              else if (kind == "acceptors")
                layer->acceptors = value;
              else
                fail(deck, path, "'" + kind + "' is neither 'donors' nor 'acceptors'");
              any = true;
            }
          if (!any)
            fail(deck, path, "layer '" + name + "' has no 'donors N' or 'acceptors N'");
        }
    }

    /**
     * Contacts/Series resistance: 'name: R' [Ohm] for contacts of the list;
     * returns R per contact (0: none). A lumped resistor in Ohm is that of
     * the measured device, so a 1D or 2D deck must say its size (Stack/Device
     * area or depth); a 3D deck's currents are in A already.
     */
    std::vector<double>
    parse_series_resistance(const DeckScanner          &deck,
                            const std::string          &text,
                            const std::vector<Contact> &contacts,
                            const unsigned              dim,
                            const bool                  device_size_given)
    {
      const std::string   path = "Contacts/Series resistance";
      std::vector<double> resistance(contacts.size(), 0.);
      std::set<std::string> seen;
      for (const std::string &entry : split(text, ','))
        {
          if (trim(entry).empty())
            continue;
          const auto colon = entry.find(':');
          if (colon == std::string::npos)
            fail(deck, path, "'" + trim(entry) + "' is not 'contact: resistance in Ohm'");
          const std::string name = trim(entry.substr(0, colon));
          const auto        c    = std::find_if(contacts.begin(), contacts.end(), [&](const Contact &k) {
            return k.name == name;
          });
          if (c == contacts.end())
            fail(deck, path, "'" + name + "' is not a contact of Contacts/List");
          if (!seen.insert(name).second)
            fail(deck, path, "contact '" + name + "' is given twice");
          double R = 0;
          if (!parse_double(entry.substr(colon + 1), R) || !std::isfinite(R))
            fail(deck, path, "the resistance of '" + name + "' is '" + trim(entry.substr(colon + 1)) +
                               "', expected a number of Ohm");
          if (R < 0)
            fail(deck, path, "the resistance of '" + name + "' is " + format_number(R) +
                               " Ohm; a series resistance is >= 0");
          if (R > 0 && dim < 3 && !device_size_given)
            fail(deck, path, "a resistance in Ohm is that of a device of a given size: set Stack/" +
                               std::string(dim == 1 ? "Device area [um^2]" : "Device depth [um]") +
                               " (the " + std::to_string(dim) + "D currents are per " +
                               (dim == 1 ? "area" : "length") + ")");
          resistance[c - contacts.begin()] = R;
        }
      return resistance;
    }

    std::vector<Contact>
    parse_contacts(const DeckScanner     &deck,
                   const std::string     &text,
                   const unsigned         dim,
                   const double           width,
                   const bool             from_gmsh,
                   const MaterialLibrary &library)
    {
      const std::string     path = "Contacts/List";
      std::vector<Contact>  contacts;
      std::set<std::string> names;
      for (const std::string &entry : split_outside_brackets(text))
        {
          const auto parts = split(entry, ':');
          if (parts.size() != 3)
            fail(deck, path, "'" + entry + "' is not 'name: where: kind'");
          Contact contact;
          contact.name = parts[0];
          if (contact.name.empty() || contact.name.find_first_of(" ,[]()") != std::string::npos)
            fail(deck, path, "contact name '" + contact.name + "' must be one word");
          if (!names.insert(contact.name).second)
            fail(deck, path, "contact name '" + contact.name + "' is used twice");

          // where
          std::string                                where   = parts[1];
          const auto                                 bracket = where.find('[');
          std::string                                side    = trim(where.substr(0, bracket));
          const std::map<std::string, Contact::Side> sides   = {{"bottom", Contact::Side::bottom},
                                                                {"top", Contact::Side::top},
                                                                {"left", Contact::Side::left},
                                                                {"right", Contact::Side::right},
                                                                {"front", Contact::Side::front},
                                                                {"back", Contact::Side::back}};
          if (sides.count(side))
            {
              contact.side = sides.at(side);
              const unsigned needed =
                (contact.side == Contact::Side::bottom || contact.side == Contact::Side::top) ? 1 :
                (contact.side == Contact::Side::front || contact.side == Contact::Side::back) ? 3 :
                                                                                                2;
              if (dim < needed)
                fail(deck,
                     path,
                     "contact '" + contact.name + "' is on the " + side + " boundary, which a " +
                       std::to_string(dim) + "D device does not have (" +
                       (dim == 1 ? "bottom, top" : "bottom, top, left, right") + ")");
            }
          else if (bracket == std::string::npos && from_gmsh)
            {
              contact.side          = Contact::Side::physical;
              contact.physical_name = side;
            }
          else
            fail(deck,
                 path,
                 "contact '" + contact.name + "': '" + where +
                   "' is not bottom | top | left | right | front | back | "
                   "top[x0,x1] | bottom[x0,x1]" +
                   (from_gmsh ? " | a Gmsh physical name" : ""));
          if (bracket != std::string::npos)
            {
              const auto close = where.find(']');
              const auto range = split(where.substr(bracket + 1, close - bracket - 1), ',');
              if (close == std::string::npos || range.size() != 2 ||
                  !parse_quantity(range[0], Quantity::length, contact.x0) ||
                  !parse_quantity(range[1], Quantity::length, contact.x1) ||
                  trim(where.substr(close + 1)) != "")
                fail(deck,
                     path,
                     "contact '" + contact.name + "': '" + where + "' is not " + side +
                       "[x0,x1] with x0, x1 in nm");
              if (contact.side != Contact::Side::top && contact.side != Contact::Side::bottom)
                fail(deck,
                     path,
                     "contact '" + contact.name + "': a range [x0,x1] is only allowed on top or bottom");
              if (dim == 1)
                fail(deck, path, "contact '" + contact.name + "': a range [x0,x1] needs Dimension 2 or 3");
              if (!(contact.x0 < contact.x1) || contact.x0 < 0 || contact.x1 > width * (1 + 1e-12))
                fail(deck,
                     path,
                     "contact '" + contact.name + "': range [" + range[0] + "," + range[1] +
                       "] must satisfy 0 <= x0 < x1 <= Width (" + std::to_string(width) +
                       " nm): it lies outside the device");
              contact.partial = true;
            }

          // kind
          const std::string kind      = parts[2];
          const auto        open      = kind.find('(');
          const std::string kind_name = trim(kind.substr(0, open));
          std::string       argument;
          if (open != std::string::npos)
            {
              if (kind.back() != ')')
                fail(deck, path, "contact '" + contact.name + "': '" + kind + "' lacks a closing ')'");
              argument = trim(kind.substr(open + 1, kind.size() - open - 2));
            }
          if (kind_name == "ohmic" && argument.empty() && open == std::string::npos)
            contact.kind = Contact::Kind::ohmic;
          else if (kind_name == "schottky" || kind_name == "gate")
            {
              double value;
              if (!parse_quantity(argument, Quantity::energy, value))
                fail(deck,
                     path,
                     "contact '" + contact.name + "': " + kind_name + "(...) expects an energy in eV, got '" +
                       argument + "'");
              contact.kind = kind_name == "gate" ? Contact::Kind::gate : Contact::Kind::schottky;
              (kind_name == "gate" ? contact.workfunction : contact.barrier) = value;
            }
          else if (kind_name == "metal")
            {
              if (!library.has(argument))
                fail(deck,
                     path,
                     "contact '" + contact.name + "': metal '" + argument +
                       "' is not in the material library (" + join(library.names()) + ")");
              const Material &metal = library.get(argument);
              if (metal.kind != MaterialKind::metal)
                fail(deck,
                     path,
                     "contact '" + contact.name + "': '" + argument + "' is a " +
                       FerroStack::kind_name(metal.kind) + ", not a metal");
              contact.kind         = Contact::Kind::metal;
              contact.metal        = argument;
              contact.workfunction = metal.require("Work function", "a metal contact");
            }
          else
            fail(deck,
                 path,
                 "contact '" + contact.name + "': kind '" + kind +
                   "' is not ohmic | schottky(barrier_eV) | metal(NAME) | gate(workfunction_eV)");
          contacts.push_back(contact);
        }
      return contacts;
    }

    /// "natural" | "zero" | "extrapolation(length_nm)"; false if malformed.
    bool
    parse_polarization_boundary(const std::string &text, Parameters::PolarizationBoundary &bc)
    {
      using Kind          = Parameters::PolarizationBoundary::Kind;
      const std::string t = trim(text);
      if (t == "natural" || t == "zero")
        {
          bc.kind = (t == "zero" ? Kind::zero : Kind::natural);
          return true;
        }
      if (t.rfind("extrapolation(", 0) == 0 && t.back() == ')')
        {
          bc.kind = Kind::extrapolation;
          return parse_quantity(t.substr(14, t.size() - 15), Quantity::length, bc.length) && bc.length > 0;
        }
      return false;
    }

    void
    apply_overrides(ParameterHandler &prm, const std::vector<Override> &overrides)
    {
      for (const Override &o : overrides)
        {
          const auto        path    = split(o.first, '/');
          const std::string where   = "--set " + o.first + "=" + o.second;
          unsigned          entered = 0;
          try
            {
              for (std::size_t i = 0; i + 1 < path.size(); ++i, ++entered)
                prm.enter_subsection(path[i]);
              prm.get(path.back()); // throws if the key is not declared
              prm.set(path.back(), o.second);
            }
          catch (const ExceptionBase &e)
            {
              throw DeckError(where + ": " + o.first + ": no such key, or the value does not match: " +
                              DeckPatterns::exception_message(e));
            }
          for (; entered > 0; --entered)
            prm.leave_subsection();
        }
    }

    /// Numbers in deck errors: three significant digits.
    std::string
    short_number(const double x)
    {
      return format_number(x, 3);
    }

    /**
     * Lower bounds of the memory a run needs per cell and per unknown of the
     * potential (check_mesh_size()). `--check` (mesh, DoFs, constraints, the
     * Jacobian and the vectors, no solve yet; potential only, one rank) grew
     * the peak resident memory by 380 bytes per cell of a 2e6-cell 1D stack
     * and by 950 bytes per cell of a 1e6-cell 2D one (one Q1 unknown per
     * cell in both); these bounds are 300 bytes per cell and unknown
     * together, below both. Solving needs more (AMG hierarchy, MUMPS fill,
     * the polarization and carrier fields).
     */
    constexpr double min_bytes_per_cell    = 150;
    constexpr double min_bytes_per_unknown = 150;

    /**
     * Refuse a generated mesh that cannot be built: a deck that asks for one
     * (a 1e9 nm layer, a million lateral cells) would otherwise end in
     * std::bad_alloc, exit 1, after a long wait. The mesh is counted from the
     * deck (estimate_stack_size(), the rules of StackMesh) and refused when
     * - it has more unknowns or cells than deal.II's indices can number
     *   (types::global_dof_index, 32 bits in Debian's deal.II), or
     * - its memory, counted generously low (min_bytes_per_cell per cell, the
     *   whole mesh on every rank in 1D where it is replicated, a share of it
     *   in 2D and 3D; min_bytes_per_unknown per unknown of the potential
     *   alone, a share per rank), exceeds the physical memory of this machine
     *   (sysconf), as if every MPI rank had such a machine to itself.
     * So only meshes that certainly fail are refused; one below the limit may
     * still be too large for the direct solver. A Gmsh mesh is not counted
     * here (its size is only known once it is read).
     */
    void
    check_mesh_size(const DeckScanner &deck, const Parameters &prm)
    {
      if (!prm.mesh_file.empty())
        return;
      const StackSize size = estimate_stack_size(prm.dimension, stack_description(prm), prm.degree);
      const double    ranks =
        Utilities::MPI::job_supports_mpi() ? Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD) : 1;
      const double bytes_per_rank = min_bytes_per_cell * size.cells / (prm.dimension == 1 ? 1. : ranks) +
                                    min_bytes_per_unknown * size.nodes / ranks;
      const double memory    = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
      const double max_index = double(std::numeric_limits<types::global_dof_index>::max());
      const bool   too_many  = size.nodes > max_index || size.cells > max_index;
      const bool   too_large = memory > 0 && bytes_per_rank > memory;
      if (!too_many && !too_large)
        return;

      // Name the key to change: the refinement if the coarse mesh would fit,
      // the lateral cells if there are more of them than vertical ones, else
      // the layers; the message lists the counts of each.
      double vertical = 0;
      for (const double n : size.layer_cells)
        vertical += n;
      const double refinement_factor = size.cells / size.coarse_cells;
      const bool coarse_fits = size.coarse_cells < max_index && size.nodes / refinement_factor < max_index &&
                               bytes_per_rank / refinement_factor < memory;
      const std::string key = prm.refinement > 0 && coarse_fits ? "Stack/Refinement" :
                              prm.dimension > 1 && size.lateral_cells[0] * size.lateral_cells[1] > vertical ?
                                                                  "Stack/Lateral cells" :
                                                                  "Stack/Layers";
      std::string       layers;
      for (unsigned l = 0; l < prm.layers.size(); ++l)
        layers += (l > 0 ? ", " : "") + prm.layers[l].name + " " + short_number(size.layer_cells[l]);
      std::string shape = "vertical cells per layer: " + layers;
      if (prm.dimension > 1)
        shape += "; lateral cells: " + short_number(size.lateral_cells[0]) +
                 (prm.dimension > 2 ? " x " + short_number(size.lateral_cells[1]) : "");
      if (prm.refinement > 0)
        shape += "; Refinement " + std::to_string(prm.refinement) + " multiplies by " +
                 short_number(refinement_factor);
      const std::string estimate = "the mesh would have about " + short_number(size.cells) + " cells (" +
                                   shape + ") and at least " + short_number(size.nodes) + " unknowns";
      const std::string advice =
        "; expected a mesh that fits: give thick layers a cell count ('name: material: thickness_nm: "
        "cells'), or use fewer Stack/Lateral cells or a smaller Stack/Refinement";
      if (too_many)
        fail(deck,
             key,
             estimate + ", more than deal.II's " + std::to_string(sizeof(types::global_dof_index) * 8) +
               "-bit indices can number (" + short_number(max_index) + ")" + advice);
      fail(deck,
           key,
           estimate + ", which need at least " + short_number(bytes_per_rank / (1 << 30)) +
             " GiB per MPI rank (at " + short_number(min_bytes_per_cell) + " bytes per cell and " +
             short_number(min_bytes_per_unknown) + " per unknown), more than the " +
             short_number(memory / (1 << 30)) + " GiB of memory of this machine" + advice);
    }

    /// Refuse a relative tolerance @p value of @p path that is not in (0, @p upper).
    void
    check_tolerance(const DeckScanner &deck, const std::string &path, const double value, const double upper)
    {
      if (!(value > 0) || !(value < upper))
        fail(deck,
             path,
             "got " + short_number(value) + ", expected a number > 0" +
               (std::isfinite(upper) ? " and < " + short_number(upper) : std::string()) +
               (value == 0 ? " (a tolerance of 0 can never be met)" : ""));
    }

    /**
     * TDGL needs, in every ferroelectric layer, a gradient coefficient g >= 0
     * (a negative one makes the gradient energy (g/2)|grad P|^2 unbounded
     * below: the finest wiggles of P lower the energy without limit, so the
     * result is a mesh artifact or a Newton failure) and a kinetic coefficient
     * Gamma > 0 (Gamma <= 0 makes P climb the energy instead of relaxing, or
     * not move). Checked here, with the line of the library or deck that sets
     * the value, instead of during assembly, after the output directory is
     * made. Missing values are refused here for the same reason.
     */
    /**
     * The value of material key @p key of @p m, or a DeckError that says
     * where (@p where: file, line, key, material, layer), that the key has
     * no value and what @p physics needs of it (@p expected), and where to
     * set it (library or the deck's Materials subsection of @p material).
     */
    double
    required_material_value(const Material    &m,
                            const std::string &key,
                            const std::string &where,
                            const std::string &physics,
                            const std::string &expected,
                            const std::string &material)
    {
      const auto v = m.get(key);
      if (!v)
        throw DeckError(where + "has no value, but " + physics + " " + expected +
                        ": set it in the library or in the deck's 'subsection Materials / subsection " + material +
                        "'");
      return *v;
    }

    /// The start of a message about key KEY of layer @p l's material:
    /// "FILE:LINE: Materials/M/KEY: material 'M' of layer 'L' ", the line
    /// where the key's value comes from (the deck or the library).
    auto
    material_key_where(const DeckScanner &deck, const Parameters &prm, const Layer &l)
    {
      return [&deck, &prm, &l](const std::string &key) {
        return prm.materials.location(l.material, key, deck).describe() + ": Materials/" + l.material + "/" + key +
               ": material '" + l.material + "' of layer '" + l.name + "' ";
      };
    }

    /**
     * A disordered ferroelectric (`Disorder` other than none) needs a spread
     * >= 0 and a length > 0 (the correlation length or mean grain size), an
     * integer seed >= 0 if one is given, and, for a random field, a lattice
     * of spacing length / 4 over the layer that fits in memory (2e7 nodes,
     * 160 MB per layer: a 3D layer of 1 um x 1 um x 20 nm at a 1 nm length
     * would need 4.5e9).
     */
    template <typename Where>
    void
    check_disorder(const Parameters  &prm,
                   const Layer       &l,
                   const Material    &m,
                   const Where       &where)
    {
      if (m.disorder == "none")
        return;
      const std::string physics = "the disorder '" + m.disorder + "'";
      // A missing key is reported where the disorder was asked for.
      const auto required = [&](const std::string &key, const std::string &expected) {
        const auto v = m.get(key);
        if (!v)
          throw DeckError(where("Disorder") + "asks for " + physics + ", which needs '" + key + "', " + expected +
                          ": set it in the library or in the deck's 'subsection Materials / subsection " +
                          l.material + "'");
        return *v;
      };
      const bool        field   = m.disorder == "random-field";
      const std::string spread_expected =
        field ? "a spread >= 0 MV/cm of the built-in field" : "a spread >= 0 of alpha, relative to alpha";
      const double spread = required("Disorder spread", spread_expected);
      if (!(spread >= 0) || !std::isfinite(spread))
        throw DeckError(where("Disorder spread") + "has " + short_number(spread) + ", but " + physics + " needs " +
                        spread_expected);
      const std::string length_expected =
        field || m.disorder == "random-alpha" ? "a correlation length > 0 nm" : "a mean grain size > 0 nm";
      const double length = required("Disorder length", length_expected);
      if (!(length > 0) || !std::isfinite(length))
        throw DeckError(where("Disorder length") + "has " + short_number(length) + ", but " + physics + " needs " +
                        length_expected);
      if (const auto depth = m.get("Disorder depth"); depth && (!(*depth >= 0) || !std::isfinite(*depth)))
        throw DeckError(where("Disorder depth") + "has " + short_number(*depth) + ", but " + physics +
                        " needs a depth >= 0 nm from the layer's faces (0: the whole layer)");
      if (const auto seed = m.get("Disorder seed");
          seed && (!(*seed >= 0) || *seed != std::floor(*seed) || *seed > 9007199254740992.))
        throw DeckError(where("Disorder seed") + "has " + short_number(*seed) + ", but " + physics +
                        " needs an integer seed >= 0");
      if (m.disorder != "grains" && prm.mesh_file.empty())
        {
          // The lattice over the layer's box in the generated mesh
          // (StackMesh: x in [0, width], y in [0, depth], the layers
          // stacked from 0 along the last axis).
          double bottom = 0;
          for (const Layer *below = prm.layers.data(); below != &l; ++below)
            bottom += below->thickness;
          std::vector<std::pair<double, double>> extents;
          if (prm.dimension > 1)
            extents.emplace_back(0., prm.width);
          if (prm.dimension > 2)
            extents.emplace_back(0., prm.depth);
          extents.emplace_back(bottom, bottom + l.thickness);
          const double nodes = disorder_lattice_nodes(length, extents);
          if (nodes > max_disorder_lattice_nodes)
            throw DeckError(where("Disorder length") + "has " + short_number(length) + " nm, so " + physics +
                            " of layer '" + l.name + "' needs a lattice of " + short_number(nodes) +
                            " nodes (spacing length / 4), more than the 2e7 it may use: give a longer length");
        }
    }

    /// The first layer of each material of the stack, in stack order: the
    /// material checks run once per material and report at that layer.
    std::vector<const Layer *>
    first_layer_of_each_material(const Parameters &prm)
    {
      std::set<std::string>      seen;
      std::vector<const Layer *> first;
      for (const Layer &l : prm.layers)
        if (seen.insert(l.material).second)
          first.push_back(&l);
      return first;
    }

    /**
     * Fermi-level pinning of a semiconductor's metal contacts: a `Pinning
     * factor` S in [0, 1], and below 1 a `Pinned barrier` phi_0 between 0
     * and the band gap (the charge-neutrality level lies in the gap).
     */
    void
    check_pinning(const DeckScanner &deck, const Parameters &prm)
    {
      for (const Layer *layer : first_layer_of_each_material(prm))
        {
          const Layer    &l = *layer;
          const Material &m = prm.materials.get(l.material);
          const auto      S = m.get("Pinning factor");
          if (!m.is_semiconducting() || !S)
            continue;
          const auto where = material_key_where(deck, prm, l);
          if (!(*S >= 0 && *S <= 1))
            throw DeckError(where("Pinning factor") + "has " + short_number(*S) +
                            ", but a pinning factor lies between 0 (Bardeen) and 1 (Schottky-Mott)");
          if (*S == 1)
            continue;
          const auto phi_0 = m.get("Pinned barrier");
          if (!phi_0)
            throw DeckError(where("Pinning factor") + "is " + short_number(*S) +
                            ", which needs 'Pinned barrier', the barrier phi_0 [eV] at full pinning: set it in "
                            "the library or in the deck's 'subsection Materials / subsection " + l.material + "'");
          const double gap = m.get("Band gap").value_or(std::numeric_limits<double>::infinity());
          if (!(*phi_0 >= 0 && *phi_0 <= gap))
            throw DeckError(where("Pinned barrier") + "has " + short_number(*phi_0) +
                            " eV, but the barrier at full pinning lies between 0 and the band gap (" +
                            short_number(gap) + " eV)");
        }
    }

    /**
     * Charge traps (TrapModule): a `Trap density` and an `Interface trap
     * density` >= 0 (interface traps on a face that borders another layer);
     * positive ones need
     * a semiconductor with carriers (the traps exchange electrons and holes
     * with them), capture coefficients > 0, a level within the gap and an
     * initial occupancy, if given, strictly between 0 and 1.
     */
    void
    check_traps(const DeckScanner &deck, const Parameters &prm)
    {
      for (const Layer *layer : first_layer_of_each_material(prm))
        {
          const Layer    &l = *layer;
          const Material &m = prm.materials.get(l.material);
          const auto where = material_key_where(deck, prm, l);
          for (const auto &[key, unit] : {std::pair<const char *, const char *>{"Trap density", "cm^-3"},
                                          {"Interface trap density", "cm^-2"}})
            if (const auto N = m.get(key); N && (!(*N >= 0) || !std::isfinite(*N)))
              throw DeckError(where(key) + "has " + short_number(*N) + ", but a trap density is >= 0 " + unit);
          if (!has_traps(m))
            continue;
          // The key that gave the material its traps, for the messages.
          const char *trap_key = m.get("Trap density").value_or(0.) > 0 ? "Trap density" : "Interface trap density";
          if (!m.is_semiconducting())
            throw DeckError(where(trap_key) + "has traps, but traps exchange electrons and holes and need a "
                            "semiconductor (this material is a " + kind_name(m.kind) + ")");
          if (!prm.carriers)
            throw DeckError(where(trap_key) + "has traps, which exchange electrons and holes with the "
                            "carriers: they need Physics/Carriers = true");
          if (m.get("Interface trap density").value_or(0.) > 0)
            for (unsigned i = 0; i < prm.layers.size(); ++i)
              if (prm.layers[i].material == l.material)
                {
                  // Layers are listed from the bottom up.
                  const bool below = i > 0, above = i + 1 < prm.layers.size();
                  const std::string &faces = m.interface_trap_faces;
                  if ((faces == "bottom" && !below) || (faces == "top" && !above) || (faces == "all" && !below && !above))
                    throw DeckError(where("Interface trap density") + "puts interface traps on the " +
                                    (faces == "all" ? std::string("faces") : faces + " face") + " of layer '" +
                                    prm.layers[i].name + "', but " + (faces == "all" ? "no face" : "that face") +
                                    " borders another layer (Interface trap faces = " + faces + ")");
                }
          for (const char *key : {"Trap capture electrons", "Trap capture holes"})
            {
              const auto c = m.get(key);
              if (!c)
                throw DeckError(where(trap_key) + "has traps, which need '" + key +
                                "', a capture coefficient sigma v_th > 0 cm^3/s: set it in the library or in the "
                                "deck's 'subsection Materials / subsection " + l.material + "'");
              if (!(*c > 0) || !std::isfinite(*c))
                throw DeckError(where(key) + "has " + short_number(*c) + ", but a capture coefficient is > 0 cm^3/s");
            }
          const double half_gap = 0.5 * m.get("Band gap").value_or(std::numeric_limits<double>::infinity());
          if (const auto E = m.get("Trap level"); E && !(std::abs(*E) <= half_gap))
            throw DeckError(where("Trap level") + "has " + short_number(*E) +
                            " eV, but the trap level, from midgap, lies within half the band gap (" +
                            short_number(half_gap) + " eV)");
          if (const auto K = m.get("Trap levels");
              K && !(*K >= 1 && *K <= max_trap_levels && *K == std::floor(*K)))
            throw DeckError(where("Trap levels") + "has " + short_number(*K) + ", but the number of levels is a whole "
                            "number from 1 to " + std::to_string(max_trap_levels));
          if (m.trap_distribution != "single")
            {
              const auto W = m.get("Trap width");
              if (!W)
                throw DeckError(where(trap_key) + "has a " + m.trap_distribution +
                                " trap distribution, which needs 'Trap width' [eV] (" +
                                (m.trap_distribution == "uniform" ? "the band's full width" : "its standard deviation") +
                                ")");
              if (!(*W > 0) || !std::isfinite(*W))
                throw DeckError(where("Trap width") + "has " + short_number(*W) + ", but a trap width is > 0 eV");
              // The levels that sample it lie in the gap.
              const unsigned K = trap_level_count(m.trap_distribution, m.get("Trap levels"));
              for (const TrapLevel &level : trap_levels(m.trap_distribution, m.get("Trap level").value_or(0.), *W, K))
                if (!(std::abs(level.energy) <= half_gap))
                  throw DeckError(where("Trap width") + "has " + short_number(*W) + " eV: the " + m.trap_distribution +
                                  " distribution's level at " + short_number(level.energy) +
                                  " eV from midgap lies outside the gap (half gap " + short_number(half_gap) + " eV)");
            }
          if (const auto f0 = m.get("Trap initial occupancy"); f0 && !(*f0 > 0 && *f0 < 1))
            throw DeckError(where("Trap initial occupancy") + "has " + short_number(*f0) +
                            ", but an occupancy lies strictly between 0 and 1");
        }
    }

    void
    check_tdgl_coefficients(const DeckScanner &deck, const Parameters &prm)
    {
      if (prm.polarization != Parameters::PolarizationModel::dynamic)
        return;
      for (const Layer *layer : first_layer_of_each_material(prm))
        {
          const Layer    &l = *layer;
          const Material &m = prm.materials.get(l.material);
          if (!m.is_ferroelectric())
            continue;
          const auto where = material_key_where(deck, prm, l);
          const std::string tdgl  = "TDGL (Physics/Polarization = dynamic)";
          const auto        value = [&](const std::string &key, const std::string &expected) {
            return required_material_value(m, key, where(key), tdgl + " needs", expected, l.material);
          };
          const std::string g_expected = "a gradient coefficient >= 0 m^3/F";
          const double      g          = value("Gradient coefficient", g_expected);
          if (!(g >= 0) || !std::isfinite(g))
            throw DeckError(where("Gradient coefficient") + "has " + short_number(g) + ", but " + tdgl +
                            " needs " + g_expected +
                            " (a negative one makes the gradient energy unbounded below)");
          const std::string gamma_expected = "a kinetic coefficient > 0 F/(m s)";
          const double      gamma          = value("Kinetic coefficient", gamma_expected);
          if (!(gamma > 0) || !std::isfinite(gamma))
            throw DeckError(where("Kinetic coefficient") + "has " + short_number(gamma) + ", but " + tdgl +
                            " needs " + gamma_expected +
                            " (with Gamma <= 0 the polarization does not relax toward lower energy)");
          check_disorder(prm, l, m, where);
        }
    }

    /**
     * Mobile ions (Physics/Ions = true) live in the layers whose material
     * has a positive `Ion density`. Each needs a charge number z != 0, a
     * site density above the mean density (0 < c0 < c_max, or the
     * lattice-gas occupation c0/c_max is not a probability) and a positive
     * diffusivity, given or from D0 exp(-Ea/kT). Two ionic layers that touch
     * would share the one continuous electrochemical-potential field and
     * exchange ions, where the contract says ions stay in their layer:
     * refused until the interface flux exists. A deck with Ions = true and
     * no ionic layer is a mistake too.
     */
    void
    check_ion_parameters(const DeckScanner &deck, const Parameters &prm)
    {
      if (!prm.ions)
        return;
      std::vector<bool> ionic(prm.layers.size(), false);
      for (unsigned i = 0; i < prm.layers.size(); ++i)
        {
          const Layer    &l = prm.layers[i];
          const Material &m = prm.materials.get(l.material);
          const auto      where = [&](const std::string &key) {
            return prm.materials.location(l.material, key, deck).describe() + ": Materials/" + l.material +
                   "/" + key + ": material '" + l.material + "' of layer '" + l.name + "' ";
          };
          // One species per entry of `Ion density`; every other per-species
          // key has one entry (shared) or one per species.
          const std::vector<double> densities = m.entries("Ion density");
          if (densities.empty() || (densities.size() == 1 && densities[0] == 0))
            continue;
          const unsigned n_species = densities.size();
          for (const double c0 : densities)
            if (!(c0 > 0) || !std::isfinite(c0))
              throw DeckError(where("Ion density") + "has " + short_number(c0) +
                              ", but a mobile-ion density is > 0 cm^-3 (0 or unset: no mobile ions)");
          if (m.kind == MaterialKind::metal)
            throw DeckError(where("Ion density") + "is a metal; mobile ions live in insulators and "
                                                   "semiconductors");
          for (const MaterialKey &key : numeric_material_keys())
            if (key.per_species && !key.name.empty())
              {
                const std::size_t n = m.entries(key.name).size();
                if (n > 1 && n != n_species)
                  throw DeckError(where(key.name) + "has " + std::to_string(n) + " entries, but its 'Ion density' " +
                                  "gives " + std::to_string(n_species) + " mobile-ion species: expected one value " +
                                  "for all or one per species");
              }
          ionic[i] = true;
          for (unsigned k = 0; k < n_species; ++k)
            {
              const Material     m       = prm.materials.get(l.material).ion_species(k);
              const double       c0      = densities[k];
              const std::string  species = n_species > 1 ? " (species " + std::to_string(k + 1) + ")" : "";
              const std::string  ions    = "mobile ions (Physics/Ions = true)";
              const auto         where_k = [&](const std::string &key) {
                return where(key).substr(0, where(key).size() - 1) + species + " ";
              };
              const auto needed = [&](const std::string &key, const std::string &expected) {
                return required_material_value(m, key, where_k(key), ions + " need", expected, l.material);
              };
              const double z = needed("Ion charge", "a charge number z != 0 (in e)");
              if (z == 0 || !std::isfinite(z))
                throw DeckError(where_k("Ion charge") + "has " + short_number(z) + ", but " + ions +
                                " need a charge number z != 0 (in e)");
              const double c_max = needed("Ion max density", "a site density c_max > Ion density [cm^-3]");
              if (!(c_max > c0) || !std::isfinite(c_max))
                throw DeckError(where_k("Ion max density") + "has " + short_number(c_max) + ", but " + ions +
                                " need a site density above the mean density " + short_number(c0) + " cm^-3");
              if (const auto D = m.get("Ion diffusivity"))
                {
                  if (!(*D > 0) || !std::isfinite(*D))
                    throw DeckError(where_k("Ion diffusivity") + "has " + short_number(*D) + ", but " + ions +
                                    " need a diffusivity > 0 cm^2/s");
                }
              else
                {
                  const std::string expected =
                    "'Ion diffusivity' or 'Ion diffusivity prefactor' (> 0 cm^2/s) with 'Ion activation energy' [eV]";
                  const double D0 = needed("Ion diffusivity prefactor", expected);
                  if (!(D0 > 0) || !std::isfinite(D0))
                    throw DeckError(where_k("Ion diffusivity prefactor") + "has " + short_number(D0) + ", but " +
                                    ions + " need a prefactor > 0 cm^2/s");
                  const double Ea = needed("Ion activation energy", expected);
                  if (!(Ea >= 0) || !std::isfinite(Ea))
                    throw DeckError(where_k("Ion activation energy") + "has " + short_number(Ea) + ", but " + ions +
                                    " need an activation energy >= 0 eV");
                }
              if (const auto a = m.get("Ion hopping distance"); a && (!(*a >= 0) || !std::isfinite(*a)))
                throw DeckError(where_k("Ion hopping distance") + "has " + short_number(*a) + ", but " + ions +
                                " need a hopping distance >= 0 nm (0: no field-assisted hopping)");
              if (m.ion_coupling == "landau")
                {
                  const auto given = m.get("Ion Landau coupling");
                  if (!given)
                    throw DeckError(where_k("Ion polarization coupling") +
                                    "asks for the Landau coupling of its ions to P, which needs 'Ion Landau "
                                    "coupling', a coupling w [m/F]: set it in the library or in the deck's "
                                    "'subsection Materials / subsection " + l.material + "'");
                  const double w = *given;
                  if (!std::isfinite(w))
                    throw DeckError(where_k("Ion Landau coupling") + "has " + short_number(w) +
                                    ", but the Landau coupling needs a finite w [m/F]");
                  if (!m.is_ferroelectric() || prm.polarization != Parameters::PolarizationModel::dynamic)
                    throw DeckError(where_k("Ion polarization coupling") +
                                    "asks for the Landau coupling of its ions to P, which needs a ferroelectric "
                                    "material with P as a field (Physics/Polarization = dynamic); use 'charge' "
                                    "otherwise");
                }
            }
          if (i > 0 && ionic[i - 1])
            throw DeckError(deck.location("Stack/Layers").describe() + ": Stack/Layers: the ionic layers '" +
                            prm.layers[i - 1].name + "' and '" + l.name +
                            "' touch; ions stay in their layer, and an interface between two ionic layers "
                            "is not supported yet (put a layer without mobile ions between them)");
        }
      // Active electrodes: the metals of metal(NAME) contacts with an
      // exchange rate (their layer's c_max is checked when the mesh says
      // which layer each contact touches).
      for (const Contact &c : prm.contacts)
        {
          if (c.kind != Contact::Kind::metal)
            continue;
          const Material &metal = prm.materials.get(c.metal);
          const auto      where = [&](const std::string &key) {
            return prm.materials.location(c.metal, key, deck).describe() + ": Materials/" + c.metal + "/" + key +
                   ": metal '" + c.metal + "' of contact '" + c.name + "' ";
          };
          // One entry per species of the layer it touches, or one for all
          // (the simulator checks the count against that layer).
          const std::vector<double> rates = metal.entries("Ion exchange rate");
          for (const double k0 : rates)
            if (!(k0 >= 0) || !std::isfinite(k0))
              throw DeckError(where("Ion exchange rate") + "has " + short_number(k0) +
                              ", but an exchange rate is >= 0 cm/s (0 or unset: a blocking electrode)");
          if (std::none_of(rates.begin(), rates.end(), [](const double k0) { return k0 > 0; }))
            continue;
          const std::vector<double> densities = metal.entries("Ion exchange density");
          if (densities.empty())
            throw DeckError(where("Ion exchange density") +
                            "has no value, but an active electrode (Ion exchange rate > 0) needs the interfacial "
                            "ion density in equilibrium with it, > 0 cm^-3");
          for (const double c_eq : densities)
            if (!(c_eq > 0) || !std::isfinite(c_eq))
              throw DeckError(where("Ion exchange density") + "has " + short_number(c_eq) +
                              ", but an active electrode (Ion exchange rate > 0) needs the interfacial ion density "
                              "in equilibrium with it, > 0 cm^-3");
          for (const double alpha : metal.entries("Ion transfer coefficient"))
            if (!(alpha > 0 && alpha < 1))
              throw DeckError(where("Ion transfer coefficient") + "has " + short_number(alpha) +
                              ", but a Butler-Volmer transfer coefficient lies between 0 and 1");
        }
      if (std::find(ionic.begin(), ionic.end(), true) == ionic.end())
        throw DeckError(deck.location("Physics/Ions").describe() +
                        ": Physics/Ions: true, but no layer's material has a positive 'Ion density' "
                        "(mobile ions live in those layers)");
    }
  } // namespace

  Parameters::Parameters(const std::string &file, const std::vector<Override> &overrides)
      : deck_file(file)
  {
    // 1. Read the values that decide which keys exist.
    DeckScanner deck(file);
    for (const Override &o : overrides)
      {
        if (o.first.empty() || o.first.find('/') == 0)
          throw DeckError("--set " + o.first + "=" + o.second + ": expected --set \"Section/Key=value\"");
        deck.add_override(o.first, o.second);
      }
    try
      {
        const std::string library = trim(deck.value("Materials/Library", "default"));
        materials.read_library(library == "default" ? library : relative_to_deck(file, library));
      }
    catch (const DeckError &e)
      {
        fail(deck, "Materials/Library", e.what());
      }
    for (const std::string &name : deck.subsections("Materials"))
      if (!materials.has(name))
        fail(deck,
             "Materials/" + name,
             "material '" + name + "' is not in the material library " + materials.path() + " (" +
               join(materials.names()) + ")");
    std::vector<std::string> contact_names;
    for (const std::string &entry : split_outside_brackets(deck.value("Contacts/List")))
      contact_names.push_back(trim(entry.substr(0, entry.find(':'))));

    // 2. Parse the deck in full; ParameterHandler names file and line.
    ParameterHandler prm;
    declare(prm, materials, contact_names);
    try
      {
        prm.parse_input(file, "", false);
      }
    catch (const ExceptionBase &e)
      {
        throw DeckError(DeckPatterns::exception_message(e));
      }
    apply_overrides(prm, overrides);
    {
      std::ostringstream as_run;
      prm.print_parameters(as_run, ParameterHandler::PRM | ParameterHandler::KeepDeclarationOrder);
      deck_as_run = as_run.str();
    }

    // 3. Convert and cross-check.
    dimension   = prm.get_integer("Dimension");
    temperature = DeckPatterns::quantity(prm.get("Temperature"), Quantity::temperature);

    prm.enter_subsection("Materials");
    materials.parse_parameters(prm, deck);
    prm.leave_subsection();

    prm.enter_subsection("Stack");
    layers              = parse_layers(deck, prm.get("Layers"));
    width               = DeckPatterns::quantity(prm.get("Width"), Quantity::length);
    depth               = DeckPatterns::quantity(prm.get("Depth"), Quantity::length);
    device_area         = prm.get_double("Device area");
    device_depth        = prm.get_double("Device depth");
    if (device_area > 0 && dimension != 1)
      throw DeckError(deck.location("Stack/Device area").describe() +
                      ": Stack/Device area: the device area scales a 1D deck's currents per area; a " +
                      std::to_string(dimension) + "D deck " +
                      (dimension == 2 ? "takes 'Device depth' [um]" : "has its currents in A already"));
    if (device_depth > 0 && dimension != 2)
      throw DeckError(deck.location("Stack/Device depth").describe() +
                      ": Stack/Device depth: the device depth scales a 2D deck's currents per length; a " +
                      std::to_string(dimension) + "D deck " +
                      (dimension == 1 ? "takes 'Device area' [um^2]" : "has its currents in A already"));
    lateral_cells       = prm.get_integer("Lateral cells");
    mesh_file           = relative_to_deck(file, trim(prm.get("Mesh file")));
    refinement          = prm.get_integer("Refinement");
    interface_cell_size = DeckPatterns::quantity(prm.get("Interface cell size"), Quantity::length);
    contact_edge_cell_size = DeckPatterns::quantity(prm.get("Contact edge cell size"), Quantity::length);
    parse_doping(deck, prm.get("Doping"), layers);
    periodic_lateral = prm.get("Lateral boundary") == "periodic";
    prm.leave_subsection();
    for (const Layer &l : layers)
      if (!materials.has(l.material))
        fail(deck,
             "Stack/Layers",
             "material '" + l.material + "' of layer '" + l.name + "' is not in the material library " +
               materials.path() + " (" + join(materials.names()) + ")");
      else if (materials.get(l.material).kind == MaterialKind::metal)
        fail(deck,
             "Stack/Layers",
             "layer '" + l.name + "' is a metal (" + l.material +
               "): metals are contacts (Contacts/List), not layers");
    if (periodic_lateral && dimension == 1)
      fail(deck, "Stack/Lateral boundary", "periodic lateral boundaries need Dimension 2 or 3");

    prm.enter_subsection("Contacts");
    contacts = parse_contacts(deck, prm.get("List"), dimension, width, !mesh_file.empty(), materials);
    metal_screening      = prm.get_bool("Metal screening");
    image_force_lowering = prm.get_bool("Image force lowering");
    series_resistance    = parse_series_resistance(deck, prm.get("Series resistance"), contacts, dimension,
                                                device_area > 0 || device_depth > 0);
    prm.leave_subsection();
    for (const Contact &c : contacts)
      if (periodic_lateral && (c.side == Contact::Side::left || c.side == Contact::Side::right ||
                               c.side == Contact::Side::front || c.side == Contact::Side::back))
        fail(deck, "Contacts/List", "contact '" + c.name + "' is on a lateral boundary, which is periodic");

    prm.enter_subsection("Bias");
    for (const Contact &c : contacts)
      try
        {
          bias[c.name] = Waveform(prm.get(c.name));
        }
      catch (const WaveformError &e)
        {
          fail(deck, "Bias/" + c.name, std::string(e.what()) + "; expected " + waveform_syntax());
        }
    prm.leave_subsection();

    prm.enter_subsection("Light");
    try
      {
        light_intensity = Waveform(prm.get("Intensity"));
      }
    catch (const WaveformError &e)
      {
        fail(deck, "Light/Intensity", std::string(e.what()) + "; expected " + waveform_syntax());
      }
    wavelength = DeckPatterns::quantity(prm.get("Wavelength"), Quantity::length);
    light_from = prm.get("From");
    prm.leave_subsection();

    prm.enter_subsection("Physics");
    {
      const std::string mode = prm.get("Polarization");
      polarization           = mode == "dynamic" ? PolarizationModel::dynamic :
                               mode == "frozen"  ? PolarizationModel::frozen :
                                                   PolarizationModel::off;
      carriers               = prm.get_bool("Carriers");
      ions                   = prm.get_bool("Ions");
      optical                = prm.get_bool("Optical");
      if (!parse_polarization_boundary(prm.get("Polarization boundary"), polarization_boundary))
        fail(deck,
             "Physics/Polarization boundary",
             "'" + prm.get("Polarization boundary") +
               "' is not natural | zero | extrapolation(length_nm) with a positive length");
      for (const std::string &entry : split(prm.get("Polarization boundary at"), ';'))
        {
          const std::string path  = "Physics/Polarization boundary at";
          const auto        colon = entry.find(':');
          const auto        dot   = entry.find('.');
          if (colon == std::string::npos || dot == std::string::npos || dot > colon)
            fail(deck,
                 path,
                 "'" + entry + "' is not 'layer.face: natural | zero | extrapolation(length_nm)'");
          const std::string layer_name = trim(entry.substr(0, dot));
          const std::string face       = trim(entry.substr(dot + 1, colon - dot - 1));
          if (std::none_of(layers.begin(), layers.end(), [&](const Layer &l) {
                return l.name == layer_name;
              }))
            fail(deck, path, "no layer called '" + layer_name + "' in Stack/Layers");
          if (!materials.get(layer(layer_name).material).is_ferroelectric())
            fail(deck, path, "layer '" + layer_name + "' is not ferroelectric");
          const std::set<std::string> faces = {"bottom", "top", "left", "right", "front", "back"};
          if (faces.count(face) == 0)
            fail(deck, path, "face '" + face + "' is not bottom | top | left | right | front | back");
          PolarizationBoundary bc;
          if (!parse_polarization_boundary(entry.substr(colon + 1), bc))
            fail(deck,
                 path,
                 "'" + trim(entry.substr(colon + 1)) + "' is not natural | zero | extrapolation(length_nm)");
          polarization_boundary_at[layer_name + "." + face] = bc;
        }
    }
    prm.leave_subsection();
    // Physics that later issues add: refuse it clearly instead of ignoring it.
    if (optical)
      fail(deck, "Physics/Optical", "optical generation is not implemented yet; set it to false");

    prm.enter_subsection("Initial polarization");
    {
      initial_mode = prm.get("Mode");
      for (const std::string &v : split(prm.get("Value"), ','))
        initial_value.push_back(std::stod(v));
      initial_seed  = prm.get_integer("Seed");
      stripe_period = DeckPatterns::quantity(prm.get("Stripe period"), Quantity::length);
      initial_file  = prm.get("File");
    }
    prm.leave_subsection();
    if (initial_mode == "from file")
      fail(deck,
           "Initial polarization/Mode",
           "'from file' is not implemented yet; use uniform, random or stripes");
    if (initial_mode == "stripes" && dimension == 1)
      fail(deck, "Initial polarization/Mode", "stripes need Dimension 2 or 3");
    for (const Layer &l : layers)
      {
        const Material &m = materials.get(l.material);
        if (m.is_ferroelectric() && polarization != PolarizationModel::off &&
            initial_value.size() != m.polarization_axes.size())
          fail(deck,
               "Initial polarization/Value",
               "layer '" + l.name + "' (" + l.material + ") polarizes along '" + m.polarization_axes +
                 "', so Value needs " + std::to_string(m.polarization_axes.size()) + " number(s), got " +
                 std::to_string(initial_value.size()));
      }

    prm.enter_subsection("Time");
    {
      const std::string mode = prm.get("Mode");
      time_mode              = mode == "transient"    ? TimeMode::transient :
                               mode == "quasi-static" ? TimeMode::quasi_static :
                                                        TimeMode::automatic;
    }
    end_time     = DeckPatterns::quantity(prm.get("End time"), Quantity::time);
    initial_step = DeckPatterns::quantity(prm.get("Initial step"), Quantity::time);
    max_step     = DeckPatterns::quantity(prm.get("Max step"), Quantity::time);
    tolerance    = prm.get_double("Tolerance");
    prm.leave_subsection();
    if (max_step < initial_step)
      fail(deck, "Time/Max step", "must not be smaller than Time/Initial step");
    if (time_mode == TimeMode::quasi_static && polarization == PolarizationModel::dynamic)
      fail(deck,
           "Time/Mode",
           "quasi-static solves a steady state at each bias point, but Physics/Polarization = dynamic "
           "has memory (hysteresis, domain kinetics); use Time/Mode = transient, or Polarization = "
           "frozen");
    if (time_mode == TimeMode::quasi_static && ions)
      fail(deck,
           "Time/Mode",
           "quasi-static solves a steady state at each bias point, but Physics/Ions = true has memory "
           "(the ions' steady state depends on where they were: their number is conserved, not fixed "
           "by the biases); use Time/Mode = transient");
    // Time/Tolerance is the local error per step relative to Ps; large values
    // (1e9) are how tests ask for fixed steps, so it has no upper bound.
    check_tolerance(deck, "Time/Tolerance", tolerance, std::numeric_limits<double>::infinity());

    prm.enter_subsection("Output");
    output_directory = prm.get("Directory");
    fields_every     = DeckPatterns::quantity(prm.get("Fields every"), Quantity::time);
    output_fields    = split(prm.get("Fields"), ',');
    checkpoint_every       = DeckPatterns::quantity(prm.get("Checkpoint every"), Quantity::time);
    checkpoint_every_steps = prm.get_integer("Checkpoint every steps");
    prm.leave_subsection();
    output_directory_location = deck.location("Output/Directory").describe();

    prm.enter_subsection("Discretization");
    degree       = prm.get_integer("Polynomial degree");
    mass_lumping = prm.get_bool("Mass lumping");
    prm.leave_subsection();

    prm.enter_subsection("Solver");
    linear_tolerance        = prm.get_double("Linear tolerance");
    newton_tolerance        = prm.get_double("Newton tolerance");
    newton_max_iterations   = prm.get_integer("Newton max iterations");
    jacobian_reuse          = prm.get_bool("Jacobian reuse");
    predictor               = prm.get_bool("Predictor");
    newton_stagnation_test  = prm.get_bool("Newton stagnation test");
    newton_log              = prm.get_bool("Newton log");
    iterative_linear_solver = prm.get("Linear solver") == "gmres-amg";
    prm.leave_subsection();
    // Relative residual reductions: 0 is never reached, and 1 or more
    // accepts the first guess without solving anything.
    check_tolerance(deck, "Solver/Linear tolerance", linear_tolerance, 1);
    check_tolerance(deck, "Solver/Newton tolerance", newton_tolerance, 1);

    protocol.parse(prm, deck, contact_names);

    // 4. Checks of the deck as a whole, before anything is built or written.
    check_tdgl_coefficients(deck, *this);
    check_pinning(deck, *this);
    check_traps(deck, *this);
    check_ion_parameters(deck, *this);
    check_mesh_size(deck, *this);
  }

  void
  Parameters::print_parameters(std::ostream &out)
  {
    MaterialLibrary library;
    library.read_library("default");
    ParameterHandler prm;
    declare(prm, library, {"<contact name>"});
    out << "# FerroStack deck keys: every key with its default and documentation.\n"
        << "# Bias has one key per contact of Contacts/List; '<contact name>' stands for it.\n"
        << "# Materials has one subsection per material of the library (" << library.path() << ").\n";
    prm.print_parameters(out, ParameterHandler::PRM | ParameterHandler::KeepDeclarationOrder);
  }

  const Layer &
  Parameters::layer(const std::string &name) const
  {
    for (const Layer &l : layers)
      if (l.name == name)
        return l;
    throw DeckError("no layer called '" + name + "'");
  }
} // namespace FerroStack
