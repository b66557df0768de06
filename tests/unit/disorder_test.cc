#include <physics/ferroelectric/quenched_disorder.h>
#include <solvers/simulator.h>

#include <cmath>
#include <set>
#include <vector>

#include "test_utilities.h"
#include <gtest/gtest.h>

using namespace FerroStack;
using namespace dealii;

// Quenched disorder (QuenchedDisorder): the statistics its documentation
// promises (zero mean, unit variance, the Gaussian covariance
// exp(-r^2 / 2 l^2), grains of mean volume l^dim), that it depends on the
// position and the seed alone (not on the region it is tabulated over or
// the MPI ranks that computed the table), and that TDGL's Jacobian carries
// it.

namespace
{
  template <int dim>
  BoundingBox<dim>
  box(const Point<dim> &lower, const Point<dim> &upper)
  {
    return BoundingBox<dim>(std::make_pair(lower, upper));
  }

  /// Moments of g sampled on a grid of spacing h over [0, L]^2, with the
  /// correlations at lags (in grid steps) along x and along z.
  struct Moments
  {
    double              mean = 0, variance = 0, kurtosis = 0;
    std::vector<double> correlation; ///< per lag, the mean of x and z
  };

  Moments
  moments_2d(const QuenchedDisorder<2> &disorder, const double L, const double h, const std::vector<unsigned> &lags)
  {
    const unsigned      n = unsigned(L / h);
    std::vector<double> g(n * n);
    for (unsigned i = 0; i < n; ++i)
      for (unsigned j = 0; j < n; ++j)
        g[i * n + j] = disorder.value(Point<2>(i * h, j * h));
    Moments m;
    double  m2 = 0, m4 = 0;
    for (const double v : g)
      m.mean += v;
    m.mean /= g.size();
    for (const double v : g)
      {
        m2 += (v - m.mean) * (v - m.mean);
        m4 += std::pow(v - m.mean, 4);
      }
    m.variance = m2 / g.size();
    m.kurtosis = m4 / g.size() / (m.variance * m.variance);
    for (const unsigned lag : lags)
      {
        double   sum = 0;
        unsigned count = 0;
        for (unsigned i = 0; i + lag < n; ++i)
          for (unsigned j = 0; j + lag < n; ++j)
            {
              const double v = g[i * n + j] - m.mean;
              sum += v * (g[(i + lag) * n + j] - m.mean) + v * (g[i * n + j + lag] - m.mean);
              count += 2;
            }
        m.correlation.push_back(sum / count / m.variance);
      }
    return m;
  }
} // namespace

// A random field of correlation length l = 4 nm over 320 nm x 320 nm,
// eight seeds. Expected: mean 0, variance 1, kurtosis 3 (Gaussian), and the
// correlation exp(-r^2 / 2 l^2) at r = l/2, l, 2 l. Tolerances: the spectral
// sum of M = 256 modes estimates exp(-r^2/2l^2) by a mean of 256 cosines
// (spread ~0.04 per seed, 0.015 over eight), the region holds ~6000
// correlation areas (spread of the mean and variance ~0.02 per seed), and the
// multilinear interpolant between nodes l/4 apart has 0.97-1 of the
// variance: mean 0.03, variance 0.05, correlations 0.04, kurtosis 0.15.
TEST(Disorder, RandomFieldHasUnitVarianceAndGaussianCovariance)
{
  const double                L = 320, l = 4, h = 0.5;
  const std::vector<unsigned> lags = {4, 8, 16}; // r = l/2, l, 2 l
  Moments                     sum;
  sum.correlation.assign(lags.size(), 0.);
  const unsigned n_seeds = 8;
  for (unsigned seed = 1; seed <= n_seeds; ++seed)
    {
      const QuenchedDisorder<2> disorder(QuenchedDisorder<2>::Kind::random_alpha,
                                         l,
                                         seed,
                                         box(Point<2>(0, 0), Point<2>(L, L)),
                                         MPI_COMM_WORLD);
      const Moments m = moments_2d(disorder, L, h, lags);
      sum.mean += m.mean / n_seeds;
      sum.variance += m.variance / n_seeds;
      sum.kurtosis += m.kurtosis / n_seeds;
      for (unsigned k = 0; k < lags.size(); ++k)
        sum.correlation[k] += m.correlation[k] / n_seeds;
    }
  EXPECT_NEAR(sum.mean, 0, 0.03);
  EXPECT_NEAR(sum.variance, 1, 0.05);
  EXPECT_NEAR(sum.kurtosis, 3, 0.15);
  for (unsigned k = 0; k < lags.size(); ++k)
    {
      const double r = lags[k] * h;
      EXPECT_NEAR(sum.correlation[k], std::exp(-r * r / (2 * l * l)), 0.04) << "lag " << r << " nm";
    }
}

