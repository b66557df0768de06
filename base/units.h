#ifndef ferrostack_base_units_h
#define ferrostack_base_units_h

#include <string>

namespace FerroStack
{
  /// Physical constants [SI] (CODATA 2018).
  namespace Constants
  {
    constexpr double q    = 1.602176634e-19;  ///< elementary charge [C]
    constexpr double eps0 = 8.8541878128e-12; ///< vacuum permittivity [F/m]
    constexpr double k_B  = 1.380649e-23;     ///< Boltzmann constant [J/K]
    constexpr double h    = 6.62607015e-34;   ///< Planck constant [J s]
    constexpr double c    = 299792458.;       ///< speed of light [m/s]
  }                                           // namespace Constants

  /**
   * The physical dimensions a deck value may carry. Each has one canonical
   * deck unit (deck-spec.md, "Units"): a bare number is read in that unit;
   * an explicit unit is converted to it, and a unit of another dimension is
   * an error.
   */
  enum class Quantity
  {
    length,      ///< canonical nm; also um, mm, m, A (Angstrom)
    time,        ///< canonical s; also ms, us, ns, ps, fs
    voltage,     ///< canonical V; also mV, kV
    temperature, ///< canonical K
    energy,      ///< canonical eV; also meV
    density      ///< canonical cm^-3; also m^-3
  };

  /// The canonical unit of @p quantity as written in decks ("nm", "s", ...).
  std::string
  canonical_unit(const Quantity quantity);

  /// A description of what a value of @p quantity may look like.
  std::string
  quantity_syntax(const Quantity quantity);

  /**
   * Read "number [unit]" as a value of @p quantity in its canonical deck unit.
   * Returns false if the text is not a number, or carries a unit that is not
   * one of @p quantity's.
   */
  bool
  parse_quantity(const std::string &text, const Quantity quantity, double &value);

  /**
   * The scales that make the equations dimensionless (PHYSICS.md, "Numerics
   * that matter"): lengths in nm, potentials in the thermal voltage kT/q, and
   * charge densities in eps0 V_T / L^2, so that Poisson's equation reads
   * -div(eps_r grad phi) + div P = rho with every number of order one to a
   * few hundred; carrier densities share the density scale (1.4e18 cm^-3 at
   * 300 K). Everything inside the solver is scaled; decks and outputs
   * are not.
   */
  class Scaling
  {
  public:
    explicit Scaling(const double temperature);

    double length;         ///< [m]
    double potential;      ///< thermal voltage kT/q [V]
    double charge_density; ///< eps0 V_T / L^2 [C/m^3]
    double polarization;   ///< eps0 V_T / L [C/m^2]
    double density;        ///< charge_density / q [m^-3]
    double temperature;    ///< [K]
    double mobility;       ///< 1 cm^2/(V s) [m^2/(V s)]
    /// L^2 / (mobility V_T) [s] (0.39 ps at 300 K): the time unit of the
    /// carrier continuity equations, so that their diffusion terms are of
    /// order mu / (1 cm^2/Vs) like Poisson's are of order eps_r.
    double time;
  };
} // namespace FerroStack

#endif
