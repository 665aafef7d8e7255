// SectionLoader (sim/io/section_loader.h): `expect:`. An expectation is a
// metric bound, a state at a time or an operation's status; its subject is a
// declared vault, key, cluster or workspace (or a cluster an event creates),
// its operation an event's id.
#include <algorithm>
#include <string>
#include <vector>

#include "sim/io/message_text.h"
#include "sim/io/section_loader.h"
#include "sim/scenario/duration.h"
#include "sim/scenario/format.h"

namespace cmksim::load {
namespace {

int max_over_seeds() { return static_cast<int>(*find_field(Mapping::kMetricExpectation, "over_seeds")->max); }

// Every field of `m` belongs to `expectation`, and its required ones are there.
void only_fields(const MapReader& m, Mapping expectation, const std::string& kind) {
  const std::vector<std::string> allowed = field_names(expectation);
  for (const Reader& f : m.fields()) {
    if (!contains(allowed, f.name())) {
      fail_at(f.key_mark(), "field " + quote(f.name()) + " does not belong to " + kind);
    }
  }
  m.require_fields(expectation);
}

// An integer in [1, max_over_seeds()] (`over_seeds`, or a risk expectation's `runs`).
int read_over_seeds(const Reader& f, const std::string& name = "over_seeds") {
  const std::string s = f.plain("an integer from 1 to 100000");
  const bool digits =
      !s.empty() && s.size() <= 6 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  const int n = digits ? std::stoi(s) : 0;
  if (n < 1 || n > max_over_seeds()) {
    double v = 0;
    bool in_range = false;
    const bool numeric = parse_decimal(s, v, in_range);
    f.fail(name + " must be an integer from 1 to " + std::to_string(max_over_seeds()) + ", got " +
           (numeric ? clip(s) : quote(s)));
  }
  return n;
}

// A number or a duration (kept in ms); a duration only for the metrics
// (risk figures) measured in seconds.
Bound read_bound(const Reader& f, const std::string& metric,
                 const std::vector<std::string>& time_metrics = time_metric_names()) {
  const std::string s = f.scalar("a number or a duration");
  double v = 0;
  bool in_range = false;
  if (f.node().Tag() == "?" && parse_decimal(s, v, in_range)) return Bound{f.checked_number(s), false};
  const Expected<DurationMs> d = parse_duration(s);
  if (!d) f.fail(f.name() + " must be a number or a duration, got " + quote(s));
  if (!contains(time_metrics, metric)) {
    f.fail(f.name() + " of " + metric + " must be a number (a duration bounds only " + one_of(time_metrics) +
           "), got " + quote(s));
  }
  return Bound{static_cast<double>(*d), true};
}

}  // namespace

void SectionLoader::read_expectations(const Reader& section) {
  for (const Reader& item : section.items(true)) s_.expectations.push_back(read_expectation(item));
}

ExpectationDecl SectionLoader::read_expectation(const Reader& item) {
  const MapReader m(item, "expectation");
  m.allow_only(expectation_field_names());
  const int kinds = (m.get("metric") ? 1 : 0) + (m.get("state") ? 1 : 0) + (m.get("operation") ? 1 : 0) +
                    (m.get("risk") ? 1 : 0);
  if (kinds != 1) {
    fail_at(m.mark(), kinds == 0 ? "an expectation needs 'metric', 'state', 'operation' or 'risk'"
                                 : "an expectation has only one of 'metric', 'state', 'operation' or 'risk'");
  }
  ExpectationDecl x;
  x.pos = pos_of(m.mark());
  if (m.get("metric")) {
    only_fields(m, Mapping::kMetricExpectation, "a metric expectation");
    read_metric_expectation(m, x);
  } else if (m.get("state")) {
    only_fields(m, Mapping::kStateExpectation, "a state expectation");
    read_state_expectation(m, x);
  } else if (m.get("operation")) {
    only_fields(m, Mapping::kOperationExpectation, "an operation expectation");
    read_operation_expectation(m, x);
  } else {
    only_fields(m, Mapping::kRiskExpectation, "a risk expectation");
    read_risk_expectation(m, x);
    return x;
  }
  if (const auto n = m.get("over_seeds")) x.over_seeds = read_over_seeds(*n);
  if (x.over_seeds > 1) x.text += " over " + std::to_string(x.over_seeds) + " seeds";
  return x;
}

void SectionLoader::read_metric_expectation(const MapReader& m, ExpectationDecl& x) {
  x.kind = ExpectationDecl::Kind::kMetric;
  x.metric = m.require("metric").choice("metric", metric_names());
  x.subject = read_subject(m.require("subject"));
  x.text = "metric " + x.metric + " of " + x.subject;
  const auto min = m.get("min");
  const auto max = m.get("max");
  if (!min && !max) fail_at(m.mark(), "a metric expectation needs 'min' or 'max'");
  if (min) {
    x.min = read_bound(*min, x.metric);
    x.text += " >= " + min->text();
  }
  if (max) {
    x.max = read_bound(*max, x.metric);
    x.text += std::string(min ? " and" : "") + " <= " + max->text();
  }
  const auto seconds = [](const Bound& b) { return b.is_duration ? b.value / 1000 : b.value; };
  if (x.min && x.max && seconds(*x.min) > seconds(*x.max)) {
    min->fail("min " + min->text() + " is above max " + max->text());
  }
}

// Issue 17 item 3: {risk: FIGURE, min/max: BOUND, runs: N}; the runs are
// seeds derived like over_seeds, and the text names them.
void SectionLoader::read_risk_expectation(const MapReader& m, ExpectationDecl& x) {
  x.kind = ExpectationDecl::Kind::kRisk;
  x.risk = m.require("risk").choice("risk figure", risk_figure_names());
  const auto min = m.get("min");
  const auto max = m.get("max");
  if (!min && !max) fail_at(m.mark(), "a risk expectation needs 'min' or 'max'");
  x.text = "risk " + x.risk;
  if (min) {
    x.min = read_bound(*min, x.risk, time_risk_figure_names());
    x.text += " >= " + min->text();
  }
  if (max) {
    x.max = read_bound(*max, x.risk, time_risk_figure_names());
    x.text += std::string(min ? " and" : "") + " <= " + max->text();
  }
  const auto seconds = [](const Bound& b) { return b.is_duration ? b.value / 1000 : b.value; };
  if (x.min && x.max && seconds(*x.min) > seconds(*x.max)) {
    min->fail("min " + min->text() + " is above max " + max->text());
  }
  const FieldDef* runs = find_field(Mapping::kRiskExpectation, "runs");
  x.over_seeds = std::stoi(runs->default_value);
  if (const auto n = m.get("runs")) x.over_seeds = read_over_seeds(*n, "runs");
  x.text += " over " + std::to_string(x.over_seeds) + " runs";
}

void SectionLoader::read_state_expectation(const MapReader& m, ExpectationDecl& x) {
  x.kind = ExpectationDecl::Kind::kState;
  x.state = m.require("state").choice("state", state_names());
  x.subject = read_subject(m.require("subject"));
  const Reader at = m.require("at");
  x.at_ms = read_at(at);
  x.text = "state of " + x.subject + " at " + at.text() + " is " + x.state;
}

void SectionLoader::read_operation_expectation(const MapReader& m, ExpectationDecl& x) {
  x.kind = ExpectationDecl::Kind::kOperation;
  const Reader op = m.require("operation");
  x.operation = op.name_text();
  if (!event_ids_.has(x.operation)) {
    op.fail("unknown operation " + quote(x.operation) + " (no event has this id)" +
            hint(x.operation, event_ids_.names()));
  }
  const Reader status = m.require("status");
  const std::uint64_t code = status.integer();
  if (code < 100 || code > 599) {
    status.fail("status must be an HTTP status code (100 to 599), got " + std::to_string(code));
  }
  x.status = static_cast<int>(code);
  x.text = "operation " + x.operation + " returns " + std::to_string(x.status);
}

// A declared vault, key ("vault/key"), cluster or workspace, or a cluster an
// event creates.
std::string SectionLoader::read_subject(const Reader& f) const {
  const std::string s = f.name_text();
  if (subjects_.count(s) == 0) {
    const std::vector<std::string> known(subjects_.begin(), subjects_.end());
    f.fail("unknown subject " + quote(s) + hint(s, known));
  }
  return s;
}

}  // namespace cmksim::load
