// The help of a command, written from its CLI::App: the usage lines, the
// description, one line per option (from its names, placeholder and
// description), and the examples (the App's footer).
#include <algorithm>
#include <string>
#include <vector>

#include "sim/cli/command.h"

namespace cmksim {
namespace {

constexpr std::size_t kUsageWidth = 100;   // where the usage lines wrap
constexpr std::size_t kOptionColumn = 26;  // where an option's description starts

bool takes_value(const CLI::Option& o) { return o.get_items_expected_max() > 0; }
bool is_operand(const CLI::Option& o) { return !o.nonpositional(); }

// In the usage: "[-o out.db]", "SCENARIO.yaml...", "[--set name=value]...".
std::string usage_entry(const CLI::Option& o) {
  const bool repeats = !is_operand(o) && o.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll;
  return (o.get_required() ? usage_word(o) : "[" + usage_word(o) + "]") + (repeats ? "..." : "");
}

// The option's names and placeholder in the help: "-o, --output out.db".
std::string option_label(const CLI::Option& o) {
  std::string label;
  for (const std::string& s : o.get_snames()) label += (label.empty() ? "-" : ", -") + s;
  for (const std::string& l : o.get_lnames()) label += (label.empty() ? "--" : ", --") + l;
  return takes_value(o) ? label + " " + o.get_type_name() : label;
}

class HelpFormatter : public CLI::FormatterBase {
 public:
  std::string make_help(const CLI::App* app, std::string, CLI::AppFormatMode) const override {
    return command_help(*app);
  }
};

}  // namespace

std::string usage_word(const CLI::Option& o) {
  const std::string placeholder = o.get_type_name();
  if (is_operand(o)) {
    const bool many = o.get_expected_max() > 1 && placeholder.find(' ') == std::string::npos;
    return placeholder + (many ? "..." : "");
  }
  const std::string name = o.get_snames().empty() ? "--" + o.get_lnames().front() : "-" + o.get_snames().front();
  return takes_value(o) ? name + " " + placeholder : name;
}

std::string usage_lines(const CLI::App& app) {
  const std::string head = "usage: cmksim " + app.get_name();
  std::vector<std::string> words;  // the operands, then the options but --help
  for (const CLI::Option* o : app.get_options()) {
    if (is_operand(*o)) words.push_back(usage_entry(*o));
  }
  for (const CLI::Option* o : app.get_options()) {
    if (!is_operand(*o) && o != app.get_help_ptr()) words.push_back(usage_entry(*o));
  }
  std::string text = head;
  std::size_t line_start = 0;
  for (const std::string& w : words) {
    if (text.size() - line_start + 1 + w.size() > kUsageWidth) {
      line_start = text.size() + 1;
      text += "\n" + std::string(head.size(), ' ');
    }
    text += " " + w;
  }
  return text + "\n";
}

std::string command_help(const CLI::App& app) {
  std::string text = usage_lines(app) + app.get_description() + "\noptions:\n";
  std::vector<const CLI::Option*> options = app.get_options([](const CLI::Option* o) { return !is_operand(*o); });
  std::stable_partition(options.begin(), options.end(), [&](const CLI::Option* o) { return o != app.get_help_ptr(); });
  for (const CLI::Option* o : options) {  // --help last
    std::string line = "  " + option_label(*o);
    line += line.size() + 2 > kOptionColumn ? "  " : std::string(kOptionColumn - line.size(), ' ');
    for (const char c : o->get_description()) line += c == '\n' ? "\n" + std::string(kOptionColumn, ' ') : std::string(1, c);
    text += line + "\n";
  }
  return text + "\n" + app.get_footer();
}

std::shared_ptr<CLI::FormatterBase> help_formatter() { return std::make_shared<HelpFormatter>(); }

}  // namespace cmksim
