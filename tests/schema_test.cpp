// The JSON Schema of scenario format v1 (`cmksim schema`) and the reference
// (`cmksim reference`), both generated from the format table
// (sim/scenario/format.h): the shipped copies are current, the schema is a
// valid draft 2020-12 schema that a real validator (python3-jsonschema)
// accepts every shipped scenario with, and the schema and the loader agree:
// on the schema-level cases of the malformed corpus, and on a corpus of
// mutations generated from the table (every field given a wrong type, a bad
// word, a bad duration, every mapping an unknown field or a missing required
// one), which both must reject, and every default, which both must accept.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "process_support.h"
#include "sim/io/profile_builder.h"
#include "sim/io/scenario_loader.h"
#include "sim/profile/profile.h"
#include "sim/scenario/action.h"
#include "sim/scenario/fault.h"
#include "sim/scenario/format.h"

namespace fs = std::filesystem;
using namespace cmksim;

namespace {

struct Output {
  int status = -1;
  std::string text;
};

Output shell(const std::string& command) {
  const test::CommandResult r = test::run_command(command);
  return {r.status, r.output};
}

using test::read_file;

using test::TempDir;

// The first line where two texts differ, for a readable failure.
std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ha = static_cast<bool>(std::getline(sa, la));
    const bool hb = static_cast<bool>(std::getline(sb, lb));
    if (!ha && !hb) return "same lines (different line endings?)";
    if (!ha || !hb || la != lb) {
      return "line " + std::to_string(line) + ":\n  generated: " + (ha ? la : "<end>") + "\n  file:      " +
             (hb ? lb : "<end>");
    }
  }
}

// Validates every *.yaml file of `dir` against `schema` with python3-jsonschema.
// YAML scalars are typed the way cmksim's loader reads them (YAML 1.2 core,
// restricted to what the loader takes as typed: decimal numbers, lowercase
// true/false, null; everything else is a string).
const char* const kValidator = R"PY(
import glob, json, os, re, sys
import yaml, jsonschema

class Loader(getattr(yaml, 'CSafeLoader', yaml.SafeLoader)):  # libyaml when there is one
    pass

Loader.yaml_implicit_resolvers = {}
def resolver(tag, regexp, first):
    Loader.add_implicit_resolver(tag, re.compile(regexp), list(first))
resolver('tag:yaml.org,2002:bool', r'^(?:true|false)$', 'tf')
resolver('tag:yaml.org,2002:null', r'^(?:~|null|Null|NULL|)$', ['~', 'n', 'N', ''])
resolver('tag:yaml.org,2002:int', r'^[-+]?[0-9]+$', '-+0123456789')
resolver('tag:yaml.org,2002:float', r'^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$', '-+0123456789.')
Loader.add_constructor('tag:yaml.org,2002:int', lambda loader, node: int(loader.construct_scalar(node)))

def oneline(text):
    return ' '.join(str(text).split())[:300]

schema = json.load(open(sys.argv[1], encoding='utf-8'))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for path in sorted(glob.glob(os.path.join(sys.argv[2], '*.yaml'))):
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8') as f:
            doc = yaml.load(f, Loader=Loader)
    except Exception as e:
        print(name + '\tYAMLERROR\t' + oneline(e))
        continue
    try:
        error = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    except Exception as e:
        print(name + '\tERROR\t' + oneline(e))
        continue
    print(name + ('\tOK' if error is None else '\tINVALID\t' + oneline(error.message)))
print('done')
)PY";

struct Verdict {
  std::string status;  // OK, INVALID, YAMLERROR, ERROR
  std::string message;
};

// file name -> the validator's verdict.
std::map<std::string, Verdict> validate_dir(const fs::path& dir) {
  const fs::path script = dir / "validate.py.txt";
  std::ofstream(script) << kValidator;
  const std::string schema = std::string(CMKSIM_SOURCE_DIR) + "/scenarios/schema.json";
  // Debian's python3-jsonschema and python3-yaml live with /usr/bin/python3.
  const std::string python = fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const Output r = shell(python + " '" + script.string() + "' '" + schema + "' '" + dir.string() + "' 2>&1");
  INFO("python3 with python3-jsonschema and python3-yaml (tools/test-packages) validates the scenarios:\n" << r.text);
  REQUIRE(r.status == 0);
  REQUIRE(r.text.find("done\n") != std::string::npos);
  std::map<std::string, Verdict> verdicts;
  std::istringstream in(r.text);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const std::size_t tab2 = line.find('\t', tab + 1);
    verdicts[line.substr(0, tab)] = {line.substr(tab + 1, tab2 == std::string::npos ? std::string::npos : tab2 - tab - 1),
                                     tab2 == std::string::npos ? "" : line.substr(tab2 + 1)};
  }
  return verdicts;
}

