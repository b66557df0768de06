#include <deal.II/distributed/shared_tria.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/grid_in.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/grid/tria.h>

#include <base/deck_error.h>
#include <base/text_utilities.h>
#include <meshes/gmsh_names.h>
#include <meshes/stack_mesh.h>
#include <meshes/stack_size.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace FerroStack
{
  using namespace dealii;

  namespace
  {
    /**
     * The cells of one grading side of a layer of thickness @p t whose mean
     * cell size would be @p h_mean: from @p h0 at the interface, growing
     * geometrically (ratio 1.25) until h_mean is reached or half the layer is
     * filled. Empty without grading (h0 <= 0 or h0 >= h_mean). At most
     * log(h_mean/h0)/log(1.25) cells, so cheap even for absurd decks.
     */
    std::vector<double>
    graded_side(const double t, const double h_mean, const double h0)
    {
      std::vector<double> side;
      if (h0 <= 0 || h0 >= h_mean)
        return side;
      const double ratio    = 1.25;
      double       side_sum = 0;
      for (double h = h0; h < h_mean && 2 * (side_sum + h) < t; h *= ratio)
        {
          side.push_back(h);
          side_sum += h;
        }
      return side;
    }

    /// Cells of the uniform part of length @p length at mean size @p h_mean
    /// (at least one), in floating point so that it cannot overflow.
    double
    uniform_count(const double length, const double h_mean)
    {
      return std::max(1., std::round(length / h_mean));
    }

    /**
     * Cell sizes of one layer of thickness @p t whose mean cell size would be
     * @p h_mean: uniform, or, with an interface size 0 < h0 < h_mean, growing
     * geometrically from h0 at both interfaces (graded_side()) until h_mean is
     * reached, with uniform cells of about h_mean in between. The sizes add up
     * to t exactly.
     */
    std::vector<double>
    graded_sizes(const double t, const double h_mean, const double h0)
    {
      const std::vector<double> side     = graded_side(t, h_mean, h0);
      double                    side_sum = 0;
      for (const double h : side)
        side_sum += h;
      const double        middle = t - 2 * side_sum;
      const unsigned      n_mid  = static_cast<unsigned>(uniform_count(middle, h_mean));
      std::vector<double> sizes(side);
      sizes.insert(sizes.end(), n_mid, middle / n_mid);
      sizes.insert(sizes.end(), side.rbegin(), side.rend());
      return sizes;
    }

    /// The number of cells graded_sizes() returns, without making them.
    double
    graded_count(const double t, const double h_mean, const double h0)
    {
      const std::vector<double> side     = graded_side(t, h_mean, h0);
      double                    side_sum = 0;
      for (const double h : side)
        side_sum += h;
      return 2. * side.size() + uniform_count(t - 2 * side_sum, h_mean);
    }

    /// The cell count of a layer the deck gives no count for: about the
    /// lateral cell size @p lateral_h, at least 4 in 1D and 2 otherwise.
    double
    default_layer_cells(const unsigned dim, const double thickness, const double lateral_h)
    {
      return std::max(dim == 1 ? 4. : 2., std::round(thickness / lateral_h));
    }

    /// The lengths of the lateral segments of [0, width] between the breaks
    /// (ends of partial contacts), each of which gets its own cells.
    std::vector<double>
    lateral_segments(const double width, std::vector<double> breaks)
    {
      breaks.push_back(0);
      breaks.push_back(width);
      std::sort(breaks.begin(), breaks.end());
      breaks.erase(std::unique(breaks.begin(),
                               breaks.end(),
                               [width](double a, double b) { return std::abs(a - b) < 1e-9 * width; }),
                   breaks.end());
      std::vector<double> lengths;
      for (std::size_t i = 0; i + 1 < breaks.size(); ++i)
        lengths.push_back(breaks[i + 1] - breaks[i]);
      return lengths;
    }

    /// Lateral cell sizes over [0, width] with a mesh line at each break:
    /// each segment between breaks gets cells of about width / cells,
    /// graded down to @p h0 toward both its ends when 0 < h0 (Stack/Contact
    /// edge cell size: the ends are contact edges or the device's sides),
    /// as graded_sizes() grades a layer toward its interfaces.
    std::vector<double>
    lateral_sizes(const double width, const unsigned cells, const std::vector<double> &breaks, const double h0)
    {
      std::vector<double> sizes;
      for (const double length : lateral_segments(width, breaks))
        {
          const std::vector<double> segment = graded_sizes(length, width / cells, h0);
          sizes.insert(sizes.end(), segment.begin(), segment.end());
        }
      return sizes;
    }

    /// The number of cells lateral_sizes() returns, without making them.
    double
    lateral_count(const double width, const double cells, const std::vector<double> &breaks, const double h0)
    {
      double n = 0;
      for (const double length : lateral_segments(width, breaks))
        n += graded_count(length, width / cells, h0);
      return n;
    }

    /// The x coordinates of the ends of the partial contacts.
    std::vector<double>
    contact_breaks(const std::vector<ContactGeometry> &contacts)
    {
      std::vector<double> breaks;
      for (const ContactGeometry &c : contacts)
        if (c.partial)
          {
            breaks.push_back(c.x0);
            breaks.push_back(c.x1);
          }
      return breaks;
    }
  } // namespace

  template <int dim>
  boundary_id
  StackMesh<dim>::side_boundary_id(const ContactGeometry::Side side)
  {
    switch (side)
      {
        case ContactGeometry::Side::left:
          return 0;
        case ContactGeometry::Side::right:
          return 1;
        case ContactGeometry::Side::front:
          return 2;
        case ContactGeometry::Side::back:
          return 3;
        case ContactGeometry::Side::bottom:
          return 4;
        case ContactGeometry::Side::top:
          return 5;
        default:
          return numbers::invalid_boundary_id;
      }
  }

  template <int dim>
  StackMesh<dim>::StackMesh(const StackDescription &stack, const MPI_Comm comm)
      : layers(stack.layers)
      , material_kinds(stack.material_kinds)
      , contacts(stack.contacts)
      , periodic_lateral(stack.periodic_lateral)
  {
    for (const Layer &l : layers)
      total_height += l.thickness;

    if constexpr (dim == 1)
      tria = std::make_unique<parallel::shared::Triangulation<dim>>(comm);
    else
      tria = std::make_unique<parallel::distributed::Triangulation<dim>>(comm);

    if (stack.mesh_file.empty())
      generate_stack(stack);
    else
      read_gmsh(stack);
    check_contacts(stack);

    if (periodic_lateral)
      {
        std::vector<GridTools::PeriodicFacePair<typename Triangulation<dim>::cell_iterator>> pairs;
        for (unsigned d = 0; d + 1 < dim; ++d)
          GridTools::collect_periodic_faces(
            static_cast<const Triangulation<dim> &>(*tria), 2 * d, 2 * d + 1, d, pairs);
        tria->add_periodicity(pairs);
      }
    tria->refine_global(stack.refinement);
  }

  template <int dim>
  void
  StackMesh<dim>::generate_stack(const StackDescription &stack)
  {
    const unsigned                   vertical = dim - 1;
    std::vector<std::vector<double>> steps(dim);
    Point<dim>                       p1, p2;

    // Lateral directions: mesh lines at both ends of every partial contact.
    const std::vector<double> breaks = contact_breaks(stack.contacts);
    for (unsigned d = 0; d < vertical; ++d)
      {
        const double extent = (d == 0 ? stack.width : stack.depth);
        steps[d] = lateral_sizes(extent,
                                 stack.lateral_cells,
                                 d == 0 ? breaks : std::vector<double>(),
                                 d == 0 && !breaks.empty() ? stack.contact_edge_cell_size : 0.);
        p2[d]    = extent;
      }

    // Vertical: each layer's cells, graded toward its interfaces if asked.
    const double        lateral_h = (dim == 1 ? 0.25 : stack.width / stack.lateral_cells);
    std::vector<double> layer_bottom;
    for (Layer &layer : layers)
      {
        if (layer.cells == 0)
          layer.cells = static_cast<unsigned>(default_layer_cells(dim, layer.thickness, lateral_h));
        layer_bottom.push_back(p2[vertical]);
        const auto sizes =
          graded_sizes(layer.thickness, layer.thickness / layer.cells, stack.interface_cell_size);
        steps[vertical].insert(steps[vertical].end(), sizes.begin(), sizes.end());
        layer.cells = sizes.size();
        p2[vertical] += layer.thickness;
      }

    Triangulation<dim> coarse;
    GridGenerator::subdivided_hyper_rectangle(coarse, steps, p1, p2);

    for (const auto &cell : coarse.active_cell_iterators())
      {
        const double z     = cell->center()[vertical];
        material_id  layer = 0;
        for (unsigned l = 0; l < layers.size(); ++l)
          if (z > layer_bottom[l])
            layer = l;
        cell->set_material_id(layer);

        for (const unsigned f : cell->face_indices())
          if (cell->face(f)->at_boundary())
            {
              const Point<dim>      c    = cell->face(f)->center();
              const double          tol  = 1e-9 * std::max(p2[vertical], stack.width);
              ContactGeometry::Side side = ContactGeometry::Side::bottom;
              if (std::abs(c[vertical]) < tol)
                side = ContactGeometry::Side::bottom;
              else if (std::abs(c[vertical] - p2[vertical]) < tol)
                side = ContactGeometry::Side::top;
              else if (std::abs(c[0]) < tol)
                side = ContactGeometry::Side::left;
              else if (std::abs(c[0] - p2[0]) < tol)
                side = ContactGeometry::Side::right;
              else if (dim == 3 && std::abs(c[1]) < tol)
                side = ContactGeometry::Side::front;
              else
                side = ContactGeometry::Side::back;
              boundary_id id = side_boundary_id(side);
              for (unsigned k = 0; k < contacts.size(); ++k)
                if (contacts[k].side == side &&
                    (!contacts[k].partial || (c[0] > contacts[k].x0 && c[0] < contacts[k].x1)))
                  {
                    if (id >= 100)
                      throw DeckError(stack.deck_file + ": Contacts/List: contacts '" +
                                      contacts[id - 100].name + "' and '" + contacts[k].name + "' overlap");
                    id = contact_boundary_id(k);
                  }
              cell->face(f)->set_boundary_id(id);
            }
      }
    tria->copy_triangulation(coarse);
  }

  template <int dim>
  void
  StackMesh<dim>::read_gmsh(const StackDescription &stack)
  {
    const auto         groups = read_gmsh_physical_names(stack.mesh_file);
    Triangulation<dim> coarse;
    {
      GridIn<dim>   in(coarse);
      std::ifstream file(stack.mesh_file);
      try
        {
          in.read_msh(file);
        }
      catch (const ExceptionBase &e)
        {
          std::ostringstream info;
          e.print_info(info);
          throw DeckError(stack.mesh_file + ": cannot read the Gmsh mesh: " + trim(info.str()));
        }
    }
    // Regions: physical groups of dimension dim named like the layers.
    std::map<int, material_id> region_of_tag;
    for (unsigned l = 0; l < layers.size(); ++l)
      {
        const auto group = groups.find(layers[l].name);
        if (group == groups.end() || group->second.dimension != dim)
          throw DeckError(stack.mesh_file + ": Stack/Layers: layer '" + layers[l].name + "' has no " +
                          std::to_string(dim) + "D physical group of that name in the mesh");
        region_of_tag[group->second.tag] = l;
      }
    std::map<int, boundary_id> contact_of_tag;
    for (unsigned k = 0; k < contacts.size(); ++k)
      if (contacts[k].side == ContactGeometry::Side::physical)
        {
          const auto group = groups.find(contacts[k].physical_name);
          if (group == groups.end() || group->second.dimension != dim - 1)
            throw DeckError(stack.deck_file + ": Contacts/List: contact '" + contacts[k].name +
                            "': the mesh " + stack.mesh_file + " has no " + std::to_string(dim - 1) +
                            "D physical group called '" + contacts[k].physical_name + "'");
          contact_of_tag[group->second.tag] = contact_boundary_id(k);
        }
      else
        throw DeckError(stack.deck_file + ": Contacts/List: contact '" + contacts[k].name +
                        "': with a Gmsh mesh, name the contact's physical group, not a side");

    double top = 0;
    for (const auto &v : coarse.get_vertices())
      top = std::max(top, v[dim - 1]);
    total_height = top;
    for (const auto &cell : coarse.active_cell_iterators())
      {
        const auto region = region_of_tag.find(cell->material_id());
        if (region == region_of_tag.end())
          throw DeckError(stack.mesh_file + ": a cell has physical tag " +
                          std::to_string(cell->material_id()) + ", which is no layer of Stack/Layers");
        cell->set_material_id(region->second);
        for (const unsigned f : cell->face_indices())
          if (cell->face(f)->at_boundary())
            {
              const auto contact = contact_of_tag.find(cell->face(f)->boundary_id());
              cell->face(f)->set_boundary_id(contact == contact_of_tag.end() ?
                                               side_boundary_id(ContactGeometry::Side::left) :
                                               contact->second);
            }
      }
    tria->copy_triangulation(coarse);
  }

  template <int dim>
  void
  StackMesh<dim>::check_contacts(const StackDescription &stack) const
  {
    std::set<boundary_id> used;
    for (const auto &cell : tria->cell_iterators_on_level(0))
      for (const unsigned f : cell->face_indices())
        if (cell->face(f)->at_boundary())
          used.insert(cell->face(f)->boundary_id());
    for (unsigned k = 0; k < contacts.size(); ++k)
      if (used.count(contact_boundary_id(k)) == 0)
        throw DeckError(stack.deck_file + ": Contacts/List: contact '" + contacts[k].name +
                        "' touches no boundary face of the mesh");
  }

  template <int dim>
  std::string
  StackMesh<dim>::summary() const
  {
    std::vector<types::global_cell_index> cells(layers.size(), 0);
    for (const auto &cell : tria->active_cell_iterators())
      if (cell->is_locally_owned())
        ++cells[cell->material_id()];
    std::ostringstream out;
    out << "Mesh: " << dim << "D, " << tria->n_global_active_cells() << " cells, stack height "
        << total_height << " nm" << (periodic_lateral ? ", periodic lateral boundaries" : "") << "\n";
    for (unsigned l = 0; l < layers.size(); ++l)
      {
        const auto n = Utilities::MPI::sum(cells[l], tria->get_communicator());
        out << "  layer " << layers[l].name << ": " << layers[l].material << " (" << material_kinds[l]
            << "), " << layers[l].thickness << " nm, " << n << " cells\n";
      }
    for (const ContactGeometry &c : contacts)
      out << "  contact " << c.name << ": "
          << (c.side == ContactGeometry::Side::physical ? c.physical_name :
                                                          ContactGeometry::side_name(c.side))
          << (c.partial ? "[" + format_number(c.x0) + "," + format_number(c.x1) + "] nm" : "") << "\n";
    return out.str();
  }

  StackSize
  estimate_stack_size(const unsigned dim, const StackDescription &stack, const unsigned degree)
  {
    // The same rules as generate_stack(), counted instead of made.
    StackSize size;
    if (dim > 1)
      {
        const std::vector<double> breaks = contact_breaks(stack.contacts);
        size.lateral_cells[0] =
          lateral_count(stack.width, stack.lateral_cells, breaks, breaks.empty() ? 0. : stack.contact_edge_cell_size);
      }
    if (dim > 2)
      size.lateral_cells[1] = lateral_count(stack.depth, stack.lateral_cells, {}, 0.);
    const double lateral_h = (dim == 1 ? 0.25 : stack.width / stack.lateral_cells);
    double       vertical  = 0;
    for (const Layer &layer : stack.layers)
      {
        const double cells =
          layer.cells > 0 ? layer.cells : default_layer_cells(dim, layer.thickness, lateral_h);
        size.layer_cells.push_back(
          graded_count(layer.thickness, layer.thickness / cells, stack.interface_cell_size));
        vertical += size.layer_cells.back();
      }
    const double refined = std::pow(2., stack.refinement);
    size.coarse_cells    = vertical * size.lateral_cells[0] * size.lateral_cells[1];
    size.cells           = size.coarse_cells * std::pow(refined, dim);
    size.nodes           = vertical * refined * degree + 1;
    for (unsigned d = 0; d + 1 < dim; ++d)
      size.nodes *= size.lateral_cells[d] * refined * degree + 1;
    return size;
  }

  template class StackMesh<1>;
  template class StackMesh<2>;
  template class StackMesh<3>;
} // namespace FerroStack
