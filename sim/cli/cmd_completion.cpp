// cmksim completion bash|zsh: a shell completion script for the commands,
// their options, the values of options with a closed set (--timing, --format),
// profile, template and parameter names, and scenario or database files.
//
// Nothing is listed twice: the commands come from commands.cpp's table, each
// command's options (and which take a value, and closed sets like
// `--timing sampled|worst|best`) from the usage its own --help prints, the
// names from the profile, template and parameter tables.
#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "sim/cli/cli_support.h"
#include "sim/cli/commands.h"
#include "sim/cli/templates/templates.h"
#include "sim/core/text.h"
#include "sim/io/profile_loader.h"
#include "sim/profile/profile.h"

namespace cmksim {
namespace {

const char* const kCompletionUsage =
    "usage: cmksim completion bash|zsh\n"
    "Prints a completion script for commands, options, option values, template, profile and parameter\n"
    "names, and scenario (.yaml) or results (.db) files.\n"
    "examples: source <(cmksim completion bash)                  # bash, this shell; add it to ~/.bashrc\n"
    "          cmksim completion zsh > ~/.zfunc/_cmksim          # zsh, with ~/.zfunc on fpath before compinit\n";

// What a command's positional arguments are.
enum class Positional { kNone, kScenarios, kDatabases, kTemplates, kProfiles, kShells, kFiles };

struct OptionSpec {
  std::string name;
  bool takes_value = false;
  std::vector<std::string> choices;  // a closed set from the usage ("sampled|worst|best")
  std::string placeholder;           // the value as the usage writes it ("out.db", "N")
};

struct CommandSpec {
  std::string name;
  std::string summary;
  std::vector<OptionSpec> options;
  Positional positional = Positional::kFiles;
};

bool option_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

// The usage lines of a --help text: the "usage:" line and the indented lines
// that continue it, and option lines ("  --set PATH=a,b,c  ...").
std::vector<std::string> usage_lines(const std::string& help) {
  std::vector<std::string> lines;
  std::istringstream in(help);
  std::string line;
  bool in_usage = false;
  while (std::getline(in, line)) {
    if (line.rfind("usage:", 0) == 0) {
      in_usage = true;
    } else if (in_usage && !line.empty() && line[0] == ' ') {
      // continuation of the usage
    } else {
      in_usage = false;
    }
    const std::size_t first = line.find_first_not_of(' ');
    const bool option_line = first != std::string::npos && first > 0 && line[first] == '-';
    if (in_usage || option_line) lines.push_back(option_line && !in_usage ? line.substr(0, line.find("  ", first))
                                                                           : line);
  }
  return lines;
}

// Options as the usage writes them: "[-o out.db]", "[--timing sampled|worst|best]", "[--force]".
std::vector<OptionSpec> parse_options(const std::vector<std::string>& lines) {
  std::vector<OptionSpec> options;
  for (const std::string& line : lines) {
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] != '-' || (i > 0 && line[i - 1] != ' ' && line[i - 1] != '[' && line[i - 1] != '|')) continue;
      std::size_t end = i + 1;
      while (end < line.size() && option_char(line[end])) ++end;
      const std::string name = line.substr(i, end - i);
      if (name.size() < 2 || name == "--" || name.back() == '-') continue;
      OptionSpec o{name, false, {}, ""};
      if (end < line.size() && line[end] == ' ' && end + 1 < line.size() && line[end + 1] != '-' &&
          line[end + 1] != '[' && line[end + 1] != ']' && line[end + 1] != ' ') {
        std::size_t value_end = end + 1;
        while (value_end < line.size() && line[value_end] != ' ' && line[value_end] != ']') ++value_end;
        o.takes_value = true;
        o.placeholder = line.substr(end + 1, value_end - end - 1);
        if (o.placeholder.find('|') != std::string::npos) {
          std::string word;
          for (const char c : o.placeholder + "|") {
            if (c == '|') {
              if (!word.empty()) o.choices.push_back(word);
              word.clear();
            } else {
              word += c;
            }
          }
        }
      }
      i = end;
      const auto same = std::find_if(options.begin(), options.end(), [&](const OptionSpec& x) { return x.name == name; });
      if (same == options.end()) options.push_back(o);
    }
  }
  if (std::none_of(options.begin(), options.end(), [](const OptionSpec& x) { return x.name == "--help"; })) {
    options.push_back(OptionSpec{"--help", false, {}, ""});
  }
  return options;
}

// The first usage line's positional words say what the arguments are.
Positional parse_positional(const std::string& first_line) {
  if (first_line.find(".yaml") != std::string::npos) return Positional::kScenarios;
  if (first_line.find(".db") != std::string::npos) return Positional::kDatabases;
  if (first_line.find("TEMPLATE") != std::string::npos) return Positional::kTemplates;
  if (first_line.find("[NAME]") != std::string::npos) return Positional::kProfiles;
  if (first_line.find("bash|zsh") != std::string::npos) return Positional::kShells;
  const std::size_t command_end = first_line.find(' ', std::string("usage: cmksim ").size());
  return command_end == std::string::npos ? Positional::kNone : Positional::kFiles;
}

