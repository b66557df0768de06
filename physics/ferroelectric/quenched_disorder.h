#ifndef ferrostack_physics_ferroelectric_quenched_disorder_h
#define ferrostack_physics_ferroelectric_quenched_disorder_h

#include <deal.II/base/bounding_box.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/point.h>

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace FerroStack
{
  /// The most lattice nodes a random-field disorder may tabulate per layer
  /// (8 bytes each: 160 MB).
  constexpr double max_disorder_lattice_nodes = 2e7;

  /// The nodes of the lattice of spacing @p length / 4 (one node of margin
  /// each side) over the box whose extent along each axis is one pair
  /// (lower, upper) of @p extents [nm].
  double
  disorder_lattice_nodes(const double length, const std::vector<std::pair<double, double>> &extents);

  /**
   * Quenched disorder of a ferroelectric layer (a material model, the
   * material keys `Disorder`, `Disorder spread`, `Disorder length`,
   * `Disorder seed`): a frozen random number g(x) per point, of zero mean and
   * unit variance, that the TDGL module turns into a local Landau alpha,
   * alpha (1 + spread g) (random-alpha, grains), or a built-in field
   * spread g along the polar axis (random-field). Real films switch
   * gradually because their coercive field varies from place to place
   * (Preisach's picture); an ideal film nucleates everywhere at once.
   *
   * - random-alpha, random-field: g is a Gaussian random field with the
   *   covariance <g(x) g(x + r)> = exp(-|r|^2 / (2 l^2)), l the `Disorder
   *   length`, sampled by the spectral (random-phase) method,
   *   g(x) = sqrt(2/M) sum_m cos(k_m . x + theta_m), k_m ~ N(0, I / l^2),
   *   theta_m ~ U(0, 2 pi), M = 256 (Shinozuka and Deodatis, Appl. Mech. Rev.
   *   44, 191 (1991)), evaluated once on a lattice of spacing l / 4 anchored
   *   at the origin and interpolated multilinearly in between (the
   *   interpolant is the field: its variance is 0.99 of the sum's midway
   *   between nodes).
   * - grains: a Poisson-Voronoi tessellation of mean grain volume l^dim
   *   (grain seeds drawn per l-sized bin of space, Poisson(1) of them,
   *   uniform in the bin), each grain with its own standard normal g: sharp
   *   grain boundaries, as in FerroX's polycrystalline films (which rotate
   *   the polar axis per grain; here the Landau coefficients vary).
   *
   * Every random number is a hash of the seed and a lattice, bin or mode
   * index (SplitMix64, Box-Muller), so g depends on the position alone: not
   * on the mesh, the number of MPI ranks, the compiler's <random>, or the
   * extent of the layer it is evaluated in.
   */
  template <int dim>
  class QuenchedDisorder
  {
  public:
    enum class Kind
    {
      none,
      random_alpha,
      random_field,
      grains
    };

    /// The kind named @p name (none | random-alpha | random-field |
    /// grains); throws std::invalid_argument for any other name.
    static Kind
    kind_of(const std::string &name);

    /**
     * The disorder of @p kind with correlation length or mean grain size
     * @p length [nm] and @p seed over the box @p region [nm] (the layer's;
     * the lattice and the grain bins that cover it are tabulated there,
     * outside it g is still defined, only slower). The lattice's nodes are
     * shared out over the ranks of @p comm (MPI_COMM_SELF: all on this one),
     * each computed identically, and gathered.
     */
    QuenchedDisorder(const Kind                         kind,
                     const double                       length,
                     const std::uint64_t                seed,
                     const dealii::BoundingBox<dim>    &region,
                     const MPI_Comm                     comm);

    /// g at @p x [nm].
    double
    value(const dealii::Point<dim> &x) const;

    Kind
    kind() const
    {
      return disorder_kind;
    }

    /// The number of lattice nodes a random field of correlation length
    /// @p length [nm] needs over @p region (for the deck's memory check).
    static double
    lattice_size(const double length, const dealii::BoundingBox<dim> &region);

  private:
    Kind          disorder_kind;
    double        length;
    std::uint64_t seed;

    /// A box of integer lattice (or bin) indices, [first, first + extent)
    /// per axis, numbered with the first axis fastest: the tables' layout.
    struct IndexBox
    {
      std::array<long, dim>     first{};
      std::array<unsigned, dim> extent{};

      /// The box of the indices of cells of size @p h that cover [lower,
      /// upper], with @p margin more on each side.
      static IndexBox
      covering(const dealii::Point<dim> &lower, const dealii::Point<dim> &upper, const double h, const long margin);

      std::size_t
      size() const;
      /// The number of @p index in the box, or size() if it lies outside.
      std::size_t
      number(const std::array<long, dim> &index) const;
      /// The index numbered @p i.
      std::array<long, dim>
      index(std::size_t i) const;
    };

    // Random fields: the modes and the tabulated lattice.
    static constexpr unsigned     n_modes = 256;
    std::vector<std::array<double, dim + 1>> modes; ///< k_m (dim) and theta_m
    double                                   spacing = 0;
    IndexBox                                 nodes;  ///< the table's lattice nodes
    std::vector<double>                      table;

    // Grains: the seeds of each bin of the tabulated range.
    struct Grain
    {
      dealii::Point<dim> center;
      double             g;
    };
    IndexBox                         bins; ///< the bins whose seeds are tabulated
    std::vector<std::vector<Grain>>  grains_of_bin;

    /// The spectral sum at @p x.
    double
    spectral_sum(const dealii::Point<dim> &x) const;
    /// The position [nm] of lattice node @p node.
    dealii::Point<dim>
    node_point(const std::array<long, dim> &node) const;
    /// The tabulated node value, or the sum where the node is outside the table.
    double
    node_value(const std::array<long, dim> &node) const;
    /// The grain seeds of bin @p bin (drawn from the hash of its index).
    std::vector<Grain>
    draw_grains(const std::array<long, dim> &bin) const;
    const std::vector<Grain> &
    grains_in(const std::array<long, dim> &bin, std::vector<Grain> &scratch) const;
    double
    grain_value(const dealii::Point<dim> &x) const;
  };
} // namespace FerroStack

#endif
