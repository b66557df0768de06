#ifndef ferrostack_solvers_protocol_parameters_h
#define ferrostack_solvers_protocol_parameters_h

#include <deal.II/base/parameter_handler.h>

#include <base/deck_scanner.h>

#include <iosfwd>
#include <string>
#include <vector>

namespace FerroStack
{
  /**
   * The deck's `subsection Protocol` (deck-spec.md): a synaptic pulse
   * protocol that `ferrostack-protocol DECK.prm` expands into ordinary runs
   * (postprocess/protocol/). `ferrostack` itself declares and checks the
   * section, so that a bad protocol is a deck error like any other (file,
   * line, key; exit 2), documents it with --print-parameters, and hands the
   * checked values, in SI units, to the driver (--print-protocol, JSON); a
   * plain run ignores it.
   */
  struct ProtocolParameters
  {
    std::string kind = "none"; ///< none | ppf | stdp | srdp | sndp | sadp | ltp-ltd | train | sequences
    std::string terminal, response_terminal, post_terminal;
    std::string response = "end"; ///< end | peak | read | charge
    double      amplitude = 1, depression_amplitude = -1, post_amplitude = -1; ///< [V]
    double      base = 0;                                                     ///< [V]
    double      width = 1e-3, rise = 1e-6, fall = 1e-6;                       ///< [s]
    double      delay = 1e-3, period = 2e-3, read_delay = 1e-3, tail = 0;    ///< [s]
    unsigned    count      = 1;
    double      resolution = 0.01;
    std::vector<double>   intervals, delays, rates, amplitudes; ///< [s], [s], [Hz], [V]
    std::vector<unsigned> numbers;
    std::vector<std::string> sequences; ///< bit patterns (sequences)

    static void
    declare(dealii::ParameterHandler &prm);

    /// Read and check the section (entered by the caller's prm); throws
    /// DeckError naming file, line and key.
    void
    parse(dealii::ParameterHandler &prm, const DeckScanner &deck, const std::vector<std::string> &contact_names);

    /// The values as a JSON object (SI units).
    void
    write_json(std::ostream &out) const;
  };
} // namespace FerroStack

#endif