std::vector<CommandSpec> command_specs() {
  std::vector<CommandSpec> specs;
  for (const auto& [name, summary] : cli_commands()) {
    std::ostringstream help, ignored;
    run_cli({name, "--help"}, help, ignored);
    const std::vector<std::string> lines = usage_lines(help.str());
    CommandSpec spec{name, summary, parse_options(lines), Positional::kNone};
    if (!lines.empty()) spec.positional = parse_positional(lines.front());
    specs.push_back(std::move(spec));
  }
  return specs;
}

std::string words(const std::vector<std::string>& list, const std::string& suffix = "") {
  std::string out;
  for (const std::string& w : list) out += (out.empty() ? "" : " ") + w + suffix;
  return out;
}

std::vector<std::string> template_names() {
  std::vector<std::string> names;
  for (const InitTemplate& t : init_templates()) names.emplace_back(t.name);
  return names;
}

// How an option's value is completed.
enum class ValueKind { kNothing, kChoices, kProfile, kParameter, kFile };

ValueKind value_kind(const OptionSpec& o) {
  if (!o.choices.empty()) return ValueKind::kChoices;
  if (o.name == "--profile") return ValueKind::kProfile;
  if (o.name == "--set") return ValueKind::kParameter;
  if (o.placeholder.find('.') != std::string::npos || o.placeholder == "FILE") return ValueKind::kFile;
  return ValueKind::kNothing;
}

std::string bash_script() {
  const std::vector<CommandSpec> specs = command_specs();
  std::vector<std::string> command_names;
  for (const CommandSpec& c : specs) command_names.push_back(c.name);
  std::string s =
      "# bash completion for cmksim (generated by `cmksim completion bash`)\n"
      "# usage: source <(cmksim completion bash), or save it as\n"
      "# ~/.local/share/bash-completion/completions/cmksim\n"
      "_cmksim() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      "  COMPREPLY=()\n"
      "  if [[ $COMP_CWORD -eq 1 ]]; then\n"
      "    COMPREPLY=($(compgen -W \"" + words(command_names) + " --help --version\" -- \"$cur\"))\n"
      "    return 0\n"
      "  fi\n"
      "  local cmd=\"${COMP_WORDS[1]}\"\n"
      "  case \"$cmd $prev\" in\n";
  // Option values: one case per (command, option) that takes one.
  for (const CommandSpec& c : specs) {
    for (const OptionSpec& o : c.options) {
      if (!o.takes_value) continue;
      s += "    \"" + c.name + " " + o.name + "\")\n";
      switch (value_kind(o)) {
        case ValueKind::kChoices:
          s += "      COMPREPLY=($(compgen -W \"" + words(o.choices) + "\" -- \"$cur\"))\n";
          break;
        case ValueKind::kProfile:
          s += "      compopt -o filenames 2>/dev/null\n"
               "      COMPREPLY=($(compgen -W \"" + words(profile_names()) + "\" -- \"$cur\") $(compgen -f -- \"$cur\"))\n";
          break;
        case ValueKind::kParameter:
          s += "      compopt -o nospace 2>/dev/null\n"
               "      COMPREPLY=($(compgen -W \"" + words(param_names(), "=") + "\" -- \"$cur\"))\n";
          break;
        case ValueKind::kFile:
          s += "      compopt -o filenames 2>/dev/null\n"
               "      COMPREPLY=($(compgen -f -- \"$cur\"))\n";
          break;
        case ValueKind::kNothing: break;
      }
      s += "      return 0 ;;\n";
    }
  }
  s += "  esac\n"
       "  local opts=\"\" kind=\"\"\n"
       "  case \"$cmd\" in\n";
  const std::map<Positional, std::string> kinds = {
      {Positional::kNone, "none"},           {Positional::kScenarios, "scenarios"},
      {Positional::kDatabases, "databases"}, {Positional::kTemplates, "templates"},
      {Positional::kProfiles, "profiles"},   {Positional::kShells, "shells"},
      {Positional::kFiles, "files"}};
  for (const CommandSpec& c : specs) {
    std::vector<std::string> names;
    for (const OptionSpec& o : c.options) names.push_back(o.name);
    s += "    " + c.name + ") opts=\"" + words(names) + "\" kind=" + kinds.at(c.positional) + " ;;\n";
  }
  s += "    *) return 0 ;;\n"
       "  esac\n"
       "  if [[ $cur == -* ]]; then\n"
       "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
       "    return 0\n"
       "  fi\n"
       "  case \"$kind\" in\n"
       "    scenarios)\n"
       "      compopt -o filenames 2>/dev/null\n"
       "      COMPREPLY=($(compgen -f -X '!*.yaml' -- \"$cur\") $(compgen -f -X '!*.yml' -- \"$cur\") "
       "$(compgen -d -- \"$cur\")) ;;\n"
       "    databases)\n"
       "      compopt -o filenames 2>/dev/null\n"
       "      COMPREPLY=($(compgen -f -X '!*.db' -- \"$cur\") $(compgen -d -- \"$cur\")) ;;\n"
       "    templates) COMPREPLY=($(compgen -W \"" + words(template_names()) + "\" -- \"$cur\")) ;;\n"
       "    profiles) COMPREPLY=($(compgen -W \"" + words(profile_names()) + "\" -- \"$cur\")) ;;\n"
       "    shells) COMPREPLY=($(compgen -W \"bash zsh\" -- \"$cur\")) ;;\n"
       "    files)\n"
       "      compopt -o filenames 2>/dev/null\n"
       "      COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
       "  esac\n"
       "  return 0\n"
       "}\n"
       "complete -F _cmksim cmksim\n";
  return s;
}

