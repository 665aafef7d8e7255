#include "sim/import/import.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "sim/core/text.h"
#include "sim/import/arm_documents.h"
#include "sim/import/estate_yaml.h"
#include "sim/scenario/duration.h"

namespace cmksim::import {
namespace {

std::string stem(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  for (const char* ext : {".yaml", ".yml"}) {
    const std::string e = ext;
    if (base.size() > e.size() && base.compare(base.size() - e.size(), e.size(), e) == 0) {
      base.resize(base.size() - e.size());
    }
  }
  return base.empty() || base == "-" ? "estate" : base;
}

Expected<double> read_gb(const std::string& option, const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v) || v < 0 || v > 1e15) {
    return Error(option + " expects a number of GB/day from 0 to 1e15, got '" + one_line(text) + "'");
  }
  return v;
}

Expected<DurationMs> read_duration(const std::string& option, const std::string& text, bool positive) {
  const Expected<DurationMs> d = parse_duration(text);
  if (!d) return Error(option + " expects a duration such as 30d or 12h: " + d.error().message);
  if (positive && *d <= 0) return Error(option + " must be more than 0");
  return *d;
}

}  // namespace

const std::vector<std::string>& import_options() {
  static const std::vector<std::string> options = {
      "-o",           "--output",         "--parameters", "--location",      "--subscription", "--resource-group",
      "--ingest-gb-per-day", "--existing-data", "--duration", "--name", "--help"};
  return options;
}

Expected<ImportRequest> parse_import_args(const std::vector<std::string>& args) {
  ImportRequest r;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      r.help = true;
      continue;
    }
    if (a.size() < 2 || a[0] != '-') {
      r.inputs.push_back(ImportInput{a, std::nullopt});
      continue;
    }
    const auto& known = import_options();
    if (std::find(known.begin(), known.end(), a) == known.end()) {
      return Error("unknown option '" + one_line(a) + "'" + did_you_mean(a, known));
    }
    if (i + 1 >= args.size()) return Error("option " + a + " needs a value");
    const std::string& v = args[++i];
    if (a == "-o" || a == "--output") {
      r.output = v;
    } else if (a == "--parameters") {
      if (r.inputs.empty()) return Error("--parameters " + one_line(v) + " must follow the template it is for");
      if (r.inputs.back().parameters_path) {
        return Error("two parameters files for " + one_line(r.inputs.back().path) + " (" +
                     one_line(*r.inputs.back().parameters_path) + " and " + one_line(v) + ")");
      }
      r.inputs.back().parameters_path = v;
    } else if (a == "--location") {
      r.context.location = normalize_region(v);
      if (r.context.location.empty()) return Error("--location expects a region such as westeurope");
    } else if (a == "--subscription") {
      r.context.subscription = v;
      r.context_subscription_given = true;
    } else if (a == "--resource-group") {
      r.context.resource_group = v;
    } else if (a == "--ingest-gb-per-day") {
      Expected<double> gb = read_gb(a, v);
      if (!gb) return gb.error();
      r.estate.ingest_gb_per_day = *gb;
    } else if (a == "--existing-data") {
      Expected<DurationMs> d = read_duration(a, v, false);
      if (!d) return d.error();
      r.estate.existing_data_ms = *d;
    } else if (a == "--duration") {
      Expected<DurationMs> d = read_duration(a, v, true);
      if (!d) return d.error();
      r.duration_ms = *d;
    } else if (a == "--name") {
      if (v.empty()) return Error("--name must not be empty");
      r.name = v;
    }
  }
  if (r.help) return r;
  if (r.inputs.empty()) return Error("missing ARM JSON files to import");
  if (r.name.empty()) r.name = stem(r.output);
  return r;
}

Expected<ImportOutcome> import_estate(const std::vector<LoadedInput>& inputs, const ImportRequest& request) {
  std::vector<ArmResource> resources;
  std::vector<std::string> sources;
  std::vector<std::string> notes;
  bool used_template = false;
  for (const LoadedInput& in : inputs) {
    Expected<DocumentResources> doc = read_arm_document(in.document, in.parameters, request.context);
    if (!doc) return doc.error();
    used_template = used_template || doc->form == "deployment template";
    sources.push_back(in.document.label + (in.parameters ? " with " + in.parameters->label : "") + " (" + doc->form +
                      ", " + std::to_string(doc->resources.size()) +
                      (doc->resources.size() == 1 ? " resource)" : " resources)"));
    for (std::string& w : doc->warnings) notes.push_back("warning: " + w);
    for (ArmResource& r : doc->resources) resources.push_back(std::move(r));
  }
  if (used_template && !request.context_subscription_given) {
    notes.push_back("templates are deployed into subscription " + request.context.subscription +
                    " and resource group " + request.context.resource_group +
                    " (assumed; --subscription and --resource-group set them)");
  }
  Expected<Estate> estate = build_estate(resources, request.estate);
  if (!estate) return estate.error();
  for (const std::string& n : estate->notes) notes.push_back(n);
  YamlHeader header{request.name, sources, request.duration_ms};
  ImportOutcome out;
  out.yaml = estate_yaml(*estate, header);
  out.notes = std::move(notes);
  out.estate = std::move(*estate);
  return out;
}

}  // namespace cmksim::import
