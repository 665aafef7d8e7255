// cmksim completion bash|zsh: a shell completion script for the commands,
// their options, the values of options with a closed set (--timing, --format),
// profile, template and parameter names, and scenario or database files.
//
// Nothing is listed twice: the commands come from commands.cpp's table, each
// command's options and operands from its CLI::App (which take a value, and
// what a value is from its placeholder: a closed set like
// `sampled|latest|earliest|bounds`, a profile, a file), the names from the profile,
// template and parameter tables.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/cli/command.h"
#include "sim/cli/templates/templates.h"
#include "sim/core/text.h"
#include "sim/io/profile_loader.h"
#include "sim/profile/profile.h"

namespace cmksim {
namespace {

// What completes a value or an operand, from its placeholder (cli_support.h).
enum class ValueKind { kNothing, kChoices, kProfiles, kTemplates, kParameters, kScenarios, kDatabases, kFiles };

struct ValueSpec {
  ValueKind kind = ValueKind::kNothing;
  std::vector<std::string> choices;  // kChoices: "sampled|latest|earliest|bounds"
};

ValueSpec value_spec(const std::string& placeholder) {
  if (placeholder.find('|') != std::string::npos) {
    ValueSpec spec{ValueKind::kChoices, {}};
    std::string word;
    for (const char c : placeholder + "|") {
      if (c != '|') {
        word += c;
      } else if (!word.empty()) {
        spec.choices.push_back(word);
        word.clear();
      }
    }
    return spec;
  }
  if (placeholder == kProfilePlaceholder) return {ValueKind::kProfiles, {}};
  if (placeholder == kTemplatePlaceholder) return {ValueKind::kTemplates, {}};
  if (placeholder.find('=') != std::string::npos) return {ValueKind::kParameters, {}};
  if (placeholder.find(".yaml") != std::string::npos) return {ValueKind::kScenarios, {}};
  if (placeholder.find(".db") != std::string::npos) return {ValueKind::kDatabases, {}};
  if (placeholder.find('.') != std::string::npos || placeholder == "FILE") return {ValueKind::kFiles, {}};
  return {};
}

struct OptionSpec {
  std::vector<std::string> names;  // "-o", "--output"
  bool takes_value = false;
  ValueSpec value;
};

struct CommandSpec {
  std::string name;
  std::string summary;
  std::vector<OptionSpec> options;
  ValueSpec operands;  // kNothing: the command takes none
};

// Each command's options and operands, read from its CLI::App.
std::vector<CommandSpec> command_specs() {
  std::vector<CommandSpec> specs;
  for (const Command& command : command_table()) {
    CommandAction ignored;
    const std::unique_ptr<CLI::App> app = make_app(command, ignored);
    CommandSpec spec{command.name, command.summary, {}, {}};
    for (const CLI::Option* o : app->get_options()) {
      if (!o->nonpositional()) {
        spec.operands = value_spec(o->get_type_name());
        continue;
      }
      OptionSpec option;
      for (const std::string& s : o->get_snames()) option.names.push_back("-" + s);
      for (const std::string& l : o->get_lnames()) option.names.push_back("--" + l);
      option.takes_value = o->get_items_expected_max() > 0;
      if (option.takes_value) option.value = value_spec(o->get_type_name());
      // An option's file may be one to write (-o out.db): any file will do.
      if (option.value.kind == ValueKind::kScenarios || option.value.kind == ValueKind::kDatabases) {
        option.value.kind = ValueKind::kFiles;
      }
      spec.options.push_back(std::move(option));
    }
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

// Bash lines that complete a value (an option's, or an operand when
// !option), indented for a case branch.
std::string bash_values(const ValueSpec& v, bool option) {
  const std::string files = "      compopt -o filenames 2>/dev/null\n";
  switch (v.kind) {
    case ValueKind::kChoices: return "      COMPREPLY=($(compgen -W \"" + words(v.choices) + "\" -- \"$cur\"))\n";
    case ValueKind::kProfiles:
      return option ? files + "      COMPREPLY=($(compgen -W \"" + words(profile_names()) +
                          "\" -- \"$cur\") $(compgen -f -- \"$cur\"))\n"
                    : "      COMPREPLY=($(compgen -W \"" + words(profile_names()) + "\" -- \"$cur\"))\n";
    case ValueKind::kTemplates: return "      COMPREPLY=($(compgen -W \"" + words(template_names()) + "\" -- \"$cur\"))\n";
    case ValueKind::kParameters:
      return "      compopt -o nospace 2>/dev/null\n"
             "      COMPREPLY=($(compgen -W \"" + words(param_names(), "=") + "\" -- \"$cur\"))\n";
    case ValueKind::kScenarios:
      return files + "      COMPREPLY=($(compgen -f -X '!*.yaml' -- \"$cur\") $(compgen -f -X '!*.yml' -- \"$cur\") "
                     "$(compgen -d -- \"$cur\"))\n";
    case ValueKind::kDatabases:
      return files + "      COMPREPLY=($(compgen -f -X '!*.db' -- \"$cur\") $(compgen -d -- \"$cur\"))\n";
    case ValueKind::kFiles: return files + "      COMPREPLY=($(compgen -f -- \"$cur\"))\n";
    case ValueKind::kNothing: break;
  }
  return "";
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
  for (const CommandSpec& c : specs) {  // option values: one branch per option that takes one
    for (const OptionSpec& o : c.options) {
      if (!o.takes_value) continue;
      std::string patterns;
      for (const std::string& name : o.names) patterns += (patterns.empty() ? "\"" : "|\"") + c.name + " " + name + "\"";
      s += "    " + patterns + ")\n" + bash_values(o.value, true) + "      return 0 ;;\n";
    }
  }
  s += "  esac\n"
       "  local opts=\"\"\n"
       "  case \"$cmd\" in\n";
  for (const CommandSpec& c : specs) {
    std::vector<std::string> names;
    for (const OptionSpec& o : c.options) names.insert(names.end(), o.names.begin(), o.names.end());
    s += "    " + c.name + ") opts=\"" + words(names) + "\" ;;\n";
  }
  s += "    *) return 0 ;;\n"
       "  esac\n"
       "  if [[ $cur == -* ]]; then\n"
       "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
       "    return 0\n"
       "  fi\n"
       "  case \"$cmd\" in\n";
  for (const CommandSpec& c : specs) {
    if (c.operands.kind != ValueKind::kNothing) s += "    " + c.name + ")\n" + bash_values(c.operands, false) + "      ;;\n";
  }
  s += "  esac\n"
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

// The zsh command that completes a value (an option's, or an operand when !option).
std::string zsh_values(const ValueSpec& v, bool option) {
  switch (v.kind) {
    case ValueKind::kChoices: return "compadd -- " + zsh_words(v.choices);
    case ValueKind::kProfiles: return "compadd -- " + zsh_words(profile_names()) + (option ? "; _files" : "");
    case ValueKind::kTemplates: return "compadd -- " + zsh_words(template_names());
    case ValueKind::kParameters: return "compadd -S '' -- " + zsh_words(param_names(), "=");
    case ValueKind::kScenarios: return "_files -g '*.(yaml|yml)(-.)'";
    case ValueKind::kDatabases: return "_files -g '*.db(-.)'";
    case ValueKind::kFiles: return "_files";
    case ValueKind::kNothing: break;
  }
  return ":";
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
  for (const CommandSpec& c : specs) s += "    " + zsh_quote(c.name + ":" + c.summary) + "\n";
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
      std::string patterns;
      for (const std::string& name : o.names) patterns += (patterns.empty() ? "" : "|") + zsh_quote(c.name + " " + name);
      s += "    " + patterns + ")\n      " + zsh_values(o.value, true) + "\n      return ;;\n";
    }
  }
  s += "  esac\n"
       "  if [[ $PREFIX == -* ]]; then\n"
       "    case $cmd in\n";
  for (const CommandSpec& c : specs) {
    std::vector<std::string> names;
    for (const OptionSpec& o : c.options) names.insert(names.end(), o.names.begin(), o.names.end());
    s += "      " + c.name + ") compadd -- " + zsh_words(names) + " ;;\n";
  }
  s += "    esac\n"
       "    return\n"
       "  fi\n"
       "  case $cmd in\n";
  for (const CommandSpec& c : specs) s += "    " + c.name + ") " + zsh_values(c.operands, false) + " ;;\n";
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

CommandAction define_completion(CLI::App& app) {
  app.description(
      "Prints a completion script for commands, options, option values, template, profile and parameter\n"
      "names, and scenario (.yaml) or results (.db) files.\n");
  app.footer(
      "examples: source <(cmksim completion bash)                  # bash, this shell; add it to ~/.bashrc\n"
      "          cmksim completion zsh > ~/.zfunc/_cmksim          # zsh, with ~/.zfunc on fpath before compinit\n");
  const auto shell = std::make_shared<std::string>();
  add_operand(app, "bash|zsh", "shell", *shell)->required();
  return [shell](std::ostream& out, std::ostream& err) {
    if (*shell == "bash") {
      out << bash_script();
    } else if (*shell == "zsh") {
      out << zsh_script();
    } else {
      return bad_input(err, "cmksim completion: unknown shell '" + *shell + "'" +
                                did_you_mean(*shell, {"bash", "zsh"}) + " (expected bash or zsh)");
    }
    return kExitOk;
  };
}

}  // namespace cmksim
