#include "sim/cli/commands.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "sim/cli/command.h"
#include "sim/core/text.h"

namespace cmksim {
namespace {

std::string usage() {
  std::string text =
      "cmksim: simulate log-analytics cluster storage under customer-managed-key events\n"
      "\n"
      "usage: cmksim COMMAND [options]      (cmksim COMMAND --help for its options)\n"
      "\n"
      "commands:\n";
  for (const Command& c : command_table()) {
    std::string name = c.name;
    name.resize(std::max<std::size_t>(name.size() + 1, 12), ' ');
    text += "  " + name + c.summary + "\n";
  }
  text +=
      "  --version   print the version\n"
      "\n"
      "example:\n"
      "  cmksim run scenarios/key-disabled-6h.yaml -o out.db --timing bounds\n";
  return text;
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const Command& c : command_table()) names.emplace_back(c.name);
  names.emplace_back("help");
  return names;
}

// Every name an option of `app` answers to, for "did you mean".
std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    for (const std::string& s : o->get_snames()) names.push_back("-" + s);
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
  }
  return names;
}

// The usage lines after a message (bad_input ends the line).
std::string usage_after(const CLI::App& app) {
  std::string usage = usage_lines(app);
  usage.pop_back();
  return "\n" + usage;
}

// CLI11 left arguments over: the first names the problem.
Error unexpected_argument(const CLI::App& app) {
  const std::vector<std::string> extras = app.remaining();
  const std::string first = extras.empty() ? "" : extras.front();
  if (first.size() > 1 && first[0] == '-') {
    return Error("unknown option '" + first + "'" + did_you_mean(first, option_names(app)));
  }
  const auto operands = app.get_options([](const CLI::Option* o) { return !o->nonpositional(); });
  if (operands.empty() || operands.back()->results().empty()) {
    return Error("takes no arguments (got '" + first + "')" + usage_after(app));
  }
  const CLI::Option& operand = *operands.back();
  return Error("one " + operand.get_description() + " at a time (got '" + operand.results().front() + "' and '" +
               first + "')");
}

Error missing_argument(const CLI::App& app) {
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_required() && o->count() == 0) {
      std::string word = usage_word(*o);
      if (word.size() > 3 && word.compare(word.size() - 3, 3, "...") == 0) word.resize(word.size() - 3);
      return Error("missing " + word + usage_after(app));
    }
  }
  return Error("missing an argument" + usage_after(app));
}

int run_command(const Command& command, const Args& args, std::ostream& out, std::ostream& err) {
  CommandAction action;
  const std::unique_ptr<CLI::App> app = make_app(command, action);
  if (wants_help(args)) {  // anywhere on the line, before any value is read
    out << app->help();
    return kExitOk;
  }
  if (const Status parsed = parse_command_line(*app, args); !parsed.ok()) {
    return bad_input(err, "cmksim " + std::string(command.name) + ": " + parsed.error().str());
  }
  return action(out, err);
}

}  // namespace

std::vector<Command> command_table() {
  return {
      {"run", "simulate a scenario, write its results database, print a summary", define_run},
      {"validate", "check scenarios and lint their plans, without simulating", define_validate},
      {"check", "run scenarios and evaluate their expect: blocks (JUnit with --junit)", define_check},
      {"report", "the security-review report of a run or a sweep (HTML, Markdown, PDF)", define_report},
      {"graph", "the resource graph (text or DOT), --at a time, --impact of a key", define_graph},
      {"sweep", "many seeded runs over a parameter grid, into one database", define_sweep},
      {"diff", "what changed between two results databases", define_diff},
      {"merge", "join the shards of a sweep into one database", define_merge},
      {"profiles", "the profiles, or every parameter of one", define_profiles},
      {"import", "write a scenario from your estate as Azure Resource Manager JSON describes it", define_import},
      {"init", "write a commented starting scenario from a template (--list: the templates)", define_init},
      {"schema", "the JSON Schema of scenario format v1, for editors", define_schema},
      {"reference", "the reference of the format, actions, parameters and database", define_reference},
      {"completion", "a completion script for bash or zsh", define_completion},
  };
}

std::unique_ptr<CLI::App> make_app(const Command& command, CommandAction& action) {
  auto app = std::make_unique<CLI::App>(command.summary, command.name);
  app->set_help_flag("-h,--help", "print this help");
  app->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // --seed 1 --seed 2: 2
  app->formatter(help_formatter());
  action = command.define(*app);
  return app;
}

Status parse_command_line(CLI::App& app, const Args& args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);  // CLI11 pops from the back
  try {
    app.parse(reversed);
    return {};
  } catch (const CLI::ExtrasError&) {
    return unexpected_argument(app);
  } catch (const CLI::RequiredError&) {
    // An unknown option first: the missing argument may be its fault.
    return app.remaining().empty() ? missing_argument(app) : unexpected_argument(app);
  } catch (const CLI::ArgumentMismatch& e) {
    // The arguments ran out after an option that takes a value.
    const std::string& last = args.back();
    return last.size() > 1 && last[0] == '-' ? Error("option " + last + " needs a value") : Error(e.what());
  } catch (const CLI::ParseError& e) {
    return Error(e.what());  // among them our own readers' messages (add_read_option)
  }
}

std::vector<std::pair<std::string, std::string>> cli_commands() {
  std::vector<std::pair<std::string, std::string>> commands;
  for (const Command& c : command_table()) commands.emplace_back(c.name, c.summary);
  return commands;
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    out << usage();
    return args.empty() ? kExitBadInput : kExitOk;
  }
  const std::string& name = args[0];
  if (name == "--version") {
    out << "cmksim " << CMKSIM_VERSION << "\n";
    return kExitOk;
  }
  if (name == "help" && args.size() > 1 && args[1] != "help") return run_cli({args[1], "--help"}, out, err);
  if (name == "help") {
    out << usage();
    return kExitOk;
  }
  for (const Command& c : command_table()) {
    if (name == c.name) return run_command(c, args, out, err);
  }
  return bad_input(err, "cmksim: unknown command '" + name + "'" + did_you_mean(name, command_names()) +
                            "\nrun 'cmksim --help' for the list");
}

}  // namespace cmksim
