// The names one section of a scenario declares (part of the scenario loader,
// sim/io/scenario_loader.h): each unique within its scope, and references
// to them checked with a did-you-mean. Lookups are by map, so no check scans
// a section (a 16 MiB file may hold 10^5 entries). A refusal throws a
// ReadFailure at the offending node (sim/io/yaml_reader.h).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "sim/io/yaml_reader.h"
#include "sim/scenario/scenario.h"

namespace cmksim::load {

class NameSet {
 public:
  // `kind` names the names in messages ("workspace name").
  explicit NameSet(std::string kind) : kind_(std::move(kind)) {}

  // `field` is the name's node; `scope` qualifies the message (" in vault 'kv'").
  void declare(const Reader& field, const std::string& name, const std::string& scope = "");

  bool has(const std::string& name) const { return first_.count(name) > 0; }
  // In declaration order.
  const std::vector<std::string>& names() const { return names_; }

  // "<owner> names unknown <kind> 'x' (did you mean 'y'?)" unless declared.
  void check_reference(const Reader& at, const std::string& name, const std::string& owner,
                       const std::string& kind) const;

 private:
  std::string kind_;
  std::map<std::string, SourcePos> first_;
  std::vector<std::string> names_;
};

}  // namespace cmksim::load