// A word in single quotes for zsh.
std::string zsh_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string zsh_words(const std::vector<std::string>& list, const std::string& suffix = "") {
  std::string out;
  for (const std::string& w : list) out += (out.empty() ? "" : " ") + zsh_quote(w + suffix);
  return out;
}

std::string zsh_script() {
  const std::vector<CommandSpec> specs = command_specs();
  std::string s =
      "#compdef cmksim\n"
      "# zsh completion for cmksim (generated by `cmksim completion zsh`)\n"
      "# usage: save it as _cmksim in a folder on $fpath (before compinit runs),\n"
      "# or source it after compinit: source <(cmksim completion zsh)\n"
      "_cmksim() {\n"
      "  local -a commands\n"
      "  commands=(\n";
  for (const CommandSpec& c : specs) {
    std::string name = c.name;
    s += "    " + zsh_quote(name + ":" + c.summary) + "\n";
  }
  s += "  )\n"
       "  if (( CURRENT == 2 )); then\n"
       "    if [[ $PREFIX == -* ]]; then\n"
       "      compadd -- --help --version\n"
       "    else\n"
       "      _describe -t commands 'cmksim command' commands\n"
       "    fi\n"
       "    return\n"
       "  fi\n"
       "  local cmd=${words[2]} prev=${words[CURRENT-1]}\n"
       "  case \"$cmd $prev\" in\n";
  for (const CommandSpec& c : specs) {
    for (const OptionSpec& o : c.options) {
      if (!o.takes_value) continue;
      s += "    " + zsh_quote(c.name + " " + o.name) + ")\n";
      switch (value_kind(o)) {
        case ValueKind::kChoices: s += "      compadd -- " + zsh_words(o.choices) + "\n"; break;
        case ValueKind::kProfile: s += "      compadd -- " + zsh_words(profile_names()) + "\n      _files\n"; break;
        case ValueKind::kParameter: s += "      compadd -S '' -- " + zsh_words(param_names(), "=") + "\n"; break;
        case ValueKind::kFile: s += "      _files\n"; break;
        case ValueKind::kNothing: break;
      }
      s += "      return ;;\n";
    }
  }
  s += "  esac\n"
       "  if [[ $PREFIX == -* ]]; then\n"
       "    case $cmd in\n";
  for (const CommandSpec& c : specs) {
    std::vector<std::string> names;
    for (const OptionSpec& o : c.options) names.push_back(o.name);
    s += "      " + c.name + ") compadd -- " + zsh_words(names) + " ;;\n";
  }
  s += "    esac\n"
       "    return\n"
       "  fi\n"
       "  case $cmd in\n";
  for (const CommandSpec& c : specs) {
    s += "    " + c.name + ") ";
    switch (c.positional) {
      case Positional::kScenarios: s += "_files -g '*.(yaml|yml)(-.)'"; break;
      case Positional::kDatabases: s += "_files -g '*.db(-.)'"; break;
      case Positional::kTemplates: s += "compadd -- " + zsh_words(template_names()); break;
      case Positional::kProfiles: s += "compadd -- " + zsh_words(profile_names()); break;
      case Positional::kShells: s += "compadd -- bash zsh"; break;
      case Positional::kFiles: s += "_files"; break;
      case Positional::kNone: s += ":"; break;
    }
    s += " ;;\n";
  }
  s += "  esac\n"
       "}\n"
       "if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then\n"
       "  _cmksim \"$@\"\n"
       "else\n"
       "  compdef _cmksim cmksim\n"
       "fi\n";
  return s;
}

}  // namespace

int command_completion(const Args& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kCompletionUsage;
    return kExitOk;
  }
  std::string shell;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '-') {
      return bad_input(err, "cmksim completion: unknown option '" + a + "'" + did_you_mean(a, {"--help"}));
    }
    if (!shell.empty()) return bad_input(err, "cmksim completion: one shell at a time (got '" + shell + "' and '" + a + "')");
    shell = a;
  }
  if (shell == "bash") {
    out << bash_script();
  } else if (shell == "zsh") {
    out << zsh_script();
  } else if (shell.empty()) {
    return bad_input(err, std::string("cmksim completion: missing the shell (bash or zsh)\n") + kCompletionUsage);
  } else {
    return bad_input(err, "cmksim completion: unknown shell '" + shell + "'" + did_you_mean(shell, {"bash", "zsh"}) +
                              " (expected bash or zsh)");
  }
  return kExitOk;
}

}  // namespace cmksim
