#include "core/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace mtr::core {

bool Progress::stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

void Progress::add_total(std::uint64_t bytes) {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  total_ += bytes;
}

void Progress::advance(std::uint64_t bytes) {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  done_ += bytes;
  draw_locked();
}

void Progress::set_label(std::string label) {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  label_ = std::move(label);
  last_drawn_permille_ = 1001;
  draw_locked();
}

void Progress::draw_locked() {
  std::uint64_t permille = total_ ? std::min<std::uint64_t>(1000, done_ * 1000 / total_) : 0;
  if (permille == last_drawn_permille_) return;
  last_drawn_permille_ = permille;
  constexpr int kWidth = 30;
  auto filled = static_cast<int>(permille * kWidth / 1000);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  auto line = fmt::format("\r{:<24.24} [{}] {:5.1f}% {:.1f}/{:.1f} MB", label_, bar,
                          static_cast<double>(permille) / 10.0, static_cast<double>(done_) / 1e6,
                          static_cast<double>(total_) / 1e6);
  std::fputs(line.c_str(), stderr);
}

void Progress::finish() {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  std::fputs("\r\033[K", stderr);
}

}  // namespace mtr::core
