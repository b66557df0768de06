#include <base/deck_patterns.h>
#include <base/text_utilities.h>

#include <sstream>

namespace FerroStack
{
  namespace DeckPatterns
  {
    QuantityPattern::QuantityPattern(const Quantity quantity,
                                     const double   lower_bound,
                                     const bool     strict_lower)
        : quantity(quantity)
        , lower_bound(lower_bound)
        , strict_lower(strict_lower)
    {}

    bool
    QuantityPattern::match(const std::string &test_string) const
    {
      double value;
      if (!parse_quantity(test_string, quantity, value))
        return false;
      return strict_lower ? value > lower_bound : value >= lower_bound;
    }

    std::string
    QuantityPattern::description(const OutputStyle) const
    {
      std::ostringstream text;
      text << "[" << quantity_syntax(quantity) << "; " << (strict_lower ? "> " : ">= ") << lower_bound << " "
           << canonical_unit(quantity) << "]";
      return text.str();
    }

    std::unique_ptr<PatternBase>
    QuantityPattern::clone() const
    {
      return std::make_unique<QuantityPattern>(quantity, lower_bound, strict_lower);
    }

    CheckedPattern::CheckedPattern(const std::function<bool(const std::string &)> &checker,
                                   const std::string                              &what)
        : checker(checker)
        , what(what)
    {}

    bool
    CheckedPattern::match(const std::string &test_string) const
    {
      return checker(test_string);
    }

    std::string
    CheckedPattern::description(const OutputStyle) const
    {
      return "[" + what + "]";
    }

    std::unique_ptr<PatternBase>
    CheckedPattern::clone() const
    {
      return std::make_unique<CheckedPattern>(checker, what);
    }

    std::unique_ptr<PatternBase>
    optional_number()
    {
      return std::make_unique<CheckedPattern>(
        [](const std::string &text) {
          double value;
          return trim(text).empty() || parse_double(text, value);
        },
        "a number, or nothing to leave the value unset");
    }

    std::unique_ptr<PatternBase>
    optional_number_list()
    {
      return std::make_unique<CheckedPattern>(
        [](const std::string &text) {
          if (trim(text).empty())
            return true;
          double value;
          for (const std::string &piece : split(text, ','))
            if (!parse_double(piece, value))
              return false;
          return true;
        },
        "a number, one number per mobile-ion species separated by commas, or nothing to leave the value unset");
    }

    std::string
    exception_message(const dealii::ExceptionBase &e)
    {
      std::ostringstream out;
      e.print_info(out);
      return trim(out.str());
    }

    double
    quantity(const std::string &text, const Quantity quantity)
    {
      double value = 0;
      parse_quantity(text, quantity, value);
      return value;
    }
  } // namespace DeckPatterns
} // namespace FerroStack
