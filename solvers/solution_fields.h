#ifndef ferrostack_solvers_solution_fields_h
#define ferrostack_solvers_solution_fields_h

#include <deal.II/numerics/data_postprocessor.h>

#include <string>
#include <vector>

namespace FerroStack
{
  struct Parameters;
  template <int dim>
  class Simulator;

  /**
   * Turns the simulator's scaled solution into the deck-unit fields of
   * deck-spec.md: `potential [V]`, `electric field [MV/cm]` (E = -grad phi)
   * and `polarization [uC/cm^2]` and, with carriers, `electrons [cm^-3]`,
   * `holes [cm^-3]`, `current density [A/cm^2]` (conduction), each when the
   * deck's Output/Fields asks. The OutputWriter (postprocess/) writes what
   * this computes; it lives here because it needs the simulator's physics.
   */
  template <int dim>
  class SolutionFields : public dealii::DataPostprocessor<dim>
  {
  public:
    explicit SolutionFields(const Simulator<dim> &simulator);

    /// Whether the deck's Output/Fields asks for @p field.
    bool
    wanted(const std::string &field) const;

    void
    evaluate_scalar_field(const dealii::DataPostprocessorInputs::Scalar<dim> &inputs,
                          std::vector<dealii::Vector<double>>                &computed) const override;

    void
    evaluate_vector_field(const dealii::DataPostprocessorInputs::Vector<dim> &inputs,
                          std::vector<dealii::Vector<double>>                &computed) const override;

    std::vector<std::string>
    get_names() const override;

    std::vector<dealii::DataComponentInterpretation::DataComponentInterpretation>
    get_data_component_interpretation() const override;

    dealii::UpdateFlags
    get_needed_update_flags() const override;

  private:
    /// The fields at the points of @p cell, from every component's values
    /// and gradients there.
    template <typename CellIterator>
    void
    compute(const CellIterator                                     &cell,
            const std::vector<dealii::Point<dim>>                  &points,
            const std::vector<dealii::Vector<double>>              &values,
            const std::vector<std::vector<dealii::Tensor<1, dim>>> &gradients,
            std::vector<dealii::Vector<double>>                    &computed) const;

    const Simulator<dim> &simulator;
    const Parameters     &prm;
  };
} // namespace FerroStack

#endif
