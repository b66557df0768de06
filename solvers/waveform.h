#ifndef ferrostack_solvers_waveform_h
#define ferrostack_solvers_waveform_h

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace FerroStack
{
  /**
   * A time signal given in SPICE syntax, as used by the `Bias` and `Light`
   * sections of a deck: `DC v`, `PULSE(v1 v2 delay rise fall width period
   * [count [step]])` (count pulses, then v1; with a step, pulse k from 0
   * peaks at v2 + k step: the incremental step pulses of multi-level
   * programming), `PWL(t1 v1, t2 v2, ...)`, `SIN(offset amplitude frequency
   * [delay])`, `TRIANGLE(amplitude period [cycles])`, a bare number (= DC), and
   * sums of these joined with `+`. Times are in [s], values in the unit of
   * the key that holds the waveform ([V] for biases, [W/cm^2] for light).
   */
  class Waveform
  {
  public:
    /// A waveform that is zero for all times.
    Waveform();

    /**
     * Parse @p text. Throws WaveformError with a message that says what was
     * expected when the text is malformed.
     */
    explicit Waveform(const std::string &text);

    /// The value at time @p t [s].
    double
    value(const double t) const;

    /**
     * The times in [0, t_end] at which the waveform has a kink or a jump
     * (pulse edges, PWL points, triangle turning points). A time integrator
     * steps onto these so that it never steps over an edge.
     */
    std::vector<double>
    breakpoints(const double t_end) const;

    /// The text the waveform was parsed from.
    const std::string &
    text() const
    {
      return source;
    }

    /// One term of the sum; see the class documentation for the kinds.
    struct Term
    {
      enum class Kind
      {
        dc,
        pulse,
        pwl,
        sine,
        triangle
      } kind;
      std::vector<double> args;

      double
      value(const double t) const;
      void
      add_breakpoints(const double t_end, std::vector<double> &times) const;
    };

  private:
    std::string       source;
    std::vector<Term> terms;
  };

  /// Raised for a malformed waveform; what() says what was expected.
  class WaveformError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  /// The syntax summary used in error messages and parameter documentation.
  std::string
  waveform_syntax();
} // namespace FerroStack

#endif
