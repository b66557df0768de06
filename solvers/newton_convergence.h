#ifndef ferrostack_solvers_newton_convergence_h
#define ferrostack_solvers_newton_convergence_h

#include <deal.II/lac/petsc_vector.h>

#include <string>
#include <vector>

namespace FerroStack
{
  /// Per-field norms of a vector: the l2 norm and the largest magnitude.
  struct FieldNorms
  {
    std::vector<double> l2;
    std::vector<double> max;
  };

  /**
   * The norms of @p v over each field's locally owned entries, summed over
   * the ranks of @p v's communicator. @p local_field names the field of each
   * locally owned entry (FieldRegistry::local_fields()).
   */
  FieldNorms
  field_norms(const dealii::PETScWrappers::MPI::Vector &v,
              const std::vector<unsigned char>         &local_field,
              const unsigned                            n_fields);

  /**
   * When Newton has converged, judged per field on the residual scaled by
   * the equation's natural size (MOOSE's reference-residual criterion): the
   * assembly also sums the magnitudes of every term that enters each row,
   * |flux . grad v| + |source v| + ..., into a reference vector, whose norm
   * is the size the residual of that equation would have without
   * cancellation, and so the size of its round-off. Field f has converged
   * when
   *
   *   ||R_f||_2 <= rtol ||Ref_f||_2 + atol sqrt(N_f),
   *
   * with N_f its number of unknowns and atol an absolute floor in scaled
   * units (for rows whose every term vanishes, e.g. depleted carriers).
   * Unlike a reduction relative to the step's first residual, this is
   * reachable from any start, and a start that already satisfies it is
   * accepted without an iteration.
   */
  class NewtonConvergence
  {
  public:
    NewtonConvergence(std::vector<std::string> names, const double rtol, const double atol);

    /// Whether every field satisfies the criterion.
    /// With @p relax > 1, against relax times the tolerances (a line
    /// search that stagnates at the residual's floor).
    bool
    converged(const FieldNorms          &residual,
              const FieldNorms          &reference,
              const std::vector<double> &counts,
              const double               relax = 1) const;

    /// "potential 1.2e-14 (of 3.1e-3), polarization ..." for messages.
    std::string
    report(const FieldNorms &residual, const FieldNorms &reference) const;

  private:
    std::vector<std::string> names;
    double                   rtol, atol;
  };

  /// A number for a message, %g style: 1e-10 is "1e-10", not "0.000000".
  std::string
  format_number(const double value);
} // namespace FerroStack

#endif