// The same in 1D (a vertical stack: disorder along the thickness), one long
// line and 32 seeds.
TEST(Disorder, RandomFieldIn1dHasItsCovariance)
{
  const double   L = 4000, l = 2, h = 0.25;
  const unsigned n = unsigned(L / h), n_seeds = 32;
  double         mean = 0, variance = 0, c_l = 0, c_2l = 0;
  for (unsigned seed = 0; seed < n_seeds; ++seed)
    {
      const QuenchedDisorder<1> disorder(
        QuenchedDisorder<1>::Kind::random_field, l, seed, box(Point<1>(0.), Point<1>(L)), MPI_COMM_WORLD);
      std::vector<double> g(n);
      for (unsigned i = 0; i < n; ++i)
        g[i] = disorder.value(Point<1>(i * h));
      double m = 0, v = 0, c1 = 0, c2 = 0;
      for (const double x : g)
        m += x / n;
      for (unsigned i = 0; i < n; ++i)
        {
          v += (g[i] - m) * (g[i] - m) / n;
          if (i + 8 < n)
            c1 += (g[i] - m) * (g[i + 8] - m) / (n - 8);
          if (i + 16 < n)
            c2 += (g[i] - m) * (g[i + 16] - m) / (n - 16);
        }
      mean += m / n_seeds;
      variance += v / n_seeds;
      c_l += c1 / v / n_seeds;
      c_2l += c2 / v / n_seeds;
    }
  EXPECT_NEAR(mean, 0, 0.03);
  EXPECT_NEAR(variance, 1, 0.05);
  EXPECT_NEAR(c_l, std::exp(-0.5), 0.04);
  EXPECT_NEAR(c_2l, std::exp(-2.), 0.04);
}

// Poisson-Voronoi grains of mean size l = 5 nm (seed density lambda =
// 1/l^2) over the square K = [0, 250 nm]^2. The expected number of cells
// that meet K is lambda E|K + (-X)| = lambda (|K| + L(K) E[L(X)] / (2 pi) +
// E|X|) for the typical cell X (Steiner's formula of the Minkowski sum),
// whose mean perimeter is E[L(X)] = 4 / sqrt(lambda) and mean area 1/lambda
// (Meijering, Philips Res. Rep. 8, 270 (1953)): 2500 + 127 + 1 = 2628, a
// Poisson-like count (4 sigma ~ 200). Counted as the distinct values of g on a
// 0.25 nm grid (a grain smaller than a grid cell, 1/400 of the mean, is rare
// enough to miss). Their g have mean 0 and variance 1 (4 sigma over 2600
// grains: 0.08 and 0.12). A line meets 4 sqrt(lambda) / pi grain boundaries
// per unit length (twice the boundary length per area, 2 sqrt(lambda), over
// pi: Meijering), so neighbouring grid points share their grain with
// probability 1 - 4 h sqrt(lambda) / pi = 0.936 (+-0.01: ~25000 crossings).
TEST(Disorder, GrainsHaveTheirMeanSizeAndNormalValues)
{
  const double                    L = 250, l = 5, h = 0.25;
  const QuenchedDisorder<2>       disorder(QuenchedDisorder<2>::Kind::grains,
                                     l,
                                     7,
                                     box(Point<2>(0, 0), Point<2>(L, L)),
                                     MPI_COMM_WORLD);
  std::set<double>                values;
  const unsigned                  n     = unsigned(L / h);
  unsigned                        same  = 0;
  double                          last  = 0;
  for (unsigned i = 0; i < n; ++i)
    for (unsigned j = 0; j < n; ++j)
      {
        const double g = disorder.value(Point<2>((i + 0.5) * h, (j + 0.5) * h));
        values.insert(g);
        if (j > 0 && g == last)
          ++same;
        last = g;
      }
  const double lambda   = 1 / (l * l);
  const double expected = lambda * (L * L + 4 * L * (4 / std::sqrt(lambda)) / (2 * M_PI) + 1 / lambda);
  EXPECT_NEAR(values.size(), expected, 4 * std::sqrt(expected));
  double mean = 0, variance = 0;
  for (const double g : values)
    mean += g / values.size();
  for (const double g : values)
    variance += (g - mean) * (g - mean) / values.size();
  EXPECT_NEAR(mean, 0, 0.08);
  EXPECT_NEAR(variance, 1, 0.12);
  EXPECT_NEAR(double(same) / (n * (n - 1)), 1 - 4 * h * std::sqrt(lambda) / M_PI, 0.01);
}

