// Scenario authoring on the command line: `cmksim init` templates (each one
// written to a temporary folder validates, runs and meets its expectations),
// --list, no overwriting without --force; --help with an example and a "did
// you mean" for a mistyped option on every command; the bash and zsh
// completion scripts.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "process_support.h"
#include "sim/cli/cli_support.h"
#include "sim/cli/templates/templates.h"
#include "sim/io/profile_loader.h"

namespace fs = std::filesystem;

namespace {

struct Output {
  int status = -1;
  std::string text;  // stdout and stderr together
};

Output shell(const std::string& command) {
  const cmksim::test::CommandResult r = cmksim::test::run_command(command + " 2>&1");
  return {r.status, r.output};
}

Output run_cmksim(const std::string& args) { return shell(std::string(CMKSIM_BINARY) + " " + args); }

using cmksim::test::read_file;

using cmksim::test::TempDir;

std::vector<std::string> template_names() {
  std::vector<std::string> names;
  for (const auto& t : cmksim::init_templates()) names.emplace_back(t.name);
  return names;
}

// The longest --option in the usage lines of a command's --help, else --help.
std::string longest_option(const std::string& help) {
  std::string best = "--help";
  std::istringstream in(help);
  std::string line;
  while (std::getline(in, line) && line.rfind("usage:", 0) != 0) {
  }
  do {
    for (std::size_t i = line.find("--"); i != std::string::npos; i = line.find("--", i + 2)) {
      std::size_t end = i + 2;
      while (end < line.size() && ((line[end] >= 'a' && line[end] <= 'z') || line[end] == '-')) ++end;
      const std::string option = line.substr(i, end - i);
      if (option.size() > best.size() && option != "--help") best = option;
      i = end - 2;
    }
  } while (std::getline(in, line) && !line.empty() && line[0] == ' ');
  return best;
}

// Completions bash offers for `words` (the last one being completed).
std::string bash_complete(const std::string& script, const std::vector<std::string>& words, const std::string& cwd = ".") {
  std::string array;
  for (const std::string& w : words) array += " '" + w + "'";
  const std::string command = "cd '" + cwd + "' && bash --norc --noprofile -c 'source \"$0\"; COMP_WORDS=(" + "\"$@\"" +
                              "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _cmksim; printf \"%s\\n\" \"${COMPREPLY[@]}\" | "
                              "sort' '" + script + "'" + array;
  const Output r = shell(command);
  INFO(command << "\n" << r.text);
  REQUIRE(r.status == 0);
  std::string out = r.text;
  std::replace(out.begin(), out.end(), '\n', ' ');
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// cmksim init

TEST_CASE("Init: each template written to a folder validates, and cmksim check meets all its expectations") {
  REQUIRE(template_names().size() >= 5);
  TempDir dir("init-test-check");
  for (const std::string& name : template_names()) {
    INFO(name);
    const std::string file = dir.file(name + ".yaml");
    const Output written = run_cmksim("init " + name + " -o '" + file + "'");
    INFO(written.text);
    REQUIRE(written.status == 0);
    const std::string text = read_file(file);
    CHECK(text.rfind("# Question", 0) == 0);           // opens with the question it answers
    CHECK(text.find("\nexpect:") != std::string::npos);  // and has expectations
    const Output valid = run_cmksim("validate '" + file + "'");
    INFO(valid.text);
    CHECK(valid.status == 0);
    CHECK(valid.text.find("warning") == std::string::npos);
    const Output checked = run_cmksim("check '" + file + "'");
    INFO(checked.text);
    CHECK(checked.status == 0);
    CHECK(checked.text.find("NOT MET") == std::string::npos);
    CHECK(checked.text.find(" 0 not met") != std::string::npos);
    const Output ran = run_cmksim("run '" + file + "' -o '" + dir.file(name + ".db") + "'");
    INFO(ran.text);
    CHECK(ran.status == 0);
  }
}

TEST_CASE("Init: the templates are the five of the issue, the revocation drill first (the default)") {
  CHECK(template_names() == std::vector<std::string>{"revocation-drill", "key-rotation", "kv-outage-drill",
                                                     "provisioning-plan", "security-review"});
  TempDir dir("init-test-default");
  const Output r = shell("cd '" + dir.str() + "' && " + CMKSIM_BINARY + " init");
  INFO(r.text);
  CHECK(r.status == 0);
  CHECK(r.text == "wrote revocation-drill.yaml (template revocation-drill); next: cmksim check revocation-drill.yaml\n");
  CHECK(read_file(dir.file("revocation-drill.yaml")) == cmksim::init_templates().front().text);
}

TEST_CASE("Init: --list names every template with one line each") {
  const Output r = run_cmksim("init --list");
  REQUIRE(r.status == 0);
  std::istringstream in(r.text);
  std::string line;
  std::vector<std::string> names;
  while (std::getline(in, line)) {
    INFO(line);
    const std::size_t space = line.find(' ');
    REQUIRE(space != std::string::npos);
    names.push_back(line.substr(0, space));
    CHECK(line.size() > space + 20);  // a description follows the name
    CHECK(line.find("(") != space + 2);  // not an error in parentheses
  }
  CHECK(names == template_names());
}

TEST_CASE("Init: an existing file is kept (exit 2) unless --force, which replaces it") {
  TempDir dir("init-test-force");
  const std::string file = dir.file("mine.yaml");
  std::ofstream(file) << "# my own scenario\n";
  const Output refused = run_cmksim("init key-rotation -o '" + file + "'");
  CHECK(refused.status == 2);
  CHECK(refused.text == "cmksim init: " + file + " already exists (give --force to overwrite it, or -o FILE)\n");
  CHECK(read_file(file) == "# my own scenario\n");
  const Output forced = run_cmksim("init key-rotation -o '" + file + "' --force");
  CHECK(forced.status == 0);
  CHECK(read_file(file) == cmksim::init_templates()[1].text);
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(dir.str())) left.push_back(entry.path().filename().string());
  CHECK(left == std::vector<std::string>{"mine.yaml"});  // no temporary file left behind
}

TEST_CASE("Init: an unknown template or option gets a did-you-mean (exit 2), and -o - writes to standard output") {
  const Output typo = run_cmksim("init key-rotaton");
  CHECK(typo.status == 2);
  CHECK(typo.text ==
        "cmksim init: unknown template 'key-rotaton' (did you mean 'key-rotation'?)\n"
        "run 'cmksim init --list' for the templates\n");
  const Output option = run_cmksim("init --froce");
  CHECK(option.status == 2);
  CHECK(option.text == "cmksim init: unknown option '--froce' (did you mean '--force'?)\n");
  const Output stdout_text = shell(std::string(CMKSIM_BINARY) + " init security-review -o - 2>/dev/null");
  CHECK(stdout_text.status == 0);
  CHECK(stdout_text.text == cmksim::init_templates().back().text);
  TempDir dir("init-test-missing");
  const Output no_folder = run_cmksim("init -o '" + dir.file("no/such/folder.yaml") + "'");
  CHECK(no_folder.status == 2);
  CHECK(no_folder.text.find("cmksim init: cannot create ") == 0);
}

// ---------------------------------------------------------------------------
// --help and did-you-mean on every command

TEST_CASE("CLI: every command's --help shows its usage and an example, exit 0") {
  for (const auto& [name, summary] : cmksim::cli_commands()) {
    INFO(name);
    CHECK_FALSE(summary.empty());
    const Output r = run_cmksim(name + " --help");
    INFO(r.text);
    CHECK(r.status == 0);
    CHECK(r.text.rfind("usage: cmksim " + name, 0) == 0);
    CHECK(r.text.find("example") != std::string::npos);
    CHECK(run_cmksim("--help").text.find("  " + name + " ") != std::string::npos);  // listed in cmksim --help
  }
}

TEST_CASE("CLI: a mistyped option gets a did-you-mean on every command, exit 2") {
  for (const auto& [name, summary] : cmksim::cli_commands()) {
    const std::string option = longest_option(run_cmksim(name + " --help").text);
    std::string typo = option;
    std::swap(typo[typo.size() - 1], typo[typo.size() - 2]);
    if (typo == option) typo.pop_back();
    INFO(name << " " << typo);
    const Output r = run_cmksim(name + " " + typo);
    INFO(r.text);
    CHECK(r.status == 2);
    CHECK(r.text.find("unknown option '" + typo + "' (did you mean '" + option + "'?)") != std::string::npos);
  }
}

// ---------------------------------------------------------------------------
// Shell completion

TEST_CASE("Completion: the bash script completes commands, options, values, templates, profiles and files") {
  TempDir dir("init-test-bash");
  const std::string script = dir.file("cmksim.bash");
  const Output r = run_cmksim("completion bash");
  REQUIRE(r.status == 0);
  std::ofstream(script) << r.text;
  CHECK(shell("bash -n '" + script + "'").status == 0);

  CHECK(bash_complete(script, {"cmksim", "ru"}) == "run");
  CHECK(bash_complete(script, {"cmksim", "re"}) == "reference report");
  CHECK(bash_complete(script, {"cmksim", "run", "--ti"}) == "--timing");
  CHECK(bash_complete(script, {"cmksim", "check", "--timing", "e"}) == "earliest");
  CHECK(bash_complete(script, {"cmksim", "report", "--format", ""}) == "html md pdf");
  CHECK(bash_complete(script, {"cmksim", "graph", "--format", ""}) == "dot text");
  CHECK(bash_complete(script, {"cmksim", "init", "k"}) == "key-rotation kv-outage-drill");
  CHECK(bash_complete(script, {"cmksim", "init", "--f"}) == "--force");
  CHECK(bash_complete(script, {"cmksim", "profiles", "azure-monitor-2"}) == "azure-monitor-2020");
  CHECK(bash_complete(script, {"cmksim", "run", "--profile", "azure-monitor-c"}) == "azure-monitor-current");
  CHECK(bash_complete(script, {"cmksim", "run", "--set", "aek"}) == "aek_cache_ttl=");
  CHECK(bash_complete(script, {"cmksim", "sweep", "--set", "revocation_b"}) == "revocation_bound=");
  CHECK(bash_complete(script, {"cmksim", "completion", ""}) == "bash zsh");
  CHECK(bash_complete(script, {"cmksim", "run", "--seed", ""}).empty());

  TempDir files("init-test-bash_files");
  for (const char* f : {"a.yaml", "b.db", "c.txt"}) std::ofstream(files.file(f)) << "x\n";
  fs::create_directories(files.file("sub"));
  CHECK(bash_complete(script, {"cmksim", "validate", ""}, files.str()) == "a.yaml sub");
  CHECK(bash_complete(script, {"cmksim", "diff", ""}, files.str()) == "b.db sub");
  CHECK(bash_complete(script, {"cmksim", "run", "-o", ""}, files.str()) == "a.yaml b.db c.txt sub");
}

TEST_CASE("Completion: the zsh script parses and registers _cmksim for cmksim, and an unknown shell is refused") {
  TempDir dir("init-test-zsh");
  const Output r = run_cmksim("completion zsh");
  REQUIRE(r.status == 0);
  CHECK(r.text.rfind("#compdef cmksim\n", 0) == 0);
  for (const std::string& name : template_names()) CHECK(r.text.find("'" + name + "'") != std::string::npos);
  for (const std::string& name : cmksim::profile_names()) CHECK(r.text.find("'" + name + "'") != std::string::npos);
  CHECK(r.text.find("'aek_cache_ttl='") != std::string::npos);
  const std::string script = dir.file("_cmksim");
  std::ofstream(script) << r.text;
  if (shell("command -v zsh").status != 0) {
    WARN("zsh is not installed (tools/test-packages): the zsh script is not run");
  } else {
    CHECK(shell("zsh -n '" + script + "'").status == 0);
    const Output registered =
        shell("zsh -f -c 'autoload -Uz compinit && compinit -u -D && source \"$0\" && print -r -- ${_comps[cmksim]}' '" +
              script + "'");
    INFO(registered.text);
    CHECK(registered.text == "_cmksim\n");
  }
  const Output fish = run_cmksim("completion fish");
  CHECK(fish.status == 2);
  CHECK(fish.text == "cmksim completion: unknown shell 'fish' (expected bash or zsh)\n");
  CHECK(run_cmksim("completion zhs").text == "cmksim completion: unknown shell 'zhs' (did you mean 'zsh'?) (expected bash or zsh)\n");
}
