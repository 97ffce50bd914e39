// Progress bars for long operations (downloads, big layers): drawn on a terminal only, never
// when stderr is piped or with --no-progress. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

namespace mtr::core {

class Progress {
 public:
  // `enabled` is false when stderr is not a terminal or the user said --no-progress.
  explicit Progress(bool enabled) : enabled_(enabled) {}
  static bool stderr_is_terminal();

  // Adds `bytes` of work to the total (known sizes) and reports `done` bytes as they pass.
  void add_total(std::uint64_t bytes);
  void advance(std::uint64_t bytes);
  void set_label(std::string label);
  // Clears the bar line.
  void finish();
  bool enabled() const { return enabled_; }

 private:
  void draw_locked();
  bool enabled_;
  std::mutex mu_;
  std::uint64_t total_ = 0;
  std::uint64_t done_ = 0;
  std::uint64_t last_drawn_permille_ = 1001;
  std::string label_;
};

}  // namespace mtr::core
