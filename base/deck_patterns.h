#ifndef ferrostack_base_deck_patterns_h
#define ferrostack_base_deck_patterns_h

#include <deal.II/base/exceptions.h>
#include <deal.II/base/patterns.h>

#include <base/units.h>

#include <functional>
#include <memory>
#include <string>

namespace FerroStack
{
  /**
   * ParameterHandler patterns for the deck's structured values. A value that
   * does not match is reported by ParameterHandler itself with the file, the
   * line, the key and the pattern's description, so each description says
   * what was expected.
   */
  namespace DeckPatterns
  {
    using dealii::Patterns::PatternBase;

    /// "number [unit]" of one physical quantity (see parse_quantity()).
    class QuantityPattern : public PatternBase
    {
    public:
      QuantityPattern(const Quantity quantity, const double lower_bound, const bool strict_lower = false);
      bool
      match(const std::string &test_string) const override;
      std::string
      description(const OutputStyle style = Machine) const override;
      std::unique_ptr<PatternBase>
      clone() const override;

    private:
      Quantity quantity;
      double   lower_bound;
      bool     strict_lower;
    };

    /// Any text that @p checker accepts; @p what describes it.
    class CheckedPattern : public PatternBase
    {
    public:
      CheckedPattern(const std::function<bool(const std::string &)> &checker, const std::string &what);
      bool
      match(const std::string &test_string) const override;
      std::string
      description(const OutputStyle style = Machine) const override;
      std::unique_ptr<PatternBase>
      clone() const override;

    private:
      std::function<bool(const std::string &)> checker;
      std::string                              what;
    };

    /// A number or nothing (an optional material value).
    std::unique_ptr<PatternBase>
    optional_number();

    /// A comma-separated list of numbers, or nothing (a material value that
    /// may differ per mobile-ion species).
    std::unique_ptr<PatternBase>
    optional_number_list();

    /// The "additional information" of a deal.II exception (ParameterHandler
    /// puts file and line there), without the source location of the throw.
    std::string
    exception_message(const dealii::ExceptionBase &e);

    /// Read a value that matched a QuantityPattern.
    double
    quantity(const std::string &text, const Quantity quantity);
  } // namespace DeckPatterns
} // namespace FerroStack

#endif
