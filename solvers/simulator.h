#ifndef ferrostack_solvers_simulator_h
#define ferrostack_solvers_simulator_h

#include <deal.II/base/function.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_values_extractors.h>
#include <deal.II/hp/fe_collection.h>
#include <deal.II/hp/fe_values.h>
#include <deal.II/hp/q_collection.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/petsc_precondition.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>

#include <base/units.h>
#include <meshes/stack_mesh.h>
#include <physics/contacts/contact_module.h>
#include <physics/electrostatics/electrostatics_module.h>
#include <physics/ferroelectric/ferroelectric_module.h>
#include <physics/field_registry.h>
#include <physics/physics_module.h>
#include <physics/transport/carrier_module.h>
#include <physics/ferroelectric/initial_polarization.h>
#include <physics/ferroelectric/landau.h>
#include <physics/ions/ion_landau_coupling.h>
#include <physics/ions/ion_module.h>
#include <physics/transport/semiconductor_model.h>
#include <physics/traps/trap_module.h>
#include <solvers/checkpoint.h>
#include <solvers/parameters.h>
#include <solvers/newton_convergence.h>
#include <solvers/run_log.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace FerroStack
{
  class TerminalsWriter;
  class DirectSolver;
  template <int dim>
  class OutputWriter;

  /**
   * A manufactured problem for verification: the solver then uses
   * @p permittivity (isotropic, scaled) instead of the materials', adds
   * @p source to the charge density, and imposes @p exact on every contact
   * (all its components: phi and, with carriers, phi_n, phi_p).
   * With carriers, @p carrier_source (two components, G_n and G_p) adds a
   * generation rate to the electron and hole continuity equations:
   *   R_n = int mu_n n grad phi_n . grad v - (dn/dt + R - G_n) v,
   *   R_p = int mu_p p grad phi_p . grad v + (dp/dt + R - G_p) v.
   * With ions, @p ion_source adds a source S to the ion rows (time steps
   * only; the initial solve holds c = c0): dc/dt + div J = S.
   * All are in scaled units (lengths in nm, potential in kT/q, Scaling).
   */
  template <int dim>
  struct ManufacturedSolution
  {
    std::shared_ptr<dealii::Function<dim>> exact;
    std::shared_ptr<dealii::Function<dim>> source;
    std::shared_ptr<dealii::Function<dim>> permittivity;
    std::shared_ptr<dealii::Function<dim>> carrier_source;
    std::shared_ptr<dealii::Function<dim>> ion_source;
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

  /// The BDF coefficients of the present solve (physics/physics_module.h).
  using TimeDiscretization = TimeCoefficients;

  /// What the residual says about each contact: its charge and the
  /// conduction current through it (deck-spec.md sign conventions).
  struct TerminalResiduals
  {
    std::vector<double> charges;    ///< [C/m^2 in 1D, C/m in 2D, C in 3D]
    std::vector<double> conduction; ///< [A/m^2 in 1D, A/m in 2D, A in 3D]
  };

  /**
   * The simulator: owns the mesh, the degrees of freedom, the solution and
   * the time loop (DESIGN.md, "Architecture").
   *
   * Its implementation is split by concern: simulator.cc (setup, time loop,
   * terminal quantities), simulator_assembly.cc (residual and Jacobian,
   * Newton solve), solution_fields.cc (the output fields; postprocess/ writes them).
   *
   * Unknowns: the electrostatic potential phi (component 0) on every
   * non-metal layer and, with `Polarization = dynamic`, the polarization P
   * (components 1..dim, the last one vertical) in ferroelectric layers. P
   * lives only where it exists through an hp::FECollection whose elements
   * carry FE_Nothing for the components a region does not have (step-46);
   * FE_Nothing does not dominate, so P is free (natural) at the ferroelectric
   * faces. One DoFHandler and one monolithic Newton on all fields, rather
   * than separate DoFHandlers, so that the coupling blocks are exact and the
   * linear solver sees the whole Jacobian.
   *
   * With `Physics/Carriers`, the quasi-Fermi potentials phi_n, phi_p
   * (components after P) live in semiconductor and ferroelectric-
   * semiconductor layers (SemiconductorModel), with the same hp mechanism.
   *
   * Poisson (PHYSICS.md), scaled as in Scaling:
   *   R_phi = int (eps_r grad phi - P) . grad v - rho v = 0,  rho = p - n + N_D - N_A,
   * TDGL (Landau-Khalatnikov with gradients), per polarized component:
   *   R_P = int [(eps0/Gamma) dP/dt + df_L/dP + grad phi] w + g grad P : grad w = 0.
   * With frozen polarization, P is a given function (bound-charge source).
   * Continuity (time in Scaling::time):
   *   R_n = int mu_n n grad phi_n . grad v - (dn/dt + R) v - int_S v_n (n - n_eq) v,
   *   R_p = int mu_p p grad phi_p . grad v + (dp/dt + R) v + int_S v_p (p - p_eq) v,
   * the surface terms being thermionic emission at Schottky contacts S.
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

    /// Run the deck's time loop, writing every output into @p directory;
    /// with @p restart, continue from the newest complete checkpoint in
    /// that directory (`--restart DIR`, simulator_checkpoint.cc) instead of
    /// starting at t = 0. Throws DeckError before anything is written if
    /// the checkpoint is missing, incomplete or does not fit the deck.
    void
    run(const std::string &directory, const std::string &restart = "");

    /// Whether P is an unknown (TDGL) rather than a frozen function.
    bool
    dynamic_polarization() const
    {
      return prm.polarization == Parameters::PolarizationModel::dynamic;
    }

    /// Whether electrons and holes are unknowns (drift-diffusion).
    bool
    carriers() const
    {
      return prm.carriers;
    }

    /// Whether a semiconductor layer of the stack has charge traps (its
    /// material's `Trap density` > 0; with carriers only).
    bool
    traps() const
    {
      return carriers() && trap_layers;
    }

    /// The trap occupancy f at a point of layer @p layer with these scaled
    /// solution values, the mean over the levels of its density of states
    /// weighted by their share of the traps (0 where there are no traps).
    double
    trap_occupancy(const unsigned layer, const dealii::Vector<double> &values) const
    {
      if (!(layer < layer_has_traps.size() && layer_has_traps[layer]))
        return 0.;
      return trap_module.mean_occupancy(layer, values);
    }

    /// The integral over layer @p layer of a density [m^-3] given from the
    /// scaled solution values at a point: a number per cm^2 (1D), per cm
    /// (2D) or a count (3D).
    double
    layer_number(const unsigned layer, const std::function<double(const dealii::Vector<double> &)> &density) const;

    /// The trapped-electron number of layer @p layer: the integral of N_t f
    /// (cm^-2 in 1D, cm^-1 in 2D, a count in 3D).
    double
    trapped_number(const unsigned layer) const;

    /// Whether mobile ions are solved (Physics/Ions).
    bool
    ions() const
    {
      return prm.ions;
    }

    /// The number of mobile ions in layer @p layer (cm^-2 in 1D, cm^-1 in
    /// 2D, a count in 3D: deck-spec's N_<layer>_ions), by the quadrature of
    /// the assembly, whose ion rows conserve exactly this sum.
    double
    ion_number(const unsigned layer, const unsigned species = 0) const;

    /// The density [m^-3] of mobile-ion species @p species at a quadrature
    /// point's values (zero where that species does not live).
    double
    ion_density(const unsigned layer, const dealii::Vector<double> &values, const unsigned species = 0) const;

    /// How many mobile-ion species the deck has (the most that one ionic
    /// layer has; 0 without ions). Species k is the field
    /// IonModule::field_name(k): "ions", "ions_2", ...
    unsigned
    n_ion_species() const
    {
      return ion_modules.size();
    }

    /// Whether species @p species lives in layer @p layer.
    bool
    layer_has_ion_species(const unsigned layer, const unsigned species) const
    {
      return species < ion_modules.size() && ion_modules[species]->layers[layer].active;
    }


    /// The first of the two quasi-Fermi components (phi_n, then phi_p).
    unsigned
    carrier_component() const
    {
      return fields.component("electrons");
    }

    /// The fields of this problem, by name (FieldRegistry).
    const FieldRegistry<dim> &
    field_registry() const
    {
      return fields;
    }

    /// The material of layer @p l (of the cells with material id @p l).
    const Material &
    layer_material(const unsigned l) const
    {
      return *layer_materials.at(l);
    }

    /// The carrier model of layer @p l (inactive where no carriers live).
    const SemiconductorModel &
    semiconductor(const unsigned l) const
    {
      return layer_semiconductor[l];
    }

    /// Advance from the present state by @p dt with the BDF formula @p time
    /// (Newton with line search); false if Newton fails.
    /// @p max_iterations overrides `Solver/Newton max iterations` if > 0;
    /// @p equilibrium_carriers holds the quasi-Fermi potentials fixed (a
    /// nonlinear Poisson solve, the robust first stage of the initial state).
    bool
    advance(const double               t_new,
            const TimeDiscretization &time,
            SolveStatistics          &stats,
            const unsigned            max_iterations       = 0,
            const bool                equilibrium_carriers = false);

    /**
     * advance() with the contacts' series resistors (Contacts/Series
     * resistance): the voltages V_k the device sees at its resistive
     * contacts are the roots of g_k = V_k + R_k I_k(V_k) - V_app,k(t_new),
     * with I_k the device's current through contact k that @p currents
     * computes from the solved state's terminal residuals (conduction, plus
     * displacement in a transient). Each g_k rises with V_k (a passive
     * device), so a secant iteration per contact, safeguarded by the bracket
     * of signs it has seen, converges; each evaluation is a Newton solve
     * from the last one's state. Why not one Newton with V_k as unknowns: a
     * global unknown coupled to every contact dof is a dense row and column
     * that deal.II's sparsity and constraints do not hold; the outer
     * iteration costs 2-4 Newton solves per step. Without resistors this
     * is advance(). False if a Newton solve fails or the iteration does
     * not converge in 40 solves.
     */
    bool
    advance_through_resistors(const double                                                     t_new,
                              const TimeDiscretization                                        &time,
                              SolveStatistics                                                 &stats,
                              const std::function<std::vector<double>(const TerminalResiduals &)> &currents,
                              const unsigned max_iterations = 0);

    /// Whether a contact has a series resistor (Contacts/Series resistance).
    bool
    series_resistors() const
    {
      return std::any_of(prm.series_resistance.begin(), prm.series_resistance.end(), [](const double R) {
        return R > 0;
      });
    }

    /// The Gibbs energy of the present state [J/m^2 in 1D, J/m in 2D, J in
    /// 3D]: int_FE f_L(P) + (g/2)|grad P|^2 + int P . grad phi - (eps0 eps/2)|grad phi|^2,
    /// whose variation with respect to P is the TDGL driving force at fixed
    /// contact potentials, so that TDGL at constant bias never increases it.
    double
    free_energy() const;

    /**
     * The state at t = 0 (P held at its initial value): with carriers, first
     * the nonlinear Poisson problem with the carriers in equilibrium with
     * their contacts (convex, robust from the neutral guess), then the full
     * problem from there. Throws SolverError if Newton fails.
     */
    void
    solve_initial_state(SolveStatistics &stats);

    /// Solve the steady problem for the contact voltages at time @p t [s].
    SolveStatistics
    solve_at(const double t);

    /// Charge on each contact [C/m^2 in 1D, C/m in 2D, C in 3D], from the
    /// residual of the assembled system at the present solution.
    std::vector<double>
    contact_charges();

    /**
     * Charge on and conduction current through each contact, from the
     * residual without the contacts' own boundary terms, summed over the
     * contact's degrees of freedom (the consistent flux of the weak form,
     * exact for Kirchhoff's law: the currents of all contacts sum to the
     * change of the stored charge).
     */
    TerminalResiduals
    terminal_residuals();

    /// Average P [C/m^2] of the ferroelectric layer @p layer: (x, z).
    std::array<double, 2>
    average_polarization(const unsigned layer) const;

    /// P [C/m^2] at @p p in a cell of material @p m, given the scaled
    /// solution values there (frozen: the initial function; dynamic: the field).
    dealii::Tensor<1, dim>
    polarization_at(const dealii::Point<dim>     &p,
                    const Material               &m,
                    const dealii::Vector<double> &values) const;

    /// What multiplies terminals.csv's currents and charges to give the
    /// measured device's [A], [C]: its area [m^2] in 1D (Stack/Device
    /// area), its depth [m] in 2D (Stack/Device depth); 0 if not set.
    double
    device_size() const
    {
      return dim == 1 ? prm.device_area * 1e-12 : dim == 2 ? prm.device_depth * 1e-6 : 0.;
    }

    /// The quenched-disorder number g (unit variance) at @p p of layer
    /// @p layer; 0 in an ideal layer.
    double
    disorder_at(const dealii::Point<dim> &p, const unsigned layer) const
    {
      const auto &layers = ferroelectric_module.layers;
      return layer < layers.size() ? layers[layer].disorder_at(p) : 0.;
    }

    /// The PointState of a point with these component values and gradients
    /// (a sample of the solution), for the modules' point functions.
    PointState<dim>
    point_state(const unsigned                             layer,
                const dealii::Vector<double>              &values,
                const std::vector<dealii::Tensor<1, dim>> &gradients) const;

    /// Electron and hole densities [m^-3] in layer @p layer, given the
    /// scaled solution values there (zero where no carriers live).
    std::array<double, 2>
    carrier_densities(const unsigned layer, const dealii::Vector<double> &values) const;

    /// The conduction current density J_n + J_p [A/m^2] in layer @p layer,
    /// given the scaled solution values and gradients there.
    dealii::Tensor<1, dim>
    conduction_current_density(const unsigned                             layer,
                               const dealii::Vector<double>              &values,
                               const std::vector<dealii::Tensor<1, dim>> &gradients) const;

    /// The conduction current density [A/m^2] of the present solution at
    /// @p p [nm] (evaluated on the owning rank and broadcast).
    dealii::Tensor<1, dim>
    current_density_at_point(const dealii::Point<dim> &p) const;

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

    /// P [C/m^2] of the present solution at @p p [nm] (dynamic polarization).
    dealii::Tensor<1, dim>
    polarization_at_point(const dealii::Point<dim> &p) const;

    /**
     * Check the hand-derived Jacobian against central finite differences of
     * the residual in a fixed pseudo-random direction d at the present state,
     * with a BDF2-like time term (or, with @p held, the rows of the initial
     * solve, TimeDiscretization::Mode::hold): returns
     * |(R(u+hd) - R(u-hd))/(2h) - J d| / |J d|. A development and test tool.
     */
    double
    jacobian_check(bool held = false);

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
    const dealii::hp::QCollection<dim> &
    quadrature() const
    {
      return q_collection;
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

    std::unique_ptr<StackMesh<dim>>          stack;
    /// The material of each layer (the mesh knows the layers, not their materials).
    std::vector<const Material *>            layer_materials;
    dealii::hp::FECollection<dim>            fe_collection;
    dealii::hp::QCollection<dim>             q_collection;
    dealii::hp::QCollection<dim - 1>         face_q_collection;
    /// The nodal (Gauss-Lobatto) quadrature of the lumped terms
    /// (PhysicsModule::lumped_terms, Discretization/Mass lumping).
    dealii::hp::QCollection<dim>             lumped_q_collection;
    dealii::DoFHandler<dim>                  dof_handler;
    /// The fields (potential; polarization with TDGL; electrons and holes
    /// with carriers), their components and their dofs.
    FieldRegistry<dim>                 fields;
    dealii::FEValuesExtractors::Scalar potential_field;
    dealii::FEValuesExtractors::Vector polarization_field;
    dealii::FEValuesExtractors::Scalar electron_field, hole_field;
    /// The Newton criterion (NewtonConvergence) and each field's number of
    /// unknowns (its absolute floor scales with it).
    std::unique_ptr<NewtonConvergence> newton_criterion;
    /// The physics modules (DESIGN.md): each owns its fields' equations;
    /// `modules` lists the ones this deck uses, in field order.
    ElectrostaticsModule<dim>             electrostatics_module;
    FerroelectricModule<dim>              ferroelectric_module;
    CarrierModule<dim>                    carrier_module;
    TrapModule<dim>                       trap_module;
    bool                                  trap_layers = false; ///< any layer with traps
    ContactModule<dim>                    contact_module;
    /// One module per mobile-ion species (each its own field), and the
    /// Landau coupling of each to P.
    std::vector<std::unique_ptr<IonModule<dim>>>         ion_modules;
    std::vector<std::unique_ptr<IonLandauCoupling<dim>>> ion_couplings;
    std::vector<const PhysicsModule<dim> *> modules;
    /// Per layer: whether P (TDGL), carriers and mobile ions are unknowns there.
    std::vector<bool> layer_has_polarization, layer_has_carriers, layer_has_ions, layer_has_traps;
    /// The element of fe_collection that each layer's cells use.
    std::vector<unsigned> layer_fe_index;
    std::vector<double>                field_counts;
    /// Carrier statistics per layer (Physics/Carriers).
    std::vector<SemiconductorModel> layer_semiconductor;
    /// The work function [eV] of the metal whose Fermi level is phi = 0.
    double reference_work_function = 0;
    /// Per contact: the layer it touches, whether carriers see it as a
    /// thermionic (Schottky) interface, and its applied voltage (scaled).
    std::vector<int>    contact_layer;
    std::vector<bool>   thermionic_contact;
    std::vector<double> contact_voltage;
    /// Per contact with a series resistor: the voltage [V] the device sees
    /// (advance_through_resistors), the device current [A] of the last
    /// accepted state, and the last secant slope dg/dV of its circuit
    /// equation (0: none yet).
    std::vector<double> inner_voltage, resistor_current, resistor_slope;
    /// Per contact: the conductance eps_m / lambda [1/nm, scaled] of a
    /// metal with a finite screening length (0: ideal metal, phi fixed),
    /// and the potential phi_c of its bulk (scaled) at the present time.
    std::vector<double> contact_screening;
    std::vector<double> contact_phi;
    /// Per contact: q / (4 pi eps0 L V_T) (scaled) where the barriers of a
    /// thermionic contact see image-force lowering (Contacts/Image force
    /// lowering), else 0; divided by the layer's permittivity at the face.
    std::vector<double> contact_image_force;
    /// The locally owned quasi-Fermi dofs (time-step error norm).
    dealii::IndexSet carrier_dofs;
    /// Locally owned dofs of the trap occupancy's logit (TrapModule).
    dealii::IndexSet trap_dofs;
    /// Per contact, the quasi-Fermi dofs on it (conduction currents).
    std::vector<dealii::IndexSet> contact_carrier_dofs;
    /// Per ion species, per contact, the species' dofs on it.
    std::vector<std::vector<dealii::IndexSet>> contact_ion_dofs;
    /// A locally owned ion dof, the potential dof of its node, its layer
    /// and species.
    struct IonNode
    {
      dealii::types::global_dof_index eta, phi;
      unsigned                        layer;
      unsigned                        species;
      /// The P dofs of the node (the Landau coupling); a component without
      /// a dof there (no P field, or FE_Nothing in the layer) is
      /// numbers::invalid_dof_index.
      std::array<dealii::types::global_dof_index, 3> P{{dealii::numbers::invalid_dof_index,
                                                         dealii::numbers::invalid_dof_index,
                                                         dealii::numbers::invalid_dof_index}};
    };
    std::vector<IonNode> ion_nodes;
    /// Per ion species, its number in scaled units (the sum that its rows
    /// conserve), at the uniform start (setup): the scale of ions_conserved.
    std::vector<double> ion_number_scaled;
    /// The accepted states the BDF formula of the carrier densities needs.
    std::array<dealii::PETScWrappers::MPI::Vector, 2> history_states;
    /// Scaled Landau energies per layer (dynamic polarization).
    std::vector<LandauEnergy> layer_landau;
    /// The locally owned P dofs (for the time-step error norm).
    dealii::IndexSet polarization_dofs;
    dealii::IndexSet locally_owned_dofs, locally_relevant_dofs;

    /// Hanging-node and periodicity constraints only (for contact charges).
    dealii::AffineConstraints<double> free_constraints;
    /// The above plus homogeneous Dirichlet values on contacts (Newton updates).
    dealii::AffineConstraints<double> update_constraints;
    /// The above plus every quasi-Fermi dof (carriers held in equilibrium).
    dealii::AffineConstraints<double> equilibrium_constraints;

    dealii::PETScWrappers::MPI::SparseMatrix jacobian;
    dealii::PETScWrappers::MPI::Vector       solution, locally_relevant_solution;
    dealii::PETScWrappers::MPI::Vector       residual, newton_update;
    /// The sizes of the terms of each residual row (NewtonConvergence).
    dealii::PETScWrappers::MPI::Vector residual_reference;
    /// The state a line search starts from.
    dealii::PETScWrappers::MPI::Vector line_search_start;
    /// BDF history sum_k a_k P^(n-k) (k >= 1), ghosted; see TimeDiscretization.
    dealii::PETScWrappers::MPI::Vector                            time_history;
    TimeDiscretization                                            time_discretization;
    std::unique_ptr<dealii::PETScWrappers::PreconditionBoomerAMG> preconditioner;
    bool                                                          jacobian_is_current = false;
    /// The FE values of the assembly, built at its first call.
    std::unique_ptr<dealii::hp::FEValues<dim>>     assembly_values;
    std::unique_ptr<dealii::hp::FEFaceValues<dim>> assembly_face_values;
    std::unique_ptr<dealii::hp::FEValues<dim>>     assembly_lumped_values;
    /// MUMPS with its analysis kept between Newton iterations.
    std::unique_ptr<DirectSolver> direct_solver;
    double                                                        setup_seconds       = 0;

    InitialPolarization<dim>      initial_polarization;
    ManufacturedSolution<dim>     manufactured;
    std::vector<double>           contact_work_function_offset; ///< [V]
    std::vector<dealii::IndexSet> contact_dofs;

    /// Assemble R(u) with @p constraints into @p r and, if asked, the
    /// Jacobian; without the contacts' boundary fluxes if @p terminal.
    /// With @p reference, also the magnitudes of every term of each row.
    void
    assemble(const dealii::AffineConstraints<double> &constraints,
             dealii::PETScWrappers::MPI::Vector      &r,
             const bool                               with_jacobian,
             const bool                               terminal  = false,
             dealii::PETScWrappers::MPI::Vector      *reference = nullptr);

    /// Per-field norms of @p v (field_norms over this rank's unknowns).
    FieldNorms
    norms_of(const dealii::PETScWrappers::MPI::Vector &v) const;

    /// Per-field norms of the present residual.
    FieldNorms
    residual_norms() const;

    /// Whether the residual with per-field norms @p norms (and the present
    /// reference) satisfies the Newton criterion.
    bool
    newton_converged(const FieldNorms &norms) const;

    /// The line search's merit function of the present residual.
    double
    newton_merit() const;

    /// The per-field residual and reference norms, for messages.
    std::string
    newton_report(const FieldNorms &norms) const;

    /// Whether @p cell carries P unknowns / quasi-Fermi unknowns.
    bool
    has_polarization(const typename dealii::DoFHandler<dim>::active_cell_iterator &cell) const;
    bool
    has_carriers(const typename dealii::DoFHandler<dim>::active_cell_iterator &cell) const;
    bool
    has_ions(const typename dealii::DoFHandler<dim>::active_cell_iterator &cell) const;

    /// The components contact @p k fixes: phi, and phi_n, phi_p at ohmic
    /// contacts on semiconductors.
    dealii::ComponentMask
    dirichlet_mask(const unsigned k) const;

    /// The quasi-Fermi components.
    dealii::ComponentMask
    carrier_mask() const;

    /// Logarithmic damping of the potential updates (carriers).
    void
    damp_potential_update(dealii::PETScWrappers::MPI::Vector &du) const;

    /// Set the contact potentials for time @p t into the solution.
    void
    apply_contact_potentials(const double t);

    /// The potential [V] that contact @p k imposes at time @p t.
    double
    contact_potential(const unsigned k, const double t) const;

    /// The voltage [V] at the device side of contact @p k at time @p t:
    /// its bias, or behind a series resistor the present inner voltage.
    double
    device_voltage(const unsigned k, const double t) const;

    void
    compute_contact_offsets();

    /// The work function [eV] a metal of work function @p W presents on
    /// contact @p k: W, or with Fermi-level pinning of the semiconductor it
    /// touches, chi + S (W - chi) + (1 - S) phi_0.
    double
    pinned_work_function(const unsigned k, const double W) const;

    /// Give each module its per-layer data (after the mesh and the
    /// carrier models exist).
    void
    configure_modules();

    /// Layer @p l's quenched disorder into its TDGL data @p f.
    void
    configure_disorder(const unsigned l, typename FerroelectricModule<dim>::LayerData &f) const;

    /// Build the FE collection and set each cell's active FE index.
    void
    setup_finite_elements();

    /**
     * The boundary condition of P on face @p f of @p cell if that face bounds
     * a ferroelectric layer (an outer boundary or an interface with another
     * layer, not a periodic one), else nullptr. The face is named by the
     * layer and its side ("fe.top") for `Polarization boundary at`.
     */
    const Parameters::PolarizationBoundary *
    polarization_boundary(const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
                          const unsigned                                                f) const;

    /// The boundary condition of P on side @p side (FaceInfo::side()) of
    /// layer @p layer: its `Polarization boundary at` entry, else the default.
    const Parameters::PolarizationBoundary &
    polarization_boundary(const unsigned layer, const unsigned side) const;

    /// Call @p f(fe_values, q, values) at every quadrature point of the
    /// locally owned cells of layer @p layer, with the solution's values
    /// there (the layer integrals of terminals.csv); at the nodes when
    /// @p nodal (the quadrature of the lumped terms, for the integral of a
    /// density whose storage is lumped).
    void
    for_each_point_of_layer(
      const unsigned layer,
      const std::function<void(const dealii::FEValues<dim> &, const unsigned, const dealii::Vector<double> &)> &f,
      const bool nodal = false) const;

    /// The time-step error of the ion densities for a state difference
    /// @p difference (predicted - new state): the rms of delta c / (c + c0)
    /// over the ionic layers, at the new state.
    double
    ion_density_error(const dealii::PETScWrappers::MPI::Vector &difference) const;

    /// The largest density change delta c / (c + c0) that the update @p du
    /// of state @p u makes at a node of ion species @p ion_species (its
    /// Newton update test).
    /// Whether the ion rows of the present residual conserve each species'
    /// number within 1e-13 per step, or (@p at_round_off) to the round-off
    /// of the rows' sum.
    bool
    ions_conserved(const bool at_round_off = false) const;

    double
    ion_density_update(const dealii::PETScWrappers::MPI::Vector &u,
                       const dealii::PETScWrappers::MPI::Vector &du,
                       const unsigned                            ion_species) const;

    /// The modules with terms on @p face (without the contact fluxes if
    /// @p without_contact_fluxes: the terminal residual), into @p active.
    void
    face_modules_on(const FaceInfo                          &face,
                    const bool                               without_contact_fluxes,
                    std::vector<const PhysicsModule<dim> *> &active) const;

    /// Where face @p f of @p cell lies (FaceInfo), if it bounds the mesh (not
    /// periodically) or a layer; else none (the modules have no terms there).
    std::optional<FaceInfo>
    face_info(const typename dealii::DoFHandler<dim>::active_cell_iterator &cell, const unsigned f) const;


    /// Set the locally owned dofs of the cells @p cells selects to @p value
    /// (cell, support point [nm], component), where it has one; then make
    /// constrained partners consistent.
    void
    set_at_support_points(
      const std::function<bool(const typename dealii::DoFHandler<dim>::active_cell_iterator &)> &cells,
      const std::function<std::optional<double>(const typename dealii::DoFHandler<dim>::active_cell_iterator &,
                                                const dealii::Point<dim> &,
                                                unsigned)>                                     &value);

    /// The modules' initial values (PhysicsModule::initial_value) into the
    /// solution.
    void
    interpolate_initial_values();

    /// Solve the Jacobian system J du = -r (r is overwritten); returns
    /// the linear iterations (1 for the direct solver).
    unsigned
    solve_linear(dealii::PETScWrappers::MPI::Vector &r, dealii::PETScWrappers::MPI::Vector &du);

    /// One row of terminals.csv: V, I, Q of each contact, then P averages.
    std::vector<double>
    terminal_row(const double               t,
                 const std::vector<double> &charges,
                 const std::vector<double> &currents) const;

    /// GMRES + field-split (phi | P | carriers) BoomerAMG for the coupled Jacobian.
    unsigned
    solve_field_split(dealii::PETScWrappers::MPI::Vector &r, dealii::PETScWrappers::MPI::Vector &du);

    /// The time loop of TDGL: adaptive BDF2 with error control.
    void
    run_transient(TerminalsWriter &terminals, OutputWriter<dim> &fields);

    /// Whether time is followed as a sequence of steady states (Time/Mode).
    bool
    quasi_static() const;

    /// Whether every bias at @p t lies on the line through its values at
    /// @p t1 and @p t0 (then the quasi-static predictor extrapolates the
    /// states; otherwise it starts from the last one).
    bool
    biases_extrapolate(const double t1, const double t0, const double t) const;

    /**
     * The steady state at bias time @p t, continued from the last accepted
     * steady states @p states at @p times (newest first; updated): a linear
     * predictor along the ramp, Newton, and bisection of the interval
     * where Newton fails (continuation with step control).
     */
    SolveStatistics
    continue_steady_state(std::vector<dealii::PETScWrappers::MPI::Vector> &states,
                          std::vector<double>                             &times,
                          const double                                     t);

    /// The quasi-static loop of electrostatics: one solve per time.
    void
    run_quasi_static(TerminalsWriter &terminals, OutputWriter<dim> &fields);

    /// @name Checkpoint/restart (simulator_checkpoint.cc)
    /// @{
    /// The checkpoint a restarted run continues from (null: start at t = 0)
    /// and its solution vectors, newest first (locally owned layout).
    std::unique_ptr<TimeStepperState>               restart_state;
    std::vector<dealii::PETScWrappers::MPI::Vector> restart_vectors;
    /// The directory a restart reads terminals.csv and the field files from.
    std::string restart_directory;
    /// Where this run writes checkpoints (DIR/checkpoint) and the number
    /// the next one gets.
    std::string   checkpoint_directory;
    std::uint64_t checkpoint_sequence = 0;
    /// When the last checkpoint was written (or the run started), and the
    /// accepted steps since (`Output/Checkpoint every [steps]`).
    std::chrono::steady_clock::time_point last_checkpoint_time;
    unsigned                              steps_since_checkpoint = 0;

    /// Read the newest complete checkpoint of @p directory into
    /// restart_state and restart_vectors and set the solution to its newest
    /// state; checks that it fits this deck (mesh, fields, terminals.csv
    /// columns @p header). Collective; throws DeckError on every rank.
    void
    load_checkpoint(const std::string &directory, const std::string &header);

    /// Whether a checkpoint is due after an accepted step (wall clock or
    /// step count; rank 0 decides, so that all ranks agree). Collective.
    bool
    checkpoint_due();

    /// Write @p state (its output counters completed from @p terminals and
    /// @p fields) and the solution vectors @p states (newest first) as the
    /// next checkpoint, atomically. Collective.
    void
    write_checkpoint(TimeStepperState                                       state,
                     const std::vector<dealii::PETScWrappers::MPI::Vector> &states,
                     const TerminalsWriter                                 &terminals,
                     const OutputWriter<dim>                               &fields);
    /// @}
  };
} // namespace FerroStack

#endif
