#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>
#include <deal.II/grid/cell_id.h>
#include <deal.II/lac/vector.h>

#include <base/deck_error.h>
#include <base/text_utilities.h>
#include <postprocess/output_writer.h>
#include <postprocess/terminals_writer.h>
#include <solvers/simulator.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <type_traits>
#include <unordered_map>

#include <fcntl.h>
#include <unistd.h>

/**
 * @file
 * Checkpoint/restart (deck-spec.md, `Output/Checkpoint every`, `--restart`).
 *
 * What is stored. Everything the next step depends on: the accepted
 * solution vectors the variable-step BDF2 formula and the error estimate use
 * (up to three), the time, the next step, the last step, the next stop, the
 * counters, the contact charges of the accepted states (displacement
 * currents) and the output counters (rows of terminals.csv, entries of
 * solution.pvd): TimeStepperState. Nothing else carries over from one step to
 * the next (the BDF history vectors, the Jacobian and the Newton reference
 * are rebuilt from these at every step), so a run restarted at the same
 * number of ranks repeats the uninterrupted run's arithmetic exactly.
 *
 * How vectors are stored: cell by cell, keyed by the CellId, with the
 * cell's dof values (get_dof_values on the ghosted vector: the values of
 * dofs shared between cells, and between ranks, are copies of the owner's
 * value, hence bitwise consistent). The issue suggests p4est save/load
 * (DESIGN.md: Triangulation::save/load + SolutionTransfer); it is not used
 * because (i) the mesh has no adaptivity and is regenerated from the deck,
 * so there is no mesh to restore, only values; (ii) p4est has no 1D, and
 * 1D runs on parallel::shared, which would need a second code path; (iii) a
 * CellId is independent of the partition, so the same file restarts on any
 * number of ranks, in 1D, 2D and 3D alike. On load, each rank sets the
 * entries it owns from its own cells (every locally owned dof lies on a
 * locally owned cell), so no communication is needed and the restored
 * vector is bitwise the saved one. The CellIds of the regenerated mesh are
 * those of the checkpointed one because the coarse mesh and the global
 * refinement are a deterministic function of the deck; a deck whose mesh or
 * fields differ is caught by the cell count, the dof count, the field list
 * and, per cell, the active FE (region) and its dof count.
 *
 * The file. One file per checkpoint, DIR/checkpoint/state-NNNNNNNN.ckpt,
 * written by rank 0 after a gather (simple; the memory of one copy of the
 * solution on rank 0 is small next to the Jacobian's): magic, header,
 * TimeStepperState, cell records, then a trailer with an FNV-1a checksum of
 * everything before it and an end marker. Native byte order (checkpoints
 * are for continuing on the same cluster, not an exchange format).
 *
 * Atomicity. The file is written to state-NNNNNNNN.ckpt.tmp, fsync'ed,
 * renamed to its final name (atomic within a directory) and the directory
 * fsync'ed; only then are older checkpoints removed (the newest two are
 * kept). A checkpoint's name therefore only ever denotes a complete file,
 * and a SIGKILL at any moment leaves the previous checkpoint in place.
 * Before that, terminals.csv and solution.pvd are fsync'ed, so that the rows
 * and entries a checkpoint counts are on disk when it is. A restart takes
 * the highest-numbered file that passes the checksum (a .tmp is never read).
 * A run that does not continue in place removes DIR/checkpoint first (see
 * Simulator::run), so that an earlier run's checkpoints never look newer.
 */

namespace FerroStack
{
  using namespace dealii;
  namespace fs = std::filesystem;

  namespace
  {
    const std::string magic      = "FERROSTACK-CHECKPOINT 1\n";
    const std::string end_marker = "\nEND-FERROSTACK-CHECKPOINT\n";

