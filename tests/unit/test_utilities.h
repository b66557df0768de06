#ifndef ferrostack_tests_unit_test_utilities_h
#define ferrostack_tests_unit_test_utilities_h

#include <deal.II/base/mpi.h>

#include <solvers/simulator.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace FerroStack
{
  namespace Testing
  {
    /// Si of the library (inputs/materials/default.prm) in SI units,
    /// restated here so that the tests' analytic formulas use the simulated
    /// material: effective densities of states [m^-3], gap and affinity [eV],
    /// mobilities [m^2/(V s)], relative permittivity.
    struct Silicon
    {
      double Nc = 2.86e25, Nv = 3.1e25, gap = 1.12, chi = 4.05, mu_n = 0.14, mu_p = 0.045, eps = 11.7;
      /// Intrinsic density [m^-3] at thermal voltage V_T [V].
      double
      ni_at_thermal_voltage(const double V_T) const
      {
        return std::sqrt(Nc * Nv) * std::exp(-gap / (2 * V_T));
      }
    };

    /// A scratch directory of this test run, different per rank and process.
    inline std::string
    scratch_directory()
    {
      static const std::string dir = [] {
        // One directory per test run, shared by its ranks (rank 0's pid).
        const int         pid = dealii::Utilities::MPI::broadcast(MPI_COMM_WORLD, int(::getpid()), 0);
        const std::string d   = "/tmp/ferrostack-tests-" + std::to_string(pid);
        std::string       cmd = "mkdir -p " + d;
        if (std::system(cmd.c_str()) != 0)
          throw std::runtime_error("cannot create " + d);
        return d;
      }();
      return dir;
    }

    /// Write @p text into a deck file of this rank and return its path.
    inline std::string
    write_deck(const std::string &name, const std::string &text)
    {
      const std::string path = scratch_directory() + "/" + name + "." +
                               std::to_string(dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD)) +
                               ".prm";
      std::ofstream(path) << text;
      return path;
    }

    /// Solve the steady problem of @p prm at t = 0; the contact charges.
    template <int dim>
    std::vector<double>
    steady_charges(const Parameters &prm)
    {
      RunLog         log(false);
      Simulator<dim> simulator(prm, MPI_COMM_WORLD, log);
      simulator.setup();
      simulator.solve_at(0);
      return simulator.contact_charges();
    }

    /**
     * A Materials section that gives BaTiO3 a 2-4 Landau energy with
     * alpha = -1e9 m/F and beta = 1e10 m^5/(F C^2), so Ps = sqrt(-alpha /
     * (2 beta)) = 0.2236 C/m^2 is known in closed form, and eps_b = 20.
     */
    inline const std::string landau_24_materials = R"(
subsection Materials
  subsection BaTiO3
    set Landau alpha = -1e9
    set Landau beta = 1e10
    set Landau gamma = 0
    set Landau delta = 0
    set Permittivity = 20
  end
end
)";

    /// terminals.csv as columns by name (the unit in brackets stripped).
    struct Terminals
    {
      std::map<std::string, std::vector<double>> columns;
      const std::vector<double> &
      operator[](const std::string &name) const
      {
        const auto c = columns.find(name);
        if (c == columns.end())
          throw std::runtime_error("no column " + name + " in terminals.csv");
        return c->second;
      }
      bool
      has(const std::string &name) const
      {
        return columns.count(name) > 0;
      }
    };

    inline Terminals
    read_terminals(const std::string &file)
    {
      std::ifstream            in(file);
      std::string              line;
      std::vector<std::string> names;
      Terminals                t;
      std::getline(in, line);
      std::stringstream header(line);
      for (std::string name; std::getline(header, name, ',');)
        names.push_back(name.substr(0, name.find('[')));
      while (std::getline(in, line))
        {
          std::stringstream row(line);
          std::string       value;
          for (unsigned c = 0; std::getline(row, value, ','); ++c)
            t.columns[names.at(c)].push_back(std::stod(value));
        }
      return t;
    }

    /**
     * A deck run in-process, the executable's code path: the deck (with
     * `Dimension` set to dim) is parsed and the simulator set up on
     * construction; run() writes the outputs to the scratch directory and
     * returns terminals.csv. The simulator stays available for point queries.
     */
    template <int dim>
    struct DeckRun
    {
      DeckRun(const std::string &name, const std::string &deck, const std::vector<Override> &overrides = {})
          : name(name)
          , prm(write_deck(name, "set Dimension = " + std::to_string(dim) + "\n" + deck), overrides)
          , log(dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
          , simulator(prm, MPI_COMM_WORLD, log)
      {
        log.quiet_terminal(true);
        simulator.setup();
      }

      Terminals
      run()
      {
        const std::string dir = scratch_directory() + "/" + name + "_out";
        simulator.run(dir);
        MPI_Barrier(MPI_COMM_WORLD);
        return read_terminals(dir + "/terminals.csv");
      }

      std::string    name;
      Parameters     prm;
      RunLog         log;
      Simulator<dim> simulator;
    };

    /// Run a deck in-process and return its terminals.csv.
    template <int dim>
    Terminals
    run_deck(const std::string &name, const std::string &deck, const std::vector<Override> &overrides = {})
    {
      return DeckRun<dim>(name, deck, overrides).run();
    }

    /// The time at which @p y crosses zero (linear interpolation), or -1.
    inline double
    zero_crossing(const std::vector<double> &t, const std::vector<double> &y)
    {
      for (std::size_t i = 1; i < y.size(); ++i)
        if ((y[i - 1] < 0) != (y[i] < 0))
          return t[i - 1] + (t[i] - t[i - 1]) * (0 - y[i - 1]) / (y[i] - y[i - 1]);
      return -1;
    }

    /**
     * A small 2D hBN/In2Se3 stack (both polarization axes, a partial top
     * contact, a random start) for checks of the TDGL Jacobian, with
     * @p in2se3_keys ("    set KEY = VALUE\n" lines) in its In2Se3
     * material subsection; @return the Jacobian's relative difference from
     * central finite differences (Simulator::jacobian_check).
     */
    inline double
    in2se3_jacobian_error(const std::string &name, const std::string &in2se3_keys)
    {
      const std::string deck = R"(set Dimension = 2
subsection Stack
  set Layers = ox: hBN: 3 : 3, fe: In2Se3: 6 : 6
  set Width = 12
  set Lateral cells = 6
end
subsection Contacts
  set List = g: bottom: metal(Pt), s: top[0,4]: metal(Au)
end
subsection Physics
  set Polarization = dynamic
end
subsection Initial polarization
  set Mode = random
  set Value = 0.7, 0.9
end
subsection Materials
  subsection In2Se3
)" + in2se3_keys + R"(  end
end
)";
      const Parameters prm(write_deck(name, deck));
      RunLog           log(false);
      Simulator<2>     simulator(prm, MPI_COMM_WORLD, log);
      simulator.setup();
      return simulator.jacobian_check();
    }

    /// The directory of the sources (for inputs/ and meshes/).
    inline std::string
    source_directory()
    {
      return FERROSTACK_SOURCE_DIR;
    }
  } // namespace Testing
} // namespace FerroStack

#endif
