#ifndef ferrostack_solvers_direct_solver_h
#define ferrostack_solvers_direct_solver_h

#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>

#include <petscksp.h>

namespace FerroStack
{
  /**
   * A sparse direct solve with MUMPS through PETSc (KSPPREONLY + PCLU) that
   * keeps its KSP between solves. deal.II 9.4's SparseDirectMUMPS builds a
   * new KSP for every solve, so MUMPS repeats its analysis phase (ordering
   * and symbolic factorization) at every Newton iteration although the
   * sparsity pattern of the Jacobian never changes. Here PETSc sees the
   * same matrix object again: if its nonzero pattern is unchanged it only
   * refactors numerically (MatLUFactorNumeric), and if the matrix has not
   * been assembled since the last factorization it reuses the factors.
   */
  class DirectSolver
  {
  public:
    DirectSolver() = default;
    ~DirectSolver();
    DirectSolver(const DirectSolver &) = delete;
    DirectSolver &
    operator=(const DirectSolver &) = delete;

    /// Solve A x = b (x is overwritten). Throws SolverError on failure.
    void
    solve(const dealii::PETScWrappers::MPI::SparseMatrix &A,
          dealii::PETScWrappers::MPI::Vector             &x,
          const dealii::PETScWrappers::MPI::Vector       &b);

    /// Forget the factorization (after the matrix was rebuilt).
    void
    reset();

  private:
    KSP ksp = nullptr;
  };
} // namespace FerroStack

#endif
