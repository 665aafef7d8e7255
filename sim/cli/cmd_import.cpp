// cmksim import: write a scenario whose resources are the estate Azure
// Resource Manager describes (sim/import). This file only reads the input
// files, checks the result with the scenario loader, and writes the file
// atomically: no output file on bad input.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cli/command.h"
#include "sim/io/atomic_file.h"
#include "sim/io/scenario_loader.h"
#include "sim/import/import.h"

namespace cmksim {
namespace {

const char* const kImportDescription =
    "Writes a scenario (default estate.yaml; -o - writes to standard output) whose resources are the\n"
    "estate the Azure Resource Manager JSON describes: vaults, keys, identities, clusters, grants and\n"
    "workspaces. Each ARM.json is a resource (az ... show, REST GET), a list ({\"value\": [...]} or an\n"
    "array), a Resource Graph result (az graph query) or a deployment template; --parameters gives the\n"
    "parameters file of the template just before it, and --location, --subscription and --resource-group\n"
    "what templates are deployed into. What ARM does not say is assumed, commented on its line and\n"
    "listed on stderr: --ingest-gb-per-day (default: the cluster's capacity split over its workspaces)\n"
    "and --existing-data (default: the retention) set it. --duration: the run's length (default 7d).\n"
    "Exit status 0 written, 2 bad input (one message naming the file and the JSON path; no file written).\n";

const char* const kImportExamples =
    "examples: az monitor log-analytics cluster list -o json > clusters.json\n"
    "          cmksim import clusters.json workspaces.json vaults.json -o estate.yaml\n"
    "          cmksim import main.json --parameters main.parameters.json --location westeurope -o estate.yaml\n";

constexpr std::size_t kMaxInputBytes = std::size_t{64} << 20;

Expected<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(path, 0, 0, "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > kMaxInputBytes) return Error(path, 0, 0, "over 64 MiB: not imported");
  return text.str();
}

std::string counted(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

int import_files(const import::ImportRequest& request_value, std::ostream& out, std::ostream& err) {
  const import::ImportRequest* request = &request_value;
  std::vector<std::string> input_paths;
  for (const import::ImportInput& in : request->inputs) {
    input_paths.push_back(in.path);
    if (in.parameters_path) input_paths.push_back(*in.parameters_path);
  }
  if (const Status writable = check_output("-o", request->output, input_paths, true); !writable.ok()) {
    return bad_input(err, "cmksim import: " + writable.error().str());
  }
  std::vector<import::LoadedInput> inputs;
  for (const import::ImportInput& in : request->inputs) {
    Expected<std::string> text = read_text(in.path);
    if (!text) return bad_input(err, text.error().str());
    import::LoadedInput loaded{{in.path, *text}, std::nullopt};
    if (in.parameters_path) {
      Expected<std::string> params = read_text(*in.parameters_path);
      if (!params) return bad_input(err, params.error().str());
      loaded.parameters = import::JsonDocument{*in.parameters_path, *params};
    }
    inputs.push_back(std::move(loaded));
  }
  Expected<import::ImportOutcome> outcome = import::import_estate(inputs, *request);
  if (!outcome) return bad_input(err, outcome.error().str());
  // The loader is the judge: what is written must load.
  const std::string label = request->output == "-" ? "(standard output)" : request->output;
  const Expected<Scenario> check = load_scenario_text(outcome->yaml, label);
  if (!check) {
    return bad_input(err, "cmksim import: the scenario would not load (a bug in cmksim import): " + check.error().str());
  }
  const auto print_notes = [&] {
    for (const std::string& note : outcome->notes) err << "cmksim import: " << note << "\n";
  };
  if (request->output == "-") {
    print_notes();
    out << outcome->yaml;
    return kExitOk;
  }
  if (const Status written = write_file_atomically(request->output, outcome->yaml); !written.ok()) {
    return bad_input(err, "cmksim import: " + written.error().str());
  }
  print_notes();
  const Scenario& s = *check;
  std::size_t keys = 0;
  for (const VaultDecl& v : s.key_vaults) keys += v.keys.size();
  out << "wrote " << request->output << ": " << counted(s.key_vaults.size(), "vault", "vaults") << ", "
      << counted(keys, "key", "keys") << ", " << counted(s.identities.size(), "identity", "identities") << ", "
      << counted(s.clusters.size(), "cluster", "clusters") << ", " << counted(s.grants.size(), "grant", "grants")
      << ", " << counted(s.workspaces.size(), "workspace", "workspaces") << "\n"
      << "next: cmksim validate " << request->output << "\n";
  return kExitOk;
}

}  // namespace

// The options are CLI11's (help, completion, did-you-mean), but their order
// matters (--parameters belongs to the template just before it), so the
// action rebuilds the argument list in the order CLI11 parsed it and hands
// it to the importer's own reader (import::parse_import_args).
CommandAction define_import(CLI::App& app) {
  app.description(kImportDescription);
  app.footer(kImportExamples);
  struct Parsed {
    std::vector<std::string> files;
    std::vector<std::pair<std::string, std::string>> options;  // (name, value) in the order given
  };
  const auto parsed = std::make_shared<Parsed>();
  CLI::Option* files = add_operands(app, "ARM.json", "ARM JSON file", parsed->files)->required();
  const auto keep = [parsed](const std::string& name) {
    return [parsed, name](const std::string& value) {
      parsed->options.emplace_back(name, value);
      return Status();
    };
  };
  add_read_option(app, "-o,--output", "FILE", "the scenario (default: estate.yaml; - for standard output)", keep("-o"));
  add_read_option(app, "--parameters", "PARAMS.json", "the parameters file of the template just before it",
                  keep("--parameters"));
  add_read_option(app, "--location", "REGION", "the region templates are deployed into", keep("--location"));
  add_read_option(app, "--subscription", "ID", "the subscription templates are deployed into", keep("--subscription"));
  add_read_option(app, "--resource-group", "NAME", "the resource group templates are deployed into",
                  keep("--resource-group"));
  add_read_option(app, "--ingest-gb-per-day", "N", "every workspace's ingestion (default: assumed, see above)",
                  keep("--ingest-gb-per-day"));
  add_read_option(app, "--existing-data", "D", "every workspace's data at the start (default: its retention)",
                  keep("--existing-data"));
  add_read_option(app, "--duration", "D", "the scenario's duration (default 7d)", keep("--duration"));
  add_read_option(app, "--name", "NAME", "the scenario's name (default: the output's file name)", keep("--name"));
  return [parsed, files, &app](std::ostream& out, std::ostream& err) {
    Args ordered;
    std::size_t next_file = 0, next_option = 0;
    for (const CLI::Option* o : app.parse_order()) {
      if (o == files && next_file < parsed->files.size()) {
        ordered.push_back(parsed->files[next_file++]);
      } else if (o != files && next_option < parsed->options.size()) {
        ordered.push_back(parsed->options[next_option].first);
        ordered.push_back(parsed->options[next_option++].second);
      }
    }
    const Expected<import::ImportRequest> request = import::parse_import_args(ordered);
    if (!request) return bad_input(err, "cmksim import: " + request.error().message);
    return import_files(*request, out, err);
  };
}

}  // namespace cmksim
