// cmksim init: write a commented starting scenario from a template (a
// revocation drill, a key rotation plan, a Key Vault outage drill, a
// provisioning plan, a security-review worst case). Templates are data:
// sim/cli/templates/*.yaml, embedded at build time.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "sim/cli/cli_support.h"
#include "sim/cli/templates/templates.h"
#include "sim/core/text.h"
#include "sim/io/scenario_loader.h"

namespace cmksim {
namespace {

const char* const kInitUsage =
    "usage: cmksim init [TEMPLATE] [-o FILE] [--force]\n"
    "       cmksim init --list\n"
    "Writes a commented starting scenario (default: revocation-drill) to FILE (default: TEMPLATE.yaml in\n"
    "the current folder; -o - writes to standard output). Each template validates, runs, and has an\n"
    "expect: block that `cmksim check` meets; edit it to match your setup. An existing file is kept\n"
    "unless --force is given. --list names the templates.\n"
    "examples: cmksim init --list\n"
    "          cmksim init key-rotation -o rotation-plan.yaml && cmksim check rotation-plan.yaml\n";

std::vector<std::string> template_names() {
  std::vector<std::string> names;
  for (const InitTemplate& t : init_templates()) names.emplace_back(t.name);
  return names;
}

const InitTemplate* find_template(const std::string& name) {
  for (const InitTemplate& t : init_templates()) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

// The template's own description: what --list says about it.
std::string template_summary(const InitTemplate& t) {
  const Expected<Scenario> loaded = load_scenario_text(t.text, t.name);
  return loaded ? loaded->description : "(" + loaded.error().str() + ")";
}

// Writes `text` to `path`. Without `force`, the file is created exclusively
// (O_EXCL), so an existing file -- even one created meanwhile -- is never
// overwritten ("exists"); with it, a temporary file beside `path` is renamed
// over it. A failed write leaves no partial file. Returns "" or the problem.
std::string write_scenario(const std::string& path, const std::string& text, bool force) {
  const std::string target = force ? path + ".tmp-" + std::to_string(static_cast<long long>(getpid())) : path;
  const int fd = open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    if (errno == EEXIST && !force) return "exists";
    return "cannot create " + target + ": " + std::strerror(errno);
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const int write_error = done < text.size() ? errno : 0;
  if (close(fd) != 0 || done < text.size()) {
    unlink(target.c_str());
    return "cannot write " + target + (write_error != 0 ? std::string(": ") + std::strerror(write_error) : "");
  }
  if (force && std::rename(target.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    unlink(target.c_str());
    return "cannot rename " + target + " into place: " + why;
  }
  return "";
}

}  // namespace

int command_init(const Args& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kInitUsage;
    return kExitOk;
  }
  std::string name;
  std::string output;
  bool force = false;
  bool list = false;
  const std::vector<std::string> known = {"-o", "--output", "--force", "--list"};
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--force") {
      force = true;
    } else if (a == "--list") {
      list = true;
    } else if (a == "-o" || a == "--output") {
      if (i + 1 >= args.size()) return bad_input(err, "cmksim init: option " + a + " needs a value");
      output = args[++i];
    } else if (a.size() > 1 && a[0] == '-') {
      return bad_input(err, "cmksim init: unknown option '" + a + "'" + did_you_mean(a, known));
    } else if (name.empty()) {
      name = a;
    } else {
      return bad_input(err, "cmksim init: one template at a time (got '" + name + "' and '" + a + "')");
    }
  }
  if (list) {
    std::size_t width = 0;
    for (const InitTemplate& t : init_templates()) width = std::max(width, std::string(t.name).size());
    for (const InitTemplate& t : init_templates()) {
      out << t.name << std::string(width + 2 - std::string(t.name).size(), ' ') << template_summary(t) << "\n";
    }
    return kExitOk;
  }
  if (name.empty()) name = init_templates().front().name;
  const InitTemplate* chosen = find_template(name);
  if (chosen == nullptr) {
    return bad_input(err, "cmksim init: unknown template '" + name + "'" + did_you_mean(name, template_names()) +
                              "\nrun 'cmksim init --list' for the templates");
  }
  if (output == "-") {
    out << chosen->text;
    return kExitOk;
  }
  if (output.empty()) output = name + ".yaml";
  const std::string problem = write_scenario(output, chosen->text, force);
  if (problem == "exists") {
    return bad_input(err, "cmksim init: " + output + " already exists (give --force to overwrite it, or -o FILE)");
  }
  if (!problem.empty()) return bad_input(err, "cmksim init: " + problem);
  out << "wrote " << output << " (template " << name << "); next: cmksim check " << output << "\n";
  return kExitOk;
}

}  // namespace cmksim
