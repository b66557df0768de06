#include <base/deck_error.h>
#include <base/deck_patterns.h>
#include <base/text_utilities.h>
#include <solvers/protocol_parameters.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <ostream>

namespace FerroStack
{
  using namespace dealii;
  using DeckPatterns::QuantityPattern;

  namespace
  {
    const std::string section = "Protocol/";

    [[noreturn]] void
    fail(const DeckScanner &deck, const std::string &key, const std::string &what)
    {
      const std::string path = section + key;
      throw DeckError(deck.location(path).describe() + ": " + path + ": " + what);
    }

    /// A comma list of quantities ("1e-3, 2 ms, 5e-3"); empty: none.
    std::vector<double>
    quantity_list(const DeckScanner &deck, const std::string &key, const std::string &text, const Quantity quantity)
    {
      std::vector<double> values;
      if (trim(text).empty())
        return values;
      for (const std::string &piece : split(text, ','))
        try
          {
            values.push_back(DeckPatterns::quantity(trim(piece), quantity));
          }
        catch (const std::exception &)
          {
            fail(deck, key, "'" + trim(piece) + "' is not " + quantity_syntax(quantity));
          }
      return values;
    }

    std::vector<double>
    number_list(const DeckScanner &deck, const std::string &key, const std::string &text)
    {
      std::vector<double> values;
      if (trim(text).empty())
        return values;
      for (const std::string &piece : split(text, ','))
        {
          double value;
          if (!parse_double(trim(piece), value))
            fail(deck, key, "'" + trim(piece) + "' is not a number");
          values.push_back(value);
        }
      return values;
    }

    void
    json_list(std::ostream &out, const std::vector<double> &v)
    {
      out << "[";
      for (std::size_t i = 0; i < v.size(); ++i)
        out << (i ? ", " : "") << v[i];
      out << "]";
    }
  } // namespace

