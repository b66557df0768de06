#ifndef ferrostack_solvers_command_line_h
#define ferrostack_solvers_command_line_h

#include <solvers/parameters.h>

#include <string>
#include <vector>

namespace FerroStack
{
  /**
   * The command line of deck-spec.md:
   *   ferrostack DECK.prm [--output DIR] [--set "Section/Key=value"]...
   *              [--check] [--restart DIR] [--print-protocol]
   *   ferrostack --print-parameters
   */
  struct CommandLine
  {
    /// Parse argv; throws DeckError with the usage on a bad command line.
    CommandLine(const int argc, const char *const *argv);

    std::string           deck;
    std::string           output; ///< empty: the deck's Output/Directory
    std::vector<Override> overrides;
    bool                  check            = false;
    bool                  print_parameters = false;
    bool                  print_protocol   = false;
    bool                  help             = false;
    std::string           restart;

    static std::string
    usage();
  };
} // namespace FerroStack

#endif
