// Small text helpers shared by the OS database parsers: line iteration with line numbers,
// trimming, ASCII case folding, and a bounded list of warnings.
#pragma once

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace mtr::inventory::os::detail {

inline std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// Yields lines without their "\n" (and a trailing "\r"), numbered from 1.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : rest_(text) {}
  bool next(std::string_view& line) {
    if (done_) return false;
    auto nl = rest_.find('\n');
    line = rest_.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number_;
    if (nl == std::string_view::npos) {
      done_ = true;
      if (line.empty()) return false;  // no phantom empty line after a final newline
    } else {
      rest_.remove_prefix(nl + 1);
    }
    return true;
  }
  std::size_t number() const { return number_; }

 private:
  std::string_view rest_;
  std::size_t number_ = 0;
  bool done_ = false;
};

// Keeps the first kMax warnings of a file and counts the rest, so a hostile file cannot grow
// the report without bound.
class Warnings {
 public:
  Warnings(std::vector<std::string>& out, std::size_t max) : out_(out), max_(max) {}
  Warnings(const Warnings&) = delete;
  Warnings& operator=(const Warnings&) = delete;
  void add(std::string message) {
    if (kept_ < max_) {
      out_.push_back(std::move(message));
      ++kept_;
    } else {
      ++dropped_;
    }
  }
  // Call once parsing is done: records how many warnings were dropped.
  void finish() {
    if (dropped_ > 0)
      out_.push_back(fmt::format("{} more warnings like these were not shown", dropped_));
    dropped_ = 0;
  }

 private:
  std::vector<std::string>& out_;
  std::size_t max_;
  std::size_t kept_ = 0;
  std::size_t dropped_ = 0;
};

}  // namespace mtr::inventory::os::detail
