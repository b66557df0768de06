#include <base/text_utilities.h>
#include <solvers/waveform.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace FerroStack
{
  namespace
  {
    /**
     * Split a sum of terms at the '+' signs that join terms: those outside
     * parentheses that follow a complete term (a ')' or a digit), and are not
     * the sign of an exponent such as 1e+3.
     */
    std::vector<std::string>
    split_sum(const std::string &text)
    {
      std::vector<std::string> parts;
      std::string              current;
      int                      depth = 0;
      for (std::size_t i = 0; i < text.size(); ++i)
        {
          const char c = text[i];
          if (c == '(')
            ++depth;
          else if (c == ')')
            --depth;
          if (depth < 0)
            throw WaveformError("unbalanced ')' in '" + text + "'");
          if (c == '+' && depth == 0)
            {
              const std::string before = trim(current);
              const bool        exponent =
                i > 0 && (text[i - 1] == 'e' || text[i - 1] == 'E') && before.size() >= 2 &&
                (std::isdigit(before[before.size() - 2]) || before[before.size() - 2] == '.');
              const bool ends_term = !before.empty() && (before.back() == ')' ||
                                                         std::isdigit(before.back()) || before.back() == '.');
              if (ends_term && !exponent)
                {
                  parts.push_back(before);
                  current.clear();
                  continue;
                }
            }
          current += c;
        }
      if (depth != 0)
        throw WaveformError("unbalanced '(' in '" + text + "'");
      parts.push_back(trim(current));
      return parts;
    }

    std::vector<double>
    parse_numbers(const std::string &list, const std::string &what)
    {
      std::vector<double> numbers;
      std::string         token;
      std::string         spaced = list;
      std::replace(spaced.begin(), spaced.end(), ',', ' ');
      std::istringstream in(spaced);
      while (in >> token)
        {
          double value;
          if (!parse_double(token, value))
            throw WaveformError("'" + token + "' in " + what + " is not a number");
          numbers.push_back(value);
        }
      return numbers;
    }

    Waveform::Term
    parse_term(const std::string &text)
    {
      using Kind = Waveform::Term::Kind;
      if (text.empty())
        throw WaveformError("empty term");

      double number;
      if (parse_double(text, number))
        return {Kind::dc, {number}};

      const std::string upper = to_upper(text);
      if (upper.rfind("DC", 0) == 0)
        {
          const std::string rest = trim(text.substr(2));
          if (!parse_double(rest, number))
            throw WaveformError("DC expects one number, got '" + rest + "'");
          return {Kind::dc, {number}};
        }

      const auto open = text.find('(');
      if (open == std::string::npos || text.back() != ')')
        throw WaveformError("'" + text + "' is not a waveform");
      const std::string         name  = to_upper(trim(text.substr(0, open)));
      const std::string         inner = text.substr(open + 1, text.size() - open - 2);
      const std::vector<double> a     = parse_numbers(inner, name);

      if (name == "PULSE")
        {
          if (a.size() < 7 || a.size() > 9)
            throw WaveformError("PULSE expects 7 to 9 numbers (v1 v2 delay rise fall width "
                                "period [count [step]]), got " +
                                std::to_string(a.size()));
          if (a[2] < 0 || a[3] < 0 || a[4] < 0 || a[5] < 0)
            throw WaveformError("PULSE delay, rise, fall and width must not be negative");
          if (a[6] <= 0)
            throw WaveformError("PULSE period must be positive");
          if (a[3] + a[4] + a[5] > a[6] * (1 + 1e-12))
            throw WaveformError("PULSE rise + width + fall must not exceed the period");
          if (a.size() >= 8 && (a[7] < 1 || a[7] != std::floor(a[7])))
            throw WaveformError("PULSE count must be a positive integer");
          return {Kind::pulse, a};
        }
      if (name == "PWL")
        {
          if (a.size() < 2 || a.size() % 2 != 0)
            throw WaveformError("PWL expects pairs 't v' separated by commas, got " +
                                std::to_string(a.size()) + " numbers");
          for (std::size_t i = 2; i < a.size(); i += 2)
            if (a[i] <= a[i - 2])
              throw WaveformError("PWL times must increase strictly");
          return {Kind::pwl, a};
        }
      if (name == "SIN")
        {
          if (a.size() != 3 && a.size() != 4)
            throw WaveformError("SIN expects 3 or 4 numbers (offset amplitude frequency "
                                "[delay]), got " +
                                std::to_string(a.size()));
          if (a[2] < 0)
            throw WaveformError("SIN frequency must not be negative");
          return {Kind::sine, a};
        }
      if (name == "TRIANGLE")
        {
          if (a.size() != 2 && a.size() != 3)
            throw WaveformError("TRIANGLE expects 2 or 3 numbers (amplitude period "
                                "[cycles]), got " +
                                std::to_string(a.size()));
          if (a[1] <= 0)
            throw WaveformError("TRIANGLE period must be positive");
          if (a.size() == 3 && a[2] <= 0)
            throw WaveformError("TRIANGLE cycles must be positive");
          return {Kind::triangle, a};
        }
      throw WaveformError("unknown waveform '" + name + "' (expected DC, PULSE, PWL, SIN or TRIANGLE)");
    }
  } // namespace

  std::string
  waveform_syntax()
  {
    return "a waveform: DC v | PULSE(v1 v2 delay rise fall width period "
           "[count [step]]) | PWL(t1 v1, t2 v2, ...) | SIN(offset amplitude "
           "frequency [delay]) | TRIANGLE(amplitude period [cycles]) | a "
           "sum of these joined with '+'; times in s";
  }

  Waveform::Waveform()
      : source("DC 0")
      , terms{{Term::Kind::dc, {0.}}}
  {}

  Waveform::Waveform(const std::string &text)
      : source(trim(text))
  {
    if (source.empty())
      throw WaveformError("empty waveform; expected " + waveform_syntax());
    for (const std::string &part : split_sum(source))
      terms.push_back(parse_term(part));
  }

  double
  Waveform::value(const double t) const
  {
    double sum = 0;
    for (const Term &term : terms)
      sum += term.value(t);
    return sum;
  }

  double
  Waveform::Term::value(const double t) const
  {
    const std::vector<double> &a = args;
    switch (kind)
      {
        case Kind::dc:
          return a[0];

        case Kind::pulse:
          {
            const double v1 = a[0], delay = a[2], rise = a[3], fall = a[4], width = a[5], period = a[6];
            if (t < delay)
              return v1;
            const double since = t - delay;
            if (a.size() >= 8 && since >= a[7] * period)
              return v1;
            // Pulse k (from 0) peaks at v2 + k step (incremental step pulses).
            const double k   = std::floor(since / period);
            const double v2  = a[1] + (a.size() == 9 ? k * a[8] : 0.);
            const double tau = since - period * k;
            if (tau < rise)
              return v1 + (v2 - v1) * tau / rise;
            if (tau < rise + width)
              return v2;
            if (tau < rise + width + fall)
              return v2 + (v1 - v2) * (tau - rise - width) / fall;
            return v1;
          }

        case Kind::pwl:
          {
            if (t <= a[0])
              return a[1];
            for (std::size_t i = 2; i < a.size(); i += 2)
              if (t <= a[i])
                return a[i - 1] + (a[i + 1] - a[i - 1]) * (t - a[i - 2]) / (a[i] - a[i - 2]);
            return a[a.size() - 1];
          }

        case Kind::sine:
          {
            const double delay = (a.size() == 4 ? a[3] : 0.);
            if (t < delay)
              return a[0];
            return a[0] + a[1] * std::sin(2 * M_PI * a[2] * (t - delay));
          }

        case Kind::triangle:
          {
            const double amplitude = a[0], period = a[1];
            if (t <= 0)
              return 0;
            const double cycles = t / period;
            if (a.size() == 3 && cycles >= a[2])
              return 0;
            const double s = cycles - std::floor(cycles);
            if (s <= 0.25)
              return amplitude * 4 * s;
            if (s <= 0.75)
              return amplitude * (2 - 4 * s);
            return amplitude * (4 * s - 4);
          }
      }
    return 0;
  }

  void
  Waveform::Term::add_breakpoints(const double t_end, std::vector<double> &times) const
  {
    const std::vector<double> &a = args;
    switch (kind)
      {
        case Kind::dc:
          return;
        case Kind::pulse:
          {
            const double delay = a[2], period = a[6];
            const double corners[4] = {0, a[3], a[3] + a[5], a[3] + a[5] + a[4]};
            const double n_max      = (a.size() >= 8 ? a[7] : std::ceil((t_end - delay) / period) + 1);
            for (double k = 0; k < n_max && delay + k * period <= t_end; ++k)
              for (const double c : corners)
                times.push_back(delay + k * period + c);
            return;
          }
        case Kind::pwl:
          for (std::size_t i = 0; i < a.size(); i += 2)
            times.push_back(a[i]);
          return;
        case Kind::sine:
          if (a.size() == 4)
            times.push_back(a[3]);
          return;
        case Kind::triangle:
          {
            const double period = a[1];
            const double n_max  = (a.size() == 3 ? a[2] : std::ceil(t_end / period) + 1);
            for (double k = 0; k < n_max && k * period <= t_end; ++k)
              for (const double s : {0., 0.25, 0.75, 1.})
                times.push_back((k + s) * period);
            return;
          }
      }
  }

  std::vector<double>
  Waveform::breakpoints(const double t_end) const
  {
    std::vector<double> times;
    for (const Term &term : terms)
      term.add_breakpoints(t_end, times);
    times.erase(std::remove_if(times.begin(),
                               times.end(),
                               [t_end](const double t) { return t < 0 || t > t_end; }),
                times.end());
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    return times;
  }
} // namespace FerroStack
