// Plain-text tables for terminal output: columns padded to the widest cell.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mtr::core {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void write(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace mtr::core
