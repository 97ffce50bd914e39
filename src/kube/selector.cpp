#include "kube/selector.h"

#include <fmt/format.h>

#include <algorithm>

namespace mtr::kube {

namespace {

bool requirement_holds(const LabelRequirement& r,
                       const std::map<std::string, std::string>& labels) {
  auto it = labels.find(r.key);
  bool has = it != labels.end();
  bool in = has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
  switch (r.op) {
    case SelectorOp::kIn:
      return in;
    case SelectorOp::kNotIn:  // an absent key is "not in" (apimachinery's labels.Selector)
      return !in;
    case SelectorOp::kExists:
      return has;
    case SelectorOp::kDoesNotExist:
      return !has;
  }
  return false;
}

}  // namespace

bool LabelSelector::matches(const std::map<std::string, std::string>& labels) const {
  for (const auto& [k, v] : match_labels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return std::all_of(match_expressions.begin(), match_expressions.end(),
                     [&](const LabelRequirement& r) { return requirement_holds(r, labels); });
}

std::string LabelSelector::to_string() const {
  if (empty()) return "{}";
  std::vector<std::string> parts;
  for (const auto& [k, v] : match_labels) parts.push_back(k + "=" + v);
  for (const LabelRequirement& r : match_expressions) {
    switch (r.op) {
      case SelectorOp::kIn:
        parts.push_back(
            fmt::format("{} in ({})", r.key, fmt::format("{}", fmt::join(r.values, ","))));
        break;
      case SelectorOp::kNotIn:
        parts.push_back(
            fmt::format("{} notin ({})", r.key, fmt::format("{}", fmt::join(r.values, ","))));
        break;
      case SelectorOp::kExists:
        parts.push_back(r.key);
        break;
      case SelectorOp::kDoesNotExist:
        parts.push_back("!" + r.key);
        break;
    }
  }
  return fmt::format("{}", fmt::join(parts, ","));
}

}  // namespace mtr::kube