std::vector<fs::path> yaml_files(const std::string& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// ---------------------------------------------------------------------------
// A YAML value written in flow style, from raw scalar text, so a mutation
// says exactly what the file holds ("\"3\"" is a quoted string, 3 a number).

struct Y {
  enum class Kind { kScalar, kMap, kList } kind = Kind::kScalar;
  std::string raw;
  std::vector<std::pair<std::string, Y>> map;
  std::vector<Y> list;

  static Y s(std::string text) {
    Y y;
    y.raw = std::move(text);
    return y;
  }
  static Y m(std::vector<std::pair<std::string, Y>> fields) {
    Y y;
    y.kind = Kind::kMap;
    y.map = std::move(fields);
    return y;
  }
  static Y l(std::vector<Y> items) {
    Y y;
    y.kind = Kind::kList;
    y.list = std::move(items);
    return y;
  }

  Y* field(const std::string& key) {
    for (auto& [k, v] : map) {
      if (k == key) return &v;
    }
    return nullptr;
  }
  void set(const std::string& key, Y value) {
    if (Y* f = field(key)) {
      *f = std::move(value);
    } else {
      map.emplace_back(key, std::move(value));
    }
  }
  void erase(const std::string& key) {
    map.erase(std::remove_if(map.begin(), map.end(), [&](const auto& kv) { return kv.first == key; }), map.end());
  }

  std::string flow() const {
    std::string out;
    switch (kind) {
      case Kind::kScalar: return raw;
      case Kind::kMap:
        for (const auto& [k, v] : map) out += (out.empty() ? "" : ", ") + k + ": " + v.flow();
        return "{" + out + "}";
      case Kind::kList:
        for (const Y& v : list) out += (out.empty() ? "" : ", ") + v.flow();
        return "[" + out + "]";
    }
    return out;
  }
  // The top level in block style, one field a line.
  std::string document() const {
    std::string out;
    for (const auto& [k, v] : map) out += k + ": " + v.flow() + "\n";
    return out;
  }
};

// A path from the top: keys and list indexes.
struct Step {
  std::string key;
  int index = -1;
};
using Path = std::vector<Step>;

Y* at(Y& root, const Path& path) {
  Y* y = &root;
  for (const Step& s : path) {
    if (y == nullptr) return nullptr;
    y = s.index >= 0 ? (static_cast<std::size_t>(s.index) < y->list.size() ? &y->list[static_cast<std::size_t>(s.index)]
                                                                            : nullptr)
                     : y->field(s.key);
  }
  return y;
}

// A valid sample value of a field, as an event of `action` reads it.
Y sample(const FieldDef& f) {
  switch (f.type) {
    case ValueType::kName: return Y::s("x");
    case ValueType::kText: return Y::s("\"\"");
    case ValueType::kDuration: return Y::s("1h");
    case ValueType::kEnum: return Y::s(f.values->front());
    case ValueType::kNumber: return Y::s("100");
    case ValueType::kInteger: return Y::s(std::to_string(*f.min));
    case ValueType::kBoolean: return Y::s("false");
    case ValueType::kIdentitySpec: return Y::s("system_assigned");
    case ValueType::kGrantIdentity: return Y::s("\"cluster:c\"");
    case ValueType::kEnumList: return Y::l({Y::s(f.values->front())});
    case ValueType::kMapping: return Y::m({{"vault", Y::s("kv")}, {"key", Y::s("k")}, {"version", Y::s("\"\"")}});
    case ValueType::kDistribution: return Y::m({{"fixed", Y::s("1h")}});
    case ValueType::kFaultKinds: return Y::s("timeout");
    default: FAIL("no sample for event field " << f.name); return Y();
  }
}

// One fault of `info` with every field it takes, named after its process;
// its names are the declared ones of full_scenario() (faults name only
// declared resources).
Y fault_of(const FaultProcessInfo& info) {
  const std::map<std::string, Y> names = {{"vault", Y::s("kv")}, {"key", Y::s("k")}, {"cluster", Y::s("c")},
                                          {"identity", Y::s("\"cluster:c\"")},
                                          {"mistake_probability", Y::s("0.5")}};
  Y f = Y::m({{"name", Y::s(info.name)}, {"process", Y::s(info.name)}});
  for (const auto* list : {&info.required, &info.optional}) {
    for (const char* name : *list) {
      const auto named = names.find(name);
      f.set(name, named != names.end() ? named->second : sample(*find_field(Mapping::kFault, name)));
    }
  }
  f.set("window", Y::m({{"from", Y::s("0")}, {"to", Y::s("2d")}, {"days", Y::s("all")}, {"hours_from", Y::s("0")},
                        {"hours_to", Y::s("24")}}));
  return f;
}

// One event of `action` with every field it takes, id e0 (the operation
// expectation names it).
Y event_of(const ActionInfo& info) {
  Y e = Y::m({{"id", Y::s("e0")}, {"at", Y::s("1h")}, {"action", Y::s(info.name)}});
  for (const auto* list : {&info.required, &info.optional}) {
    for (const char* name : *list) e.set(name, sample(*event_field(info.action, name)));
  }
  return e;
}

// A scenario with every field of every mapping and the given events.
Y full_scenario(std::vector<Y> events) {
  std::vector<Y> weights(24, Y::s("1"));
  Y y = Y::m({
      {"version", Y::s("1")},
      {"name", Y::s("full")},
      {"description", Y::s("every field of format v1")},
      {"seed", Y::s("7")},
      {"duration", Y::s("3d")},
      {"start", Y::s("2026-01-05T00:00:00Z")},
      {"profile", Y::s("azure-monitor-current")},
      {"timing", Y::s("sampled")},
      {"params", Y::m({{"aek_cache_ttl", Y::s("10m")}})},
      {"key_vaults", Y::l({Y::m({{"name", Y::s("kv")},
                                 {"region", Y::s("westeurope")},
                                 {"tenant", Y::s("contoso")},
                                 {"subscription", Y::s("sub")},
                                 {"soft_delete", Y::s("true")},
                                 {"purge_protection", Y::s("true")},
                                 {"permission_model", Y::s("rbac")},
                                 {"private_link", Y::s("false")},
                                 {"keys", Y::l({Y::m({{"name", Y::s("k")}, {"versions", Y::l({Y::s("v1")})}})})}})})},
      {"identities", Y::l({Y::m({{"name", Y::s("uai")}, {"tenant", Y::s("contoso")}})})},
      {"clusters", Y::l({Y::m({{"name", Y::s("c")},
                               {"region", Y::s("westeurope")},
                               {"subscription", Y::s("sub")},
                               {"tenant", Y::s("contoso")},
                               {"identity", Y::s("system_assigned")},
                               {"capacity_gb_per_day", Y::s("500")},
                               {"double_encryption", Y::s("true")},
                               {"key", Y::m({{"vault", Y::s("kv")}, {"key", Y::s("k")}, {"version", Y::s("v1")}})},
                               {"key_since", Y::s("10d")}})})},
      {"grants", Y::l({Y::m({{"identity", Y::s("\"cluster:c\"")},
                             {"vault", Y::s("kv")},
                             {"permissions", Y::l({Y::s("get"), Y::s("wrap"), Y::s("unwrap")})}})})},
      {"workspaces", Y::l({Y::m({{"name", Y::s("w")},
                                 {"region", Y::s("westeurope")},
                                 {"tenant", Y::s("contoso")},
                                 {"subscription", Y::s("sub")},
                                 {"cluster", Y::s("c")},
                                 {"ingest_gb_per_day", Y::s("100")},
                                 {"daily_profile", Y::l(weights)},
                                 {"weekly_profile", Y::l(std::vector<Y>(7, Y::s("1")))},
                                 {"retention", Y::s("30d")},
                                 {"existing_data", Y::s("10d")},
                                 {"queries_per_hour", Y::s("5")},
                                 {"query_range", Y::s("1d")}})})},
  });
  y.set("events", Y::l(std::move(events)));
  std::vector<Y> faults;
  for (const FaultProcessInfo& info : fault_process_table()) faults.push_back(fault_of(info));
  y.set("faults", Y::l(std::move(faults)));
  y.set("expect", Y::l({Y::m({{"metric", Y::s("exposure_window")},
                              {"subject", Y::s("c")},
                              {"min", Y::s("0")},
                              {"max", Y::s("1h")},
                              {"over_seeds", Y::s("1")}}),
                        Y::m({{"state", Y::s("available")},
                              {"subject", Y::s("w")},
                              {"at", Y::s("1d")},
                              {"over_seeds", Y::s("1")}}),
                        Y::m({{"operation", Y::s("e0")}, {"status", Y::s("200")}, {"over_seeds", Y::s("1")}}),
                        Y::m({{"risk", Y::s("expected_annual_gb_lost")},
                              {"min", Y::s("0")},
                              {"max", Y::s("10")},
                              {"runs", Y::s("1")}})}));
  return y;
}

// Where each mapping is in full_scenario(); events: one per action.
std::vector<std::pair<Mapping, Path>> mapping_locations() {
  std::vector<std::pair<Mapping, Path>> out = {
      {Mapping::kScenario, {}},
      {Mapping::kKeyVault, {{"key_vaults"}, {"", 0}}},
      {Mapping::kKey, {{"key_vaults"}, {"", 0}, {"keys"}, {"", 0}}},
      {Mapping::kIdentity, {{"identities"}, {"", 0}}},
      {Mapping::kCluster, {{"clusters"}, {"", 0}}},
      {Mapping::kKeyRef, {{"clusters"}, {"", 0}, {"key"}}},
      {Mapping::kGrant, {{"grants"}, {"", 0}}},
      {Mapping::kWorkspace, {{"workspaces"}, {"", 0}}},
      {Mapping::kMetricExpectation, {{"expect"}, {"", 0}}},
      {Mapping::kStateExpectation, {{"expect"}, {"", 1}}},
      {Mapping::kOperationExpectation, {{"expect"}, {"", 2}}},
      {Mapping::kRiskExpectation, {{"expect"}, {"", 3}}},
      {Mapping::kFaultWindow, {{"faults"}, {"", 0}, {"window"}}},
  };
  for (int i = 0; i < static_cast<int>(fault_process_table().size()); ++i) {  // faults: one per process
    out.push_back({Mapping::kFault, {{"faults"}, {"", i}}});
  }
  return out;
}

// Values a field of this type must refuse, each with what it tries.
std::vector<std::pair<std::string, Y>> wrong_values(const FieldDef& f) {
  const Y a_mapping = Y::m({{"x", Y::s("1")}});
  const Y a_list = Y::l({Y::s("a")});
  switch (f.type) {
    case ValueType::kVersion: return {{"version 2", Y::s("2")}, {"a list", a_list}};
    case ValueType::kText: return {{"a mapping", a_mapping}, {"a list", a_list}, {"no value", Y::s("~")}};
    case ValueType::kName:
      return {{"an empty name", Y::s("\"\"")}, {"a list", a_list}, {"a mapping", a_mapping}, {"no value", Y::s("~")}};
    case ValueType::kInteger: {
      std::vector<std::pair<std::string, Y>> out = {
          {"a word", Y::s("abc")}, {"a negative", Y::s("-1")}, {"a fraction", Y::s("1.5")},
          {"a quoted number", Y::s("\"1\"")}, {"a list", a_list}};
      if (*f.min > 0) out.emplace_back("below the minimum", Y::s(std::to_string(*f.min - 1)));
      // max + 1 in decimal, also past 2^64 - 1
      std::string above = std::to_string(*f.max);
      int i = static_cast<int>(above.size()) - 1;
      while (i >= 0 && above[static_cast<std::size_t>(i)] == '9') above[static_cast<std::size_t>(i--)] = '0';
      if (i < 0) above.insert(above.begin(), '1');
      else ++above[static_cast<std::size_t>(i)];
      out.emplace_back("above the maximum", Y::s(above));
      return out;
    }
    case ValueType::kNumber:
      return {{"a word", Y::s("abc")}, {"a negative", Y::s("-1")}, {"a quoted number", Y::s("\"3\"")},
              {"above 1e15", Y::s("2e15")}, {"infinity", Y::s(".inf")}, {"hex", Y::s("0x10")}, {"a list", a_list}};
    case ValueType::kBoolean:
      return {{"yes", Y::s("yes")}, {"a quoted true", Y::s("\"true\"")}, {"True", Y::s("True")}, {"1", Y::s("1")}};
    case ValueType::kDuration:
      return {{"words", Y::s("5 minutes")}, {"units out of order", Y::s("1m1h")}, {"no unit", Y::s("45")},
              {"a negative", Y::s("-1h")}, {"an unknown unit", Y::s("3x")}, {"a list", a_list}};
    case ValueType::kEnum:
    case ValueType::kProfile: return {{"an unknown word", Y::s("bogus")}, {"a list", a_list}};
    case ValueType::kIsoTime: return {{"not a time", Y::s("yesterday")}, {"a space", Y::s("\"2026-01-05 08:00\"")}};
    case ValueType::kIdentitySpec:
      return {{"an unknown identity", Y::s("sytem_assigned")}, {"user_assigned without a name", Y::s("user_assigned")},
              {"user_assigned: without a name", Y::s("\"user_assigned:\"")}};
    case ValueType::kGrantIdentity: return {{"cluster: without a name", Y::s("\"cluster:\"")}, {"empty", Y::s("\"\"")}};
    case ValueType::kNameList:
      return {{"an empty list", Y::l({})}, {"a scalar", Y::s("v1")}, {"a repeated name", Y::l({Y::s("v1"), Y::s("v1")})}};
    case ValueType::kEnumList: return {{"an unknown word", Y::l({Y::s("bogus")})}, {"a scalar", Y::s(f.values->front())}};
    case ValueType::kAt:
      return {{"words", Y::s("5 minutes")}, {"no unit", Y::s("45")}, {"a negative", Y::s("-1h")},
              {"a date with a space", Y::s("\"2026-01-05 08:00\"")}, {"a list", a_list}};
    case ValueType::kWeights7: {
      std::vector<Y> negative(7, Y::s("1"));
      negative[2] = Y::s("-1");
      return {{"3 weights", Y::l({Y::s("1"), Y::s("1"), Y::s("1")})}, {"a negative weight", Y::l(negative)},
              {"a scalar", Y::s("1")}};
    }
    case ValueType::kWeights24: {
      std::vector<Y> negative(24, Y::s("1"));
      negative[5] = Y::s("-1");
      return {{"3 weights", Y::l({Y::s("1"), Y::s("1"), Y::s("1")})}, {"a negative weight", Y::l(negative)},
              {"a scalar", Y::s("1")}};
    }
    case ValueType::kBound: return {{"a word", Y::s("abc")}, {"a negative", Y::s("-1")}, {"a list", a_list}};
    case ValueType::kParams:
      return {{"an unknown parameter", Y::m({{"bogus_param", Y::s("1")}})}, {"a list", a_list}};
    case ValueType::kMapping: return {{"a scalar", Y::s("x")}, {"a list", a_list}};
    case ValueType::kMappingList:
    case ValueType::kExpectations: return {{"a scalar", Y::s("x")}, {"a list of scalars", Y::l({Y::s("x")})}};
    case ValueType::kDistribution:
      return {{"a scalar", Y::s("1h")},
              {"an unknown kind", Y::m({{"normal", Y::s("1h")}})},
              {"two kinds", Y::m({{"fixed", Y::s("1h")}, {"uniform", Y::l({Y::s("0"), Y::s("1h")})}})},
              {"uniform with one bound", Y::m({{"uniform", Y::l({Y::s("1h")})}})},
              {"lognormal without p95", Y::m({{"lognormal", Y::m({{"median", Y::s("1h")}})}})},
              {"a bad duration", Y::m({{"fixed", Y::s("45")}})}};
    case ValueType::kFaultKinds:
      return {{"an unknown kind", Y::s("bogus")}, {"an unknown weighted kind", Y::m({{"bogus", Y::s("1")}})},
              {"a negative weight", Y::m({{"timeout", Y::s("-1")}})}, {"a list", a_list}};
  }
  return {};
}

struct Case {
  std::string file;
  std::string what;
  bool valid;  // both must accept; else both must reject
};

// What `cmksim validate` says before the graph checks: the load's error, else
// the profile's, else nothing.
std::optional<Error> loader_error(const std::string& path) {
  const Expected<Scenario> loaded = load_scenario_file(path);
  if (!loaded) return loaded.error();
  const Expected<Profile> profile = build_profile(*loaded, {}, "");
  if (!profile) return profile.error();
  return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------
// The shipped copies

TEST_CASE("Schema: scenarios/schema.json is what `cmksim schema` prints, byte for byte") {
  const Output generated = shell(std::string(CMKSIM_BINARY) + " schema");
  REQUIRE(generated.status == 0);
  const std::string shipped = read_file(fs::path(CMKSIM_SOURCE_DIR) / "scenarios/schema.json");
  INFO("scenarios/schema.json is stale: regenerate it with build/cmksim schema > scenarios/schema.json\n"
       << first_difference(generated.text, shipped));
  CHECK(generated.text == shipped);
}

TEST_CASE("Schema: scenarios/REFERENCE.md is what `cmksim reference` prints, byte for byte") {
  const Output generated = shell(std::string(CMKSIM_BINARY) + " reference");
  REQUIRE(generated.status == 0);
  const std::string shipped = read_file(fs::path(CMKSIM_SOURCE_DIR) / "scenarios/REFERENCE.md");
  INFO("scenarios/REFERENCE.md is stale: regenerate it with build/cmksim reference > scenarios/REFERENCE.md\n"
       << first_difference(generated.text, shipped));
  CHECK(generated.text == shipped);
}

TEST_CASE("Schema: every shipped scenario opens with the yaml-language-server line naming schema.json") {
  const std::vector<fs::path> files = yaml_files(std::string(CMKSIM_SOURCE_DIR) + "/scenarios");
  REQUIRE(files.size() >= 10);
  for (const fs::path& file : files) {
    INFO(file);
    const std::string text = read_file(file);
    CHECK(text.rfind("# yaml-language-server: $schema=schema.json\n", 0) == 0);
  }
}

// ---------------------------------------------------------------------------
// The validator

TEST_CASE("Schema: every shipped scenario and every init template validates against the schema") {
  TempDir dir("schema-test-shipped");
  std::vector<std::string> names;
  for (const fs::path& file : yaml_files(std::string(CMKSIM_SOURCE_DIR) + "/scenarios")) {
    fs::copy_file(file, dir.path() / file.filename());
    names.push_back(file.filename().string());
  }
  for (const fs::path& file : yaml_files(std::string(CMKSIM_SOURCE_DIR) + "/sim/cli/templates")) {
    fs::copy_file(file, dir.path() / ("template-" + file.filename().string()));
    names.push_back("template-" + file.filename().string());
  }
  const auto verdicts = validate_dir(dir.path());
  for (const std::string& name : names) {
    INFO(name);
    REQUIRE(verdicts.count(name) == 1);
    INFO(verdicts.at(name).message);
    CHECK(verdicts.at(name).status == "OK");
  }
}

// The loader's messages for what a JSON Schema can say: unknown fields, types,
// closed sets, duration syntax, ranges, required fields. References, unique
// names, `at` after the end, duplicate keys and cross-field rules are the
// loader's alone.
bool schema_level(const std::string& message) {
  static const char* const kSchemaLevel[] = {
      "unknown field '", "does not belong to", "missing required field", "must be a number", "must be >= 0",
      "must be at most 1e15", "must be true or false", "must be a non-negative integer", "is too large, got",
      "must be a list", "must be a mapping", "must be a string", "must be a single value", "has no value",
      "must not be empty", "unknown timing", "unknown fault", "unknown decision", "unknown permission_model",
      "unknown permission '", "unknown action", "unknown metric", "unknown state", "unknown profile",
      "unknown identity '", "unknown process '", "unknown parameter", "needs the identity's name", "needs the cluster's name",
      "duration '", "empty duration", "unsupported version", "must have 24 hourly weights",
      "must have at least one version", "status must be an HTTP status code", "over_seeds must be an integer",
      "runs must be an integer", "unknown risk figure", "a risk expectation needs",
      "an expectation needs", "an expectation has only one of", "a metric expectation needs",
      "expected a number >= 0", "expected true or false",
  };
  static const char* const kNotSchemaLevel[] = {"is too long", "is too large (", "duplicate ", "names unknown"};
  for (const char* p : kNotSchemaLevel) {
    if (message.find(p) != std::string::npos) return false;
  }
  for (const char* p : kSchemaLevel) {
    if (message.find(p) != std::string::npos) return true;
  }
  return false;
}

TEST_CASE("Schema: the schema-level cases of the malformed corpus are rejected by the schema as by the loader") {
  TempDir dir("schema-test-malformed");
  std::vector<std::pair<std::string, std::string>> cases;  // file, loader message
  for (const fs::path& file : yaml_files(std::string(CMKSIM_SOURCE_DIR) + "/tests/malformed")) {
    const std::optional<Error> error = loader_error(file.string());
    if (!error || !schema_level(error->message)) continue;
    fs::copy_file(file, dir.path() / file.filename());
    cases.emplace_back(file.filename().string(), error->str());
  }
  REQUIRE(cases.size() >= 3);
  const auto verdicts = validate_dir(dir.path());
  for (const auto& [name, message] : cases) {
    INFO(name << ": the loader says: " << message);
    REQUIRE(verdicts.count(name) == 1);
    INFO("the schema says: " << verdicts.at(name).status << " " << verdicts.at(name).message);
    CHECK(verdicts.at(name).status == "INVALID");
  }
}

TEST_CASE("Schema: the loader and the schema agree on every field of the format table, wrong and default") {
  // Every action once (ids e0, e1 ...); the mutations start from a scenario
  // with one event, the one they change, so each file stays small.
  std::vector<Y> every_event;
  for (const ActionInfo& info : action_table()) {
    every_event.push_back(event_of(info));
    every_event.back().set("id", Y::s("e" + std::to_string(every_event.size() - 1)));
  }
  const Y with_one_event = full_scenario({event_of(action_table().front())});
  TempDir dir("schema-test-mutations");
  std::vector<Case> cases;
  const auto add = [&](const Y& doc, const std::string& what, bool valid) {
    const std::string file = "case-" + std::to_string(cases.size()) + ".yaml";
    std::ofstream(dir.path() / file) << doc.document();
    cases.push_back({file, what, valid});
  };
  add(full_scenario(every_event), "the full scenario, one event of each action", true);

  std::vector<std::pair<std::pair<Mapping, Path>, Y>> locations;
  for (const auto& location : mapping_locations()) locations.push_back({location, with_one_event});
  for (const ActionInfo& info : action_table()) {
    locations.push_back({{Mapping::kEvent, {{"events"}, {"", 0}}}, full_scenario({event_of(info)})});
  }
  std::map<Mapping, int> covered;
  for (const auto& [location, base] : locations) {
    const auto& [mapping, path] = location;
    const MappingDef& def = mapping_def(mapping);
    Y copy = base;
    Y* node = at(copy, path);
    REQUIRE(node != nullptr);
    const bool fault = mapping == Mapping::kFault;
    const std::string where = std::string(def.key) + (mapping == Mapping::kEvent ? " " + node->field("action")->raw
                                                      : fault                     ? " " + node->field("process")->raw
                                                                                  : "");
    // The fields this mapping takes here: an event only its action's.
    std::vector<const FieldDef*> fields;
    for (const FieldDef& f : def.fields) {
      const FieldDef* effective = mapping == Mapping::kEvent
                                      ? event_field(*action_from_name(node->field("action")->raw), f.name)
                                      : &f;
      if (fault) {  // only the fields of its process
        const FaultProcessInfo& info = fault_process_info(*fault_process_from_name(node->field("process")->raw));
        bool taken = std::find(fault_common_fields().begin(), fault_common_fields().end(), f.name) !=
                     fault_common_fields().end();
        for (const auto* list : {&info.required, &info.optional}) {
          for (const char* name : *list) taken = taken || f.name == std::string(name);
        }
        if (!taken) effective = nullptr;
      }
      if (effective != nullptr) fields.push_back(effective);
    }
    {
      Y doc = base;
      at(doc, path)->set("bogus_field", Y::s("1"));
      add(doc, where + ": an unknown field", false);
    }
    for (const FieldDef* f : fields) {
      INFO(where << "." << f->name);
      const bool present = at(copy, path)->field(f->name) != nullptr;
      if (mapping != Mapping::kEvent) {
        CHECK(present);  // full_scenario() has every field of the table (a fault: of its process)
      }
      if (!present) continue;
      ++covered[mapping];
      for (const auto& [what, value] : wrong_values(*f)) {
        if (f->name == std::string("action")) continue;  // the event's action: below, with a bad name
        Y doc = base;
        at(doc, path)->set(f->name, value);
        add(doc, where + "." + f->name + ": " + what, false);
      }
      if (f->required) {
        Y doc = base;
        at(doc, path)->erase(f->name);
        add(doc, where + ": without its required field " + f->name, false);
      }
      if (*f->default_value != '\0') {  // as YAML text: "30d", "[get, wrap, unwrap]", "\"\""
        Y doc = base;
        at(doc, path)->set(f->name, Y::s(f->default_value));
        add(doc, where + "." + f->name + ": its default " + f->default_value, true);
      }
    }
    if (mapping == Mapping::kEvent) {
      Y doc = base;
      at(doc, path)->set("action", Y::s("disable-kye"));
      add(doc, where + ": an unknown action", false);
    }
  }
  // Every action's required fields, removed one by one, were covered above;
  // a field of another action is refused too.
  const Y& base = with_one_event;
  {
    Y doc = base;
    at(doc, {{"events"}, {"", 0}})->set("workspace", Y::s("w"));
    add(doc, "an event with a field of another action", false);
  }
  {
    Y doc = base;
    at(doc, {{"faults"}, {"", 0}})->set("every", Y::s("90d"));  // kv_outage: a rotation's field
    add(doc, "a fault with a field of another process", false);
  }
  // Each profile parameter with a value of the wrong kind.
  for (const ParamInfo& p : param_table()) {
    if (std::holds_alternative<std::string Profile::*>(p.field)) continue;  // any text
    Y doc = base;
    doc.field("params")->set(p.name, Y::s("not-a-value"));
    add(doc, std::string("params.") + p.name + ": a word", false);
  }
  // Expectations: two kinds at once, none, a metric without bounds, a
  // duration bound on a metric that is not a time.
  const auto expectation = [&](Y x, const std::string& what) {
    Y doc = base;
    doc.set("expect", Y::l({std::move(x)}));
    add(doc, what, false);
  };
  expectation(Y::m({{"metric", Y::s("gb_lost")}, {"state", Y::s("available")}, {"subject", Y::s("w")}, {"max", Y::s("1")}}),
              "an expectation of two kinds");
  expectation(Y::m({{"subject", Y::s("w")}}), "an expectation of no kind");
  expectation(Y::m({{"metric", Y::s("gb_lost")}, {"subject", Y::s("w")}}), "a metric expectation without bounds");
  expectation(Y::m({{"metric", Y::s("gb_lost")}, {"subject", Y::s("w")}, {"max", Y::s("1h")}}),
              "a duration bound on gb_lost");
  expectation(Y::m({{"state", Y::s("available")}, {"subject", Y::s("w")}, {"at", Y::s("1d")}, {"max", Y::s("1")}}),
              "a state expectation with a bound");
  // Not the top level: a document that is not a mapping.
  {
    std::ofstream(dir.path() / ("case-" + std::to_string(cases.size()) + ".yaml")) << "- a\n- b\n";
    cases.push_back({"case-" + std::to_string(cases.size()) + ".yaml", "a list at the top", false});
  }

  for (const MappingDef& def : format_table()) {
    INFO("full_scenario() covers the fields of " << def.key);
    CHECK(covered[def.id] > 0);
  }
  REQUIRE(cases.size() > 300);

  const auto verdicts = validate_dir(dir.path());
  int disagreements = 0;
  for (const Case& c : cases) {
    const std::optional<Error> error = loader_error((dir.path() / c.file).string());
    REQUIRE(verdicts.count(c.file) == 1);
    const Verdict& v = verdicts.at(c.file);
    INFO(c.file << ": " << c.what << "\n  " << read_file(dir.path() / c.file) << "  loader: "
                << (error ? error->str() : "accepted") << "\n  schema: " << v.status << " " << v.message);
    if (c.valid) {
      CHECK_FALSE(error);
      CHECK(v.status == "OK");
      disagreements += (error || v.status != "OK") ? 1 : 0;
    } else {
      CHECK(error);
      CHECK(v.status == "INVALID");
      disagreements += (!error || v.status != "INVALID") ? 1 : 0;
    }
  }
  CHECK(disagreements == 0);
}

// ---------------------------------------------------------------------------
// The table itself

TEST_CASE("Schema: the event mapping holds exactly the fields the actions take, each described") {
  std::vector<std::string> from_actions = event_common_fields();
  for (const ActionInfo& info : action_table()) {
    for (const auto* list : {&info.required, &info.optional}) {
      for (const char* f : *list) {
        if (std::find(from_actions.begin(), from_actions.end(), f) == from_actions.end()) from_actions.emplace_back(f);
      }
    }
    CHECK(std::string(action_description(info.action)).size() > 10);
    for (const auto* list : {&info.required, &info.optional}) {
      for (const char* f : *list) {
        INFO(info.name << "." << f);
        CHECK(event_field(info.action, f) != nullptr);
      }
    }
  }
  std::vector<std::string> table = field_names(Mapping::kEvent);
  std::sort(from_actions.begin(), from_actions.end());
  std::sort(table.begin(), table.end());
  CHECK(table == from_actions);
}

TEST_CASE("Schema: every field of the format table has a description, and its closed set or mapping") {
  for (const MappingDef& m : format_table()) {
    CHECK(std::string(m.description).size() > 5);
    for (const FieldDef& f : m.fields) {
      INFO(m.key << "." << f.name);
      CHECK(std::string(f.description).size() > 5);
      const bool needs_values = f.type == ValueType::kEnum || f.type == ValueType::kEnumList;
      CHECK((f.values != nullptr) == needs_values);
      const bool needs_mapping = f.type == ValueType::kMapping || f.type == ValueType::kMappingList;
      CHECK(f.mapping.has_value() == needs_mapping);
      CHECK((f.min.has_value() && f.max.has_value()) == (f.type == ValueType::kInteger));
      if (f.required) CHECK(std::string(f.default_value).empty());
    }
  }
}

TEST_CASE("Schema: the reference names every field, action, profile parameter and results table, each described") {
  const Output r = shell(std::string(CMKSIM_BINARY) + " reference");
  REQUIRE(r.status == 0);
  const std::string& text = r.text;
  for (const MappingDef& m : format_table()) {
    for (const FieldDef& f : m.fields) {
      INFO(m.key << "." << f.name);
      CHECK(text.find("| `" + std::string(f.name) + "` |") != std::string::npos);
    }
  }
  for (const ActionInfo& info : action_table()) CHECK(text.find("| `" + std::string(info.name) + "` |") != std::string::npos);
  for (const ParamInfo& p : param_table()) CHECK(text.find("| `" + std::string(p.name) + "` |") != std::string::npos);
  // Results tables: "| `name` | what it holds | columns |", none without a description.
  const std::size_t results = text.find("## Results database");
  REQUIRE(results != std::string::npos);
  std::istringstream in(text.substr(results));
  std::string line;
  int tables = 0;
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    ++tables;
    INFO(line);
    CHECK(line.find("` |  |") == std::string::npos);
  }
  CHECK(tables >= 10);
}