    /// Appends plain values to a byte string.
    class ByteWriter
    {
    public:
      template <typename T>
      void
      put(const T &value)
      {
        static_assert(std::is_trivially_copyable_v<T>);
        bytes.append(reinterpret_cast<const char *>(&value), sizeof(T));
      }
      void
      put(const std::string &text)
      {
        put(std::uint64_t(text.size()));
        bytes += text;
      }
      void
      put(const std::vector<double> &values)
      {
        put(std::uint64_t(values.size()));
        bytes.append(reinterpret_cast<const char *>(values.data()), values.size() * sizeof(double));
      }
      std::string bytes;
    };

    /// Reads what ByteWriter wrote; throws std::runtime_error past the end.
    class ByteReader
    {
    public:
      ByteReader(const std::string &bytes, const std::size_t begin, const std::size_t end)
          : bytes(bytes)
          , position(begin)
          , end(end)
      {}
      template <typename T>
      T
      get()
      {
        static_assert(std::is_trivially_copyable_v<T>);
        T value;
        std::memcpy(&value, take(sizeof(T)), sizeof(T));
        return value;
      }
      std::string
      get_string()
      {
        const auto n = get<std::uint64_t>();
        return std::string(take(n), n);
      }
      std::vector<double>
      get_doubles()
      {
        const auto          n = get<std::uint64_t>();
        std::vector<double> values(n);
        std::memcpy(values.data(), take(n * sizeof(double)), n * sizeof(double));
        return values;
      }
      const char *
      take(const std::size_t n)
      {
        if (n > end - position)
          throw std::runtime_error("it ends in the middle of a record");
        const char *p = bytes.data() + position;
        position += n;
        return p;
      }
      std::size_t
      remaining() const
      {
        return end - position;
      }

    private:
      const std::string &bytes;
      std::size_t        position, end;
    };

    std::uint64_t
    fnv1a(const char *data, const std::size_t n)
    {
      std::uint64_t hash = 14695981039346656037ull;
      for (std::size_t i = 0; i < n; ++i)
        {
          hash ^= static_cast<unsigned char>(data[i]);
          hash *= 1099511628211ull;
        }
      return hash;
    }

    /// Write @p bytes to @p name and fsync it (throws on failure).
    void
    write_durably(const std::string &name, const std::string &bytes)
    {
      const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd < 0)
        throw std::runtime_error("cannot write " + name + ": " + std::strerror(errno));
      std::size_t done = 0;
      while (done < bytes.size())
        {
          const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            {
              const std::string why = std::strerror(errno);
              ::close(fd);
              throw std::runtime_error("cannot write " + name + ": " + why);
            }
          done += n;
        }
      if (::fsync(fd) != 0 || ::close(fd) != 0)
        throw std::runtime_error("cannot write " + name + ": " + std::strerror(errno));
    }

    /// fsync an existing file or directory (best effort: rows and entries
    /// the checkpoint counts, the directory entry of a rename).
    void
    sync_path(const std::string &name)
    {
      const int fd = ::open(name.c_str(), O_RDONLY);
      if (fd >= 0)
        {
          ::fsync(fd);
          ::close(fd);
        }
    }

    /// The checkpoints in @p directory, newest (highest number) first.
    std::vector<fs::path>
    checkpoint_files(const std::string &directory)
    {
      std::vector<std::pair<std::uint64_t, fs::path>> found;
      std::error_code                                 error;
      for (const auto &entry : fs::directory_iterator(directory, error))
        {
          const std::string name = entry.path().filename().string();
          if (name.size() == 19 && name.rfind("state-", 0) == 0 && name.substr(14) == ".ckpt" &&
              name.substr(6, 8).find_first_not_of("0123456789") == std::string::npos)
            found.emplace_back(std::stoull(name.substr(6, 8)), entry.path());
        }
      std::sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
      std::vector<fs::path> files;
      for (const auto &f : found)
        files.push_back(f.second);
      return files;
    }

    std::string
    checkpoint_name(const std::uint64_t sequence)
    {
      return "state-" + Utilities::int_to_string(sequence, 8) + ".ckpt";
    }

    /// The whole file, or an empty string and a reason.
    std::string
    read_whole(const fs::path &file, std::string &why)
    {
      std::ifstream in(file, std::ios::binary);
      if (!in)
        {
          why = "cannot be read";
          return {};
        }
      std::ostringstream content;
      content << in.rdbuf();
      return content.str();
    }

