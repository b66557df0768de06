#ifndef ferrostack_base_text_utilities_h
#define ferrostack_base_text_utilities_h

#include <string>
#include <vector>

namespace FerroStack
{
  /// @p text without leading and trailing white space.
  std::string
  trim(const std::string &text);

  std::string
  to_upper(std::string text);

  std::string
  to_lower(std::string text);

  /// Split at every @p separator, trimming each piece; empty text gives {}.
  std::vector<std::string>
  split(const std::string &text, const char separator);

  /// True if all of @p text (trimmed) is one floating point number.
  bool
  parse_double(const std::string &text, double &value);

  /// A number for a message, printf's %g with @p digits significant digits:
  /// 1e-10 is "1e-10", not "0.000000".
  std::string
  format_number(const double value, const int digits = 6);

  /// Join with ", " (for the lists in error messages).
  std::string
  join(const std::vector<std::string> &items, const std::string &separator = ", ");
} // namespace FerroStack

#endif
