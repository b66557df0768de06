#include <physics/ferroelectric/initial_polarization.h>

#include <cmath>
#include <cstdint>

namespace FerroStack
{
  LandauPolynomial
  LandauPolynomial::of(const Material &m, const char axis, const double T)
  {
    const std::string s = (axis == 'x' ? " x" : "");
    LandauPolynomial  f;
    if (const auto a = m.get("Landau alpha" + s))
      f.alpha = *a;
    else
      f.alpha = m.require("Landau alpha0" + s, "the Landau energy (or set 'Landau alpha" + s + "')") *
                (T - m.require("Curie temperature" + s, "alpha = alpha0 (T - Tc)"));
    f.beta  = m.get("Landau beta" + s).value_or(0.);
    f.gamma = m.get("Landau gamma" + s).value_or(0.);
    f.delta = m.get("Landau delta" + s).value_or(0.);
    return f;
  }

  double
  LandauPolynomial::energy(const double P) const
  {
    const double P2 = P * P;
    return P2 * (alpha + P2 * (beta + P2 * (gamma + P2 * delta)));
  }

  double
  LandauPolynomial::spontaneous_polarization() const
  {
    // Scan P on a fine logarithmic grid up to 10 C/m^2 (far above any
    // ferroelectric), then polish the best bracket by golden section.
    double best_P = 0, best_f = 0;
    for (double P = 1e-6; P < 10; P *= 1.01)
      if (energy(P) < best_f)
        {
          best_f = energy(P);
          best_P = P;
        }
    if (best_P == 0)
      return 0;
    // Polish with Newton on df/dP / (2P) = alpha + 2 beta x + 3 gamma x^2 +
    // 4 delta x^3 = 0 in x = P^2 (a minimum is flat in f, not in f').
    double x = best_P * best_P;
    for (int i = 0; i < 50; ++i)
      {
        const double g  = alpha + x * (2 * beta + x * (3 * gamma + x * 4 * delta));
        const double dg = 2 * beta + x * (6 * gamma + x * 12 * delta);
        if (dg == 0)
          break;
        const double step = g / dg;
        x -= step;
        if (std::abs(step) < 1e-16 * x)
          break;
      }
    return std::sqrt(x);
  }

  LandauEnergy
  LandauEnergy::of(const Material &m, const double T)
  {
    LandauEnergy f;
    f.has_z = m.polarization_axes.find('z') != std::string::npos;
    f.has_x = m.polarization_axes.find('x') != std::string::npos;
    if (f.has_z)
      f.z = LandauPolynomial::of(m, 'z', T);
    if (f.has_x)
      f.x = LandauPolynomial::of(m, 'x', T);
    f.beta_xz = m.get("Landau beta xz").value_or(0.);
    f.kappa   = m.get("IP-OOP coupling").value_or(0.);
    return f;
  }

  template <int dim>
  InitialPolarization<dim>::InitialPolarization(const InitialPolarizationParameters &parameters)
      : parameters(parameters)
  {
    for (const Material *m : parameters.layer_materials)
      if (m->is_ferroelectric() && parameters.enabled)
        for (const char axis : m->polarization_axes)
          spontaneous[{m->name, axis}] =
            LandauPolynomial::of(*m, axis, parameters.temperature).spontaneous_polarization();
  }

  template <int dim>
  double
  InitialPolarization<dim>::random_value(const dealii::Point<dim> &p, const unsigned component) const
  {
    // SplitMix64 of the lattice cell index, the component and the seed.
    std::uint64_t h = 0x9E3779B97F4A7C15ull * (parameters.seed + 1) + component;
    for (unsigned d = 0; d < dim; ++d)
      {
        h ^= static_cast<std::uint64_t>(static_cast<std::int64_t>(std::floor(p[d]))) + 0x9E3779B97F4A7C15ull +
             (h << 6) + (h >> 2);
        h += 0x9E3779B97F4A7C15ull;
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
        h ^= h >> 31;
      }
    return 2. * (h >> 11) * (1. / 9007199254740992.) - 1.;
  }

  template <int dim>
  dealii::Tensor<1, dim>
  InitialPolarization<dim>::value(const dealii::Point<dim> &p, const Material &material) const
  {
    dealii::Tensor<1, dim> P;
    if (!material.is_ferroelectric() || !parameters.enabled)
      return P;
    const std::string &axes = material.polarization_axes;
    for (unsigned a = 0; a < axes.size(); ++a)
      {
        const char     axis      = axes[a];
        const unsigned component = (axis == 'z' ? dim - 1 : 0);
        if (axis == 'x' && dim == 1)
          continue; // no in-plane direction in a vertical 1D stack
        const double Ps = spontaneous.at({material.name, axis});
        double       v  = parameters.value[a];
        if (parameters.mode == "random")
          v *= random_value(p, a);
        else if (parameters.mode == "stripes" && axis == 'z')
          {
            const double s = p[0] - parameters.stripe_period * std::floor(p[0] / parameters.stripe_period);
            v *= (s < 0.5 * parameters.stripe_period ? 1. : -1.);
          }
        P[component] = v * Ps;
      }
    return P;
  }

  template class InitialPolarization<1>;
  template class InitialPolarization<2>;
  template class InitialPolarization<3>;
} // namespace FerroStack