  void
  ProtocolParameters::declare(ParameterHandler &prm)
  {
    prm.enter_subsection("Protocol");
    prm.declare_entry("Kind",
                      "none",
                      Patterns::Selection("none|ppf|stdp|srdp|sndp|sadp|ltp-ltd|train|sequences"),
                      "The synaptic protocol that `ferrostack-protocol DECK.prm` runs (a plain run ignores "
                      "the section): none; ppf (paired pulses at each of 'Intervals': index A2/A1, PPF or "
                      "PPD, with its double-exponential fit); stdp (a pre spike on 'Terminal' and a post "
                      "spike on 'Post terminal' at each of 'Delays': weight change and its exponential "
                      "fits); srdp (a train of 'Count' pulses at each of 'Rates'); sndp (trains of each of "
                      "'Numbers' pulses); sadp (a train at each of 'Amplitudes'); ltp-ltd ('Count' "
                      "potentiating then 'Count' depressing pulses, read after each: G_max, G_min, states, "
                      "NeuroSim nonlinearity, asymmetry, energy per pulse); train ('Count' pulses every "
                      "'Period': the response of each pulse).");
    prm.declare_entry("Terminal", "", Patterns::Anything(), "The contact that gets the pulses; the others keep their Bias.");
    prm.declare_entry("Amplitude", "1", QuantityPattern(Quantity::voltage, -1e300), "Pulse height above Base [V].");
    prm.declare_entry("Width", "1e-3", QuantityPattern(Quantity::time, 0, true), "Pulse width at full height [s].");
    prm.declare_entry("Rise", "1e-6", QuantityPattern(Quantity::time, 0, true), "Rise time of each pulse (> 0: a PWL corner per edge) [s].");
    prm.declare_entry("Fall", "1e-6", QuantityPattern(Quantity::time, 0, true), "Fall time of each pulse (> 0) [s].");
    prm.declare_entry("Base", "0", QuantityPattern(Quantity::voltage, -1e300), "Bias of 'Terminal' between pulses, the read bias [V].");
    prm.declare_entry("Delay",
                      "1e-3",
                      QuantityPattern(Quantity::time, 0, true),
                      "Time at Base before the first pulse [s]; the response there is the baseline.");
    prm.declare_entry("Intervals",
                      "",
                      Patterns::Anything(),
                      "ppf: the intervals dT between the end of pulse 1 (its fall) and the start of pulse 2 "
                      "(its rise), a comma list [s].");
    prm.declare_entry("Delays",
                      "",
                      Patterns::Anything(),
                      "stdp: the delays dt = t_post - t_pre between the starts of the post and pre spikes, "
                      "a comma list [s] of either sign.");
    prm.declare_entry("Post terminal",
                      "",
                      Patterns::Anything(),
                      "stdp: the contact of the post-synaptic spike, at 0 V between spikes; empty: "
                      "'Terminal' (on a two-terminal device the two spikes then superpose there).");
    prm.declare_entry("Post amplitude",
                      "",
                      Patterns::Anything(),
                      "stdp: height of the post spike [V]; empty: -Amplitude.");
    prm.declare_entry("Count", "1", Patterns::Integer(1), "Pulses per train (train, srdp, sadp) or per branch (ltp-ltd) [1].");
    prm.declare_entry("Period",
                      "2e-3",
                      QuantityPattern(Quantity::time, 0, true),
                      "train, sadp, sndp, ltp-ltd: start-to-start period of the pulses; sequences: the slot [s].");
    prm.declare_entry("Rates", "", Patterns::Anything(), "srdp: pulse rates, a comma list [Hz].");
    prm.declare_entry("Sequences",
                      "",
                      Patterns::Anything(),
                      "sequences: bit patterns of equal length, a comma list (e.g. 0001, 0010, 0011); "
                      "bit k is slot k of 'Period', 1 = a pulse, 0 = none [1].");
    prm.declare_entry("Numbers", "", Patterns::Anything(), "sndp: numbers of pulses per train, a comma list [1].");
    prm.declare_entry("Amplitudes", "", Patterns::Anything(), "sadp: pulse heights above Base, a comma list [V].");
    prm.declare_entry("Depression amplitude",
                      "",
                      Patterns::Anything(),
                      "ltp-ltd: height of the depressing pulses above Base [V]; empty: -Amplitude.");
    prm.declare_entry("Response terminal",
                      "",
                      Patterns::Anything(),
                      "The contact whose current is the response; empty: 'Terminal'.");
    prm.declare_entry("Response",
                      "end",
                      Patterns::Selection("end|peak|read|charge"),
                      "What each pulse's response is: end (the current just before its fall), peak (the "
                      "largest current during the pulse once the rise's displacement current has passed: "
                      "from the first 10 % of the width on), read (the current at 'Read delay' after its "
                      "fall, at Base), charge (the charge through the response terminal from the start of "
                      "its rise to the end of its fall) [A/m^2 in 1D, A/m in 2D, or C per that].");
    prm.declare_entry("Read delay",
                      "1e-3",
                      QuantityPattern(Quantity::time, 0, true),
                      "Response = read (and ltp-ltd's conductance): time after a pulse's fall at which "
                      "the current is read [s].");
    prm.declare_entry("Resolution",
                      "0.01",
                      Patterns::Double(0),
                      "ltp-ltd: the smallest conductance step that counts as a new state, relative to "
                      "G_max - G_min [1].");
    prm.declare_entry("Tail",
                      "0",
                      QuantityPattern(Quantity::time, 0),
                      "Time at Base after the last pulse (and its read) before a run ends [s].");
    prm.leave_subsection();
  }