    /// Whether @p bytes is a complete checkpoint (magic, end marker, checksum).
    bool
    complete(const std::string &bytes, std::string &why)
    {
      const std::size_t trailer = sizeof(std::uint64_t) + end_marker.size();
      if (bytes.size() < magic.size() + trailer || bytes.compare(0, magic.size(), magic) != 0)
        {
          why = "is not a FerroStack checkpoint (no header)";
          return false;
        }
      if (bytes.compare(bytes.size() - end_marker.size(), end_marker.size(), end_marker) != 0)
        {
          why = "is incomplete (no end marker: written only in part)";
          return false;
        }
      std::uint64_t stored;
      std::memcpy(&stored, bytes.data() + bytes.size() - trailer, sizeof(stored));
      if (stored != fnv1a(bytes.data(), bytes.size() - trailer))
        {
          why = "is corrupt (checksum mismatch)";
          return false;
        }
      return true;
    }

    /// On every rank: the first non-empty message of any rank, or "".
    std::string
    first_error(const std::string &local, const MPI_Comm comm)
    {
      for (const std::string &message : Utilities::MPI::all_gather(comm, local))
        if (!message.empty())
          return message;
      return {};
    }
  } // namespace

  template <int dim>
  bool
  Simulator<dim>::checkpoint_due()
  {
    ++steps_since_checkpoint;
    int due = 0;
    if (Utilities::MPI::this_mpi_process(comm) == 0)
      {
        const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - last_checkpoint_time).count();
        due = (prm.checkpoint_every > 0 && elapsed >= prm.checkpoint_every) ||
              (prm.checkpoint_every_steps > 0 && steps_since_checkpoint >= prm.checkpoint_every_steps);
      }
    // Wall clocks differ between ranks: rank 0's decides for all.
    MPI_Bcast(&due, 1, MPI_INT, 0, comm);
    return due != 0;
  }

  namespace
  {
    /// The fields and the element: a checkpoint fits a deck only if they agree.
    template <int dim>
    std::string
    field_signature(const FieldRegistry<dim> &fields, const unsigned degree)
    {
      std::string signature = "Q" + std::to_string(degree);
      for (unsigned f = 0; f < fields.n_fields(); ++f)
        signature += ", " + fields.field(f).name + "(" + std::to_string(fields.field(f).n_components) + ")";
      return signature;
    }
  } // namespace

  template <int dim>
  void
  Simulator<dim>::write_checkpoint(TimeStepperState                               state,
                                   const std::vector<PETScWrappers::MPI::Vector> &states,
                                   const TerminalsWriter                         &terminals,
                                   const OutputWriter<dim>                       &output)
  {
    const bool root     = Utilities::MPI::this_mpi_process(comm) == 0;
    state.terminal_rows = terminals.n_rows();
    state.field_records = output.records();
    state.sequence      = checkpoint_sequence;

    // This rank's cells: id, active FE, dof values of every state.
    ByteWriter                              cells;
    std::vector<PETScWrappers::MPI::Vector> ghosted;
    for (const auto &v : states)
      {
        ghosted.emplace_back(locally_owned_dofs, locally_relevant_dofs, comm);
        ghosted.back() = v;
      }
    std::uint64_t  n_cells = 0;
    Vector<double> values;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          ++n_cells;
          cells.put(cell->id().to_string());
          cells.put(std::uint32_t(cell->active_fe_index()));
          values.reinit(cell->get_fe().n_dofs_per_cell());
          cells.put(std::uint32_t(values.size()));
          for (const auto &v : ghosted)
            {
              cell->get_dof_values(v, values);
              cells.bytes.append(reinterpret_cast<const char *>(values.data()),
                                 values.size() * sizeof(double));
            }
        }
    const std::vector<std::string>   pieces = Utilities::MPI::gather(comm, cells.bytes, 0);
    const std::vector<std::uint64_t> counts = Utilities::MPI::gather(comm, n_cells, 0);

    std::string error;
    if (root)
      try
        {
          ByteWriter file;
          file.bytes = magic;
          file.put(std::uint32_t(dim));
          file.put(std::uint32_t(state.kind));
          file.put(std::uint64_t(stack->triangulation().n_global_active_cells()));
          file.put(std::uint64_t(dof_handler.n_dofs()));
          file.put(field_signature(fields, prm.degree));
          file.put(std::uint32_t(Utilities::MPI::n_mpi_processes(comm)));
          file.put(state.sequence);
          file.put(state.t);
          file.put(state.dt);
          file.put(state.last_dt);
          file.put(state.next_stop);
          file.put(state.accepted);
          file.put(state.rejected);
          file.put(state.failed);
          file.put(state.newton_iterations);
          file.put(state.linear_iterations);
          file.put(state.assembly_seconds);
          file.put(state.solve_seconds);
          file.put(state.setup_seconds);
          file.put(state.times);
          file.put(std::uint64_t(state.charge_history.size()));
          for (const auto &charges : state.charge_history)
            file.put(charges);
          file.put(state.terminal_rows);
          file.put(std::uint64_t(state.field_records.size()));
          for (const auto &record : state.field_records)
            {
              file.put(record.first);
              file.put(record.second);
            }
          file.put(std::uint32_t(states.size()));
          std::uint64_t total = 0;
          for (const auto c : counts)
            total += c;
          file.put(total);
          for (const std::string &piece : pieces)
            file.bytes += piece;
          file.put(fnv1a(file.bytes.data(), file.bytes.size()));
          file.bytes += end_marker;

          fs::create_directories(checkpoint_directory);
          const fs::path directory = fs::path(checkpoint_directory).parent_path();
          sync_path((directory / "terminals.csv").string());
          sync_path((directory / "solution.pvd").string());
          const std::string final_name = checkpoint_directory + "/" + checkpoint_name(state.sequence);
          write_durably(final_name + ".tmp", file.bytes);
          if (std::rename((final_name + ".tmp").c_str(), final_name.c_str()) != 0)
            throw std::runtime_error("cannot rename " + final_name + ".tmp: " + std::strerror(errno));
          sync_path(checkpoint_directory);
          // Keep the newest two: the previous one stays if the newest
          // should ever be unreadable.
          const std::vector<fs::path> files = checkpoint_files(checkpoint_directory);
          std::error_code             ignored;
          for (std::size_t i = 2; i < files.size(); ++i)
            fs::remove(files[i], ignored);
        }
      catch (const std::exception &e)
        {
          error = std::string("checkpoint: ") + e.what();
        }
    error = first_error(error, comm);
    if (!error.empty())
      throw std::runtime_error(error);
    ++checkpoint_sequence;
    last_checkpoint_time   = std::chrono::steady_clock::now();
    steps_since_checkpoint = 0;
  }

  template <int dim>
  void
  Simulator<dim>::load_checkpoint(const std::string &directory, const std::string &header)
  {
    const bool        root   = Utilities::MPI::this_mpi_process(comm) == 0;
    const std::string folder = directory + "/checkpoint";

    // Rank 0 picks the newest complete checkpoint; every rank then reads it.
    std::string chosen, error;
    if (root)
      {
        std::vector<std::string> rejected;
        if (!fs::is_directory(folder))
          error = "--restart " + directory + ": there is no checkpoint: " + folder +
                  " does not exist (a transient run writes one every `Output/Checkpoint every` seconds and "
                  "at its end)";
        else
          {
            for (const fs::path &file : checkpoint_files(folder))
              {
                std::string       why;
                const std::string bytes = read_whole(file, why);
                if (why.empty() && complete(bytes, why))
                  {
                    chosen = file.string();
                    break;
                  }
                rejected.push_back(file.string() + " " + why);
              }
            if (chosen.empty())
              error = "--restart " + directory + ": no complete checkpoint in " + folder +
                      (rejected.empty() ? " (no state-NNNNNNNN.ckpt file)" : ": " + join(rejected, "; "));
          }
      }
    error = first_error(error, comm);
    if (!error.empty())
      throw DeckError(error);
    chosen = Utilities::MPI::broadcast(comm, chosen, 0);

    std::string       why;
    const std::string bytes = read_whole(chosen, why);
    if (why.empty())
      complete(bytes, why);
    error = first_error(why.empty() ? "" : "--restart: " + chosen + " " + why, comm);
    if (!error.empty())
      throw DeckError(error);

    auto state       = std::make_unique<TimeStepperState>();
    auto n_states    = std::uint32_t(0);
    using CellRecord = std::pair<std::uint32_t, const char *>; // active FE index, its values
    std::unordered_map<std::string, std::pair<CellRecord, std::uint32_t>> cells;
    try
      {
        ByteReader in(bytes, magic.size(), bytes.size() - sizeof(std::uint64_t) - end_marker.size());
        const auto mismatch =
          [&](const std::string &what, const std::string &checkpoint, const std::string &deck) {
            return "--restart: " + chosen + " does not fit the deck " + prm.deck_file + ": " + what +
                   " (checkpoint: " + checkpoint + ", deck: " + deck + ")";
          };
        const auto file_dim = in.get<std::uint32_t>();
        if (file_dim != dim)
          throw DeckError(mismatch("dimension", std::to_string(file_dim), std::to_string(dim)));
        state->kind          = TimeStepperState::Kind(in.get<std::uint32_t>());
        const bool transient = !quasi_static();
        if ((state->kind == TimeStepperState::Kind::transient) != transient)
          throw DeckError(
            mismatch("time loop",
                     state->kind == TimeStepperState::Kind::transient ? "transient" : "quasi-static",
                     transient ? "transient" : "quasi-static"));
        const auto n_cells = in.get<std::uint64_t>();
        if (n_cells != stack->triangulation().n_global_active_cells())
          throw DeckError(mismatch("number of cells",
                                   std::to_string(n_cells),
                                   std::to_string(stack->triangulation().n_global_active_cells())));
        const auto n_dofs = in.get<std::uint64_t>();
        if (n_dofs != dof_handler.n_dofs())
          throw DeckError(
            mismatch("number of unknowns", std::to_string(n_dofs), std::to_string(dof_handler.n_dofs())));
        const std::string signature = in.get_string();
        if (signature != field_signature(fields, prm.degree))
          throw DeckError(mismatch("fields", signature, field_signature(fields, prm.degree)));
        in.get<std::uint32_t>(); // ranks of the run that wrote it (any number may continue)
        state->sequence          = in.get<std::uint64_t>();
        state->t                 = in.get<double>();
        state->dt                = in.get<double>();
        state->last_dt           = in.get<double>();
        state->next_stop         = in.get<std::uint64_t>();
        state->accepted          = in.get<std::uint32_t>();
        state->rejected          = in.get<std::uint32_t>();
        state->failed            = in.get<std::uint32_t>();
        state->newton_iterations = in.get<std::uint32_t>();
        state->linear_iterations = in.get<std::uint32_t>();
        state->assembly_seconds  = in.get<double>();
        state->solve_seconds     = in.get<double>();
        state->setup_seconds     = in.get<double>();
        state->times             = in.get_doubles();
        state->charge_history.resize(in.get<std::uint64_t>());
        for (auto &charges : state->charge_history)
          {
            charges = in.get_doubles();
            if (charges.size() != prm.contacts.size())
              throw DeckError(mismatch("number of contacts",
                                       std::to_string(charges.size()),
                                       std::to_string(prm.contacts.size())));
          }
        state->terminal_rows = in.get<std::uint64_t>();
        state->field_records.resize(in.get<std::uint64_t>());
        for (auto &record : state->field_records)
          {
            record.first  = in.get<double>();
            record.second = in.get_string();
          }
        n_states = in.get<std::uint32_t>();
        if (n_states < 1 || n_states > 3 || state->times.size() != n_states ||
            state->charge_history.size() != n_states)
          throw std::runtime_error("it holds an inconsistent number of states");
        const auto n_records = in.get<std::uint64_t>();
        if (n_records != n_cells)
          throw std::runtime_error("it holds " + std::to_string(n_records) + " cells of " +
                                   std::to_string(n_cells));
        for (std::uint64_t c = 0; c < n_records; ++c)
          {
            std::string id       = in.get_string();
            const auto  fe_index = in.get<std::uint32_t>();
            const auto  n_values = in.get<std::uint32_t>();
            const char *values   = in.take(std::size_t(n_values) * n_states * sizeof(double));
            cells.emplace(std::move(id), std::make_pair(CellRecord(fe_index, values), n_values));
          }
        if (in.remaining() != 0)
          throw std::runtime_error("it has bytes after its last cell");
        error.clear();
      }
    catch (const DeckError &e)
      {
        error = e.what();
      }
    catch (const std::exception &e)
      {
        error = "--restart: " + chosen + " cannot be read: " + e.what();
      }
    error = first_error(error, comm);
    if (!error.empty())
      throw DeckError(error);

    // The rows the checkpoint counts must be in DIR/terminals.csv.
    if (root)
      {
        const std::string csv = directory + "/terminals.csv";
        std::ifstream     in(csv);
        std::string       line;
        std::uint64_t     lines        = 0;
        bool              same_columns = false;
        while (lines < state->terminal_rows + 1 && std::getline(in, line))
          {
            if (lines == 0)
              same_columns = line == header;
            ++lines;
          }
        if (!in && lines == 0)
          error = "--restart: " + csv + " is missing; the checkpoint continues its " +
                  std::to_string(state->terminal_rows) + " rows";
        else if (!same_columns)
          error = "--restart: " + csv + " has other columns than the deck " + prm.deck_file + " gives";
        else if (lines < state->terminal_rows + 1)
          error = "--restart: " + csv + " has " + std::to_string(lines - 1) + " rows, the checkpoint " +
                  chosen + " needs " + std::to_string(state->terminal_rows);
      }
    error = first_error(error, comm);
    if (!error.empty())
      throw DeckError(error);

    // Each rank sets the entries it owns from its own cells.
    restart_vectors.assign(n_states, PETScWrappers::MPI::Vector(locally_owned_dofs, comm));
    std::vector<types::global_dof_index> indices;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned() && error.empty())
        {
          const auto record = cells.find(cell->id().to_string());
          if (record == cells.end())
            {
              error = "--restart: " + chosen + " does not fit the deck " + prm.deck_file +
                      ": it has no cell " + cell->id().to_string() + " (the mesh differs)";
              break;
            }
          const unsigned n_values = record->second.second;
          if (record->second.first.first != cell->active_fe_index() ||
              n_values != cell->get_fe().n_dofs_per_cell())
            {
              error = "--restart: " + chosen + " does not fit the deck " + prm.deck_file + ": cell " +
                      cell->id().to_string() + " has other fields or regions";
              break;
            }
          indices.resize(n_values);
          cell->get_dof_indices(indices);
          const char *values = record->second.first.second;
          for (unsigned s = 0; s < n_states; ++s)
            for (unsigned i = 0; i < n_values; ++i)
              if (locally_owned_dofs.is_element(indices[i]))
                {
                  double value;
                  std::memcpy(&value,
                              values + (std::size_t(s) * n_values + i) * sizeof(double),
                              sizeof(double));
                  restart_vectors[s](indices[i]) = value;
                }
        }
    error = first_error(error, comm);
    if (!error.empty())
      throw DeckError(error);
    for (auto &v : restart_vectors)
      v.compress(VectorOperation::insert);

    solution                  = restart_vectors[0];
    locally_relevant_solution = solution;
    checkpoint_sequence       = state->sequence + 1;
    restart_state             = std::move(state);
    restart_directory         = directory;
  }

  template class Simulator<1>;
  template class Simulator<2>;
  template class Simulator<3>;
} // namespace FerroStack
