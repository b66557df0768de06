#include <base/text_utilities.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace FerroStack
{
  std::string
  trim(const std::string &text)
  {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
      return "";
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
  }

  std::string
  to_upper(std::string text)
  {
    std::transform(text.begin(), text.end(), text.begin(), [](char c) {
      return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    });
    return text;
  }

  std::string
  to_lower(std::string text)
  {
    std::transform(text.begin(), text.end(), text.begin(), [](char c) {
      return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    return text;
  }

  std::vector<std::string>
  split(const std::string &text, const char separator)
  {
    std::vector<std::string> pieces;
    if (trim(text).empty())
      return pieces;
    std::string::size_type start = 0;
    while (true)
      {
        const auto end = text.find(separator, start);
        pieces.push_back(trim(text.substr(start, end - start)));
        if (end == std::string::npos)
          break;
        start = end + 1;
      }
    return pieces;
  }

  bool
  parse_double(const std::string &text, double &value)
  {
    const std::string t = trim(text);
    if (t.empty())
      return false;
    char        *end    = nullptr;
    const double result = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size() || !std::isfinite(result))
      return false;
    value = result;
    return true;
  }

  std::string
  join(const std::vector<std::string> &items, const std::string &separator)
  {
    std::string result;
    for (std::size_t i = 0; i < items.size(); ++i)
      result += (i > 0 ? separator : "") + items[i];
    return result;
  }
  std::string
  format_number(const double value, const int digits)
  {
    char buffer[48];
    std::snprintf(buffer, sizeof(buffer), "%.*g", digits, value);
    return buffer;
  }
} // namespace FerroStack