  void
  ProtocolParameters::parse(ParameterHandler &prm, const DeckScanner &deck, const std::vector<std::string> &contact_names)
  {
    prm.enter_subsection("Protocol");
    kind       = prm.get("Kind");
    terminal   = trim(prm.get("Terminal"));
    amplitude  = DeckPatterns::quantity(prm.get("Amplitude"), Quantity::voltage);
    width      = DeckPatterns::quantity(prm.get("Width"), Quantity::time);
    rise       = DeckPatterns::quantity(prm.get("Rise"), Quantity::time);
    fall       = DeckPatterns::quantity(prm.get("Fall"), Quantity::time);
    base       = DeckPatterns::quantity(prm.get("Base"), Quantity::voltage);
    delay      = DeckPatterns::quantity(prm.get("Delay"), Quantity::time);
    period     = DeckPatterns::quantity(prm.get("Period"), Quantity::time);
    read_delay = DeckPatterns::quantity(prm.get("Read delay"), Quantity::time);
    tail       = DeckPatterns::quantity(prm.get("Tail"), Quantity::time);
    count      = prm.get_integer("Count");
    resolution = prm.get_double("Resolution");
    response   = prm.get("Response");
    response_terminal = trim(prm.get("Response terminal"));
    post_terminal     = trim(prm.get("Post terminal"));
    intervals  = quantity_list(deck, "Intervals", prm.get("Intervals"), Quantity::time);
    delays     = quantity_list(deck, "Delays", prm.get("Delays"), Quantity::time);
    amplitudes = quantity_list(deck, "Amplitudes", prm.get("Amplitudes"), Quantity::voltage);
    rates      = number_list(deck, "Rates", prm.get("Rates"));
    sequences.clear();
    for (const std::string &piece : split(prm.get("Sequences"), ','))
      if (!trim(piece).empty())
        sequences.push_back(trim(piece));
    const std::string depression = trim(prm.get("Depression amplitude")), post = trim(prm.get("Post amplitude"));
    depression_amplitude = depression.empty() ? -amplitude : quantity_list(deck, "Depression amplitude", depression, Quantity::voltage).at(0);
    post_amplitude       = post.empty() ? -amplitude : quantity_list(deck, "Post amplitude", post, Quantity::voltage).at(0);
    numbers.clear();
    for (const double n : number_list(deck, "Numbers", prm.get("Numbers")))
      {
        if (!(n >= 1 && n == std::floor(n) && n < 1e6))
          fail(deck, "Numbers", "'" + format_number(n, 3) + "' is not a whole number of pulses from 1 to 999999");
        numbers.push_back(unsigned(n));
      }
    prm.leave_subsection();
    if (kind == "none")
      return;

    // Contacts.
    const auto is_contact = [&](const std::string &name) {
      return std::find(contact_names.begin(), contact_names.end(), name) != contact_names.end();
    };
    if (terminal.empty())
      fail(deck, "Kind", "a protocol needs 'Terminal', the contact that gets the pulses (one of " + join(contact_names) + ")");
    if (!is_contact(terminal))
      fail(deck, "Terminal", "'" + terminal + "' is not a contact of Contacts/List (" + join(contact_names) + ")");
    if (response_terminal.empty())
      response_terminal = terminal;
    if (!is_contact(response_terminal))
      fail(deck, "Response terminal", "'" + response_terminal + "' is not a contact of Contacts/List (" + join(contact_names) + ")");
    if (post_terminal.empty())
      post_terminal = terminal;
    if (!is_contact(post_terminal))
      fail(deck, "Post terminal", "'" + post_terminal + "' is not a contact of Contacts/List (" + join(contact_names) + ")");

    // The pulses fit their period.
    const double pulse = rise + width + fall;
    if ((kind == "train" || kind == "sadp" || kind == "sndp" || kind == "ltp-ltd" || kind == "sequences") &&
        !(period > pulse))
      fail(deck, "Period", "has " + format_number(period, 3) + " s, but a pulse (rise + width + fall) takes " + format_number(pulse, 3) + " s: the period must be longer");
    // A read must come before the next pulse: ltp-ltd and sequences always
    // read, the others with Response = read.
    const bool reads = response == "read" || kind == "ltp-ltd";
    if (reads && (kind == "train" || kind == "sadp" || kind == "sndp" || kind == "ltp-ltd") &&
        !(period > pulse + read_delay))
      fail(deck, "Period", "has " + format_number(period, 6) + " s, but each pulse is read 'Read delay' after its fall: the period must exceed rise + width + fall + read delay (" + format_number(pulse + read_delay, 6) + " s)");

    // What each kind needs.
    const auto need = [&](const bool ok, const std::string &key, const std::string &what) {
      if (!ok)
        fail(deck, key, "Kind = " + kind + " needs " + what);
    };
    if (kind == "ppf")
      {
        need(!intervals.empty(), "Intervals", "'Intervals', the times between the two pulses [s], e.g. 1e-3, 1e-2");
        for (const double dT : intervals)
          {
            if (!(dT > 0))
              fail(deck, "Intervals", "has " + format_number(dT, 3) + " s, but an interval between two pulses is > 0 s");
            if (response == "read" && !(dT > read_delay))
              fail(deck, "Intervals", "has " + format_number(dT, 3) + " s, but with Response = read pulse 1 is read 'Read delay' (" + format_number(read_delay, 3) + " s) after its fall, before pulse 2: each interval must be longer");
          }
      }
    // Each condition is a run directory of its own: no value twice.
    const auto distinct = [&](const std::string &key, std::vector<std::string> names) {
      std::sort(names.begin(), names.end());
      for (std::size_t i = 1; i < names.size(); ++i)
        if (names[i] == names[i - 1])
          fail(deck, key, "has '" + names[i] + "' twice: each condition is one run");
    };
    const auto names_of = [](const std::vector<double> &v) {
      std::vector<std::string> names;
      for (const double x : v)
        names.push_back(format_number(x, 6));
      return names;
    };
    distinct("Intervals", names_of(intervals));
    distinct("Delays", names_of(delays));
    distinct("Rates", names_of(rates));
    distinct("Amplitudes", names_of(amplitudes));
    distinct("Numbers", names_of(std::vector<double>(numbers.begin(), numbers.end())));
    distinct("Sequences", sequences);
    if (kind == "stdp")
      need(!delays.empty(), "Delays", "'Delays', the post-minus-pre spike delays [s], e.g. -20e-3, -5e-3, 5e-3, 20e-3");
    if (kind == "srdp")
      {
        need(!rates.empty(), "Rates", "'Rates', the pulse rates [Hz], e.g. 5, 10, 20");
        for (const double r : rates)
          if (!(r > 0 && 1 / r > pulse + (reads ? read_delay : 0.)))
            fail(deck, "Rates", "has " + format_number(r, 3) + " Hz, but a rate is > 0 and its period 1/rate longer than a pulse (" + format_number(pulse, 3) + " s)" + (reads ? " plus the read delay" : ""));
      }
    if (kind == "sndp")
      need(!numbers.empty(), "Numbers", "'Numbers', the numbers of pulses per train, e.g. 1, 5, 10, 20");
    if (kind == "sadp")
      need(!amplitudes.empty(), "Amplitudes", "'Amplitudes', the pulse heights [V], e.g. 1, 2, 3");
    if (kind == "sequences")
      {
        need(!sequences.empty(), "Sequences", "'Sequences', bit patterns of equal length, e.g. 0001, 0010, 0011");
        for (const std::string &bits : sequences)
          if (bits.size() != sequences[0].size() || bits.find_first_not_of("01") != std::string::npos)
            fail(deck, "Sequences", "has '" + bits + "', but each sequence is a pattern of 0 and 1 of the first's length (" +
                                      std::to_string(sequences[0].size()) + ")");
        if (!(period > pulse + read_delay))
          fail(deck, "Period", "has " + format_number(period, 6) + " s, but each slot is read 'Read delay' after its pulse: the period must exceed rise + width + fall + read delay (" + format_number(pulse + read_delay, 6) + " s)");
      }
  }

