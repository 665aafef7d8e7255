#include "sim/spec/behaviour_catalogue.h"

#include <cstddef>

#include "sim/spec/spec_documents.h"

namespace cmksim {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "(P2)" at the end of a heading, or "" when there is none.
std::string trailing_priority(std::string_view heading) {
  heading = trimmed(heading);
  if (heading.size() >= 4 && heading.back() == ')' && heading[heading.size() - 4] == '(' &&
      heading[heading.size() - 3] == 'P') {
    return std::string(heading.substr(heading.size() - 3, 2));
  }
  return "";
}

// Splits the collected paragraph at "**Resolved:**".
void finish(BehaviourEntry& entry, std::vector<BehaviourEntry>& out) {
  constexpr std::string_view kResolved = "**Resolved:**";
  const std::size_t at = entry.text.find(kResolved);
  if (at != std::string::npos) {
    entry.resolution = std::string(trimmed(std::string_view(entry.text).substr(at + kResolved.size())));
    entry.text = std::string(trimmed(std::string_view(entry.text).substr(0, at)));
  }
  out.push_back(std::move(entry));
}

}  // namespace

std::vector<BehaviourEntry> parse_behaviour_catalogue(std::string_view markdown) {
  std::vector<BehaviourEntry> out;
  std::string section, section_priority;
  BehaviourEntry current;
  bool open = false;
  std::size_t from = 0;
  while (from <= markdown.size()) {
    std::size_t to = markdown.find('\n', from);
    if (to == std::string_view::npos) to = markdown.size();
    const std::string_view line = markdown.substr(from, to - from);
    from = to + 1;
    if (starts_with(line, "- **")) {
      if (open) finish(current, out);
      // "- **D7 (P1)** text" or "- **Q1** text"
      const std::size_t close = line.find("**", 4);
      if (close == std::string_view::npos) {
        open = false;
        continue;
      }
      const std::string_view label = line.substr(4, close - 4);
      const std::size_t space = label.find(' ');
      current = BehaviourEntry{};
      current.id = std::string(label.substr(0, space));
      current.priority = space == std::string_view::npos ? section_priority : trailing_priority(label);
      if (current.priority.empty()) current.priority = section_priority;
      current.section = section;
      current.text = std::string(trimmed(line.substr(close + 2)));
      open = true;
    } else if (open && starts_with(line, "  ") && !trimmed(line).empty()) {
      current.text += " ";
      current.text += trimmed(line);
    } else {
      if (open) finish(current, out);
      open = false;
      if (starts_with(line, "## ")) {
        section = std::string(trimmed(line.substr(3)));
        section_priority = trailing_priority(section);
      }
    }
    if (to == markdown.size()) break;
  }
  if (open) finish(current, out);
  return out;
}

const std::vector<BehaviourEntry>& behaviour_catalogue() {
  static const std::vector<BehaviourEntry> catalogue = parse_behaviour_catalogue(behaviours_markdown());
  return catalogue;
}

const BehaviourEntry* find_behaviour(std::string_view id) {
  for (const BehaviourEntry& entry : behaviour_catalogue()) {
    if (entry.id == id) return &entry;
  }
  return nullptr;
}

}  // namespace cmksim
