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
#include <memory>
#include <string>
#include <vector>

#include "sim/cli/command.h"
#include "sim/cli/templates/templates.h"
#include "sim/core/text.h"
#include "sim/io/atomic_file.h"
#include "sim/io/scenario_loader.h"

namespace cmksim {
namespace {

struct InitOptions {
  std::string name;
  std::string output;
  bool force = false;
  bool list = false;
};

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
// overwritten; with it, a temporary file beside `path` is renamed over it. A
// failed write leaves no partial file.
Status write_scenario(const std::string& path, const std::string& text, bool force) {
  if (force) remove_stale_temporaries(path);
  const std::string target = force ? temporary_path_for(path) : path;
  const int fd = open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    if (errno == EEXIST && !force) return Error(path + " already exists (give --force to overwrite it, or -o FILE)");
    return Error("cannot create " + target + ": " + std::strerror(errno));
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
    return Error("cannot write " + target + (write_error != 0 ? std::string(": ") + std::strerror(write_error) : ""));
  }
  if (force && std::rename(target.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    unlink(target.c_str());
    return Error("cannot rename " + target + " into place: " + why);
  }
  return {};
}

// --list: each template's name and what it is.
void list_templates(std::ostream& out) {
  std::size_t width = 0;
  for (const InitTemplate& t : init_templates()) width = std::max(width, std::string(t.name).size());
  for (const InitTemplate& t : init_templates()) {
    out << t.name << std::string(width + 2 - std::string(t.name).size(), ' ') << template_summary(t) << "\n";
  }
}

int init(InitOptions o, std::ostream& out, std::ostream& err) {
  if (o.list) {
    list_templates(out);
    return kExitOk;
  }
  if (o.name.empty()) o.name = init_templates().front().name;
  const InitTemplate* chosen = find_template(o.name);
  if (chosen == nullptr) {
    return bad_input(err, "cmksim init: unknown template '" + o.name + "'" + did_you_mean(o.name, template_names()) +
                              "\nrun 'cmksim init --list' for the templates");
  }
  if (o.output == "-") {
    out << chosen->text;
    return kExitOk;
  }
  if (o.output.empty()) o.output = o.name + ".yaml";
  if (const Status writable = check_output("-o", o.output, {}, true); !writable.ok()) {
    return bad_input(err, "cmksim init: " + writable.error().str());
  }
  if (const Status written = write_scenario(o.output, chosen->text, o.force); !written.ok()) {
    return bad_input(err, "cmksim init: " + written.error().str());
  }
  out << "wrote " << o.output << " (template " << o.name << "); next: cmksim check " << o.output << "\n";
  return kExitOk;
}

}  // namespace

CommandAction define_init(CLI::App& app) {
  app.description(
      "Writes a commented starting scenario (default: revocation-drill) to FILE (default: TEMPLATE.yaml in\n"
      "the current folder; -o - writes to standard output). Each template validates, runs, and has an\n"
      "expect: block that `cmksim check` meets; edit it to match your setup. An existing file is kept\n"
      "unless --force is given. --list names the templates.\n");
  app.footer(
      "examples: cmksim init --list\n"
      "          cmksim init key-rotation -o rotation-plan.yaml && cmksim check rotation-plan.yaml\n");
  const auto o = std::make_shared<InitOptions>();
  add_operand(app, kTemplatePlaceholder, "template", o->name);
  add_output_option(app, "-o,--output", "FILE", "the scenario file (default: TEMPLATE.yaml; - for standard output)",
                    o->output);
  app.add_flag("--force", o->force, "replace an existing file");
  app.add_flag("--list", o->list, "name the templates, one line each");
  return [o](std::ostream& out, std::ostream& err) { return init(*o, out, err); };
}

}  // namespace cmksim
