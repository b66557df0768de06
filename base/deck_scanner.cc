#include <base/deck_error.h>
#include <base/deck_scanner.h>
#include <base/text_utilities.h>

#include <fstream>

namespace FerroStack
{
  std::string
  DeckScanner::Location::describe() const
  {
    if (line > 0)
      return file + ":" + std::to_string(line);
    return file;
  }

  DeckScanner::DeckScanner(const std::string &filename)
      : file(filename)
  {
    std::ifstream in(filename);
    if (!in)
      throw DeckError(filename + ": cannot open the deck file");

    std::vector<std::string> section;
    std::string              line, statement;
    int                      line_number = 0, statement_line = 0;
    while (std::getline(in, line))
      {
        ++line_number;
        const auto hash = line.find('#');
        if (hash != std::string::npos)
          line.erase(hash);
        line = trim(line);
        if (statement.empty())
          statement_line = line_number;
        if (!line.empty() && line.back() == '\\')
          {
            statement += line.substr(0, line.size() - 1) + " ";
            continue;
          }
        statement = trim(statement + line);
        if (statement.empty())
          continue;

        const std::string path = join(section, "/");
        if (statement.rfind("subsection ", 0) == 0)
          {
            const std::string name = trim(statement.substr(11));
            children[path].push_back(name);
            section.push_back(name);
            subsection_lines[join(section, "/")] = statement_line;
          }
        else if (statement == "end")
          {
            if (section.empty())
              throw DeckError(filename + ":" + std::to_string(statement_line) +
                              ": 'end' without a matching 'subsection'");
            section.pop_back();
          }
        else if (statement.rfind("set ", 0) == 0)
          {
            const auto        equal = statement.find('=');
            const std::string key   = trim(statement.substr(4, equal - 4));
            const std::string value = equal == std::string::npos ? "" : trim(statement.substr(equal + 1));
            entries[path.empty() ? key : path + "/" + key] = {value, {filename, statement_line}};
          }
        statement.clear();
      }
  }

  void
  DeckScanner::add_override(const std::string &path, const std::string &value)
  {
    entries[path] = {value, {"--set " + path + "=" + value, 0}};
  }

  bool
  DeckScanner::has(const std::string &path) const
  {
    return entries.count(path) > 0;
  }

  std::string
  DeckScanner::value(const std::string &path, const std::string &fallback) const
  {
    const auto entry = entries.find(path);
    return entry == entries.end() ? fallback : entry->second.value;
  }

  DeckScanner::Location
  DeckScanner::location(const std::string &path) const
  {
    const auto entry = entries.find(path);
    if (entry != entries.end())
      return entry->second.where;
    const auto section = subsection_lines.find(path);
    if (section != subsection_lines.end())
      return {file, section->second};
    return {file, 0};
  }

  std::vector<std::string>
  DeckScanner::subsections(const std::string &path) const
  {
    const auto entry = children.find(path);
    return entry == children.end() ? std::vector<std::string>() : entry->second;
  }
} // namespace FerroStack
