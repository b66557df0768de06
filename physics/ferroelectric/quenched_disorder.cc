#include <deal.II/base/mpi.h>

#include <physics/ferroelectric/quenched_disorder.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace FerroStack
{
  namespace
  {
    constexpr double two_pi = 6.283185307179586;

    /// SplitMix64's finalizer (Steele, Lea and Flood, OOPSLA 2014).
    std::uint64_t
    mix(std::uint64_t z)
    {
      z += 0x9E3779B97F4A7C15ull;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      return z ^ (z >> 31);
    }

    /**
     * A stream of random numbers that depends on its key alone (SplitMix64
     * and Box-Muller written out, not <random>, whose distributions differ
     * between standard libraries: the same deck must give the same film on
     * a laptop and on a cluster).
     */
    class Stream
    {
    public:
      explicit Stream(const std::uint64_t key)
        : state(mix(key))
      {}

      /// Uniform in (0, 1).
      double
      uniform()
      {
        state += 0x9E3779B97F4A7C15ull;
        return (double(mix(state) >> 11) + 0.5) * (1. / 9007199254740992.);
      }

      double
      normal()
      {
        const double u1 = uniform(), u2 = uniform();
        return std::sqrt(-2 * std::log(u1)) * std::cos(two_pi * u2);
      }

    private:
      std::uint64_t state;
    };

    /// A key from the seed, a tag and a lattice index.
    template <std::size_t n>
    std::uint64_t
    key_of(const std::uint64_t seed, const std::uint64_t tag, const std::array<long, n> &index)
    {
      std::uint64_t h = mix(seed ^ mix(tag));
      for (const long i : index)
        h = mix(h ^ static_cast<std::uint64_t>(i));
      return h;
    }
  } // namespace

  template <int dim>
  typename QuenchedDisorder<dim>::Kind
  QuenchedDisorder<dim>::kind_of(const std::string &name)
  {
    if (name == "none")
      return Kind::none;
    if (name == "random-alpha")
      return Kind::random_alpha;
    if (name == "random-field")
      return Kind::random_field;
    if (name == "grains")
      return Kind::grains;
    throw std::invalid_argument("unknown disorder '" + name + "' (none | random-alpha | random-field | grains)");
  }

  double
  disorder_lattice_nodes(const double length, const std::vector<std::pair<double, double>> &extents)
  {
    // As the constructor's table: nodes floor(lower/h) - 1 ... ceil(upper/h) + 1.
    const double spacing = length / 4;
    double       n       = 1;
    for (const auto &[lower, upper] : extents)
      n *= std::ceil(upper / spacing) - std::floor(lower / spacing) + 3;
    return n;
  }

  template <int dim>
  double
  QuenchedDisorder<dim>::lattice_size(const double length, const dealii::BoundingBox<dim> &region)
  {
    std::vector<std::pair<double, double>> extents;
    for (unsigned d = 0; d < dim; ++d)
      extents.emplace_back(region.get_boundary_points().first[d], region.get_boundary_points().second[d]);
    return disorder_lattice_nodes(length, extents);
  }

  template <int dim>
  QuenchedDisorder<dim>::QuenchedDisorder(const Kind                      kind,
                                          const double                    length,
                                          const std::uint64_t             seed,
                                          const dealii::BoundingBox<dim> &region,
                                          const MPI_Comm                  comm)
    : disorder_kind(kind)
    , length(length)
    , seed(seed)
  {
    if (!(length > 0))
      throw std::invalid_argument("the disorder length must be positive");
    const auto &[lower, upper] = region.get_boundary_points();
    if (kind == Kind::random_alpha || kind == Kind::random_field)
      {
        // The modes: k ~ N(0, I / l^2), the spectral density of the Gaussian
        // covariance exp(-r^2 / 2 l^2), and a phase each.
        Stream stream(key_of<1>(seed, 1, {{0}}));
        modes.resize(n_modes);
        for (auto &mode : modes)
          {
            for (unsigned d = 0; d < dim; ++d)
              mode[d] = stream.normal() / length;
            mode[dim] = two_pi * stream.uniform();
          }
        // The table over the region, one node of margin each side
        // (disorder_lattice_nodes counts the same nodes).
        spacing = length / 4;
        nodes   = IndexBox::covering(lower, upper, spacing, 1);
        table.assign(nodes.size(), 0.);
        const unsigned rank = dealii::Utilities::MPI::this_mpi_process(comm),
                       size = dealii::Utilities::MPI::n_mpi_processes(comm);
        for (std::size_t i = rank; i < table.size(); i += size)
          table[i] = spectral_sum(node_point(nodes.index(i)));
        // Each node was computed by one rank, the others hold 0: the sum is
        // exact and the same on every rank.
        dealii::Utilities::MPI::sum(table, comm, table);
      }
    else if (kind == Kind::grains)
      {
        bins = IndexBox::covering(lower, upper, length, 3);
        grains_of_bin.resize(bins.size());
        for (std::size_t i = 0; i < bins.size(); ++i)
          grains_of_bin[i] = draw_grains(bins.index(i));
      }
  }

  template <int dim>
  double
  QuenchedDisorder<dim>::spectral_sum(const dealii::Point<dim> &x) const
  {
    double sum = 0;
    for (const auto &mode : modes)
      {
        double phase = mode[dim];
        for (unsigned d = 0; d < dim; ++d)
          phase += mode[d] * x[d];
        sum += std::cos(phase);
      }
    return std::sqrt(2. / n_modes) * sum;
  }

  template <int dim>
  typename QuenchedDisorder<dim>::IndexBox
  QuenchedDisorder<dim>::IndexBox::covering(const dealii::Point<dim> &lower,
                                            const dealii::Point<dim> &upper,
                                            const double              h,
                                            const long                margin)
  {
    IndexBox box;
    for (unsigned d = 0; d < dim; ++d)
      {
        box.first[d]  = long(std::floor(lower[d] / h)) - margin;
        box.extent[d] = unsigned(long(std::ceil(upper[d] / h)) + margin - box.first[d] + 1);
      }
    return box;
  }

  template <int dim>
  std::size_t
  QuenchedDisorder<dim>::IndexBox::size() const
  {
    std::size_t n = 1;
    for (const unsigned e : extent)
      n *= e;
    return n;
  }

  template <int dim>
  std::size_t
  QuenchedDisorder<dim>::IndexBox::number(const std::array<long, dim> &index) const
  {
    std::size_t i = 0, stride = 1;
    for (unsigned d = 0; d < dim; ++d)
      {
        const long offset = index[d] - first[d];
        if (offset < 0 || offset >= long(extent[d]))
          return size();
        i += std::size_t(offset) * stride;
        stride *= extent[d];
      }
    return i;
  }

  template <int dim>
  std::array<long, dim>
  QuenchedDisorder<dim>::IndexBox::index(std::size_t i) const
  {
    std::array<long, dim> result;
    for (unsigned d = 0; d < dim; ++d)
      {
        result[d] = first[d] + long(i % extent[d]);
        i /= extent[d];
      }
    return result;
  }

  template <int dim>
  dealii::Point<dim>
  QuenchedDisorder<dim>::node_point(const std::array<long, dim> &node) const
  {
    dealii::Point<dim> x;
    for (unsigned d = 0; d < dim; ++d)
      x[d] = node[d] * spacing;
    return x;
  }

  template <int dim>
  double
  QuenchedDisorder<dim>::node_value(const std::array<long, dim> &node) const
  {
    const std::size_t i = nodes.number(node);
    return i < table.size() ? table[i] : spectral_sum(node_point(node));
  }

  template <int dim>
  std::vector<typename QuenchedDisorder<dim>::Grain>
  QuenchedDisorder<dim>::draw_grains(const std::array<long, dim> &bin) const
  {
    Stream stream(key_of<dim>(seed, 2, bin));
    // Poisson(1) seeds per bin of volume l^dim (inverse transform).
    const double u   = stream.uniform();
    double       p   = std::exp(-1.), cdf = p;
    unsigned     n   = 0;
    while (u > cdf && n < 20)
      {
        ++n;
        p /= n;
        cdf += p;
      }
    std::vector<Grain> grains(n);
    for (Grain &grain : grains)
      {
        for (unsigned d = 0; d < dim; ++d)
          grain.center[d] = (bin[d] + stream.uniform()) * length;
        grain.g = stream.normal();
      }
    return grains;
  }

  template <int dim>
  const std::vector<typename QuenchedDisorder<dim>::Grain> &
  QuenchedDisorder<dim>::grains_in(const std::array<long, dim> &bin, std::vector<Grain> &scratch) const
  {
    const std::size_t i = bins.number(bin);
    if (i < grains_of_bin.size())
      return grains_of_bin[i];
    scratch = draw_grains(bin);
    return scratch;
  }

  template <int dim>
  double
  QuenchedDisorder<dim>::grain_value(const dealii::Point<dim> &x) const
  {
    std::array<long, dim> home;
    for (unsigned d = 0; d < dim; ++d)
      home[d] = long(std::floor(x[d] / length));
    double             best = std::numeric_limits<double>::max(), g = 0;
    std::vector<Grain> scratch;
    // Rings of bins around x's own: a seed in ring r + 1 or beyond is at
    // least r l away, so the search stops once the nearest one found so far
    // is closer than that.
    for (long r = 0; r < 64; ++r)
      {
        const long width = 2 * r + 1;
        long       n     = 1;
        for (unsigned d = 0; d < dim; ++d)
          n *= width;
        for (long i = 0; i < n; ++i)
          {
            std::array<long, dim> bin;
            long                  rest = i, ring = 0;
            for (unsigned d = 0; d < dim; ++d)
              {
                const long offset = rest % width - r;
                rest /= width;
                bin[d] = home[d] + offset;
                ring   = std::max(ring, std::abs(offset));
              }
            if (ring != r)
              continue;
            for (const Grain &grain : grains_in(bin, scratch))
              {
                const double d2 = (x - grain.center).norm_square();
                if (d2 < best)
                  {
                    best = d2;
                    g    = grain.g;
                  }
              }
          }
        if (best <= double(r * r) * length * length)
          break;
      }
    return g;
  }

  template <int dim>
  double
  QuenchedDisorder<dim>::value(const dealii::Point<dim> &x) const
  {
    switch (disorder_kind)
      {
        case Kind::none:
          return 0;
        case Kind::grains:
          return grain_value(x);
        default:
          break;
      }
    // Multilinear interpolation between the 2^dim nodes around x.
    std::array<long, dim>   base;
    std::array<double, dim> fraction;
    for (unsigned d = 0; d < dim; ++d)
      {
        const double s = x[d] / spacing;
        base[d]        = long(std::floor(s));
        fraction[d]    = s - base[d];
      }
    double value = 0;
    for (unsigned corner = 0; corner < (1u << dim); ++corner)
      {
        std::array<long, dim> node;
        double                weight = 1;
        for (unsigned d = 0; d < dim; ++d)
          {
            const bool upper = (corner >> d) & 1u;
            node[d]          = base[d] + (upper ? 1 : 0);
            weight *= upper ? fraction[d] : 1 - fraction[d];
          }
        if (weight != 0)
          value += weight * node_value(node);
      }
    return value;
  }

  template class QuenchedDisorder<1>;
  template class QuenchedDisorder<2>;
  template class QuenchedDisorder<3>;
} // namespace FerroStack
