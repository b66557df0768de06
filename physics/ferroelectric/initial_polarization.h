#ifndef ferrostack_physics_ferroelectric_initial_polarization_h
#define ferrostack_physics_ferroelectric_initial_polarization_h

#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include <physics/ferroelectric/initial_polarization_parameters.h>
#include <physics/ferroelectric/landau.h>

#include <map>
#include <string>
#include <utility>

namespace FerroStack
{
  /**
   * The deck's `Initial polarization` as a function of position: uniform,
   * stripes (Pz alternating with period `Stripe period` along x) or random
   * (a seeded value per 1 nm lattice cell, so that it depends on the position
   * only and never on the number of MPI ranks). Values are in units of the
   * material's Ps (LandauPolynomial::spontaneous_polarization()).
   *
   * With `Polarization = frozen` this is the bound-charge source of
   * Poisson's equation; with TDGL it is the initial state.
   */
  template <int dim>
  class InitialPolarization
  {
  public:
    explicit InitialPolarization(const InitialPolarizationParameters &parameters);

    /// P [C/m^2] at @p p [nm] in a layer of @p material; the last
    /// component is the vertical (out-of-plane) one. Zero outside
    /// ferroelectrics and when polarization is off.
    dealii::Tensor<1, dim>
    value(const dealii::Point<dim> &p, const Material &material) const;

    /// Ps [C/m^2] of ferroelectric @p material along @p axis ('x' or 'z'),
    /// computed once per material of the stack; 0 if it has no such axis.
    double
    spontaneous_polarization(const std::string &material, const char axis) const
    {
      const auto entry = spontaneous.find({material, axis});
      return entry == spontaneous.end() ? 0. : entry->second;
    }

  private:
    InitialPolarizationParameters parameters;
    /// Ps [C/m^2] per ferroelectric material and axis ('x', 'z').
    std::map<std::pair<std::string, char>, double> spontaneous;

    /// A number in [-1, 1] that depends only on the 1 nm lattice cell of @p p
    /// and the seed.
    double
    random_value(const dealii::Point<dim> &p, const unsigned component) const;
  };
} // namespace FerroStack

#endif
