#ifndef ferrostack_solvers_newton_convergence_h
#define ferrostack_solvers_newton_convergence_h

#include <deal.II/lac/petsc_vector.h>

#include <base/text_utilities.h>

#include <algorithm>
#include <cmath>
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
   *
   * A field whose residual stops short of that (its rows' round-off is
   * larger than the reference says: exponential densities whose large
   * terms cancel, an ill-conditioned block whose direct solve is accurate
   * to 1e-9 only) has also converged when the full Newton update of the
   * iteration just taken is at the update floor,
   *
   *   ||du_f||_inf <= stol max(1, ||u_f||_inf),
   *
   * in the scaled units of the unknowns (potentials in kT/q, P in
   * eps0 kT/(q L)): the next update would change nothing that matters
   * (PETSc SNES's step-length test, SNES_CONVERGED_SNORM_RELATIVE, per
   * field).
   */
  class NewtonConvergence
  {
  public:
    NewtonConvergence(std::vector<std::string> names,
                      const double             rtol,
                      const double             atol,
                      const double             stol = 1e-12);

    /// Whether every field satisfies the residual criterion.
    bool
    converged(const FieldNorms          &residual,
              const FieldNorms          &reference,
              const std::vector<double> &counts) const;

    /// Whether every field satisfies either the residual criterion or the
    /// update criterion, for the full Newton update @p update (its per-field
    /// max norms) taken from a solution of per-field max norms @p solution.
    /// A line search that finds no descent calls this with
    /// @p update_relax = 1e3: the residual is then at its floor, and an
    /// update within 1e3 stol is the accuracy of the linear solve, not a
    /// transient still to resolve; so is a residual within 1e3 of its
    /// tolerance (a carrier that is absent everywhere, 1e-30 of its contact
    /// density or below, has rows of round-off that stop a few hundred
    /// times above the absolute floor while its quasi-Fermi potential, set
    /// by nothing, takes updates of many kT: a lateral Au/CIPS/Au cell's
    /// holes at 10 V, whose steps otherwise fell to 1e-13 s).
    bool
    converged(const FieldNorms          &residual,
              const FieldNorms          &reference,
              const std::vector<double> &counts,
              const FieldNorms          &update,
              const FieldNorms          &solution,
              const double               update_relax = 1) const;

    /// The line search's merit function: the residual of each field in
    /// units of its tolerance, sqrt(sum_f (||R_f|| / (rtol ||Ref_f|| +
    /// atol sqrt(N_f)))^2). Unlike the plain l2 norm of the residual, it
    /// sees the progress of a field whose rows are small in absolute terms
    /// (a depleted carrier) next to another at its round-off floor.
    double
    merit(const FieldNorms &residual, const FieldNorms &reference, const std::vector<double> &counts) const;

    /// "potential 1.2e-14 (of 3.1e-3), polarization ..." for messages.
    std::string
    report(const FieldNorms &residual, const FieldNorms &reference) const;

    /// A tighter relative tolerance for field @p f than the common one:
    /// the rows of a conserved quantity (the ions, whose number the rows'
    /// sum measures) converge to near their round-off, so that the
    /// inexactness of Newton does not accumulate over 1e4 steps.
    void
    tighten(const unsigned f, const double rtol_f)
    {
      field_rtol.resize(names.size(), rtol);
      field_rtol[f] = std::min(rtol, rtol_f);
    }

  private:
    /// A residual or reference that overflowed (inf <= rtol inf holds, so
    /// the criterion alone would accept it) is never converged: a Newton
    /// start extrapolated past a bias kink gave densities of 1e108 that way.
    static bool
    finite(const FieldNorms &residual, const FieldNorms &reference, const unsigned f)
    {
      return std::isfinite(residual.l2[f]) && std::isfinite(reference.l2[f]);
    }

    std::vector<std::string> names;
    double                   rtol, atol, stol;
    std::vector<double>      field_rtol; ///< per field, if any was tightened

    double
    tolerance(const unsigned f) const
    {
      return field_rtol.empty() ? rtol : field_rtol[f];
    }
  };

} // namespace FerroStack

#endif
