#ifndef ferrostack_physics_electrostatics_poisson_terms_h
#define ferrostack_physics_electrostatics_poisson_terms_h

#include <deal.II/base/tensor.h>

namespace FerroStack
{
  /**
   * Poisson's equation with bound charge (PHYSICS.md), pointwise and scaled
   * (Scaling): -div(eps_r grad phi - P) = rho. Its weak residual at one
   * quadrature point is
   *   R = flux . grad v - rho v,   flux = eps_r grad phi - P,
   * so that `- int P . grad v` places the bound charge -div P inside a
   * ferroelectric and sigma_b = P . n on its faces without special terms,
   * and D = -eps_r grad phi + P is continuous across interfaces.
   */
  namespace PoissonTerms
  {
    /// The vector multiplying grad v: eps_r grad phi - P (eps_r diagonal).
    template <int dim>
    inline dealii::Tensor<1, dim>
    flux(const dealii::Tensor<1, dim> &eps_r,
         const dealii::Tensor<1, dim> &grad_phi,
         const dealii::Tensor<1, dim> &P)
    {
      dealii::Tensor<1, dim> f;
      for (unsigned d = 0; d < dim; ++d)
        f[d] = eps_r[d] * grad_phi[d] - P[d];
      return f;
    }

    /// d flux / d phi applied to a shape gradient: eps_r grad phi_j.
    template <int dim>
    inline dealii::Tensor<1, dim>
    flux_derivative(const dealii::Tensor<1, dim> &eps_r, const dealii::Tensor<1, dim> &grad_shape)
    {
      dealii::Tensor<1, dim> f;
      for (unsigned d = 0; d < dim; ++d)
        f[d] = eps_r[d] * grad_shape[d];
      return f;
    }
  } // namespace PoissonTerms
} // namespace FerroStack

#endif
