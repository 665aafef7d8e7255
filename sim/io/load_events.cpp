// SectionLoader (sim/io/section_loader.h): `events:`. Each event's fields are
// checked against its action (action_table, sim/scenario/action.h) and typed;
// the names an event holds are resolved only when it runs (an earlier event
// may create them).
#include <map>
#include <string>
#include <vector>

#include "sim/io/message_text.h"
#include "sim/io/scenario_values.h"
#include "sim/io/section_loader.h"
#include "sim/scenario/format.h"

namespace cmksim::load {
namespace {

// Every field some action takes, plus at/action/id.
std::vector<std::string> all_event_fields() {
  std::vector<std::string> out = event_common_fields();
  for (const ActionInfo& info : action_table()) {
    for (const auto* list : {&info.required, &info.optional}) {
      for (const char* f : *list) {
        if (!contains(out, f)) out.emplace_back(f);
      }
    }
  }
  return out;
}

std::vector<std::string> action_fields(const ActionInfo& info) {
  std::vector<std::string> out = event_common_fields();
  out.insert(out.end(), info.required.begin(), info.required.end());
  out.insert(out.end(), info.optional.begin(), info.optional.end());
  return out;
}

// One field of an event: types only.
void read_event_field(const Reader& f, EventDecl& e) {
  static const std::map<std::string, std::string EventDecl::*> kNames = {
      {"vault", &EventDecl::vault}, {"cluster", &EventDecl::cluster},
      {"workspace", &EventDecl::workspace}, {"region", &EventDecl::region},
      {"subscription", &EventDecl::subscription}, {"tenant", &EventDecl::tenant},
      {"storage_account", &EventDecl::storage_account}};
  const std::string& n = f.name();
  const auto named = kNames.find(n);
  const bool removable = e.action == Action::kUpdateClusterKey && (n == "vault" || n == "key");
  if (removable) {
    (n == "vault" ? e.vault : e.key) = f.text();  // C2, C6: "" removes the key details
  } else if (named != kNames.end()) {
    e.*(named->second) = f.name_text();
  } else if (n == "key" && e.action == Action::kCreateCluster) {
    e.key_ref = read_key_ref(MapReader(f, "key reference"));
  } else if (n == "key") {
    e.key = f.name_text();
  } else if (n == "version") {
    e.version = e.action == Action::kUpdateClusterKey ? f.text() : f.name_text();  // "" = R1
  } else if (n == "identity" && (e.action == Action::kSetIdentity || e.action == Action::kCreateCluster)) {
    read_identity_spec(f);
    e.identity = f.text();
  } else if (n == "identity") {
    e.identity = read_grant_identity(f);
  } else if (n == "permissions") {
    e.permissions = read_permissions(f);
  } else if (n == "for") {
    e.for_ms = f.duration();
  } else if (n == "range") {
    e.range_ms = f.duration();
  } else if (n == "fault") {
    e.fault = f.choice("fault", fault_names());  // D5
  } else if (n == "decision") {
    e.decision = f.choice("decision", decision_names());  // L1
  } else if (n == "capacity_gb_per_day") {
    e.capacity_gb_per_day = f.number();
  } else if (n == "gb_per_day") {
    e.gb_per_day = f.number();
  } else if (n == "double_encryption") {
    e.double_encryption = f.boolean();
  }
  // at, action, id: read by read_event.
}

}  // namespace

void SectionLoader::read_events(const Reader& section) {
  const std::vector<std::string> every_field = all_event_fields();
  for (const Reader& item : section.items(true)) s_.events.push_back(read_event(item, every_field));
}

// Field checks come before values: a typo'd field name is a better message
// than the "missing required field" it causes.
EventDecl SectionLoader::read_event(const Reader& item, const std::vector<std::string>& every_field) {
  const MapReader m(item, "event");
  const ActionInfo* info = nullptr;
  if (auto f = m.get("action"); f && f->node().IsScalar()) {
    if (const auto a = action_from_name(f->node().Scalar())) info = &action_info(*a);
  }
  for (const Reader& f : m.fields()) {
    if (contains(every_field, f.name())) continue;
    fail_at(f.key_mark(), "unknown field " + quote(f.name()) + " in event" +
                              hint(f.name(), info ? action_fields(*info) : every_field));
  }
  const Reader action = m.require("action");
  const std::string action_name = action.choice("action", action_names());
  info = &action_info(*action_from_name(action_name));
  const std::vector<std::string> allowed = action_fields(*info);
  for (const Reader& f : m.fields()) {
    if (!contains(allowed, f.name())) {
      fail_at(f.key_mark(), "field " + quote(f.name()) + " does not belong to action " + quote(action_name));
    }
  }
  m.require_fields(Mapping::kEvent);
  EventDecl e;
  e.action = info->action;
  e.pos = pos_of(m.mark());
  e.at_ms = read_at(m.require("at"));
  for (const char* required : info->required) {
    m.require(required, "missing required field " + quote(required) + " for action " + quote(action_name));
  }
  if (auto f = m.get("id")) {
    e.id = f->name_text();
    event_ids_.declare(*f, e.id);
  }
  for (const Reader& f : m.fields()) read_event_field(f, e);
  if (e.action == Action::kUpdateClusterKey && (e.vault.empty() || e.key.empty()) &&
      !(e.vault.empty() && e.key.empty() && e.version.empty())) {
    m.require(e.vault.empty() ? "vault" : "key")
        .fail("to remove the key details (C6), vault, key and version must all be \"\"");
  }
  if (e.action == Action::kCreateCluster) subjects_.insert(e.cluster);
  return e;
}

}  // namespace cmksim::load
