// The sections of a scenario, read into a Scenario (part of the scenario
// loader, sim/io/scenario_loader.h). Sections are read in dependency order
// (params, vaults, identities, clusters, grants, workspaces, events,
// expectations) whatever their order in the file, so each reference is
// checked as soon as it is read, against the names declared before it.
// Names inside events are NOT resolved: an earlier event may create them, and
// an unknown one is the service's 404/400 when the event runs.
//
// One SectionLoader per load; its members are split by section across
// load_header.cpp, load_resources.cpp, load_events.cpp and
// load_expectations.cpp. A refusal throws a ReadFailure (sim/io/yaml_reader.h).
#pragma once
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/io/name_set.h"
#include "sim/io/yaml_reader.h"
#include "sim/scenario/scenario.h"

namespace cmksim::load {

class SectionLoader {
 public:
  // `root` is the top-level mapping. Scenario::file and source_sha256 are
  // left to the caller.
  Scenario load(const Reader& root);

 private:
  // load_header.cpp: version, name, duration ... and params.
  void read_version(const MapReader& top);
  void read_header(const MapReader& top);
  TimeMs read_at(const Reader& f) const;
  TimeMs read_iso_at(const Reader& f) const;
  void read_params(const Reader& section);

  // load_resources.cpp: the declared resources.
  void read_vaults(const Reader& section);
  KeyDecl read_key(const Reader& item, NameSet& keys, const std::string& vault);
  void read_identities(const Reader& section);
  void read_clusters(const Reader& section);
  KeyRef read_cluster_key(const Reader& field, const std::string& owner);
  void read_grants(const Reader& section);
  void check_grant_identity(const Reader& field, const std::string& identity) const;
  void read_workspaces(const Reader& section);

  // load_events.cpp
  void read_events(const Reader& section);
  EventDecl read_event(const Reader& item, const std::vector<std::string>& every_field);

  // load_faults.cpp
  void read_faults(const Reader& section);
  FaultDecl read_fault(const Reader& item, NameSet& names) const;

  // load_expectations.cpp
  void read_expectations(const Reader& section);
  ExpectationDecl read_expectation(const Reader& item);
  void read_metric_expectation(const MapReader& m, ExpectationDecl& x);
  void read_state_expectation(const MapReader& m, ExpectationDecl& x);
  void read_operation_expectation(const MapReader& m, ExpectationDecl& x);
  void read_risk_expectation(const MapReader& m, ExpectationDecl& x);
  std::string read_subject(const Reader& f) const;

  Scenario s_;
  NameSet vaults_{"key vault name"};
  NameSet identities_{"identity name"};
  NameSet clusters_{"cluster name"};
  NameSet workspaces_{"workspace name"};
  NameSet event_ids_{"event id"};
  // Lookups by name, so no check scans a section. Filled once the section
  // they index is complete.
  std::map<std::pair<std::string, std::string>, const KeyDecl*> keys_;  // (vault, key)
  std::set<std::string> subjects_;  // what an expectation may name
};

}  // namespace cmksim::load
