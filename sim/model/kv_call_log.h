// KvCallLog: counts every Key Vault call (D3) per vault, cluster and hour for
// the `kv_calls` table, without a heap allocation per call: a new bucket is
// made once per hour and the current one is remembered.
#pragma once
#include <cstdint>
#include <map>
#include <tuple>

#include "sim/core/time.h"

namespace cmksim {

struct KvCallCounts {
  std::uint64_t wraps = 0;
  std::uint64_t unwraps = 0;
  std::uint64_t failed = 0;
};

class KvCallLog {
 public:
  using Key = std::tuple<int, int, std::int64_t>;  // vault, cluster, hour

  void count(int vault, int cluster, TimeMs t, bool unwrap, bool failed) {
    const Key key{vault, cluster, t / kMsPerHour};
    if (current_ == nullptr || key != current_key_) {
      current_ = &buckets_[key];
      current_key_ = key;
    }
    (unwrap ? current_->unwraps : current_->wraps) += 1;
    if (failed) current_->failed += 1;
  }

  const std::map<Key, KvCallCounts>& buckets() const { return buckets_; }

 private:
  std::map<Key, KvCallCounts> buckets_;
  KvCallCounts* current_ = nullptr;
  Key current_key_{};
};

}  // namespace cmksim
