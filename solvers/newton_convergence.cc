#include <deal.II/base/mpi.h>

#include <solvers/newton_convergence.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <petscvec.h>

namespace FerroStack
{
  FieldNorms
  field_norms(const dealii::PETScWrappers::MPI::Vector &v,
              const std::vector<unsigned char>         &local_field,
              const unsigned                            n_fields)
  {
    const PetscScalar *values = nullptr;
    PetscInt           n_local = 0;
    VecGetLocalSize(v, &n_local);
    VecGetArrayRead(v, &values);
    std::vector<double> squares(n_fields, 0.), max(n_fields, 0.);
    for (PetscInt i = 0; i < n_local && std::size_t(i) < local_field.size(); ++i)
      {
        const unsigned f = local_field[i];
        const double   a = std::abs(values[i]);
        squares[f] += a * a;
        max[f] = std::max(max[f], a);
      }
    VecRestoreArrayRead(v, &values);
    const MPI_Comm comm = v.get_mpi_communicator();
    FieldNorms     norms;
    norms.l2.resize(n_fields);
    norms.max.resize(n_fields);
    MPI_Allreduce(squares.data(), norms.l2.data(), n_fields, MPI_DOUBLE, MPI_SUM, comm);
    MPI_Allreduce(max.data(), norms.max.data(), n_fields, MPI_DOUBLE, MPI_MAX, comm);
    for (double &s : norms.l2)
      s = std::sqrt(s);
    return norms;
  }

  NewtonConvergence::NewtonConvergence(std::vector<std::string> names,
                                       const double             rtol,
                                       const double             atol,
                                       const double             stol)
      : names(std::move(names))
      , rtol(rtol)
      , atol(atol)
      , stol(stol)
  {}

  bool
  NewtonConvergence::converged(const FieldNorms          &residual,
                               const FieldNorms          &reference,
                               const std::vector<double> &counts) const
  {
    for (unsigned f = 0; f < residual.l2.size(); ++f)
      if (!finite(residual, reference, f) ||
          !(residual.l2[f] <= tolerance(f) * reference.l2[f] + atol * std::sqrt(counts[f])))
        return false;
    return true;
  }

  bool
  NewtonConvergence::converged(const FieldNorms          &residual,
                               const FieldNorms          &reference,
                               const std::vector<double> &counts,
                               const FieldNorms          &update,
                               const FieldNorms          &solution,
                               const double               update_relax) const
  {
    for (unsigned f = 0; f < residual.l2.size(); ++f)
      if (!finite(residual, reference, f) || !std::isfinite(update.max[f]))
        return false;
    for (unsigned f = 0; f < residual.l2.size(); ++f)
      if (!(residual.l2[f] <= update_relax * (tolerance(f) * reference.l2[f] + atol * std::sqrt(counts[f]))) &&
          !(update.max[f] <= update_relax * stol * std::max(1., solution.max[f])))
        return false;
    return true;
  }

  double
  NewtonConvergence::merit(const FieldNorms          &residual,
                           const FieldNorms          &reference,
                           const std::vector<double> &counts) const
  {
    double sum = 0;
    for (unsigned f = 0; f < residual.l2.size(); ++f)
      {
        const double scaled = residual.l2[f] / (tolerance(f) * reference.l2[f] + atol * std::sqrt(counts[f]));
        sum += scaled * scaled;
      }
    return std::sqrt(sum);
  }

  std::string
  NewtonConvergence::report(const FieldNorms &residual, const FieldNorms &reference) const
  {
    std::string text;
    for (unsigned f = 0; f < residual.l2.size(); ++f)
      text += (f > 0 ? ", " : "") + names[f] + " " + format_number(residual.l2[f]) + " (of " +
              format_number(reference.l2[f]) + ")";
    return text;
  }
} // namespace FerroStack
