#ifndef ferrostack_solvers_parameters_h
#define ferrostack_solvers_parameters_h

#include <meshes/layer.h>
#include <physics/contacts/contact.h>
#include <physics/materials/material_library.h>
#include <solvers/protocol_parameters.h>
#include <solvers/waveform.h>

#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace FerroStack
{
  /// A `--set Path/To/Key=value` override from the command line.
  using Override = std::pair<std::string, std::string>;

  /**
   * Every value of a deck, read, checked against the rest of the deck and
   * converted to the canonical deck units (deck-spec.md). Construction either
   * succeeds with a consistent set of parameters or throws DeckError naming
   * the file, line, key and what was expected: nothing downstream needs to
   * re-validate user input.
   */
  struct Parameters
  {
    /// Read @p deck_file with @p overrides applied on top.
    Parameters(const std::string &deck_file, const std::vector<Override> &overrides = {});

    /// Print every key with its default, unit and documentation.
    static void
    print_parameters(std::ostream &out);

    /// The deck as run: every key with its final value, defaults included.
    std::string deck_as_run;
    std::string deck_file;

    unsigned dimension   = 2;
    double   temperature = 300; ///< [K]

    // Stack
    std::vector<Layer> layers;
    double             width         = 100; ///< [nm]
    double             depth         = 100; ///< [nm]
    double             device_area   = 0;   ///< [um^2], 1D (0: not set)
    double             device_depth  = 0;   ///< [um], 2D (0: not set)
    unsigned           lateral_cells = 20;
    std::string        mesh_file;
    unsigned           refinement          = 0;
    double             interface_cell_size = 0; ///< [nm]
    double             contact_edge_cell_size = 0; ///< [nm], Stack/Contact edge cell size
    bool               periodic_lateral    = false;

    // Contacts and their biases [V] vs [s]
    std::vector<Contact>            contacts;
    bool                            metal_screening = false; ///< Contacts/Metal screening
    bool image_force_lowering = false; ///< Contacts/Image force lowering
    /// Contacts/Series resistance per contact [Ohm] (0: none).
    std::vector<double> series_resistance;
    std::map<std::string, Waveform> bias;

    // Light
    Waveform    light_intensity;  ///< [W/cm^2]
    double      wavelength = 532; ///< [nm]
    std::string light_from = "top";

    // Physics
    enum class PolarizationModel
    {
      dynamic,
      frozen,
      off
    } polarization = PolarizationModel::frozen;
    bool carriers = false, ions = false, optical = false;
    /// Boundary condition of P on a ferroelectric face (PHYSICS.md, TDGL):
    /// natural (dP/dn = 0), zero (P = 0) or an extrapolation length.
    struct PolarizationBoundary
    {
      enum class Kind
      {
        natural,
        zero,
        extrapolation
      } kind        = Kind::natural;
      double length = 0; ///< extrapolation length [nm]
    };
    PolarizationBoundary polarization_boundary;
    /// Per-face overrides, keyed "layer.face" (face: bottom, top, left, ...).
    std::map<std::string, PolarizationBoundary> polarization_boundary_at;

    // Initial polarization
    std::string         initial_mode = "uniform";
    std::vector<double> initial_value; ///< in units of Ps, per material axis
    unsigned            initial_seed  = 1;
    double              stripe_period = 100; ///< [nm]
    std::string         initial_file;

    MaterialLibrary materials;

    // Time [s]
    /// How time is followed: adaptive BDF2, or a steady state at each bias
    /// point (Time/Mode); automatic picks quasi-static when nothing has memory.
    enum class TimeMode
    {
      automatic,
      transient,
      quasi_static
    } time_mode         = TimeMode::automatic;
    double end_time     = 0;
    double initial_step = 1e-7;
    double max_step     = 1e-5;
    double tolerance    = 1e-4;

    // Output
    std::string              output_directory = "out";
    double                   fields_every     = 0; ///< [s]
    std::vector<std::string> output_fields;
    double                   checkpoint_every       = 600; ///< wall-clock [s]; 0 = only at the end
    unsigned                 checkpoint_every_steps = 0;   ///< accepted steps; 0 = off
    /// Where Output/Directory was given ("deck.prm:40", a --set, or the deck
    /// file for the default), for errors about the directory.
    std::string output_directory_location;

    // The synaptic protocol (ferrostack-protocol; a plain run ignores it)
    ProtocolParameters protocol;

    // Discretization and solver
    unsigned degree                  = 1;
    bool     mass_lumping            = false; ///< densities' charge, storage, reactions at the nodes
    double   linear_tolerance        = 1e-10; ///< relative
    double   newton_tolerance        = 1e-12; ///< residual relative to its natural size
    unsigned newton_max_iterations   = 20;
    bool     predictor               = true; ///< Solver/Predictor: extrapolated Newton start
    bool     newton_stagnation_test  = true; ///< Solver/Newton stagnation test
    bool     jacobian_reuse          = true; ///< lag the Jacobian while Newton converges fast
    bool     newton_log              = false; ///< every Newton iteration into run.log
    bool     iterative_linear_solver = false; ///< TDGL: GMRES + AMG instead of MUMPS

    /// The layer called @p name; throws if there is none.
    const Layer &
    layer(const std::string &name) const;
  };
} // namespace FerroStack

#endif
