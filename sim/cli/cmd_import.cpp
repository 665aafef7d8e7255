// cmksim import: write a scenario whose resources are the estate Azure
// Resource Manager describes (sim/import). This file only reads the input
// files, checks the result with the scenario loader, and writes the file
// atomically: no output file on bad input.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cli/cli_support.h"
#include "sim/io/atomic_file.h"
#include "sim/io/scenario_loader.h"
#include "sim/import/import.h"

namespace cmksim {
namespace {

const char* const kImportUsage =
    "usage: cmksim import ARM.json... [--parameters PARAMS.json] [-o FILE] [--location REGION]\n"
    "         [--subscription ID] [--resource-group NAME] [--ingest-gb-per-day N] [--existing-data D]\n"
    "         [--duration D] [--name NAME]\n"
    "Writes a scenario (default estate.yaml; -o - writes to standard output) whose resources are the\n"
    "estate the Azure Resource Manager JSON describes: vaults, keys, identities, clusters, grants and\n"
    "workspaces. Each ARM.json is a resource (az ... show, REST GET), a list ({\"value\": [...]} or an\n"
    "array), a Resource Graph result (az graph query) or a deployment template; --parameters gives the\n"
    "parameters file of the template just before it, and --location, --subscription and --resource-group\n"
    "what templates are deployed into. What ARM does not say is assumed, commented on its line and\n"
    "listed on stderr: --ingest-gb-per-day (default: the cluster's capacity split over its workspaces)\n"
    "and --existing-data (default: the retention) set it. --duration: the run's length (default 7d).\n"
    "Exit status 0 written, 2 bad input (one message naming the file and the JSON path; no file written).\n"
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

}  // namespace

int command_import(const Args& args, std::ostream& out, std::ostream& err) {
  Expected<import::ImportRequest> request = import::parse_import_args(Args(args.begin() + 1, args.end()));
  if (!request) {
    const bool nothing_given = args.size() < 2;
    return bad_input(err, "cmksim import: " + request.error().message + (nothing_given ? std::string("\n") + kImportUsage : ""));
  }
  if (request->help) {
    out << kImportUsage;
    return kExitOk;
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
  const LoadResult check = load_scenario_text(outcome->yaml, label);
  if (!check.scenario) {
    return bad_input(err, "cmksim import: the scenario would not load (a bug in cmksim import): " + check.error->str());
  }
  const auto print_notes = [&] {
    for (const std::string& note : outcome->notes) err << "cmksim import: " << note << "\n";
  };
  if (request->output == "-") {
    print_notes();
    out << outcome->yaml;
    return kExitOk;
  }
  if (const std::string problem = write_file_atomically(request->output, outcome->yaml); !problem.empty()) {
    return bad_input(err, "cmksim import: " + problem);
  }
  print_notes();
  const Scenario& s = *check.scenario;
  std::size_t keys = 0;
  for (const VaultDecl& v : s.key_vaults) keys += v.keys.size();
  out << "wrote " << request->output << ": " << counted(s.key_vaults.size(), "vault", "vaults") << ", "
      << counted(keys, "key", "keys") << ", " << counted(s.identities.size(), "identity", "identities") << ", "
      << counted(s.clusters.size(), "cluster", "clusters") << ", " << counted(s.grants.size(), "grant", "grants")
      << ", " << counted(s.workspaces.size(), "workspace", "workspaces") << "\n"
      << "next: cmksim validate " << request->output << "\n";
  return kExitOk;
}

}  // namespace cmksim
