// SectionLoader (sim/io/section_loader.h): `faults:` (issue 17). Each fault's
// fields are checked against its process (fault_process_table,
// sim/scenario/fault.h) and typed; the resources it names must be declared
// (a fault process acts all year, not after some event created them). The
// loader only parses: realisation is sim/scenario/fault_schedule.h.
#include <string>
#include <vector>

#include "sim/io/message_text.h"
#include "sim/io/section_loader.h"
#include "sim/scenario/format.h"

namespace cmksim::load {
namespace {

std::vector<std::string> process_fields(const FaultProcessInfo& info) {
  std::vector<std::string> out = fault_common_fields();
  out.insert(out.end(), info.required.begin(), info.required.end());
  out.insert(out.end(), info.optional.begin(), info.optional.end());
  return out;
}

// fixed: D | uniform: [A, B] | lognormal: {median: M, p95: P}
DurationDist read_distribution(const Reader& f) {
  const MapReader m(f, f.name());
  m.allow_only(distribution_kinds());
  if (m.fields().size() != 1) f.fail(f.name() + " must have exactly one of fixed, uniform or lognormal");
  const Reader& v = m.fields().front();
  DurationDist d;
  if (v.name() == "fixed") {
    d.a = v.duration();
  } else if (v.name() == "uniform") {
    const std::vector<Reader> ends = v.items();
    if (ends.size() != 2) v.fail(f.name() + ": uniform must be a list of two durations [A, B]");
    d.kind = DurationDist::Kind::kUniform;
    d.a = ends[0].duration();
    d.b = ends[1].duration();
    if (d.b < d.a) v.fail(f.name() + ": uniform [A, B] needs A <= B");
  } else {
    const MapReader l(v, "lognormal");
    l.allow_only({"median", "p95"});
    d.kind = DurationDist::Kind::kLognormal;
    d.a = l.require("median").duration();
    const Reader p95 = l.require("p95");
    d.b = p95.duration();
    if (d.a <= 0) l.require("median").fail(f.name() + ": the lognormal median must be > 0");
    if (d.b < d.a) p95.fail(f.name() + ": the lognormal p95 must be >= its median");
  }
  return d;
}

// D5: one kind, or a mapping of kinds to weights with a positive sum.
std::vector<std::pair<std::string, double>> read_fault_kinds(const Reader& f) {
  if (!f.node().IsMap()) return {{f.choice("fault", fault_names()), 1.0}};
  const MapReader m(f, "fault");
  std::vector<std::pair<std::string, double>> out;
  double sum = 0;
  for (const Reader& k : m.fields()) {
    if (!contains(fault_names(), k.name())) {
      fail_at(k.key_mark(), "unknown fault " + quote(k.name()) + suggestion(k.name(), fault_names()));
    }
    out.emplace_back(k.name(), k.number());
    sum += out.back().second;
  }
  if (out.empty() || sum <= 0) f.fail("the fault weights must have a positive sum");
  return out;
}

int read_hour(const Reader& f, int lo, int hi) {
  const std::uint64_t h = f.integer();
  if (h < static_cast<std::uint64_t>(lo) || h > static_cast<std::uint64_t>(hi)) {
    f.fail(f.name() + " must be an hour from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
           std::to_string(h));
  }
  return static_cast<int>(h);
}

FaultWindow read_window(const Reader& f) {
  const MapReader m(f, "fault window");
  m.check_fields(Mapping::kFaultWindow);
  FaultWindow w;
  if (auto x = m.get("from")) w.from_ms = x->duration();
  if (auto x = m.get("to")) {
    w.to_ms = x->duration();
    if (*w.to_ms <= w.from_ms) x->fail("the window's 'to' must be after its 'from'");
  }
  if (auto x = m.get("days")) w.weekdays_only = x->choice("days", window_day_names()) == "weekdays";
  if (auto x = m.get("hours_from")) w.hour_from = read_hour(*x, 0, 23);
  if (auto x = m.get("hours_to")) {
    w.hour_to = read_hour(*x, 1, 24);
    if (w.hour_to <= w.hour_from) x->fail("the window's hours_to must be after its hours_from");
  }
  return w;
}

}  // namespace

void SectionLoader::read_faults(const Reader& section) {
  NameSet names("fault name");
  for (const Reader& item : section.items(true)) s_.faults.push_back(read_fault(item, names));
}

// As events: field names first, then the process's required fields, then values.
FaultDecl SectionLoader::read_fault(const Reader& item, NameSet& names) const {
  const MapReader m(item, "fault");
  m.allow_only(field_names(Mapping::kFault));
  const Reader process = m.require("process");
  const std::string process_name = process.choice("process", fault_process_names());
  const FaultProcessInfo& info = fault_process_info(*fault_process_from_name(process_name));
  const std::vector<std::string> allowed = process_fields(info);
  for (const Reader& f : m.fields()) {
    if (!contains(allowed, f.name())) {
      fail_at(f.key_mark(), "field " + quote(f.name()) + " does not belong to process " + quote(process_name));
    }
  }
  FaultDecl d;
  d.process = info.process;
  const SourcePos pos = pos_of(m.mark());
  d.line = pos.line;
  d.column = pos.column;
  const Reader name = m.require("name");
  d.name = name.name_text();
  names.declare(name, d.name);
  for (const char* required : info.required) {
    m.require(required, "missing required field " + quote(required) + " for process " + quote(process_name));
  }
  const std::string owner = "fault " + quote(d.name);
  if (auto f = m.get("vault")) {
    d.vault = f->name_text();
    vaults_.check_reference(*f, d.vault, owner, "vault");
  }
  if (auto f = m.get("key")) {
    d.key = f->name_text();
    if (keys_.count({d.vault, d.key}) == 0) f->fail(owner + " names unknown key " + quote(d.vault + "/" + d.key));
  }
  if (auto f = m.get("cluster")) {
    d.cluster = f->name_text();
    clusters_.check_reference(*f, d.cluster, owner, "cluster");
  }
  if (auto f = m.get("identity")) {
    d.identity = f->name_text();
    const std::string prefix = "cluster:";
    if (d.identity.rfind(prefix, 0) == 0) {
      clusters_.check_reference(*f, d.identity.substr(prefix.size()), owner, "cluster");
    } else {
      identities_.check_reference(*f, d.identity, owner, "identity");
    }
  }
  if (auto f = m.get("rate_per_year")) {
    d.rate_per_year = f->number();
    if (d.rate_per_year > kMaxFaultRatePerYear) f->fail("rate_per_year must be at most 100000, got " + f->text());
  }
  if (auto f = m.get("duration")) d.duration = read_distribution(*f);
  if (auto f = m.get("fault")) d.fault_kinds = read_fault_kinds(*f);
  if (auto f = m.get("restore_after")) d.restore_after = read_distribution(*f);
  if (auto f = m.get("every")) {
    d.every_ms = f->duration();
    if (d.every_ms < kMinRotationPeriodMs) f->fail("every must be at least 1h, got " + f->text());
  }
  if (auto f = m.get("mode")) d.explicit_version = f->choice("mode", rotation_mode_names()) == "explicit";
  if (d.explicit_version && d.cluster.empty()) {
    m.require("cluster", "missing required field 'cluster' for mode 'explicit' (the cluster updated to each new version)");
  }
  if (auto f = m.get("update_after")) d.update_after = read_distribution(*f);
  if (auto f = m.get("mistake_probability")) {
    d.mistake_probability = f->number();
    if (d.mistake_probability > 1) f->fail("mistake_probability must be at most 1, got " + f->text());
  }
  if (auto f = m.get("mistake_delay")) d.mistake_delay = read_distribution(*f);
  if (auto f = m.get("window")) d.window = read_window(*f);
  return d;
}

}  // namespace cmksim::load
