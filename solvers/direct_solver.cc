#include <base/deck_error.h>
#include <solvers/direct_solver.h>

#include <string>

namespace FerroStack
{
  DirectSolver::~DirectSolver()
  {
    reset();
  }

  void
  DirectSolver::reset()
  {
    if (ksp != nullptr)
      KSPDestroy(&ksp);
    ksp = nullptr;
  }

  void
  DirectSolver::solve(const dealii::PETScWrappers::MPI::SparseMatrix &A,
                      dealii::PETScWrappers::MPI::Vector             &x,
                      const dealii::PETScWrappers::MPI::Vector       &b)
  {
    const Mat matrix = A;
    if (ksp == nullptr)
      {
        KSPCreate(A.get_mpi_communicator(), &ksp);
        KSPSetOptionsPrefix(ksp, "ferrostack_direct_");
        KSPSetType(ksp, KSPPREONLY);
        PC pc;
        KSPGetPC(ksp, &pc);
        PCSetType(pc, PCLU);
        PCFactorSetMatSolverType(pc, MATSOLVERMUMPS);
        // A zero pivot is a failed Newton step for the time stepper to cut,
        // not an abort inside the factorization.
        KSPSetErrorIfNotConverged(ksp, PETSC_FALSE);
        KSPSetFromOptions(ksp);
      }
    KSPSetOperators(ksp, matrix, matrix);
    const PetscErrorCode error = KSPSolve(ksp, b, x);
    KSPConvergedReason   reason;
    KSPGetConvergedReason(ksp, &reason);
    PC pc;
    KSPGetPC(ksp, &pc);
    PCFailedReason pc_reason;
    PCGetFailedReason(pc, &pc_reason);
    if (error != 0 || reason < 0 || pc_reason != PC_NOERROR)
      {
        // The next solve starts from a fresh analysis.
        reset();
        throw SolverError("the direct solver (MUMPS) failed (PETSc reason " + std::to_string(int(reason)) +
                          ", factorization " + std::to_string(int(pc_reason)) + ")");
      }
  }
} // namespace FerroStack
