// The sections of the report's content (report_data.h), each built from one
// run's rows by the file of its job: findings (report_findings.cpp), the
// timeline and Key Vault load (report_timeline.cpp), data, keys and CMK
// coverage (report_holdings.cpp), behaviours exercised (report_evidence.cpp).
// build_report_data (report_data.cpp) puts them together. Internal to
// sim/report.
#pragma once
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "sim/core/time.h"
#include "sim/record/run_record.h"
#include "sim/report/report_data.h"

namespace cmksim::report::sections {

template <class T>
void add_unique(std::vector<T>& list, const T& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// report_findings.cpp
double metric_value(const RunRecord& r, const std::string& kind, const std::string& subject, const std::string& name);
double run_gb_lost(const RunRecord& r);  // the workspaces' gb_lost, else the data table's
std::vector<IncidentFinding> incident_findings(const RunRecord& r, DurationMs revocation_bound,
                                               DurationMs recovery_bound);
std::vector<WorkspaceFinding> workspace_findings(const RunRecord& r);

// report_timeline.cpp
Timeline build_timeline(const RunRecord& r);
std::vector<KvSeries> build_kv(const RunRecord& r);

// report_holdings.cpp
std::vector<DataClassRow> data_classes(const RunRecord& r);
bool conservation_holds(const RunRecord& r);
std::vector<KeyRadius> key_radius(const RunRecord& r);
std::vector<KeyBlast> key_blast(const RunRecord& r);
std::vector<CoverageRow> coverage(const RunRecord& r);

// report_evidence.cpp: the behaviours a run shows, by ID, with what in the
// database shows them.
std::map<std::string, std::string> exercised(const RunRecord& r);

}  // namespace cmksim::report::sections
