// cmksim reference: the Markdown reference of scenario format v1, the
// actions, every profile parameter (with its value in each shipped profile)
// and the results database, generated from the definitions the code uses:
// the format table (sim/scenario/format.h), the action table, the profile
// parameter table and the results database's CREATE TABLE statements.
// scenarios/REFERENCE.md is a copy; a test keeps it current.
#include <string>
#include <vector>

#include "sim/cli/command.h"
#include "sim/core/text.h"
#include "sim/io/profile_loader.h"
#include "sim/io/results_db.h"
#include "sim/profile/profile.h"
#include "sim/scenario/format.h"
#include "sim/spec/behaviour_catalogue.h"

namespace cmksim {
namespace {

// Table cells: pipes escaped, nothing empty.
std::string cell(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string code(const std::string& text) { return text.empty() ? "" : "`" + text + "`"; }

std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// Where a mapping is written in a scenario.
std::string written_in(const MappingDef& m) {
  for (const MappingDef& parent : format_table()) {
    for (const FieldDef& f : parent.fields) {
      if (f.mapping && *f.mapping == m.id) {
        const bool list = f.type == ValueType::kMappingList;
        std::string where = parent.id == Mapping::kScenario ? "" : std::string(parent.key) + ".";
        return "`" + where + f.name + (list ? ":` entries" : ":`");
      }
    }
  }
  return "";
}

void field_table(std::string& out, const std::vector<FieldDef>& fields) {
  out += "| field | type | required | default | unit | behaviour | description |\n";
  out += "| --- | --- | --- | --- | --- | --- | --- |\n";
  for (const FieldDef& f : fields) {
    const bool long_list = f.values != nullptr && f.values->size() > 12;  // the actions
    const std::string type = f.type == ValueType::kMapping || f.type == ValueType::kMappingList
                                 ? "[" + value_type_text(f) + "](#" + std::string(mapping_def(*f.mapping).key) + ")"
                             : long_list ? "one of the " + std::to_string(f.values->size()) + " names above"
                                         : value_type_text(f);
    out += "| `" + std::string(f.name) + "` | " + cell(type) + " | " + (f.required ? "yes" : "") + " | " +
           cell(code(f.default_value)) + " | " + cell(f.unit) + " | " + f.behaviours + " | " +
           cell(capitalized(f.description)) + " |\n";
  }
  out += "\n";
}

void format_section(std::string& out) {
  out += "## Scenario format v1\n\n";
  out += "A scenario is one YAML mapping. Unknown fields are an error in every mapping (with a \"did you mean\"),\n"
         "names are unique within each section and event ids within the scenario, every `at` lies in\n"
         "[0, `duration`], and references between the declared resources are checked when the scenario is\n"
         "loaded; names inside events are resolved when the event runs.\n\n";
  out += "Value types:\n\n";
  out += "| type | written |\n| --- | --- |\n";
  out += "| duration | integers with units from the largest to the smallest, each once: `w` `d` `h` `m` `s` `ms` "
         "(`500ms`, `45s`, `15m`, `1h30m`, `2d`, `1w`), or `0`; a time (`at`) is a duration from the start |\n";
  out += "| name | any non-empty scalar, kept verbatim |\n";
  out += "| text | any scalar, possibly empty |\n";
  out += "| number | an unquoted decimal number from 0 to 1e15 (sizes are GB, decimal) |\n";
  out += "| integer | an unquoted non-negative integer |\n";
  out += "| true \\| false | exactly `true` or `false` (not yes/no/on/off, not quoted) |\n";
  out += "| ISO 8601 time | `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM[:SS[.f]]` with `Z` or `+HH:MM`/`-HH:MM` |\n";
  out += "| number or duration | an expectation's bound: a duration only for the metrics measured in time |\n";
  out += "| distribution | a drawn duration: `fixed: D`, `uniform: [A, B]` or `lognormal: {median: M, p95: P}` |\n\n";
  for (const MappingDef& m : format_table()) {
    if (m.id == Mapping::kEvent || m.id == Mapping::kMetricExpectation || m.id == Mapping::kStateExpectation ||
        m.id == Mapping::kOperationExpectation || m.id == Mapping::kRiskExpectation) {
      continue;
    }
    out += "### " + std::string(m.key) + "\n\n";
    out += capitalized(m.description);
    const std::string where = written_in(m);
    out += where.empty() ? ".\n\n" : "; written in " + where + ".\n\n";
    field_table(out, m.fields);
  }
}

std::string field_list(const ActionInfo& info, const std::vector<const char*>& names) {
  std::string out;
  for (const char* name : names) {
    const FieldDef* f = event_field(info.action, name);
    out += (out.empty() ? "" : ", ") + std::string("`") + name + "` (" + value_type_text(*f) + ")";
  }
  return out;
}

void actions_section(std::string& out) {
  const MappingDef& event = mapping_def(Mapping::kEvent);
  out += "## Events and actions\n\n<a id=\"event\"></a>" + capitalized(event.description) +
         "; written in `events:` entries. Every event has `at` and `action`, and may have an `id`.\n\n";
  out += "| action | required fields | optional fields | behaviour | what it does |\n";
  out += "| --- | --- | --- | --- | --- |\n";
  for (const ActionInfo& info : action_table()) {
    out += "| `" + std::string(info.name) + "` | " + cell(field_list(info, info.required)) + " | " +
           cell(field_list(info, info.optional)) + " | " + info.behaviours + " | " +
           cell(capitalized(action_description(info.action))) + " |\n";
  }
  out += "\nThe fields of events (a field's type may depend on the action: see the table above):\n\n";
  field_table(out, event.fields);
}

std::string process_fields(const std::vector<const char*>& names) {
  std::string out;
  for (const char* name : names) out += (out.empty() ? "" : ", ") + std::string("`") + name + "`";
  return out;
}

// Issue 17: the processes of `faults:` and the fields each takes.
void faults_section(std::string& out) {
  out += "## Fault processes\n\n";
  out += "Each `faults:` entry is one process, realised per run from the seed (its own stream, "
         "`faults.NAME`) into\nordinary events with ids `faults.NAME#N` (its restore `#N.end`; a rotation's "
         "`#N.update`, `#N.mistake`);\nthe `events` table records them with kind `fault`. Every fault has `name` "
         "and `process`, and may have a `window`.\n\n";
  out += "| process | required fields | optional fields | behaviour | what it does |\n";
  out += "| --- | --- | --- | --- | --- |\n";
  for (const FaultProcessInfo& info : fault_process_table()) {
    out += "| `" + std::string(info.name) + "` | " + cell(process_fields(info.required)) + " | " +
           cell(process_fields(info.optional)) + " | " + info.behaviours + " | " + cell(capitalized(info.description)) +
           " |\n";
  }
  out += "\n";
}

void expectations_section(std::string& out) {
  out += "## Expectations\n\n";
  out += "Each `expect:` entry is exactly one of the kinds below; `cmksim check` evaluates them.\n\n";
  for (const Mapping kind : expectation_kinds()) {
    const MappingDef& m = mapping_def(kind);
    out += "### " + std::string(m.key) + "\n\n" + capitalized(m.description) + ".\n\n";
    field_table(out, m.fields);
  }
  out += "Metrics: ";
  for (std::size_t i = 0; i < metric_names().size(); ++i) out += (i ? ", `" : "`") + metric_names()[i] + "`";
  out += " (a duration bounds only ";
  for (std::size_t i = 0; i < time_metric_names().size(); ++i) out += (i ? ", `" : "`") + time_metric_names()[i] + "`";
  out += ").\n\nRisk figures: ";
  for (std::size_t i = 0; i < risk_figure_names().size(); ++i) out += (i ? ", `" : "`") + risk_figure_names()[i] + "`";
  out += " (a duration bounds only ";
  for (std::size_t i = 0; i < time_risk_figure_names().size(); ++i) {
    out += (i ? ", `" : "`") + time_risk_figure_names()[i] + "`";
  }
  out += "). A risk expectation bounds the figure's estimate over `runs` runs seeded like `over_seeds`; "
         "`cmksim run` judges its one run, `cmksim check` all of them.\n\nStates: ";
  for (std::size_t i = 0; i < state_names().size(); ++i) out += (i ? ", `" : "`") + state_names()[i] + "`";
  out += ".\n\n";
}

void params_section(std::string& out) {
  std::vector<Profile> profiles;
  for (const std::string& name : profile_names()) profiles.push_back(*profile_by_name(name));
  out += "## Profile parameters\n\n";
  out += "Every number the model uses is a parameter of the profile (`profile:`), overridden by `params:` in the\n"
         "scenario and by `--set name=value` on the command line. `cmksim profiles NAME` lists them too.\n"
         "A value outside its range is refused by `validate`, `run`, `check`, `sweep` and `graph`.\n\n";
  out += "| parameter | unit | range | behaviour |";
  for (const Profile& p : profiles) out += " `" + p.name + "` |";
  out += " description |\n| --- | --- | --- | --- |";
  for (std::size_t i = 0; i < profiles.size(); ++i) out += " --- |";
  out += " --- |\n";
  for (const ParamInfo& info : param_table()) {
    const std::string range = has_range(info) ? range_text(info) + " (" + info.range.why + ")" : "";
    out += "| `" + std::string(info.name) + "` | " + cell(info.unit) + " | " + cell(range) + " | " + info.behaviour + " |";
    for (const Profile& p : profiles) {
      const std::string value = param_value_text(p, info);
      out += " " + cell(value.empty() ? "\"\"" : code(value)) + " |";
    }
    out += " " + cell(capitalized(info.description)) + " |\n";
  }
  out += "\n";
}

// What each table holds, one line; the columns come from the statements.
const char* table_description(const std::string& table) {
  static const std::vector<std::pair<std::string, const char*>> kTables = {
      {"runs", "one row per run: what was run, with which seed, profile, timing and parameters (`params`: JSON)"},
      {"events", "every scenario event and every change the model makes, in order (`detail`: JSON); a realised "
                 "fault has kind `fault`, its action and process in `detail`"},
      {"states", "intervals of state per subject: vault, key, cluster, workspace, and the `aek` of each cluster"},
      {"operations", "the status and message each event's operation returned (`event_id`: its id or events[N])"},
      {"incidents", "each permission change that cut a cluster off: exposure window, loss, recovery"},
      {"incident_workspaces", "GB lost per incident (`incidents.idx`) and workspace"},
      {"metrics", "figures per workspace, cluster and vault, with their unit"},
      {"data", "GB per workspace, protection class and location: ingested = lost + purged + at end"},
      {"kv_calls", "Key Vault calls per vault, cluster and hour (wraps, unwraps, failed)"},
      {"expectations", "each expectation of the scenario, met or not, with the observed value"},
      {"blast_radius", "what revoking each declared key at the start would make inaccessible, and what not"},
      {"sweep", "a sweep's grid values, one row per run and parameter (sweep databases only)"},
      {"sweep_stopped", "one row in a sweep stopped before its last run (SIGINT, SIGTERM): it holds the runs "
                        "finished in order, `written_runs` of `planned_runs`"},
      {"outcomes_only", "a row per run whose timelines (events, states, kv_calls) were not kept: a sweep with "
                        "`--keep outcomes` (its other tables are complete; `cmksim run` with the run's seed "
                        "gives the whole run)"},
  };
  for (const auto& [name, text] : kTables) {
    if (name == table) return text;
  }
  return "";
}

void results_section(std::string& out) {
  out += "## Results database\n\n";
  out += "One SQLite file per run or sweep (INTERFACE.md section 3); every table has `run_id`. Times are integer\n"
         "milliseconds from the scenario's start. The tables and columns, as the results writer creates them:\n\n";
  out += "| table | what it holds | columns |\n| --- | --- | --- |\n";
  for (const std::string& statement : results_db_schema()) {
    // "CREATE TABLE name(col TYPE, col TYPE PRIMARY KEY, ...)"
    const std::string prefix = "CREATE TABLE ";
    const std::size_t open = statement.find('(');
    const std::string name = statement.substr(prefix.size(), open - prefix.size());
    const std::string body = statement.substr(open + 1, statement.rfind(')') - open - 1);
    std::string columns;
    std::size_t start = 0;
    while (start < body.size()) {
      std::size_t end = body.find(',', start);
      if (end == std::string::npos) end = body.size();
      std::string column = body.substr(start, end - start);
      column.erase(0, column.find_first_not_of(' '));
      const std::size_t space = column.find(' ');
      columns += (columns.empty() ? "" : ", ") + std::string("`") + column.substr(0, space) + "`" +
                 (space == std::string::npos ? "" : " " + column.substr(space + 1));
      start = end + 1;
    }
    out += "| `" + name + "` | " + cell(capitalized(table_description(name))) + " | " + columns + " |\n";
  }
  out += "\n";
}

// The behaviour catalogue (sim/spec/BEHAVIORS.md), every ID with its
// priority, paragraph and resolution, grouped by section as there.
void behaviours_section(std::string& out) {
  out += "## Behaviours\n\n";
  out += "Every behaviour cmksim models, by the ID that code comments, test names, profile parameters and\n"
         "reports cite, with the resolution chosen where the source documents are ambiguous. Rendered from\n"
         "[`sim/spec/BEHAVIORS.md`](../sim/spec/BEHAVIORS.md), which the binary embeds.\n";
  std::string section;
  for (const BehaviourEntry& b : behaviour_catalogue()) {
    if (b.section != section) {
      section = b.section;
      out += "\n### " + section + "\n\n";
    }
    out += "- **" + b.id + "** (" + b.priority + ") " + b.text;
    if (!b.resolution.empty()) out += " *Resolved:* " + b.resolution;
    out += "\n";
  }
  out += "\n";
}

}  // namespace

std::string format_reference_markdown() {
  std::string out =
      "<!-- Generated by `cmksim reference` from the definitions the code uses; do not edit. -->\n"
      "# cmksim reference\n\n"
      "Scenario format v1, the actions, the profile parameters and the results database, generated from\n"
      "the tables the loader, the model and the results writer use (`cmksim reference` prints it; a test\n"
      "fails when this file is stale). Behaviour IDs are those of the catalogue at the end. The JSON Schema of the\n"
      "format is [`schema.json`](schema.json) (`cmksim schema`).\n\n"
      "- [Scenario format v1](#scenario-format-v1)\n"
      "- [Events and actions](#events-and-actions)\n"
      "- [Fault processes](#fault-processes)\n"
      "- [Expectations](#expectations)\n"
      "- [Profile parameters](#profile-parameters)\n"
      "- [Results database](#results-database)\n"
      "- [Behaviours](#behaviours)\n\n";
  format_section(out);
  actions_section(out);
  faults_section(out);
  expectations_section(out);
  params_section(out);
  results_section(out);
  behaviours_section(out);
  out.pop_back();  // one newline at the end
  return out;
}

CommandAction define_reference(CLI::App& app) {
  app.description(
      "Prints the reference of scenario format v1 (every section and field with its type, default, unit\n"
      "and behaviour ID), the actions, every profile parameter with its value in each shipped profile,\n"
      "the tables and columns of the results database, and the behaviour catalogue (every ID with its\n"
      "resolution, from sim/spec/BEHAVIORS.md), as Markdown. scenarios/REFERENCE.md is a copy.\n");
  app.footer("example: cmksim reference > REFERENCE.md\n");
  return [](std::ostream& out, std::ostream&) {
    out << format_reference_markdown();
    return kExitOk;
  };
}

}  // namespace cmksim
