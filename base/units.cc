#include <base/text_utilities.h>
#include <base/units.h>

#include <map>
#include <sstream>
#include <vector>

namespace FerroStack
{
  namespace
  {
    /// Units of each quantity with their factor to the canonical unit.
    const std::map<std::string, double> &
    units_of(const Quantity quantity)
    {
      static const std::map<Quantity, std::map<std::string, double>> table = {
        {Quantity::length, {{"nm", 1.}, {"A", 0.1}, {"um", 1e3}, {"mm", 1e6}, {"m", 1e9}}},
        {Quantity::time, {{"s", 1.}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"ps", 1e-12}, {"fs", 1e-15}}},
        {Quantity::voltage, {{"V", 1.}, {"mV", 1e-3}, {"kV", 1e3}}},
        {Quantity::temperature, {{"K", 1.}}},
        {Quantity::energy, {{"eV", 1.}, {"meV", 1e-3}}},
        {Quantity::density, {{"cm^-3", 1.}, {"cm-3", 1.}, {"/cm^3", 1.}, {"m^-3", 1e-6}, {"m-3", 1e-6}}}};
      return table.at(quantity);
    }
  } // namespace

  std::string
  canonical_unit(const Quantity quantity)
  {
    switch (quantity)
      {
        case Quantity::length:
          return "nm";
        case Quantity::time:
          return "s";
        case Quantity::voltage:
          return "V";
        case Quantity::temperature:
          return "K";
        case Quantity::energy:
          return "eV";
        case Quantity::density:
          return "cm^-3";
      }
    return "";
  }

  std::string
  quantity_syntax(const Quantity quantity)
  {
    std::vector<std::string> names;
    for (const auto &unit : units_of(quantity))
      names.push_back(unit.first);
    return "a number in " + canonical_unit(quantity) + ", optionally followed by one of the units " +
           join(names, " ");
  }

  bool
  parse_quantity(const std::string &text, const Quantity quantity, double &value)
  {
    const std::string t = trim(text);
    if (parse_double(t, value))
      return true;
    const auto space = t.find_last_of(" \t");
    if (space == std::string::npos)
      return false;
    double number;
    if (!parse_double(t.substr(0, space), number))
      return false;
    const auto &units = units_of(quantity);
    const auto  unit  = units.find(trim(t.substr(space + 1)));
    if (unit == units.end())
      return false;
    value = number * unit->second;
    return true;
  }

  Scaling::Scaling(const double T)
      : length(1e-9)
      , potential(Constants::k_B * T / Constants::q)
      , charge_density(Constants::eps0 * potential / (length * length))
      , polarization(Constants::eps0 * potential / length)
      , density(charge_density / Constants::q)
      , temperature(T)
      , mobility(1e-4)
      , time(length * length / (mobility * potential))
  {}
} // namespace FerroStack