// The disorder is a function of position and seed alone: tabulated over two
// different regions, computed by this rank alone or shared out over all
// ranks, it gives bitwise the same numbers (inside and outside the tables);
// another seed gives another film.
TEST(Disorder, DependsOnPositionAndSeedAlone)
{
  for (const auto kind : {QuenchedDisorder<2>::Kind::random_field, QuenchedDisorder<2>::Kind::grains})
    {
      const QuenchedDisorder<2> a(kind, 3, 11, box(Point<2>(0, 0), Point<2>(60, 20)), MPI_COMM_WORLD);
      const QuenchedDisorder<2> b(kind, 3, 11, box(Point<2>(-40, 10), Point<2>(30, 90)), MPI_COMM_SELF);
      const QuenchedDisorder<2> c(kind, 3, 12, box(Point<2>(0, 0), Point<2>(60, 20)), MPI_COMM_SELF);
      unsigned                  differ = 0;
      for (unsigned i = 0; i < 2000; ++i)
        {
          // Points over [-50, 100] x [-20, 100]: inside both tables, one, none.
          const Point<2> x(-50 + 150 * std::fmod(i * 0.6180339887, 1.), -20 + 120 * std::fmod(i * 0.7548776662, 1.));
          ASSERT_EQ(a.value(x), b.value(x)) << "at " << x;
          if (a.value(x) != c.value(x))
            ++differ;
        }
      EXPECT_GT(differ, 1900u);
    }
}

// TDGL's Jacobian with disorder (the local alpha of random-alpha in the
// Landau Hessian, the built-in field of random-field) against central
// finite differences, on a 2D In2Se3 layer with both polarization axes.
TEST(Disorder, TdglJacobianMatchesFiniteDifferences)
{
  for (const std::string kind : {"random-alpha", "random-field", "grains"})
    EXPECT_LT(Testing::in2se3_jacobian_error("disorder_jacobian",
                                             "    set Disorder = " + kind +
                                               "\n    set Disorder spread = 0.5\n    set Disorder length = 2\n"),
              1e-6)
      << kind;
}

// Nucleation sites at interfaces (`Disorder depth`): a 20 nm CIPS film on
// a 5 nm dielectric, random-field disorder within 3 nm of the film's faces
// only. At heights within 3 nm of the film's bottom (5 nm) or top (25 nm)
// the field is the unrestricted one, in between it is exactly zero, and the
// Jacobian still matches central differences with the window in place.
TEST(Disorder, DepthKeepsTheDisorderAtTheInterfaces)
{
  const std::string deck = R"(set Dimension = 2
subsection Stack
  set Layers = d: hBN: 5 : 2, f: CIPS: 20 : 20
  set Width = 40
  set Lateral cells = 20
end
subsection Contacts
  set List = bottom: bottom: gate(4.5), top: top: gate(4.5)
end
subsection Physics
  set Polarization = dynamic
end
subsection Initial polarization
  set Mode = random
  set Value = 0.5
end
subsection Materials
  subsection CIPS
    set Disorder = random-field
    set Disorder spread = 0.3
    set Disorder length = 2
    set Disorder depth = 3
  end
end
subsection Output
  set Fields =
end
)";
  const Parameters prm(Testing::write_deck("disorder_depth", deck));
  RunLog           log(false);
  Simulator<2>     simulator(prm, MPI_COMM_WORLD, log);
  simulator.setup();
  const QuenchedDisorder<2> free_field(QuenchedDisorder<2>::Kind::random_field, 2, 1,
                                       BoundingBox<2>(std::make_pair(Point<2>(0, 5), Point<2>(40, 25))),
                                       MPI_COMM_SELF);
  unsigned inside = 0, nonzero = 0;
  for (double x = 0.5; x < 40; x += 1.)
    for (double z = 5.25; z < 25; z += 0.5)
      {
        const double g = simulator.disorder_at(Point<2>(x, z), 1);
        if (std::min(z - 5, 25 - z) <= 3)
          {
            ++inside;
            EXPECT_EQ(g, free_field.value(Point<2>(x, z))) << "x " << x << " z " << z;
            nonzero += g != 0;
          }
        else
          EXPECT_EQ(g, 0.) << "x " << x << " z " << z;
      }
  EXPECT_EQ(nonzero, inside);
  EXPECT_GT(inside, 400u);
  EXPECT_LT(Testing::in2se3_jacobian_error("disorder_depth_jacobian",
                                           "    set Disorder = random-field\n    set Disorder spread = 0.5\n"
                                           "    set Disorder length = 2\n    set Disorder depth = 1\n"),
            1e-6);
}
