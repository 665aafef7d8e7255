#include "sim/io/limit_scan.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "sim/core/text.h"
#include "sim/io/message_text.h"
#include "sim/io/utf8_screen.h"
#include "sim/io/yaml_reader.h"
#include "sim/scenario/duration.h"

namespace cmksim::load {
namespace {

std::string years_text(DurationMs d) {
  if (d % kMsPerLimitYear != 0) return format_duration(d);
  const DurationMs years = d / kMsPerLimitYear;
  return std::to_string(years) + (years == 1 ? " year" : " years");
}

class LimitScan : public YAML::EventHandler {
 public:
  LimitScan(std::string_view text, const LoadLimits& limits) : text_(text), limits_(limits) {}

  DocumentCount count;

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (count.documents > 0 && mark.pos == last_start_.pos) {
      const std::size_t at = static_cast<std::size_t>(std::max(mark.pos, 0));
      const std::string token = at < text_.size() ? quote(text_.substr(at, 1)) : std::string("end of file");
      fail_at(mark, "invalid YAML: unexpected " + token);
    }
    if (++count.documents == 2) count.second_start = mark;
    last_start_ = mark;
    open_.clear();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    // The text is UTF-8 (screen_utf8), but yaml-cpp 0.7 decodes the escapes
    // \N and \_ to the single bytes 0x85 and 0xa0: nothing invalid goes on.
    if (!valid_utf8(value) || !valid_utf8(tag)) {
      fail_at(mark, "this string is not valid UTF-8 once its escapes are decoded "
                    "(write \\N as \\u0085 and \\_ as \\u00a0)");
    }
    leaf(mark, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const Anchored a = anchor < anchors_.size() ? anchors_[anchor] : Anchored{1, 0, false};
    if (a.open) fail_at(mark, "a YAML alias refers to the collection that contains it");
    aliased_ += a.nodes;
    if (aliased_ > limits_.max_alias_nodes) {
      fail_at(mark, "YAML aliases expand the scenario by more than " + std::to_string(limits_.max_alias_nodes) +
                        " nodes (an alias bomb?)");
    }
    if (open_.size() + a.height > static_cast<std::size_t>(limits_.max_depth)) too_deep(mark);
    child_height(a.height);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapEnd() override { close(); }

 private:
  struct Anchored {
    std::size_t nodes = 1;   // expanded
    std::size_t height = 0;  // collections nested in it, itself included
    bool open = false;
  };
  struct Open {
    YAML::anchor_t anchor;
    std::size_t nodes_before;
    std::size_t height;
  };

  [[noreturn]] void too_deep(const YAML::Mark& mark) const {
    fail_at(mark, "the YAML is nested too deeply (depth limit " + std::to_string(limits_.max_depth) + " reached)");
  }
  void remember(YAML::anchor_t anchor, Anchored a) {
    if (anchor == 0) return;
    if (anchor >= anchors_.size()) anchors_.resize(anchor + 1);
    anchors_[anchor] = a;
  }
  void child_height(std::size_t height) {
    if (!open_.empty()) open_.back().height = std::max(open_.back().height, height + 1);
  }
  void leaf(const YAML::Mark&, YAML::anchor_t anchor) {
    ++nodes_;
    remember(anchor, Anchored{1, 0, false});
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (open_.size() >= static_cast<std::size_t>(limits_.max_depth)) too_deep(mark);
    open_.push_back(Open{anchor, nodes_ + aliased_, 1});
    ++nodes_;
    remember(anchor, Anchored{1, 0, true});
  }
  void close() {
    if (open_.empty()) return;
    const Open done = open_.back();
    open_.pop_back();
    remember(done.anchor, Anchored{nodes_ + aliased_ - done.nodes_before, done.height, false});
    child_height(done.height);
  }

  std::string_view text_;
  const LoadLimits& limits_;
  YAML::Mark last_start_ = YAML::Mark::null_mark();
  std::vector<Open> open_;
  std::vector<Anchored> anchors_;  // by anchor id (from 1)
  std::size_t nodes_ = 0;          // as written
  std::size_t aliased_ = 0;        // added by aliases
};

}  // namespace

DocumentCount scan_limits(std::string_view text, const LoadLimits& limits) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  LimitScan scan(text, limits);
  while (scan.count.documents < 2 && parser.HandleNextDocument(scan)) {
  }
  return scan.count;
}

void check_node_limits(const YAML::Node& root, const LoadLimits& limits) {
  for (const auto& pair : root) {
    if (!pair.first.IsScalar()) continue;
    const std::string& key = pair.first.Scalar();
    const YAML::Node& value = pair.second;
    if (key == "events" && value.IsSequence() && value.size() > limits.max_events) {
      std::size_t i = 0;
      for (const YAML::Node& item : value) {
        if (i++ < limits.max_events) continue;
        fail_at(item.Mark().is_null() ? value.Mark() : item.Mark(),
                "more than " + std::to_string(limits.max_events) + (limits.max_events == 1 ? " event" : " events") +
                    " (the limit; --max-events raises it)");
      }
    }
    if (key == "duration" && value.IsScalar()) {
      const Expected<DurationMs> d = parse_duration(value.Scalar());
      if (d && *d > limits.max_duration) {
        fail_at(value.Mark(), "duration " + clip(value.Scalar()) + " is longer than the limit of " +
                                  years_text(limits.max_duration) + " (--max-years raises it)");
      }
    }
  }
}

}  // namespace cmksim::load
