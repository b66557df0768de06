#ifndef ferrostack_solvers_run_log_h
#define ferrostack_solvers_run_log_h

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace FerroStack
{
  /**
   * What a run prints: on rank 0 to the terminal and, once the output
   * directory exists, to run.log as well (deck-spec.md, "What a run
   * writes"). Lines printed before the file opens are kept and written
   * into it when it does.
   */
  class RunLog
  {
  public:
    explicit RunLog(const bool is_root)
        : root(is_root)
    {}

    /// Write into @p filename from now on (appending after its content if
    /// @p append: a restarted run continues the killed run's log).
    void
    open(const std::string &filename, const bool append = false)
    {
      if (!root)
        return;
      file.open(filename, append ? std::ios::app : std::ios::out);
      file << early.str();
      file.flush();
    }

    /// Print @p text (a newline is not added).
    void
    print(const std::string &text)
    {
      if (!root || quiet_terminal_flag)
        {
          if (root)
            write_file(text);
          return;
        }
      std::cout << text << std::flush;
      write_file(text);
    }

    /// Keep the terminal quiet (tests); run.log still gets everything.
    void
    quiet_terminal(const bool q)
    {
      quiet_terminal_flag = q;
    }

  private:
    void
    write_file(const std::string &text)
    {
      if (file.is_open())
        file << text << std::flush;
      else
        early << text;
    }

    bool               root;
    bool               quiet_terminal_flag = false;
    std::ofstream      file;
    std::ostringstream early;
  };
} // namespace FerroStack

#endif
