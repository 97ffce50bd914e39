// Label selectors (metav1.LabelSelector) as the API server evaluates them: NetworkPolicy peers
// and targets, ClusterRole aggregation. Every matchLabels pair and every requirement must hold;
// an empty selector matches everything; NotIn and DoesNotExist hold for an absent key.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace mtr::kube {

enum class SelectorOp { kIn, kNotIn, kExists, kDoesNotExist };

struct LabelRequirement {
  std::string key;
  SelectorOp op = SelectorOp::kIn;
  std::vector<std::string> values;
};

// metav1.LabelSelector: every matchLabels pair and every requirement must hold; an empty
// selector matches everything.
struct LabelSelector {
  std::map<std::string, std::string> match_labels;
  std::vector<LabelRequirement> match_expressions;

  bool empty() const { return match_labels.empty() && match_expressions.empty(); }
  bool matches(const std::map<std::string, std::string>& labels) const;
  // "app=web,tier in (a,b)"; "{}" when empty.
  std::string to_string() const;
};

}  // namespace mtr::kube
