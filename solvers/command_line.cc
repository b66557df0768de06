#include <base/deck_error.h>
#include <solvers/command_line.h>

namespace FerroStack
{
  std::string
  CommandLine::usage()
  {
    return "usage: ferrostack DECK.prm [--output DIR] [--set \"Section/Sub/Key=value\"]... [--check] "
           "[--restart DIR]\n"
           "       ferrostack --print-parameters\n"
           "       mpirun -np N ferrostack DECK.prm\n"
           "  --output DIR        write results into DIR (default: the deck's Output/Directory)\n"
           "  --set PATH=VALUE    override one deck key (repeatable), e.g. --set \"Bias/gate=DC 2\"\n"
           "  --check             validate the deck, build the mesh, print a summary, write nothing\n"
           "  --restart DIR       continue from the newest checkpoint in DIR\n"
           "  --print-parameters  print every key with its default, unit and documentation\n"
           "  --print-protocol    check the deck and print its Protocol section as JSON in SI units\n"
           "                      (for ferrostack-protocol)\n";
  }

  CommandLine::CommandLine(const int argc, const char *const *argv)
  {
    for (int i = 1; i < argc; ++i)
      {
        const std::string arg  = argv[i];
        const auto        next = [&](const std::string &option) {
          if (i + 1 >= argc)
            throw DeckError(option + " expects a value\n" + usage());
          return std::string(argv[++i]);
        };
        if (arg == "--output")
          output = next(arg);
        else if (arg == "--set")
          {
            const std::string assignment = next(arg);
            const auto        equal      = assignment.find('=');
            if (equal == std::string::npos || equal == 0)
              throw DeckError("--set " + assignment + ": expected --set \"Section/Key=value\"");
            overrides.emplace_back(assignment.substr(0, equal), assignment.substr(equal + 1));
          }
        else if (arg == "--check")
          check = true;
        else if (arg == "--restart")
          restart = next(arg);
        else if (arg == "--print-parameters")
          print_parameters = true;
        else if (arg == "--print-protocol")
          print_protocol = true;
        else if (arg == "--help" || arg == "-h")
          help = true;
        else if (!arg.empty() && arg[0] == '-')
          throw DeckError("unknown option " + arg + "\n" + usage());
        else if (deck.empty())
          deck = arg;
        else
          throw DeckError("only one deck may be given (got " + deck + " and " + arg + ")\n" + usage());
      }
    if (!print_parameters && !help && deck.empty())
      throw DeckError("no deck given\n" + usage());
  }
} // namespace FerroStack
