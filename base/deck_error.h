#ifndef ferrostack_base_deck_error_h
#define ferrostack_base_deck_error_h

#include <stdexcept>
#include <string>

namespace FerroStack
{
  /**
   * A bad deck or command line: the message names the file, the line, the
   * key and what was expected. The program prints it and exits with
   * exit_codes::bad_input before it writes anything.
   */
  class DeckError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  /// A solver that failed after all step cuts, or produced a non-finite value.
  class SolverError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  namespace exit_codes
  {
    constexpr int success      = 0;
    constexpr int other_error  = 1;
    constexpr int bad_input    = 2;
    constexpr int solver_error = 3;
  } // namespace exit_codes
} // namespace FerroStack

#endif
