#ifndef ferrostack_base_deck_scanner_h
#define ferrostack_base_deck_scanner_h

#include <map>
#include <string>
#include <vector>

namespace FerroStack
{
  /**
   * A light reader of the text of a ParameterHandler file that remembers
   * where each `set` statement stands. ParameterHandler reports syntax and
   * pattern errors with their line; the checks that need the whole deck (a
   * material that is not in the library, a contact outside the device) use
   * this class to name the line as well. It also reads the few values that
   * decide which keys exist before the deck is parsed in full (the contact
   * names that become `Bias` keys, the material library to load).
   */
  class DeckScanner
  {
  public:
    /// Where a value came from: a file and line, or a `--set` override.
    struct Location
    {
      std::string file;
      int         line = 0; ///< 0 when not from a file
      std::string
      describe() const;
    };

    /// Read @p filename; throws DeckError if it cannot be opened.
    explicit DeckScanner(const std::string &filename);

    /// Record a `--set Path/To/Key=value` override.
    void
    add_override(const std::string &path, const std::string &value);

    /// Whether a value was given for "Section/Sub/Key".
    bool
    has(const std::string &path) const;

    /// The value given for @p path (the last one wins), or @p fallback.
    std::string
    value(const std::string &path, const std::string &fallback = "") const;

    /// Where @p path was set; the file with line 0 if it was not.
    Location
    location(const std::string &path) const;

    /// Names of the subsections directly inside @p path ("" = top level).
    std::vector<std::string>
    subsections(const std::string &path) const;

    const std::string &
    filename() const
    {
      return file;
    }

  private:
    struct Entry
    {
      std::string value;
      Location    where;
    };
    std::string                                     file;
    std::map<std::string, Entry>                    entries;
    std::map<std::string, std::vector<std::string>> children;
    std::map<std::string, int>                      subsection_lines;
  };
} // namespace FerroStack

#endif
