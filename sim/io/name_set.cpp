#include "sim/io/name_set.h"

#include "sim/io/message_text.h"

namespace cmksim::load {

void NameSet::declare(const Reader& field, const std::string& name, const std::string& scope) {
  const auto [it, inserted] = first_.emplace(name, pos_of(field.mark()));
  if (!inserted) {
    field.fail("duplicate " + kind_ + " " + quote(name) + scope + " (first declared at " + pos_text(it->second) + ")");
  }
  names_.push_back(name);
}

void NameSet::check_reference(const Reader& at, const std::string& name, const std::string& owner,
                              const std::string& kind) const {
  if (has(name)) return;
  at.fail(owner + " names unknown " + kind + " " + quote(name) + hint(name, names_));
}

}  // namespace cmksim::load
