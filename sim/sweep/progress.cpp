#include "sim/sweep/progress.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "sim/core/text.h"

namespace cmksim {
namespace {

constexpr std::int64_t kStepMs = 100;          // one sleep of the ticker
constexpr std::int64_t kBarEveryMs = 200;      // terminal redraw
constexpr std::int64_t kLineEveryMs = 10000;   // plain line

}  // namespace

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::ostream& err, std::uint64_t total, bool terminal)
    : err_(err), total_(total), terminal_(terminal), ticker_([this] { tick_loop(); }) {}

Progress::~Progress() { finish(); }

std::string Progress::line(std::uint64_t done, std::uint64_t total, std::int64_t elapsed_ms, bool bar) {
  const double rate = elapsed_ms > 0 ? static_cast<double>(done) * 1000.0 / static_cast<double>(elapsed_ms) : 0;
  std::string rate_text = "- runs/s";
  std::string left_text;
  if (rate > 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, rate < 10 ? "%.1f runs/s" : "%.0f runs/s", rate);
    rate_text = buf;
    const double left_s = static_cast<double>(total - done) / rate;
    left_text = format_duration_rounded(std::max<DurationMs>(kMsPerSecond, static_cast<DurationMs>(left_s * 1000.0)));
  }
  const unsigned percent = total == 0 ? 100u : static_cast<unsigned>(done * 100 / total);
  if (bar) {
    constexpr std::uint64_t kWidth = 24;
    const std::uint64_t filled = total == 0 ? kWidth : done * kWidth / total;
    std::string out = "[" + std::string(filled, '#') + std::string(kWidth - filled, '-') + "] " +
                      std::to_string(done) + "/" + std::to_string(total) + " runs  " + rate_text;
    if (!left_text.empty() && done < total) out += "  " + left_text + " left";
    return out;
  }
  std::string out = "sweep: " + std::to_string(done) + " of " + std::to_string(total) + " runs (" +
                    std::to_string(percent) + "%), " + rate_text;
  if (!left_text.empty() && done < total) out += ", about " + left_text + " left";
  return out;
}

void Progress::tick_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    if (wake_.wait_for(lock, std::chrono::milliseconds(kStepMs), [this] { return stop_; })) return;
    elapsed_ms_ += kStepMs;
    const std::uint64_t done = done_.load(std::memory_order_relaxed);
    if (terminal_ && elapsed_ms_ % kBarEveryMs == 0) {
      err_ << "\r" << line(done, total_, elapsed_ms_, true) << "\x1b[K" << std::flush;
    } else if (!terminal_ && elapsed_ms_ % kLineEveryMs == 0) {
      err_ << line(done, total_, elapsed_ms_, false) << "\n" << std::flush;
    }
  }
}

void Progress::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_) return;
    finished_ = true;
    stop_ = true;
  }
  wake_.notify_all();
  ticker_.join();
  const std::uint64_t done = done_.load(std::memory_order_relaxed);
  if (terminal_) {
    err_ << "\r" << line(done, total_, elapsed_ms_, true) << "\x1b[K\n" << std::flush;
  } else if (elapsed_ms_ >= kLineEveryMs) {
    err_ << line(done, total_, elapsed_ms_, false) << "\n" << std::flush;
  }
}

}  // namespace cmksim
