#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_nothing.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/hp/fe_values.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/numerics/vector_tools.h>

#include <base/deck_error.h>
#include <base/text_utilities.h>
#include <postprocess/output_writer.h>
#include <postprocess/terminals_writer.h>
#include <solvers/direct_solver.h>
#include <solvers/parameter_subsets.h>
#include <solvers/simulator.h>
#include <solvers/solution_fields.h>
#include <solvers/time_grid.h>

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace FerroStack
{
  using namespace dealii;

  template <int dim>
  Simulator<dim>::Simulator(const Parameters &prm, const MPI_Comm comm, RunLog &log)
      : prm(prm)
      , comm(comm)
      , log(log)
      , scale(prm.temperature)
      , initial_polarization(initial_polarization_parameters(prm))
  {
    // The modules this deck uses declare their fields, in the order of the
    // FESystem's components.
    modules.push_back(&electrostatics_module);
    if (dynamic_polarization())
      modules.push_back(&ferroelectric_module);
    if (carriers())
      modules.push_back(&carrier_module);
    // One ion module per species (the most any ionic layer has).
    if (ions())
      {
        unsigned n_species = 0;
        for (const Layer &layer : prm.layers)
          {
            const Material &m = prm.materials.get(layer.material);
            if (m.get("Ion density").value_or(0.) > 0)
              n_species = std::max(n_species, m.ion_species_count());
          }
        for (unsigned k = 0; k < n_species; ++k)
          {
            ion_modules.push_back(std::make_unique<IonModule<dim>>());
            ion_modules.back()->field = IonModule<dim>::field_name(k);
            ion_couplings.push_back(std::make_unique<IonLandauCoupling<dim>>());
          }
        for (const auto &module : ion_modules)
          modules.push_back(module.get());
      }
    // Charge traps (TrapModule) in the semiconductor layers whose material
    // has a Trap density or an Interface trap density. Every layer's traps are sampled by the same
    // number of levels (the components of "traps"): the most any trap
    // material asks for.
    if (carriers())
      for (const Layer &layer : prm.layers)
        {
          const Material &m = prm.materials.get(layer.material);
          if (m.is_semiconducting() && has_traps(m))
            {
              trap_layers          = true;
              trap_module.n_levels =
                std::max(trap_module.n_levels, trap_level_count(m.trap_distribution, m.get("Trap levels")));
            }
        }
    if (traps())
      modules.push_back(&trap_module);
    // The Landau coupling of ions and P (active only on the layers whose
    // material asks for it: Ion polarization coupling = landau).
    if (ions() && dynamic_polarization())
      for (const auto &coupling : ion_couplings)
        modules.push_back(coupling.get());
    modules.push_back(&contact_module); // face terms only, no field of its own
    for (const PhysicsModule<dim> *module : modules)
      module->declare_fields(fields);
    potential_field = fields.scalar("potential");
    if (dynamic_polarization())
      polarization_field = fields.vector("polarization");
    if (carriers())
      {
        electron_field = fields.scalar("electrons");
        hole_field     = fields.scalar("holes");
      }
    electrostatics_module.phi = ferroelectric_module.phi = carrier_module.phi = contact_module.phi =
      fields.component("potential");
    if (dynamic_polarization())
      ferroelectric_module.P0 = fields.component("polarization");
    if (carriers())
      {
        carrier_module.n = contact_module.n = trap_module.n = fields.component("electrons");
        carrier_module.p = contact_module.p = trap_module.p = fields.component("holes");
        trap_module.phi                                   = fields.component("potential");
      }
    if (traps())
      trap_module.u = fields.component("traps");
    for (unsigned k = 0; k < n_ion_species(); ++k)
      {
        IonModule<dim>         &ions_k     = *ion_modules[k];
        IonLandauCoupling<dim> &coupling_k = *ion_couplings[k];
        ions_k.phi = coupling_k.phi = fields.component("potential");
        ions_k.eta = coupling_k.eta = fields.component(ions_k.field);
        if (dynamic_polarization())
          {
            ions_k.P0 = coupling_k.P0 = fields.component("polarization");
            ions_k.n_P                = dim;
          }
      }
    std::vector<std::string> names;
    for (unsigned f = 0; f < fields.n_fields(); ++f)
      names.push_back(fields.field(f).name);
    newton_criterion = std::make_unique<NewtonConvergence>(names, prm.newton_tolerance, 1e-30);
    // The ion number is the sum of the ion rows: 1e-14 of their size (45
    // machine epsilons) keeps it to 2e-11 over a 1e4-step pulse train
    // (tests/decks/ions_pulse_train_1d.prm; 1e-13 drifts by 1.5e-10, the
    // lagged Newton approaching from one side every step).
    for (const auto &module : ion_modules)
      newton_criterion->tighten(fields.index(module->field), 1e-14);
  }

  template <int dim>
  bool
  Simulator<dim>::has_polarization(const typename DoFHandler<dim>::active_cell_iterator &cell) const
  {
    return layer_has_polarization[cell->material_id()];
  }

  template <int dim>
  bool
  Simulator<dim>::has_carriers(const typename DoFHandler<dim>::active_cell_iterator &cell) const
  {
    return layer_has_carriers[cell->material_id()];
  }

  template <int dim>
  bool
  Simulator<dim>::has_ions(const typename DoFHandler<dim>::active_cell_iterator &cell) const
  {
    return layer_has_ions[cell->material_id()];
  }

  template <int dim>
  Simulator<dim>::~Simulator()
  {
    dof_handler.clear();
  }

  template <int dim>
  void
  Simulator<dim>::set_manufactured_solution(const ManufacturedSolution<dim> &mms)
  {
    manufactured = mms;
  }

  template <int dim>
  void
  Simulator<dim>::setup()
  {
    Timer timer;
    stack           = std::make_unique<StackMesh<dim>>(stack_description(prm), comm);
    layer_materials = FerroStack::layer_materials(prm);
    dof_handler.reinit(stack->triangulation());
    setup_finite_elements();
    dof_handler.distribute_dofs(fe_collection);
    locally_owned_dofs = dof_handler.locally_owned_dofs();
    fields.distribute(dof_handler);
    field_counts.clear();
    for (unsigned f = 0; f < fields.n_fields(); ++f)
      field_counts.push_back(double(fields.owned_dofs(f).n_elements()));
    MPI_Allreduce(MPI_IN_PLACE, field_counts.data(), field_counts.size(), MPI_DOUBLE, MPI_SUM, comm);
    DoFTools::extract_locally_relevant_dofs(dof_handler, locally_relevant_dofs);

    // Constraints shared by the residual used for the contact charges and
    // by the Newton updates: hanging nodes and periodic lateral boundaries.
    free_constraints.clear();
    free_constraints.reinit(locally_relevant_dofs);
    DoFTools::make_hanging_node_constraints(dof_handler, free_constraints);
    if (stack->periodic())
      for (unsigned d = 0; d + 1 < dim; ++d)
        {
          // Only pairs this rank can see: with FE_Nothing (hp), an artificial
          // cell has no active FE index, and deal.II 9.4 would read its dofs.
          std::vector<GridTools::PeriodicFacePair<typename DoFHandler<dim>::cell_iterator>> pairs, visible;
          GridTools::collect_periodic_faces(dof_handler, 2 * d, 2 * d + 1, d, pairs);
          const auto seen = [](const typename DoFHandler<dim>::cell_iterator &cell) {
            return !cell->is_active() || !cell->is_artificial();
          };
          for (const auto &pair : pairs)
            if (seen(pair.cell[0]) && seen(pair.cell[1]))
              visible.push_back(pair);
          DoFTools::make_periodicity_constraints<dim, dim, double>(visible, free_constraints);
        }
    // P = 0 on ferroelectric faces with `zero` boundary conditions.
    if (dynamic_polarization())
      {
        std::vector<types::global_dof_index> face_dofs;
        for (const auto &cell : dof_handler.active_cell_iterators())
          if ((cell->is_locally_owned() || cell->is_ghost()) && has_polarization(cell))
            for (const unsigned f : cell->face_indices())
              {
                const auto *bc = polarization_boundary(cell, f);
                if (bc == nullptr || bc->kind != Parameters::PolarizationBoundary::Kind::zero)
                  continue;
                const FiniteElement<dim> &fe = cell->get_fe();
                face_dofs.resize(fe.n_dofs_per_face(f));
                cell->face(f)->get_dof_indices(face_dofs, cell->active_fe_index());
                for (unsigned i = 0; i < face_dofs.size(); ++i)
                  if (fe.face_system_to_component_index(i, f).first > 0 &&
                      fe.face_system_to_component_index(i, f).first <= dim &&
                      !free_constraints.is_constrained(face_dofs[i]))
                    free_constraints.add_line(face_dofs[i]);
              }
      }
    free_constraints.close();

    compute_contact_offsets();
    configure_modules();
    update_constraints.clear();
    update_constraints.reinit(locally_relevant_dofs);
    update_constraints.merge(free_constraints);
    contact_dofs.clear();
    contact_carrier_dofs.clear();
    contact_ion_dofs.assign(n_ion_species(), {});
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      {
        const types::boundary_id id = StackMesh<dim>::contact_boundary_id(k);
        VectorTools::interpolate_boundary_values(dof_handler,
                                                 id,
                                                 Functions::ZeroFunction<dim>(fe_collection.n_components()),
                                                 update_constraints,
                                                 dirichlet_mask(k));
        contact_dofs.push_back(
          DoFTools::extract_boundary_dofs(dof_handler, fe_collection.component_mask(potential_field), {id}));
        contact_carrier_dofs.push_back(carriers() ? DoFTools::extract_boundary_dofs(dof_handler,
                                                                                    carrier_mask(),
                                                                                    {id}) :
                                                    IndexSet(dof_handler.n_dofs()));
        for (unsigned s = 0; s < n_ion_species(); ++s)
          contact_ion_dofs[s].push_back(DoFTools::extract_boundary_dofs(
            dof_handler, fe_collection.component_mask(fields.scalar(ion_modules[s]->field)), {id}));
      }
    update_constraints.close();
    if (prm.contacts.empty())
      throw DeckError(prm.deck_file + ": Contacts/List: the potential needs at least one contact");

    equilibrium_constraints.clear();
    equilibrium_constraints.reinit(locally_relevant_dofs);
    equilibrium_constraints.merge(update_constraints);
    // Every locally relevant quasi-Fermi dof (DoFTools::extract_dofs only
    // knows the locally owned ones; the ghosts must be constrained alike).
    if (carriers())
      {
        std::vector<types::global_dof_index> indices;
        for (const auto &cell : dof_handler.active_cell_iterators())
          if ((cell->is_locally_owned() || cell->is_ghost()) && has_carriers(cell))
            {
              const FiniteElement<dim> &fe = cell->get_fe();
              indices.resize(fe.n_dofs_per_cell());
              cell->get_dof_indices(indices);
              for (unsigned i = 0; i < fe.n_dofs_per_cell(); ++i)
                if ((fe.system_to_component_index(i).first == fields.component("electrons") ||
                     fe.system_to_component_index(i).first == fields.component("holes")) &&
                    !equilibrium_constraints.is_constrained(indices[i]))
                  equilibrium_constraints.add_line(indices[i]);
            }
      }
    equilibrium_constraints.close();

    DynamicSparsityPattern dsp(locally_relevant_dofs);
    DoFTools::make_sparsity_pattern(dof_handler, dsp, update_constraints, false);
    SparsityTools::distribute_sparsity_pattern(dsp, locally_owned_dofs, comm, locally_relevant_dofs);
    jacobian.reinit(locally_owned_dofs, locally_owned_dofs, dsp, comm);
    jacobian_is_current = false;

    polarization_dofs = IndexSet(dof_handler.n_dofs());
    if (dynamic_polarization())
      polarization_dofs =
        DoFTools::extract_dofs(dof_handler, fe_collection.component_mask(polarization_field)) &
        locally_owned_dofs;
    carrier_dofs = IndexSet(dof_handler.n_dofs());
    if (carriers())
      carrier_dofs = DoFTools::extract_dofs(dof_handler, carrier_mask()) & locally_owned_dofs;
    trap_dofs = IndexSet(dof_handler.n_dofs());
    if (traps())
      trap_dofs = DoFTools::extract_dofs(dof_handler, fields.mask({"traps"})) &
                  locally_owned_dofs;

    solution.reinit(locally_owned_dofs, comm);
    time_history.reinit(locally_owned_dofs, locally_relevant_dofs, comm);
    residual.reinit(locally_owned_dofs, comm);
    residual_reference.reinit(locally_owned_dofs, comm);
    newton_update.reinit(locally_owned_dofs, comm);
    locally_relevant_solution.reinit(locally_owned_dofs, locally_relevant_dofs, comm);
    for (auto &state : history_states)
      state.reinit(locally_owned_dofs, locally_relevant_dofs, comm);

    // The ion nodes: each locally owned ion dof with the potential dof of
    // the same support point (the same base-element index in the FESystem)
    // and its layer, for the ions' Newton update test, which reads both
    // from unghosted vectors: a pair whose potential dof another rank owns
    // would be left out (deal.II gives all dofs of a vertex one owner).
    ion_nodes.clear();
    for (unsigned species = 0; species < n_ion_species(); ++species)
      {
        const IonModule<dim>                &module = *ion_modules[species];
        std::set<types::global_dof_index>    seen;
        std::vector<types::global_dof_index> indices;
        const unsigned phi_c = fields.component("potential"), eta_c = fields.component(module.field);
        for (const auto &cell : dof_handler.active_cell_iterators())
          if (cell->is_locally_owned() && module.active_on(cell->material_id()))
            {
              const FiniteElement<dim> &fe = cell->get_fe();
              indices.resize(fe.n_dofs_per_cell());
              cell->get_dof_indices(indices);
              std::map<unsigned, types::global_dof_index>                  phi_at;
              std::map<unsigned, std::array<types::global_dof_index, 3>> P_at;
              const std::array<types::global_dof_index, 3> no_P = IonNode().P;
              for (unsigned i = 0; i < fe.n_dofs_per_cell(); ++i)
                {
                  const unsigned c = fe.system_to_component_index(i).first;
                  if (c == phi_c)
                    phi_at[fe.system_to_base_index(i).second] = indices[i];
                  else if (module.n_P > 0 && c >= module.P0 && c < module.P0 + module.n_P)
                    P_at.try_emplace(fe.system_to_base_index(i).second, no_P).first->second[c - module.P0] =
                      indices[i];
                }
              for (unsigned i = 0; i < fe.n_dofs_per_cell(); ++i)
                if (fe.system_to_component_index(i).first == eta_c && locally_owned_dofs.is_element(indices[i]) &&
                    locally_owned_dofs.is_element(phi_at.at(fe.system_to_base_index(i).second)) &&
                    seen.insert(indices[i]).second)
                  {
                    IonNode node{indices[i], phi_at.at(fe.system_to_base_index(i).second), cell->material_id(), species};
                    // The node's P dofs where P lives (the same owner as
                    // its other dofs: one vertex, one owner).
                    if (const auto P = P_at.find(fe.system_to_base_index(i).second); P != P_at.end())
                      node.P = P->second;
                    ion_nodes.push_back(node);
                  }
            }
      }

    interpolate_initial_values();
    // A manufactured problem with carriers starts from the interpolant of
    // its exact solution: it verifies the discretization, not the damping.
    if (carriers() && manufactured.exact)
      {
        set_at_support_points([](const auto &) { return true; },
                              [&](const auto &, const Point<dim> &x, const unsigned c) -> std::optional<double> {
                                return manufactured.exact->value(x, c);
                              });
      }
    // The species' numbers that Newton's conservation test measures
    // against (ions_conserved), from the uniform start: they set the scale
    // of the test only, so a restart, which loads its state later, gets the
    // same test as the uninterrupted run.
    ion_number_scaled.assign(n_ion_species(), 0.);
    for (unsigned k = 0; k < n_ion_species(); ++k)
      for (unsigned l = 0; l < stack->n_layers(); ++l)
        if (layer_has_ion_species(l, k))
          ion_number_scaled[k] +=
            ion_number(l, k) / (std::pow(1e-9, int(dim)) * std::pow(1e-2, 3 - int(dim))) / scale.density;
    setup_seconds = timer.wall_time();
  }

  template <int dim>
  void
  Simulator<dim>::setup_finite_elements()
  {
    // Which fields live on which layers (the modules' regions): the
    // potential everywhere; P along the ferroelectric's axes (x, z or both;
    // the in-plane y axis of 3D is never polarized) where it is dynamic; the
    // quasi-Fermi potentials in semiconductors; the ions' electrochemical
    // potential where the material has mobile ions. Each distinct set of
    // fields is one element of the collection, FE_Q for the components that
    // live there and FE_Nothing for the rest.
    const unsigned n_layers = stack->n_layers();
    layer_has_polarization.assign(n_layers, false);
    layer_has_carriers.assign(n_layers, false);
    layer_has_ions.assign(n_layers, false);
    layer_has_traps.assign(n_layers, false);
    for (unsigned l = 0; l < n_layers; ++l)
      {
        const Material &m         = layer_material(l);
        layer_has_polarization[l] = dynamic_polarization() && m.is_ferroelectric() && !m.polarization_axes.empty();
        layer_has_carriers[l]     = carriers() && m.is_semiconducting();
        layer_has_ions[l]         = ions() && m.get("Ion density").value_or(0.) > 0;
        layer_has_traps[l]        = traps() && layer_has_carriers[l] && has_traps(m);
      }

    // Whether component c lives on layer l, by the name of its field.
    const auto lives_on = [&](const unsigned l, const unsigned c) {
      const FieldDescription &field = fields.field(fields.field_of_component(c));
      if (field.name == "polarization")
        {
          const std::string &axes = layer_material(l).polarization_axes;
          const unsigned     d    = c - field.first_component;
          return layer_has_polarization[l] && ((d == dim - 1 && axes.find('z') != std::string::npos) ||
                                               (d == 0 && dim > 1 && axes.find('x') != std::string::npos));
        }
      if (field.name == "electrons" || field.name == "holes")
        return bool(layer_has_carriers[l]);
      if (field.name == "traps")
        return bool(layer_has_traps[l]);
      for (unsigned k = 0; k < n_ion_species(); ++k)
        if (field.name == ion_modules[k]->field)
          return layer_has_ions[l] && layer_material(l).ion_species_count() > k;
      return true; // the potential
    };
    std::vector<std::vector<bool>> masks;
    layer_fe_index.assign(n_layers, 0);
    for (unsigned l = 0; l < n_layers; ++l)
      {
        std::vector<bool> lives(fields.n_components());
        for (unsigned c = 0; c < lives.size(); ++c)
          lives[c] = lives_on(l, c);
        const auto known  = std::find(masks.begin(), masks.end(), lives);
        layer_fe_index[l] = known - masks.begin();
        if (known == masks.end())
          masks.push_back(lives);
      }

    const FE_Q<dim>       q(prm.degree);
    const FE_Nothing<dim> nothing;
    fe_collection     = hp::FECollection<dim>();
    q_collection      = hp::QCollection<dim>();
    face_q_collection = hp::QCollection<dim - 1>();
    lumped_q_collection = hp::QCollection<dim>();
    for (const std::vector<bool> &lives : masks)
      {
        std::vector<const FiniteElement<dim> *> elements;
        for (const bool here : lives)
          elements.push_back(here ? static_cast<const FiniteElement<dim> *>(&q) : &nothing);
        fe_collection.push_back(FESystem<dim>(elements, std::vector<unsigned>(elements.size(), 1)));
        q_collection.push_back(QGauss<dim>(prm.degree + 1));
        face_q_collection.push_back(QGauss<dim - 1>(prm.degree + 1));
        // FE_Q's support points are the Gauss-Lobatto points: this rule's
        // weights are the lumped (diagonal) mass.
        lumped_q_collection.push_back(QGaussLobatto<dim>(prm.degree + 1));
      }

    layer_landau.clear();
    for (unsigned l = 0; l < n_layers; ++l)
      {
        const Material &m = layer_material(l);
        layer_landau.push_back(
          m.is_ferroelectric() && dynamic_polarization() ?
            LandauEnergy::of(m, prm.temperature).scaled(Constants::eps0, scale.polarization) :
            LandauEnergy());
      }
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        cell->set_active_fe_index(layer_fe_index[cell->material_id()]);
  }

  template <int dim>
  std::optional<FaceInfo>
  Simulator<dim>::face_info(const typename DoFHandler<dim>::active_cell_iterator &cell, const unsigned f) const
  {
    FaceInfo info;
    info.layer = cell->material_id();
    if (cell->at_boundary(f))
      {
        if (cell->has_periodic_neighbor(f))
          return std::nullopt;
        info.boundary = cell->face(f)->boundary_id();
      }
    else if (cell->neighbor(f)->material_id() == cell->material_id())
      return std::nullopt;
    else
      info.neighbor_layer = cell->neighbor(f)->material_id();
    // The side: the direction in which the face lies from the cell centre.
    const Tensor<1, dim> offset = cell->face(f)->center() - cell->center();
    for (unsigned d = 1; d < dim; ++d)
      if (std::abs(offset[d]) > std::abs(offset[info.axis]))
        info.axis = d;
    info.positive = offset[info.axis] > 0;
    return info;
  }

  template <int dim>
  const Parameters::PolarizationBoundary &
  Simulator<dim>::polarization_boundary(const unsigned layer, const unsigned side) const
  {
    const unsigned    axis     = side / 2;
    const bool        positive = side % 2 == 1;
    const std::string name     = axis == dim - 1 ? (positive ? "top" : "bottom") :
                                 axis == 0       ? (positive ? "right" : "left") :
                                                   (positive ? "back" : "front");
    const auto entry = prm.polarization_boundary_at.find(stack->layer(layer).name + "." + name);
    return entry != prm.polarization_boundary_at.end() ? entry->second : prm.polarization_boundary;
  }

  template <int dim>
  const Parameters::PolarizationBoundary *
  Simulator<dim>::polarization_boundary(const typename DoFHandler<dim>::active_cell_iterator &cell,
                                        const unsigned                                        f) const
  {
    const std::optional<FaceInfo> info = face_info(cell, f);
    return info ? &polarization_boundary(info->layer, info->side()) : nullptr;
  }

  template <int dim>
  void
  Simulator<dim>::set_at_support_points(
    const std::function<bool(const typename DoFHandler<dim>::active_cell_iterator &)> &cells,
    const std::function<std::optional<double>(const typename DoFHandler<dim>::active_cell_iterator &,
                                              const Point<dim> &,
                                              unsigned)>                             &value)
  {
    // Every element is FE_Q (or FE_Nothing), so a dof's value is the field
    // at its support point. Ghost cells too: a locally owned dof may sit
    // only on cells another rank owns (VectorTools::interpolate with
    // FE_Nothing and a distributed vector misses those).
    MappingQ1<dim>                       mapping;
    std::vector<types::global_dof_index> indices;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if ((cell->is_locally_owned() || cell->is_ghost()) && cells(cell))
        {
          const FiniteElement<dim> &fe = cell->get_fe();
          indices.resize(fe.n_dofs_per_cell());
          cell->get_dof_indices(indices);
          for (unsigned i = 0; i < fe.n_dofs_per_cell(); ++i)
            {
              if (!locally_owned_dofs.is_element(indices[i]))
                continue;
              const auto       base = fe.system_to_base_index(i);
              const Point<dim> x    = mapping.transform_unit_to_real_cell(
                cell, fe.base_element(base.first.first).unit_support_point(base.second));
              if (const auto v = value(cell, x, fe.system_to_component_index(i).first))
                solution(indices[i]) = *v;
            }
        }
    solution.compress(VectorOperation::insert);
    // Periodic and hanging-node partners must carry their master's value.
    free_constraints.distribute(solution);
    locally_relevant_solution = solution;
  }

  template <int dim>
  void
  Simulator<dim>::interpolate_initial_values()
  {
    // Each module sets the components it knows at the support points of
    // the cells where it is active (P from the deck's initial state, the
    // neutral potential in semiconductors); the rest start at zero.
    set_at_support_points([](const auto &) { return true; },
                          [&](const auto &cell, const Point<dim> &x, const unsigned c) -> std::optional<double> {
                            std::optional<double> value;
                            for (const PhysicsModule<dim> *module : modules)
                              if (module->active_on(cell->material_id()))
                                if (const auto v = module->initial_value(x, cell->material_id(), c))
                                  value = v;
                            return value;
                          });
  }

  /**
   * The quenched disorder of layer @p l's material (Parameters checked its
   * keys), tabulated over the layer's bounding box (its cells' vertices
   * over all ranks: the geometry's box, whatever the mesh or partition),
   * with the spread in the TDGL module's scaled units.
   */
  template <int dim>
  void
  Simulator<dim>::configure_disorder(const unsigned l, typename FerroelectricModule<dim>::LayerData &f) const
  {
    const Material &m = layer_material(l);
    if (m.disorder == "none")
      return;
    const auto kind = QuenchedDisorder<dim>::kind_of(m.disorder);
    Point<dim> lower, upper;
    for (unsigned d = 0; d < dim; ++d)
      {
        lower[d] = std::numeric_limits<double>::max();
        upper[d] = -std::numeric_limits<double>::max();
      }
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() == l)
        for (const unsigned v : cell->vertex_indices())
          for (unsigned d = 0; d < dim; ++d)
            {
              lower[d] = std::min(lower[d], cell->vertex(v)[d]);
              upper[d] = std::max(upper[d], cell->vertex(v)[d]);
            }
    for (unsigned d = 0; d < dim; ++d)
      {
        lower[d] = Utilities::MPI::min(lower[d], comm);
        upper[d] = Utilities::MPI::max(upper[d], comm);
      }
    const double length = *m.get("Disorder length"); // [nm], the scaled length
    const BoundingBox<dim> box(std::make_pair(lower, upper));
    if (kind != QuenchedDisorder<dim>::Kind::grains &&
        QuenchedDisorder<dim>::lattice_size(length, box) > max_disorder_lattice_nodes)
      throw DeckError(prm.deck_file + ": Materials/" + m.name + "/Disorder length: " + format_number(length) +
                      " nm needs a lattice of more than 2e7 nodes over layer '" + stack->layer(l).name +
                      "' (spacing length / 4): give a longer length");
    const double spread = *m.get("Disorder spread");
    // Nucleation sites at interfaces: the disorder within `Disorder depth`
    // of the layer's bottom and top faces only.
    f.interface_depth = m.get("Disorder depth").value_or(0.);
    f.bottom          = lower[dim - 1];
    f.top             = upper[dim - 1];
    f.disorder = std::make_shared<const QuenchedDisorder<dim>>(
      kind, length, std::uint64_t(m.get("Disorder seed").value_or(1.)), box, comm);
    if (kind == QuenchedDisorder<dim>::Kind::random_field)
      {
        // MV/cm -> V/m -> scaled (V_T / L); along z, or x in an in-plane
        // ferroelectric.
        f.field_spread    = spread * 1e8 * scale.length / scale.potential;
        f.polar_component = f.landau.has_z || dim == 1 ? dim - 1 : 0;
      }
    else
      f.alpha_spread = spread;
  }

  template <int dim>
  void
  Simulator<dim>::configure_modules()
  {
    const unsigned n_layers = stack->n_layers();
    // Doping charge [C/m^3] and P [C/m^2], scaled.
    const double doping_factor = Constants::q * 1e6 / scale.charge_density;
    electrostatics_module.layers.assign(n_layers, {});
    ferroelectric_module.layers.assign(n_layers, {});
    for (unsigned l = 0; l < n_layers; ++l)
      {
        const Material &m     = layer_material(l);
        const Layer    &layer = stack->layer(l);
        auto           &e     = electrostatics_module.layers[l];
        for (unsigned d = 0; d < dim; ++d)
          e.permittivity[d] = m.permittivity[d == dim - 1 ? 2 : d];
        e.fixed_charge = doping_factor * (layer.donors - layer.acceptors);
        // TDGL where P is a field (setup_finite_elements gave the layer P
        // components), else a frozen function (zero outside ferroelectrics).
        const bool tdgl = dynamic_polarization() && layer_has_polarization[l];
        e.frozen_polarization = !tdgl;
        if (tdgl)
          {
            auto &f   = ferroelectric_module.layers[l];
            f.active  = true;
            f.landau  = layer_landau[l];
            f.mass    = Constants::eps0 / m.require("Kinetic coefficient", "TDGL");
            f.gradient =
              m.require("Gradient coefficient", "TDGL") * Constants::eps0 / (scale.length * scale.length);
            for (unsigned side = 0; side < 2 * dim; ++side)
              {
                const Parameters::PolarizationBoundary &bc = polarization_boundary(l, side);
                f.extrapolation[side] =
                  bc.kind == Parameters::PolarizationBoundary::Kind::extrapolation ? bc.length : 0.;
              }
            configure_disorder(l, f);
          }
      }
    const double P_factor = 1. / scale.polarization;
    electrostatics_module.frozen_polarization = [this, P_factor](const Point<dim> &x, const unsigned l) {
      return P_factor * initial_polarization.value(x, layer_material(l));
    };
    ferroelectric_module.initial_polarization = electrostatics_module.frozen_polarization;
    if (manufactured.permittivity)
      electrostatics_module.manufactured_permittivity = [this](const Point<dim> &x) {
        return manufactured.permittivity->value(x);
      };
    if (manufactured.source)
      electrostatics_module.manufactured_source = [this](const Point<dim> &x) { return manufactured.source->value(x); };

    // Contacts: their face terms, from compute_contact_offsets' data.
    contact_module.contacts.assign(prm.contacts.size(), {});
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      {
        auto &c       = contact_module.contacts[k];
        c.boundary    = StackMesh<dim>::contact_boundary_id(k);
        c.screening   = contact_screening[k];
        c.thermionic  = carriers() && thermionic_contact[k];
        c.image_force = contact_image_force[k];
      }
    contact_module.layers = layer_semiconductor;
    contact_module.has_carriers.assign(n_layers, false);
    contact_module.permittivity.assign(n_layers, Tensor<1, dim>());
    for (unsigned l = 0; l < n_layers; ++l)
      {
        contact_module.has_carriers[l] = carriers() && layer_has_carriers[l];
        contact_module.permittivity[l] = electrostatics_module.layers[l].permittivity;
      }

    // Traps: densities per scaled density, capture coefficients [cm^3/s]
    // per scaled density and time unit, n1 = n_i exp(E_t/kT) and p1 = n_i
    // exp(-E_t/kT) with E_t from midgap (as the SRH level).
    trap_module.layers.assign(n_layers, {});
    trap_module.time_scale = scale.time;
    for (unsigned l = 0; l < n_layers; ++l)
      if (layer_has_traps[l])
        {
          const Material &m     = layer_material(l);
          auto           &trap  = trap_module.layers[l];
          const double    c_unit = 1e-6 * scale.density * scale.time;
          trap.active           = true;
          trap.carriers         = layer_semiconductor[l];
          trap.capture_n        = m.require("Trap capture electrons", "charge traps") * c_unit;
          trap.capture_p        = m.require("Trap capture holes", "charge traps") * c_unit;
          // The density of states sampled by the stack's number of levels;
          // interface traps per area in scaled density x Scaling::length.
          const double density = m.get("Trap density").value_or(0.) * 1e6 / scale.density;
          const double sheet   = m.get("Interface trap density").value_or(0.) * 1e4 / (scale.density * scale.length);
          const double ln_ni   = 0.5 * (trap.carriers.ln_Cn + trap.carriers.ln_Cp);
          trap.levels.clear();
          for (const TrapLevel &level : trap_levels(m.trap_distribution,
                                                    m.get("Trap level").value_or(0.),
                                                    m.get("Trap width").value_or(0.),
                                                    trap_module.n_levels))
            {
              const double E = level.energy / scale.potential;
              trap.levels.push_back(
                {density * level.weight, sheet * level.weight, level.weight, std::exp(ln_ni + E), std::exp(ln_ni - E)});
            }
          trap.interface_bottom = sheet > 0 && m.interface_trap_faces != "top";
          trap.interface_top    = sheet > 0 && m.interface_trap_faces != "bottom";
          trap.acceptor         = m.trap_kind != "donor";
          trap.initial_occupancy = m.get("Trap initial occupancy").value_or(-1.);
        }

    carrier_module.layers     = layer_semiconductor;
    carrier_module.time_scale = scale.time;
    carrier_module.density_unit = scale.density;
    carrier_module.current_unit = Constants::q * scale.density * scale.mobility * scale.potential / scale.length;
    carrier_module.active.assign(n_layers, false);
    carrier_module.net_doping.assign(n_layers, 0.);
    for (unsigned l = 0; l < n_layers; ++l)
      {
        carrier_module.active[l] = carriers() && layer_has_carriers[l];
        const Layer &layer       = stack->layer(l);
        carrier_module.net_doping[l] = (layer.donors - layer.acceptors) * 1e6 / scale.density;
      }
    // Mobile ions: species k of each ionic layer that has k or more, in
    // module k (Material::ion_species); they start uniform at the potential
    // the other modules start from (the neutral potential in a
    // semiconductor, 0 elsewhere).
    for (unsigned species = 0; species < n_ion_species(); ++species)
      {
        IonModule<dim> &module = *ion_modules[species];
        module.layers.assign(n_layers, IonSpecies());
        module.initial_potential.assign(n_layers, 0.);
        module.time_scale   = scale.time;
        module.density_unit = scale.density;
        for (unsigned l = 0; l < n_layers; ++l)
          if (layer_has_ions[l] && layer_material(l).ion_species_count() > species)
            {
              // (A Landau coupling here has P as a TDGL field: parameters.cc
              // refuses it elsewhere.)
              module.layers[l] = IonSpecies::of(layer_material(l).ion_species(species), scale);
              if (carrier_module.active[l])
                module.initial_potential[l] = layer_semiconductor[l].neutral_potential(carrier_module.net_doping[l]);
            }
        ion_couplings[species]->layers = module.layers;
        // Active electrodes: a metal(NAME) contact whose metal has an `Ion
        // exchange rate` > 0 for this species (one value for all species of
        // the layer it touches, or one per species), on a layer where the
        // species lives; the rest block it.
        module.exchange.assign(prm.contacts.size(), {});
        for (unsigned k = 0; k < prm.contacts.size(); ++k)
          {
            const Contact &c = prm.contacts[k];
            if (c.kind != Contact::Kind::metal || contact_layer[k] < 0 || !module.layers[contact_layer[k]].active)
              continue;
            const Material &metal_all = prm.materials.get(c.metal);
            const unsigned  n_layer   = layer_material(contact_layer[k]).ion_species_count();
            for (const char *key : {"Ion exchange rate", "Ion exchange density", "Ion transfer coefficient"})
              if (const std::size_t n = metal_all.entries(key).size(); n > 1 && n != n_layer)
                throw DeckError(prm.deck_file + ": Materials/" +
                                c.metal + "/" + key + ": metal '" + c.metal + "' of contact '" + c.name + "' has " +
                                std::to_string(n) + " entries, but the layer '" + stack->layer(contact_layer[k]).name +
                                "' it touches has " + std::to_string(n_layer) +
                                " mobile-ion species: expected one value for all or one per species");
            const Material metal = metal_all.ion_species(species);
            const double   k0    = metal.get("Ion exchange rate").value_or(0.); // cm/s
            if (k0 <= 0)
              continue;
            const IonSpecies &s    = module.layers[contact_layer[k]];
            const double      c_eq = metal.require("Ion exchange density", "an active electrode") * 1e6 / scale.density;
            auto             &e    = module.exchange[k];
            e.active               = true;
            e.boundary             = StackMesh<dim>::contact_boundary_id(k);
            e.rate                 = k0 * 1e-2 * scale.time / scale.length;
            e.density              = c_eq;
            e.alpha                = metal.get("Ion transfer coefficient").value_or(0.5);
            if (!(c_eq < s.max_density))
              throw DeckError(prm.deck_file + ": Contacts/List: the active electrode '" + c.name + "' (metal " +
                              c.metal + ") has an Ion exchange density of " +
                              format_number(c_eq * scale.density * 1e-6) + " cm^-3, at or above the Ion max density " +
                              format_number(s.max_density * scale.density * 1e-6) + " cm^-3 of the layer '" +
                              stack->layer(contact_layer[k]).name + "' it touches");
            e.offset = std::log(c_eq / (s.max_density - c_eq));
          }
      }
    // (A manufactured problem has one species.)
    if (manufactured.ion_source && n_ion_species() > 0)
      ion_modules[0]->manufactured_source = [this](const Point<dim> &x) { return manufactured.ion_source->value(x); };
    if (manufactured.carrier_source)
      carrier_module.manufactured_generation = [this](const Point<dim> &x, const unsigned c) {
        return manufactured.carrier_source->value(x, c);
      };
  }

  template <int dim>
  void
  Simulator<dim>::compute_contact_offsets()
  {
    // The layer each contact touches (the highest material id among the
    // cells on it; contacts lie on one layer in every deck we know).
    contact_layer.assign(prm.contacts.size(), -1);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned f : cell->face_indices())
          if (cell->face(f)->at_boundary())
            for (unsigned k = 0; k < prm.contacts.size(); ++k)
              if (cell->face(f)->boundary_id() == StackMesh<dim>::contact_boundary_id(k))
                contact_layer[k] = std::max<int>(contact_layer[k], cell->material_id());
    for (int &l : contact_layer)
      l = Utilities::MPI::max(l, comm);

    // The potential is measured from the vacuum level of the first contact
    // with a work function at 0 V, so that phi = V at contacts of that metal:
    // phi_contact = V - (W - W_ref) / q. A Schottky contact's work function
    // is the barrier on the electron affinity of the layer it touches.
    std::vector<double> work_function(prm.contacts.size(), 0);
    bool                have_reference = false;
    reference_work_function            = 0;
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      {
        const Contact &c = prm.contacts[k];
        if (c.kind == Contact::Kind::metal || c.kind == Contact::Kind::gate)
          work_function[k] = pinned_work_function(k, c.workfunction);
        else if (c.kind == Contact::Kind::schottky)
          work_function[k] =
            layer_material(contact_layer[k]).require("Electron affinity", "the Schottky contact '" + c.name + "'") +
            c.barrier;
        if (!have_reference && c.kind != Contact::Kind::ohmic)
          {
            reference_work_function = work_function[k];
            have_reference          = true;
          }
      }
    // Only ohmic contacts: the zero of phi is midgap of the first
    // semiconductor (any reference gives the same physics).
    if (!have_reference && carriers())
      for (unsigned l = 0; l < stack->n_layers() && !have_reference; ++l)
        if (layer_material(l).is_semiconducting())
          {
            const Material &m       = layer_material(l);
            reference_work_function = m.require("Electron affinity", "drift-diffusion") +
                                      0.5 * m.require("Band gap", "drift-diffusion");
            have_reference          = true;
          }

    layer_semiconductor.assign(stack->n_layers(), SemiconductorModel());
    if (carriers())
      for (unsigned l = 0; l < stack->n_layers(); ++l)
        if (layer_material(l).is_semiconducting())
          layer_semiconductor[l] = SemiconductorModel::of(layer_material(l), scale, reference_work_function);

    // Ohmic contacts on a semiconductor hold charge neutrality and
    // equilibrium: phi_n = phi_p = V and phi = V + the neutral potential.
    contact_work_function_offset.assign(prm.contacts.size(), 0);
    thermionic_contact.assign(prm.contacts.size(), false);
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      {
        const bool on_semiconductor = contact_layer[k] >= 0 && layer_semiconductor[contact_layer[k]].active;
        if (prm.contacts[k].kind != Contact::Kind::ohmic)
          {
            contact_work_function_offset[k] = work_function[k] - reference_work_function;
            thermionic_contact[k]           = on_semiconductor;
          }
        else if (on_semiconductor)
          {
            const Layer &layer = stack->layer(contact_layer[k]);
            const double N     = (layer.donors - layer.acceptors) * 1e6 / scale.density;
            contact_work_function_offset[k] =
              -layer_semiconductor[contact_layer[k]].neutral_potential(N) * scale.potential;
          }
      }
    contact_voltage.assign(prm.contacts.size(), 0);
    // Behind a series resistor the device starts at the bias of t = 0 (no
    // current yet); the initial solve corrects it.
    inner_voltage.assign(prm.contacts.size(), 0);
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      inner_voltage[k] = prm.bias.at(prm.contacts[k].name).value(0);
    resistor_current.assign(prm.contacts.size(), 0);
    resistor_slope.assign(prm.contacts.size(), 0);
    contact_phi.assign(prm.contacts.size(), 0);
    // Metals with a Thomas-Fermi screening length: the potential drop
    // sigma lambda / (eps0 eps_m) inside the metal (Robin condition).
    contact_screening.assign(prm.contacts.size(), 0);
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      if (prm.metal_screening && prm.contacts[k].kind == Contact::Kind::metal)
        {
          const Material &metal  = prm.materials.get(prm.contacts[k].metal);
          const double    length = metal.get("Screening length").value_or(0.);
          if (length > 0)
            contact_screening[k] = metal.permittivity[2] / length; // lengths in nm
        }
    // Image-force lowering: Delta = sqrt(q F / (4 pi eps0 eps_s)), scaled by
    // V_T with F in V_T / L: Delta^2 = F q / (4 pi eps0 eps_s L V_T), and
    // q / (eps0 L V_T) = 1 / (density L^3) in Scaling's units.
    contact_image_force.assign(prm.contacts.size(), 0);
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      if (prm.image_force_lowering && thermionic_contact[k])
        contact_image_force[k] = 1. / (4 * numbers::PI * scale.density * std::pow(scale.length, 3));
  }

  /**
   * The work function that a metal of work function @p W on contact @p k
   * presents to the layer it touches. On a semiconductor with a `Pinning
   * factor` S < 1, interface states between the metal and the
   * semiconductor take up part of the work-function difference as a
   * dipole, and the electron barrier becomes
   *   phi_B = S (W - chi) + (1 - S) phi_0
   * (Cowley and Sze, J. Appl. Phys. 36, 3212 (1965); S = 1 the
   * Schottky-Mott rule, S = 0 Bardeen's limit of full pinning at phi_0,
   * the `Pinned barrier`): the contact then acts as one of work function
   * chi + phi_B, for its potential and its thermionic emission alike.
   */
  template <int dim>
  double
  Simulator<dim>::pinned_work_function(const unsigned k, const double W) const
  {
    if (contact_layer[k] < 0)
      return W;
    const Material &m = layer_material(contact_layer[k]);
    const auto      S = m.get("Pinning factor");
    if (!m.is_semiconducting() || !S || *S == 1)
      return W;
    const double chi = m.require("Electron affinity", "the pinned contact '" + prm.contacts[k].name + "'");
    const double phi_0 = m.require("Pinned barrier", "the pinned contact '" + prm.contacts[k].name + "'");
    return chi + *S * (W - chi) + (1 - *S) * phi_0;
  }

  template <int dim>
  ComponentMask
  Simulator<dim>::carrier_mask() const
  {
    std::vector<bool> mask(fe_collection.n_components(), false);
    if (carriers())
      mask[carrier_component()] = mask[carrier_component() + 1] = true;
    return ComponentMask(mask);
  }

  template <int dim>
  ComponentMask
  Simulator<dim>::dirichlet_mask(const unsigned k) const
  {
    std::vector<bool> mask(fe_collection.n_components(), false);
    mask[0] = contact_screening[k] == 0;
    if (carriers() && prm.contacts[k].kind == Contact::Kind::ohmic)
      mask[carrier_component()] = mask[carrier_component() + 1] = true;
    // A manufactured problem imposes its ions' exact value too: with
    // blocking contacts its steady state exists only if the quadrature of
    // its source sums to zero exactly, which an O(h^2) rule does not.
    if (ions() && manufactured.exact)
      for (const auto &module : ion_modules)
        mask[fields.component(module->field)] = true;
    return ComponentMask(mask);
  }

  template <int dim>
  double
  Simulator<dim>::contact_potential(const unsigned k, const double t) const
  {
    return device_voltage(k, t) - contact_work_function_offset[k];
  }

  template <int dim>
  double
  Simulator<dim>::device_voltage(const unsigned k, const double t) const
  {
    if (k < prm.series_resistance.size() && prm.series_resistance[k] > 0)
      return inner_voltage[k];
    return prm.bias.at(prm.contacts[k].name).value(t);
  }

  template <int dim>
  void
  Simulator<dim>::apply_contact_potentials(const double t)
  {
    AffineConstraints<double> values;
    values.reinit(locally_relevant_dofs);
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      {
        const types::boundary_id id       = StackMesh<dim>::contact_boundary_id(k);
        contact_voltage[k]                = device_voltage(k, t) / scale.potential;
        if (manufactured.exact)
          VectorTools::interpolate_boundary_values(dof_handler, id, *manufactured.exact, values, dirichlet_mask(k));
        else
          {
            // phi = V - offset; at ohmic contacts also phi_n = phi_p = V.
            Vector<double> value(fe_collection.n_components());
            value    = contact_voltage[k];
            value[0] = contact_potential(k, t) / scale.potential;
            contact_phi[k] = value[0];
            contact_module.contacts[k].phi_c   = contact_phi[k];
            for (const auto &module : ion_modules)
              module->exchange[k].phi_metal = contact_phi[k];
            contact_module.contacts[k].voltage = contact_voltage[k];
            VectorTools::interpolate_boundary_values(dof_handler,
                                                     id,
                                                     Functions::ConstantFunction<dim>(value),
                                                     values,
                                                     dirichlet_mask(k));
          }
      }
    values.close();
    values.distribute(solution);
  }

  template <int dim>
  std::vector<double>
  Simulator<dim>::contact_charges()
  {
    return terminal_residuals().charges;
  }

  template <int dim>
  TerminalResiduals
  Simulator<dim>::terminal_residuals()
  {
    assemble(free_constraints, residual, false, true);
    // R_phi = eps0 V_T L^(dim-2) * R_hat: C/m^2 (1D), C/m (2D), C (3D); the
    // continuity residuals are particle fluxes, q R_hat in units of that
    // charge per Scaling::time. The conduction current into the device
    // through contact k is q (R_n + R_p) summed over its dofs (the residuals
    // are -J_n.nu / q and -J_p.nu / q there).
    const double      factor = Constants::eps0 * scale.potential * std::pow(scale.length, int(dim) - 2);
    const auto        sum_over = [&](const IndexSet &dofs) {
      double sum = 0;
      for (const auto i : dofs)
        if (locally_owned_dofs.is_element(i) && !free_constraints.is_constrained(i))
          sum += residual[i];
      return Utilities::MPI::sum(sum, comm);
    };
    TerminalResiduals result;
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      {
        result.charges.push_back(factor * sum_over(contact_dofs[k]));
        double conduction = carriers() ? factor / scale.time * sum_over(contact_carrier_dofs[k]) : 0.;
        // The ionic current of an active electrode: q z times the ion
        // rows' sum over its dofs (the influx of ions), like the holes'.
        // (At the initial state the ion rows hold c = c0 and carry no flux.)
        for (unsigned s = 0; s < n_ion_species(); ++s)
          if (ion_modules[s]->exchange[k].active && time_discretization.mode == TimeDiscretization::Mode::bdf)
            conduction += factor / scale.time * ion_modules[s]->layers[contact_layer[k]].charge *
                          sum_over(contact_ion_dofs[s][k]);
        result.conduction.push_back(conduction);
      }
    return result;
  }

  template <int dim>
  Tensor<1, dim>
  Simulator<dim>::polarization_at(const Point<dim> &p, const Material &m, const Vector<double> &values) const
  {
    if (!dynamic_polarization())
      return initial_polarization.value(p, m);
    Tensor<1, dim> P;
    const unsigned P0 = fields.component("polarization");
    for (unsigned d = 0; d < dim; ++d)
      P[d] = values[P0 + d] * scale.polarization;
    return P;
  }

  template <int dim>
  void
  Simulator<dim>::for_each_point_of_layer(
    const unsigned                                                                            layer,
    const std::function<void(const FEValues<dim> &, const unsigned, const Vector<double> &)> &f,
    const bool                                                                                nodal) const
  {
    hp::FEValues<dim>           hp_values(fe_collection,
                                nodal ? lumped_q_collection : q_collection,
                                update_values | update_quadrature_points | update_JxW_values);
    std::vector<Vector<double>> values;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() == layer)
        {
          hp_values.reinit(cell);
          const FEValues<dim> &fe_values = hp_values.get_present_fe_values();
          values.resize(fe_values.n_quadrature_points, Vector<double>(fe_collection.n_components()));
          fe_values.get_function_values(locally_relevant_solution, values);
          for (const unsigned q : fe_values.quadrature_point_indices())
            f(fe_values, q, values[q]);
        }
  }

  template <int dim>
  std::array<double, 2>
  Simulator<dim>::average_polarization(const unsigned layer) const
  {
    std::array<double, 3> sums = {{0, 0, 0}};
    const Material       &m    = layer_material(layer);
    for_each_point_of_layer(layer, [&](const FEValues<dim> &fe_values, const unsigned q, const Vector<double> &u) {
      const Tensor<1, dim> P = polarization_at(fe_values.quadrature_point(q), m, u);
      if (dim > 1)
        sums[0] += P[0] * fe_values.JxW(q);
      sums[1] += P[dim - 1] * fe_values.JxW(q);
      sums[2] += fe_values.JxW(q);
    });
    for (double &s : sums)
      s = Utilities::MPI::sum(s, comm);
    return {{sums[0] / sums[2], sums[1] / sums[2]}};
  }

  template <int dim>
  double
  Simulator<dim>::ion_density(const unsigned layer, const Vector<double> &values, const unsigned species) const
  {
    return layer_has_ion_species(layer, species) ? ion_modules[species]->density(point_state(layer, values, {})) :
                                                   0.;
  }

  template <int dim>
  double
  Simulator<dim>::layer_number(const unsigned                                        layer,
                               const std::function<double(const Vector<double> &)> &density) const
  {
    double sum = 0;
    for_each_point_of_layer(layer, [&](const FEValues<dim> &fe_values, const unsigned q, const Vector<double> &u) {
      sum += density(u) * fe_values.JxW(q);
    }, prm.mass_lumping);
    // Lengths are in nm: [m^-3 nm^dim] -> cm^-2 (1D), cm^-1 (2D), 1 (3D).
    return Utilities::MPI::sum(sum, comm) * std::pow(1e-9, int(dim)) * std::pow(1e-2, 3 - int(dim));
  }

  template <int dim>
  double
  Simulator<dim>::trapped_number(const unsigned layer) const
  {
    const double bulk = layer_number(layer, [&](const Vector<double> &u) {
      return trap_module.trapped(layer, u) * scale.density;
    });
    // The interface traps: the face integral of N_it f over the layer's
    // trap faces (with the face quadrature of the assembly).
    hp::FEFaceValues<dim> hp_face_values(fe_collection,
                                         face_q_collection,
                                         update_values | update_JxW_values);
    std::vector<Vector<double>> values;
    double                      sheet = 0;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() == layer)
        for (const unsigned f : cell->face_indices())
          {
            const std::optional<FaceInfo> face = face_info(cell, f);
            if (!face || !trap_module.active_on_face(*face))
              continue;
            hp_face_values.reinit(cell, f);
            const FEFaceValues<dim> &face_values = hp_face_values.get_present_fe_values();
            values.resize(face_values.n_quadrature_points, Vector<double>(fe_collection.n_components()));
            face_values.get_function_values(locally_relevant_solution, values);
            for (const unsigned q : face_values.quadrature_point_indices())
              sheet += trap_module.trapped_at_interface(layer, values[q]) * face_values.JxW(q);
          }
    // [m^-3 nm x nm^(dim-1)] -> cm^-2 (1D), cm^-1 (2D), 1 (3D), as layer_number.
    sheet = Utilities::MPI::sum(sheet, comm) * scale.density * std::pow(1e-9, int(dim)) * std::pow(1e-2, 3 - int(dim));
    return bulk + sheet;
  }

  template <int dim>
  double
  Simulator<dim>::ion_number(const unsigned layer, const unsigned species) const
  {
    return layer_number(layer, [&](const Vector<double> &u) { return ion_density(layer, u, species); });
  }

  template <int dim>
  double
  Simulator<dim>::ion_density_update(const PETScWrappers::MPI::Vector &u,
                                     const PETScWrappers::MPI::Vector &du,
                                     const unsigned                    ion_species) const
  {
    // delta c / (c + c0) at each node of the species, with phi of the same
    // node (ion_nodes; IonSpecies::relative_density_change).
    double largest = 0;
    for (const IonNode &node : ion_nodes)
      if (node.species == ion_species)
      {
        const IonSpecies &species = ion_modules[node.species]->layers[node.layer];
        // |P|^2 and its linearized change (the Landau coupling's shift).
        double P2 = 0, d_P2 = 0;
        if (species.landau != 0)
          for (const types::global_dof_index P : node.P)
            if (P != numbers::invalid_dof_index)
              {
                P2 += u[P] * u[P];
                d_P2 += 2 * u[P] * du[P];
              }
        largest = std::max(largest,
                           std::abs(species.relative_density_change(
                             u[node.phi], u[node.eta], du[node.phi], du[node.eta], P2, d_P2)));
      }
    return Utilities::MPI::max(largest, comm);
  }

  template <int dim>
  double
  Simulator<dim>::ion_density_error(const PETScWrappers::MPI::Vector &difference) const
  {
    // The rms over the ionic layers and species of delta c / (c + c0)
    // (IonSpecies::relative_density_change): a region at 1e-12 c0 has no
    // error worth a step, whatever its eta does.
    PETScWrappers::MPI::Vector d(locally_owned_dofs, locally_relevant_dofs, comm);
    d = difference;
    hp::FEValues<dim>           hp_values(fe_collection, q_collection, update_values | update_JxW_values);
    double                      sum = 0, volume = 0;
    std::vector<Vector<double>> u, du;
    const unsigned              phi = fields.component("potential");
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned() && has_ions(cell))
        {
          hp_values.reinit(cell);
          const FEValues<dim> &fe_values = hp_values.get_present_fe_values();
          u.resize(fe_values.n_quadrature_points, Vector<double>(fe_collection.n_components()));
          du.resize(fe_values.n_quadrature_points, Vector<double>(fe_collection.n_components()));
          fe_values.get_function_values(locally_relevant_solution, u);
          fe_values.get_function_values(d, du);
          for (const auto &module : ion_modules)
            {
              if (!module->active_on(cell->material_id()))
                continue;
              const IonSpecies &species = module->layers[cell->material_id()];
              const unsigned    eta     = module->eta;
              for (const unsigned q : fe_values.quadrature_point_indices())
                {
                  double d_P2 = 0;
                  if (species.landau != 0)
                    for (unsigned a = 0; a < module->n_P; ++a)
                      d_P2 += 2 * u[q][module->P0 + a] * du[q][module->P0 + a];
                  sum += std::pow(species.relative_density_change(u[q][phi],
                                                                  u[q][eta],
                                                                  du[q][phi],
                                                                  du[q][eta],
                                                                  species.polarization_squared(u[q], module->P0, module->n_P),
                                                                  d_P2),
                                  2) *
                         fe_values.JxW(q);
                  volume += fe_values.JxW(q);
                }
            }
        }
    sum    = Utilities::MPI::sum(sum, comm);
    volume = Utilities::MPI::sum(volume, comm);
    return volume > 0 ? std::sqrt(sum / volume) : 0.;
  }

  template <int dim>
  std::array<double, 2>
  Simulator<dim>::manufactured_errors() const
  {
    Vector<float>              cellwise(stack->triangulation().n_active_cells());
    const hp::QCollection<dim> quadrature(QGauss<dim>(prm.degree + 2));
    VectorTools::integrate_difference(dof_handler,
                                      locally_relevant_solution,
                                      *manufactured.exact,
                                      cellwise,
                                      quadrature,
                                      VectorTools::L2_norm);
    const double l2 =
      VectorTools::compute_global_error(stack->triangulation(), cellwise, VectorTools::L2_norm);
    VectorTools::integrate_difference(dof_handler,
                                      locally_relevant_solution,
                                      *manufactured.exact,
                                      cellwise,
                                      quadrature,
                                      VectorTools::H1_seminorm);
    const double h1 =
      VectorTools::compute_global_error(stack->triangulation(), cellwise, VectorTools::H1_seminorm);
    return {{l2, h1}};
  }

  namespace
  {
    /// All solution components at a point (and their gradients, if asked
    /// for) and the material there, from the rank that owns the point.
    template <int dim>
    struct PointSample
    {
      Vector<double>              values;
      std::vector<Tensor<1, dim>> gradients;
      types::material_id          material = 0;
    };

    template <int dim>
    PointSample<dim>
    sample_at(const DoFHandler<dim>            &dofs,
              const PETScWrappers::MPI::Vector &u,
              const Point<dim>                 &p,
              const MPI_Comm                    comm,
              const bool                        with_gradients = false)
    {
      const unsigned   n_components = dofs.get_fe_collection().n_components();
      PointSample<dim> sample;
      sample.values.reinit(n_components);
      sample.gradients.resize(with_gradients ? n_components : 0);
      double     found    = 0;
      unsigned   material = 0;
      const auto cell     = GridTools::find_active_cell_around_point(MappingQ1<dim>(), dofs, p);
      if (cell.first.state() == IteratorState::valid && cell.first->is_locally_owned())
        {
          VectorTools::point_value(dofs, u, p, sample.values);
          if (with_gradients)
            VectorTools::point_gradient(dofs, u, p, sample.gradients);
          material = cell.first->material_id();
          found    = 1;
        }
      // A point on a partition boundary is found by each rank that owns a
      // cell around it: average (the solution is continuous there).
      found = Utilities::MPI::sum(found, comm);
      if (found == 0)
        throw std::runtime_error("point outside the mesh");
      for (unsigned c = 0; c < n_components; ++c)
        sample.values[c] = Utilities::MPI::sum(sample.values[c], comm) / found;
      for (Tensor<1, dim> &g : sample.gradients)
        g = Utilities::MPI::sum(g, comm) / found;
      sample.material = Utilities::MPI::max(material, comm);
      return sample;
    }
  } // namespace

  template <int dim>
  double
  Simulator<dim>::potential_at(const Point<dim> &p) const
  {
    return sample_at(dof_handler, locally_relevant_solution, p, comm).values[0] * scale.potential;
  }

  template <int dim>
  Tensor<1, dim>
  Simulator<dim>::polarization_at_point(const Point<dim> &p) const
  {
    const Vector<double> v = sample_at(dof_handler, locally_relevant_solution, p, comm).values;
    Tensor<1, dim>       P;
    if (dynamic_polarization())
      for (unsigned d = 0; d < dim; ++d)
        P[d] = v[1 + d] * scale.polarization;
    return P;
  }

  template <int dim>
  PointState<dim>
  Simulator<dim>::point_state(const unsigned                     layer,
                              const Vector<double>              &values,
                              const std::vector<Tensor<1, dim>> &gradients) const
  {
    PointState<dim> state;
    state.layer = layer;
    for (unsigned c = 0; c < values.size(); ++c)
      {
        state.value[c] = values[c];
        if (c < gradients.size())
          state.gradient[c] = gradients[c];
      }
    return state;
  }

  template <int dim>
  std::array<double, 2>
  Simulator<dim>::carrier_densities(const unsigned layer, const Vector<double> &values) const
  {
    return carrier_module.densities(point_state(layer, values, {}));
  }

  template <int dim>
  Tensor<1, dim>
  Simulator<dim>::conduction_current_density(const unsigned                     layer,
                                             const Vector<double>              &values,
                                             const std::vector<Tensor<1, dim>> &gradients) const
  {
    return carrier_module.current_density(point_state(layer, values, gradients));
  }

  template <int dim>
  Tensor<1, dim>
  Simulator<dim>::current_density_at_point(const Point<dim> &p) const
  {
    const PointSample<dim> sample = sample_at(dof_handler, locally_relevant_solution, p, comm, true);
    return conduction_current_density(sample.material, sample.values, sample.gradients);
  }

  template <int dim>
  std::string
  Simulator<dim>::summary() const
  {
    std::ostringstream out;
    out << stack->summary();
    const std::vector<types::global_dof_index> per_component =
      DoFTools::count_dofs_per_fe_component(dof_handler);
    types::global_dof_index n_polarization = 0;
    if (dynamic_polarization())
      for (unsigned c = 1; c <= dim; ++c)
        n_polarization += per_component[c];
    out << "Unknowns: " << dof_handler.n_dofs() << " (Q" << prm.degree << "): potential " << per_component[0];
    if (dynamic_polarization())
      out << ", polarization " << n_polarization;
    if (carriers())
      out << ", electrons " << per_component[carrier_component()] << ", holes "
          << per_component[carrier_component() + 1];
    for (const auto &module : ion_modules)
      out << ", " << module->field << " " << per_component[fields.component(module->field)];
    if (traps())
      {
        types::global_dof_index n_traps = 0;
        for (unsigned k = 0; k < trap_module.n_levels; ++k)
          n_traps += per_component[fields.component("traps") + k];
        out << ", traps " << n_traps;
        if (trap_module.n_levels > 1)
          out << " (" << trap_module.n_levels << " levels)";
      }
    out << "\n";
    for (unsigned l = 0; l < stack->n_layers(); ++l)
      if (l < ferroelectric_module.layers.size() && ferroelectric_module.layers[l].disorder)
        {
          const Material &m = layer_material(l);
          out << "Disorder of layer " << stack->layer(l).name << ": " << m.disorder << ", spread "
              << *m.get("Disorder spread") << (m.disorder == "random-field" ? " MV/cm" : " (relative to alpha)")
              << ", length " << *m.get("Disorder length") << " nm, seed " << m.get("Disorder seed").value_or(1.)
              << (m.get("Disorder depth").value_or(0.) > 0 ?
                    ", within " + format_number(*m.get("Disorder depth")) + " nm of the layer's faces only" :
                    "")
              << "\n";
        }
    out << "Contacts:\n";
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      {
        const Contact &c      = prm.contacts[k];
        const bool     metal  = c.kind == Contact::Kind::metal || c.kind == Contact::Kind::gate;
        const double   pinned_w = metal ? pinned_work_function(k, c.workfunction) : c.workfunction;
        out << "  " << c.name << ": "
            << (c.kind == Contact::Kind::ohmic    ? "ohmic" :
                c.kind == Contact::Kind::schottky ? "schottky" :
                c.kind == Contact::Kind::metal    ? "metal " + c.metal :
                                                    "gate")
            << (pinned_w != c.workfunction ?
                  ", pinned: W " + format_number(c.workfunction) + " -> " + format_number(pinned_w) + " eV" :
                  "")
            << ", phi = V(t) " << (contact_work_function_offset[k] > 0 ? "- " : "+ ")
            << std::abs(contact_work_function_offset[k]) << " V"
            << (thermionic_contact[k] ? ", thermionic emission" :
                carriers() && c.kind == Contact::Kind::ohmic && contact_layer[k] >= 0 &&
                    layer_semiconductor[contact_layer[k]].active ?
                                        ", neutral and in equilibrium" :
                                        "")
            << ", V(t) = " << prm.bias.at(c.name).text()
            << (prm.series_resistance[k] > 0 ?
                  " through a series resistor of " + format_number(prm.series_resistance[k]) + " Ohm" :
                  "")
            << ", " << contact_dofs[k].n_elements() << " local boundary dofs\n";
      }
    out << "MPI ranks: " << Utilities::MPI::n_mpi_processes(comm) << "\n";
    return out.str();
  }



  template <int dim>
  void
  Simulator<dim>::run(const std::string &directory, const std::string &restart)
  {
    const bool root = Utilities::MPI::this_mpi_process(comm) == 0;
    // Columns of terminals.csv (deck-spec.md).
    const std::string        current_unit = dim == 1 ? "A/m^2" : dim == 2 ? "A/m" : "A";
    const std::string        charge_unit  = dim == 1 ? "C/m^2" : dim == 2 ? "C/m" : "C";
    // Numbers of particles in a layer (layer_number): per area, per length, a count.
    const std::string number_unit = std::string("[") + (dim == 1 ? "cm^-2" : dim == 2 ? "cm^-1" : "1") + "]";
    std::vector<std::string> columns      = {"time[s]"};
    for (const Contact &c : prm.contacts)
      {
        columns.push_back("V_" + c.name + "[V]");
        columns.push_back("I_" + c.name + "[" + current_unit + "]");
        columns.push_back("Q_" + c.name + "[" + charge_unit + "]");
      }
    for (unsigned l = 0; l < stack->n_layers(); ++l)
      if (layer_material(l).is_ferroelectric())
        {
          columns.push_back("P_" + stack->layer(l).name + "_x[uC/cm^2]");
          columns.push_back("P_" + stack->layer(l).name + "_z[uC/cm^2]");
        }
    // N_<layer>_ions per ionic layer, N_<layer>_ions_2 ... for its further
    // species (the order of terminal_row).
    for (unsigned l = 0; l < stack->n_layers(); ++l)
      for (unsigned k = 0; k < n_ion_species(); ++k)
        if (layer_has_ion_species(l, k))
          columns.push_back("N_" + stack->layer(l).name + "_" + IonModule<dim>::field_name(k) + number_unit);
    if (dynamic_polarization())
      columns.push_back(std::string("F_total[") + (dim == 1 ? "J/m^2" : dim == 2 ? "J/m" : "J") + "]");
    // Nt_<layer>: the electrons held by the traps of each layer with traps.
    for (unsigned l = 0; l < stack->n_layers(); ++l)
      if (layer_has_traps[l])
        columns.push_back("Nt_" + stack->layer(l).name + number_unit);
    // The measured device's current and charge (Stack/Device area or depth).
    if (device_size() > 0)
      for (const Contact &c : prm.contacts)
        {
          columns.push_back("I_" + c.name + "_device[A]");
          columns.push_back("Q_" + c.name + "_device[C]");
        }

    // The voltage behind each series resistor.
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      if (prm.series_resistance[k] > 0)
        columns.push_back("V_" + prm.contacts[k].name + "_inner[V]");

    // A restart reads and checks its checkpoint before anything is written.
    if (!restart.empty())
      load_checkpoint(restart, join(columns, ","));
    std::error_code same_error;
    const bool      in_place = !restart.empty() && std::filesystem::exists(directory) &&
                          std::filesystem::equivalent(restart, directory, same_error);
    checkpoint_directory = directory + "/checkpoint";
    if (root)
      {
        std::filesystem::create_directories(directory);
        // A run that does not continue in place starts a new series of
        // checkpoints: older ones (of an earlier run into this directory)
        // must not look newer to a later --restart.
        if (!in_place)
          std::filesystem::remove_all(checkpoint_directory);
        // Continuing into another directory: start its series with the
        // checkpoint this run continues from (file named by its sequence
        // number, see simulator_checkpoint.cc), so that a restart of this run
        // killed before its first checkpoint works from here too.
        if (restart_state && !in_place)
          {
            const std::string name =
              "state-" + Utilities::int_to_string(restart_state->sequence, 8) + ".ckpt";
            std::filesystem::create_directories(checkpoint_directory);
            std::filesystem::copy_file(restart + "/checkpoint/" + name,
                                       checkpoint_directory + "/" + name + ".tmp");
            std::filesystem::rename(checkpoint_directory + "/" + name + ".tmp",
                                    checkpoint_directory + "/" + name);
          }
      }
    MPI_Barrier(comm);
    if (root)
      {
        std::ofstream deck(directory + "/deck.prm");
        deck << "# The deck as run (" << prm.deck_file << "), every key with its final value.\n"
             << prm.deck_as_run;
      }
    log.open(directory + "/run.log", in_place);
    log.print(summary());
    if (restart_state)
      log.print("Restarting from " + restart + "/checkpoint (checkpoint " +
                std::to_string(restart_state->sequence) + ", t = " + format_number(restart_state->t) +
                " s, " + std::to_string(restart_state->terminal_rows) + " rows of terminals.csv)\n");
    for (const std::string &field : prm.output_fields)
      if (field != "potential" && field != "electric field" && field != "polarization" && field != "material" && field != "disorder" &&
          !(carriers() && (field == "electrons" || field == "holes" || field == "current density")) &&
          !(ions() && field == "ions") && !(traps() && field == "traps"))
        log.print("Note: Output/Fields asks for '" + field +
                  "', which this run does not compute (its physics is off); it is not written.\n");

    std::unique_ptr<TerminalsWriter> terminals_writer =
      restart_state ? std::make_unique<TerminalsWriter>(directory + "/terminals.csv",
                                                        columns,
                                                        root,
                                                        restart + "/terminals.csv",
                                                        restart_state->terminal_rows) :
                      std::make_unique<TerminalsWriter>(directory + "/terminals.csv", columns, root);
    TerminalsWriter  &terminals = *terminals_writer;
    const SolutionFields<dim> solution_fields(*this);
    OutputWriter<dim>         fields(directory,
                             dof_handler,
                             locally_relevant_solution,
                             {&solution_fields},
                             solution_fields.wanted("material"),
                             prm.degree);
    if (restart_state && !prm.output_fields.empty())
      fields.resume(restart_state->field_records, restart);
    last_checkpoint_time   = std::chrono::steady_clock::now();
    steps_since_checkpoint = 0;

    Timer timer;
    if (quasi_static())
      run_quasi_static(terminals, fields);
    else
      run_transient(terminals, fields);
    std::ostringstream done;
    done << "Done in " << timer.wall_time() << " s wall; setup " << setup_seconds << " s\n";
    log.print(done.str());
  }

  template <int dim>
  std::vector<double>
  Simulator<dim>::terminal_row(const double               t,
                               const std::vector<double> &charges,
                               const std::vector<double> &currents) const
  {
    std::vector<double> row = {t};
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      {
        row.push_back(prm.bias.at(prm.contacts[k].name).value(t));
        row.push_back(currents[k]);
        row.push_back(charges[k]);
      }
    for (unsigned l = 0; l < stack->n_layers(); ++l)
      if (layer_material(l).is_ferroelectric())
        for (const double P : average_polarization(l))
          row.push_back(P * 100.); // C/m^2 -> uC/cm^2
    for (unsigned l = 0; l < stack->n_layers(); ++l)
      for (unsigned k = 0; k < n_ion_species(); ++k)
        if (layer_has_ion_species(l, k))
          row.push_back(ion_number(l, k));
    if (dynamic_polarization())
      row.push_back(free_energy());
    for (unsigned l = 0; l < stack->n_layers(); ++l)
      if (layer_has_traps[l])
        row.push_back(trapped_number(l));
    if (device_size() > 0)
      for (unsigned k = 0; k < prm.contacts.size(); ++k)
        {
          row.push_back(currents[k] * device_size());
          row.push_back(charges[k] * device_size());
        }
    for (unsigned k = 0; k < prm.contacts.size(); ++k)
      if (prm.series_resistance[k] > 0)
        row.push_back(inner_voltage[k]);
    for (const double v : row)
      if (!std::isfinite(v))
        throw SolverError("non-finite terminal quantity at t = " + format_number(t) +
                          " s; the files hold the last good state");
    return row;
  }

  template <int dim>
  void
  Simulator<dim>::run_quasi_static(TerminalsWriter &terminals, OutputWriter<dim> &fields)
  {
    const std::vector<double> times = TimeGrid::solve_times(prm);
    std::vector<double>       previous_charges;
    double                    previous_time = 0;
    unsigned                  total_linear  = 0;
    SolveStatistics           totals;
    std::size_t               first = 0;
    if (restart_state)
      {
        // The solves are independent but for the start of Newton (the last
        // solution, restored by load_checkpoint) and dQ/dt.
        first            = restart_state->next_stop;
        previous_time    = restart_state->times.at(0);
        previous_charges = restart_state->charge_history.at(0);
        total_linear     = restart_state->linear_iterations;
      }
    unsigned total_newton = restart_state ? restart_state->newton_iterations : 0;
    if (carriers() && !restart_state)
      {
        // t = 0: the steady state at the initial biases, from equilibrium.
        solve_initial_state(totals);
        total_newton += totals.newton_iterations;
        total_linear += totals.linear_iterations;
      }
    // The last two steady states, for the linear predictor along the ramp.
    std::vector<PETScWrappers::MPI::Vector> states = {solution};
    std::vector<double>                     state_times = {previous_time};
    for (std::size_t n = first; n < times.size(); ++n)
      {
        const double    t = times[n];
        SolveStatistics stats;
        if (!carriers())
          stats = solve_at(t);
        else if (n > 0 || restart_state)
          stats = continue_steady_state(states, state_times, t);
        total_newton += stats.newton_iterations;
        total_linear += stats.linear_iterations;
        totals.assembly_seconds += stats.assembly_seconds;
        totals.setup_seconds += stats.setup_seconds;
        totals.solve_seconds += stats.solve_seconds;
        // Charges (and conduction currents) from the residual; the current
        // also carries dQ/dt between the points, the displacement current of
        // a sweep slow enough to be in steady state at each instant.
        // (The terminal residual is an assembly: its time counts as one.)
        Timer                     terminal_timer;
        const TerminalResiduals   terminal = terminal_residuals();
        totals.assembly_seconds += terminal_timer.wall_time();
        const std::vector<double> charges  = terminal.charges;
        std::vector<double>       currents = terminal.conduction;
        if (n > 0)
          for (unsigned k = 0; k < charges.size(); ++k)
            currents[k] += (charges[k] - previous_charges[k]) / (t - previous_time);
        terminals.write_row(terminal_row(t, charges, currents));

        std::ostringstream line;
        line << "step " << n << "  t = " << std::setprecision(6) << t << " s  Newton "
             << stats.newton_iterations << (carriers() ? "  linear " : "  CG ") << stats.linear_iterations
             << "  assembly " << stats.assembly_seconds << " s  AMG setup " << stats.setup_seconds
             << " s  solve " << stats.solve_seconds << " s\n";
        log.print(line.str());

        if (!prm.output_fields.empty() && TimeGrid::is_output_time(t, prm, n + 1 == times.size()))
          fields.write(t);
        previous_charges = charges;
        previous_time    = t;
        if (checkpoint_due() || n + 1 == times.size())
          {
            TimeStepperState state;
            state.kind              = TimeStepperState::Kind::quasi_static;
            state.t                 = t;
            state.next_stop         = n + 1;
            state.accepted          = n + 1;
            state.linear_iterations = total_linear;
            state.newton_iterations = total_newton;
            state.times             = {t};
            state.charge_history    = {charges};
            write_checkpoint(state, {solution}, terminals, fields);
          }
      }
    std::ostringstream done;
    done << "Done: " << times.size() << " solves, " << total_newton << " Newton and " << total_linear
         << (carriers() ? " linear" : " CG") << " iterations\n"
         << "Timing: setup " << setup_seconds << " s, assembly " << totals.assembly_seconds
         << " s, AMG setup " << totals.setup_seconds << " s, solve " << totals.solve_seconds
         << " s, unknowns " << dof_handler.n_dofs() << ", ranks " << Utilities::MPI::n_mpi_processes(comm)
         << "\n";
    log.print(done.str());
  }

  template class Simulator<1>;
  template class Simulator<2>;
  template class Simulator<3>;
} // namespace FerroStack
