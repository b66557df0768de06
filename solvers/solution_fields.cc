#include <solvers/simulator.h>
#include <solvers/solution_fields.h>

#include <algorithm>

namespace FerroStack
{
  using namespace dealii;

  template <int dim>
  SolutionFields<dim>::SolutionFields(const Simulator<dim> &simulator)
      : simulator(simulator)
      , prm(simulator.parameters())
  {}

  template <int dim>
  bool
  SolutionFields<dim>::wanted(const std::string &field) const
  {
    return std::find(prm.output_fields.begin(), prm.output_fields.end(), field) != prm.output_fields.end();
  }

  template <int dim>
  void
  SolutionFields<dim>::evaluate_scalar_field(const DataPostprocessorInputs::Scalar<dim> &inputs,
                                             std::vector<Vector<double>>                &computed) const
  {
    // Potential only: P is the frozen function of the deck.
    std::vector<Vector<double>>              values(inputs.solution_values.size(), Vector<double>(1));
    std::vector<std::vector<Tensor<1, dim>>> gradients(inputs.solution_values.size(),
                                                       std::vector<Tensor<1, dim>>(1));
    for (unsigned q = 0; q < values.size(); ++q)
      {
        values[q][0]    = inputs.solution_values[q];
        gradients[q][0] = inputs.solution_gradients[q];
      }
    compute(inputs.template get_cell<dim>(), inputs.evaluation_points, values, gradients, computed);
  }

  template <int dim>
  void
  SolutionFields<dim>::evaluate_vector_field(const DataPostprocessorInputs::Vector<dim> &inputs,
                                             std::vector<Vector<double>>                &computed) const
  {
    compute(inputs.template get_cell<dim>(),
            inputs.evaluation_points,
            inputs.solution_values,
            inputs.solution_gradients,
            computed);
  }

  template <int dim>
  template <typename CellIterator>
  void
  SolutionFields<dim>::compute(const CellIterator                             &cell,
                               const std::vector<Point<dim>>                  &points,
                               const std::vector<Vector<double>>              &values,
                               const std::vector<std::vector<Tensor<1, dim>>> &gradients,
                               std::vector<Vector<double>>                    &computed) const
  {
    const double    V_T      = simulator.scaling().potential;
    const double    E_factor = -V_T / simulator.scaling().length * 1e-8; // V/m -> MV/cm
    const Material &material = simulator.layer_material(cell->material_id());
    for (unsigned q = 0; q < values.size(); ++q)
      {
        unsigned c = 0;
        if (wanted("potential"))
          computed[q][c++] = V_T * values[q][0];
        if (wanted("electric field"))
          for (unsigned d = 0; d < dim; ++d)
            computed[q][c++] = E_factor * gradients[q][0][d];
        if (wanted("polarization"))
          {
            const Tensor<1, dim> P = simulator.polarization_at(points[q], material, values[q]);
            for (unsigned d = 0; d < dim; ++d)
              computed[q][c++] = 100. * P[d]; // C/m^2 -> uC/cm^2
          }
        if (wanted("disorder"))
          computed[q][c++] = simulator.disorder_at(points[q], cell->material_id());
        if (simulator.traps() && wanted("traps"))
          computed[q][c++] = simulator.trap_occupancy(cell->material_id(), values[q]);
        if (simulator.ions() && wanted("ions"))
          for (unsigned k = 0; k < simulator.n_ion_species(); ++k) // m^-3 -> cm^-3
            computed[q][c++] = 1e-6 * simulator.ion_density(cell->material_id(), values[q], k);
        if (!simulator.carriers())
          continue;
        const auto np = simulator.carrier_densities(cell->material_id(), values[q]);
        if (wanted("electrons"))
          computed[q][c++] = 1e-6 * np[0]; // m^-3 -> cm^-3
        if (wanted("holes"))
          computed[q][c++] = 1e-6 * np[1];
        if (wanted("current density"))
          {
            const Tensor<1, dim> J =
              simulator.conduction_current_density(cell->material_id(), values[q], gradients[q]);
            for (unsigned d = 0; d < dim; ++d)
              computed[q][c++] = 1e-4 * J[d]; // A/m^2 -> A/cm^2
          }
      }
  }

  template <int dim>
  std::vector<std::string>
  SolutionFields<dim>::get_names() const
  {
    std::vector<std::string> names;
    if (wanted("potential"))
      names.push_back("potential [V]");
    if (wanted("electric field"))
      for (unsigned d = 0; d < dim; ++d)
        names.push_back("electric field [MV/cm]");
    if (wanted("polarization"))
      for (unsigned d = 0; d < dim; ++d)
        names.push_back("polarization [uC/cm^2]");
    if (wanted("disorder"))
      names.push_back("disorder [1]");
    if (simulator.traps() && wanted("traps"))
      names.push_back("trap occupancy [1]");
    // One field per species: "ions [cm^-3]", "ions_2 [cm^-3]", ...
    if (simulator.ions() && wanted("ions"))
      for (unsigned k = 0; k < simulator.n_ion_species(); ++k)
        names.push_back(IonModule<dim>::field_name(k) + " [cm^-3]");
    if (simulator.carriers())
      {
        if (wanted("electrons"))
          names.push_back("electrons [cm^-3]");
        if (wanted("holes"))
          names.push_back("holes [cm^-3]");
        if (wanted("current density"))
          for (unsigned d = 0; d < dim; ++d)
            names.push_back("current density [A/cm^2]");
      }
    return names;
  }

  template <int dim>
  std::vector<DataComponentInterpretation::DataComponentInterpretation>
  SolutionFields<dim>::get_data_component_interpretation() const
  {
    std::vector<DataComponentInterpretation::DataComponentInterpretation> kinds;
    if (wanted("potential"))
      kinds.push_back(DataComponentInterpretation::component_is_scalar);
    const auto vector = [&]() {
      for (unsigned d = 0; d < dim; ++d)
        kinds.push_back(dim == 1 ? DataComponentInterpretation::component_is_scalar :
                                   DataComponentInterpretation::component_is_part_of_vector);
    };
    for (const char *field : {"electric field", "polarization"})
      if (wanted(field))
        vector();
    if (wanted("disorder"))
      kinds.push_back(DataComponentInterpretation::component_is_scalar);
    if (simulator.traps() && wanted("traps"))
      kinds.push_back(DataComponentInterpretation::component_is_scalar);
    if (simulator.ions() && wanted("ions"))
      for (unsigned k = 0; k < simulator.n_ion_species(); ++k)
        kinds.push_back(DataComponentInterpretation::component_is_scalar);
    if (simulator.carriers())
      {
        for (const char *field : {"electrons", "holes"})
          if (wanted(field))
            kinds.push_back(DataComponentInterpretation::component_is_scalar);
        if (wanted("current density"))
          vector();
      }
    return kinds;
  }

  template <int dim>
  UpdateFlags
  SolutionFields<dim>::get_needed_update_flags() const
  {
    return update_values | update_gradients | update_quadrature_points;
  }

  template class SolutionFields<1>;
  template class SolutionFields<2>;
  template class SolutionFields<3>;
} // namespace FerroStack