  void
  ProtocolParameters::write_json(std::ostream &out) const
  {
    const auto text = [](const std::string &s) {
      std::string quoted = "\"";
      for (const char c : s)
        if (c == '"' || c == '\\')
          quoted += std::string("\\") + c;
        else if (static_cast<unsigned char>(c) < 0x20)
          {
            char escaped[8];
            std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
            quoted += escaped;
          }
        else
          quoted += c;
      return quoted + "\"";
    };
    out << std::setprecision(17) << "{\"kind\": " << text(kind) << ", \"terminal\": " << text(terminal)
        << ", \"response_terminal\": " << text(response_terminal) << ", \"post_terminal\": " << text(post_terminal)
        << ", \"response\": " << text(response) << ", \"amplitude\": " << amplitude
        << ", \"depression_amplitude\": " << depression_amplitude << ", \"post_amplitude\": " << post_amplitude
        << ", \"base\": " << base << ", \"width\": " << width << ", \"rise\": " << rise << ", \"fall\": " << fall
        << ", \"delay\": " << delay << ", \"period\": " << period << ", \"read_delay\": " << read_delay
        << ", \"tail\": " << tail << ", \"count\": " << count << ", \"resolution\": " << resolution << ", \"intervals\": ";
    json_list(out, intervals);
    out << ", \"delays\": ";
    json_list(out, delays);
    out << ", \"rates\": ";
    json_list(out, rates);
    out << ", \"amplitudes\": ";
    json_list(out, amplitudes);
    out << ", \"sequences\": [";
    for (std::size_t i = 0; i < sequences.size(); ++i)
      out << (i ? ", " : "") << text(sequences[i]);
    out << "]";
    out << ", \"numbers\": ";
    json_list(out, std::vector<double>(numbers.begin(), numbers.end()));
    out << "}\n";
  }
} // namespace FerroStack
