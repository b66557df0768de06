#ifndef ferrostack_solvers_simulator_h
#define ferrostack_solvers_simulator_h

#include <deal.II/base/function.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/petsc_precondition.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>

#include <meshes/stack_mesh.h>
#include <physics/ferroelectric/initial_polarization.h>
#include <solvers/parameters.h>
#include <solvers/run_log.h>
#include <solvers/units.h>

#include <memory>
#include <string>
#include <vector>

namespace FerroStack
{
  /**
   * A manufactured problem for verification: the solver then uses
   * @p permittivity (isotropic, scaled) instead of the materials', adds
   * @p source to the charge density, and imposes @p exact on every contact.
   * All three are in scaled units (lengths in nm, potential in kT/q).
   */
  template <int dim>
  struct ManufacturedSolution
  {
    std::shared_ptr<dealii::Function<dim>> exact;
    std::shared_ptr<dealii::Function<dim>> source;
    std::shared_ptr<dealii::Function<dim>> permittivity;
  };

  /// The iteration counts and timings of one solve, for run.log and benchmarks.
  struct SolveStatistics
  {
    unsigned newton_iterations = 0;
    unsigned linear_iterations = 0;
    double   assembly_seconds  = 0;
    double   solve_seconds     = 0;
    double   setup_seconds     = 0;
  };

  /**
   * The simulator: owns the mesh, the degrees of freedom, the solution and
   * the time loop (DESIGN.md, "Architecture").
   *
   * Its implementation is split by concern: simulator.cc (setup, time loop,
   * terminal quantities), simulator_assembly.cc (residual and Jacobian,
   * Newton solve), postprocess/ (output).
   *
   * The unknown today is the electrostatic potential phi on every non-metal
   * layer; the polarization is frozen (a bound-charge source). Poisson's
   * equation (PHYSICS.md) is solved in residual form,
   *   R(phi)_i = int (eps_r grad phi - P) . grad v_i - int rho v_i = 0,
   * scaled as in Scaling, by Newton's method, so that the same code takes
   * the nonlinear fields that later modules add.
   */
  template <int dim>
  class Simulator
  {
  public:
    Simulator(const Parameters &prm, const MPI_Comm comm, RunLog &log);
    ~Simulator();

    /// Build the mesh, distribute DoFs, allocate the linear system.
    void
    setup();

    /// The `--check` summary: layers, regions, cells, unknowns, contacts.
    std::string
    summary() const;

    /// Run the deck's time loop, writing every output into @p directory.
    void
    run(const std::string &directory);

    /// Solve the steady problem for the contact voltages at time @p t [s].
    SolveStatistics
    solve_at(const double t);

    /// Charge on each contact [C/m^2 in 1D, C/m in 2D, C in 3D], from the
    /// residual of the assembled system at the present solution.
    std::vector<double>
    contact_charges();

    /// Average P [C/m^2] of the ferroelectric layer @p layer: (x, z).
    std::array<double, 2>
    average_polarization(const unsigned layer) const;

    /// Use a manufactured problem (tests); call before setup().
    void
    set_manufactured_solution(const ManufacturedSolution<dim> &mms);

    /// L2 and H1-seminorm errors against the manufactured solution (scaled).
    std::array<double, 2>
    manufactured_errors() const;

    /// The potential [V] at @p p [nm] (evaluated on the owning rank and
    /// broadcast; throws if no rank owns it).
    double
    potential_at(const dealii::Point<dim> &p) const;

    dealii::types::global_dof_index
    n_dofs() const
    {
      return dof_handler.n_dofs();
    }

    const StackMesh<dim> &
    mesh() const
    {
      return *stack;
    }
    const Scaling &
    scaling() const
    {
      return scale;
    }
    const dealii::DoFHandler<dim> &
    dofs() const
    {
      return dof_handler;
    }
    /// The solution with ghost entries (scaled potential).
    const dealii::PETScWrappers::MPI::Vector &
    ghosted_solution() const
    {
      return locally_relevant_solution;
    }
    const InitialPolarization<dim> &
    polarization() const
    {
      return initial_polarization;
    }
    const Parameters &
    parameters() const
    {
      return prm;
    }

  private:
    const Parameters &prm;
    MPI_Comm          comm;
    RunLog           &log;
    Scaling           scale;

    std::unique_ptr<StackMesh<dim>> stack;
    dealii::FE_Q<dim>               fe;
    dealii::DoFHandler<dim>         dof_handler;
    dealii::IndexSet                locally_owned_dofs, locally_relevant_dofs;

    /// Hanging-node and periodicity constraints only (for contact charges).
    dealii::AffineConstraints<double> free_constraints;
    /// The above plus homogeneous Dirichlet values on contacts (Newton updates).
    dealii::AffineConstraints<double> update_constraints;

    dealii::PETScWrappers::MPI::SparseMatrix                      jacobian;
    dealii::PETScWrappers::MPI::Vector                            solution, locally_relevant_solution;
    dealii::PETScWrappers::MPI::Vector                            residual, newton_update;
    std::unique_ptr<dealii::PETScWrappers::PreconditionBoomerAMG> preconditioner;
    bool                                                          jacobian_is_current = false;
    double                                                        setup_seconds       = 0;

    InitialPolarization<dim>      initial_polarization;
    ManufacturedSolution<dim>     manufactured;
    std::vector<double>           contact_work_function_offset; ///< [V]
    std::vector<dealii::IndexSet> contact_dofs;

    /// Assemble R(u) with @p constraints into @p r and, if asked, the Jacobian.
    void
    assemble(const dealii::AffineConstraints<double> &constraints,
             dealii::PETScWrappers::MPI::Vector      &r,
             const bool                               with_jacobian);

    /// Set the contact potentials for time @p t into the solution.
    void
    apply_contact_potentials(const double t);

    /// The potential [V] that contact @p k imposes at time @p t.
    double
    contact_potential(const unsigned k, const double t) const;

    void
    compute_contact_offsets();
  };
} // namespace FerroStack

#endif
