#include "secrets/config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/yaml.h"

namespace mtr::secrets {
namespace {

using core::ErrorCode;

constexpr std::uint64_t kMaxConfigBytes = 4 << 20;

class Reader {
 public:
  explicit Reader(std::string_view origin) : origin_(origin) {}

  core::Result<std::string> string(const YAML::Node& node, std::string_view key) const {
    return core::yaml_string(node, key, origin_);
  }
  core::Result<std::vector<std::string>> strings(const YAML::Node& node,
                                                 std::string_view key) const {
    return core::yaml_strings(node, key, origin_);
  }
  core::Result<double> number(const YAML::Node& node, std::string_view key) const {
    auto text = MTR_TRY(string(node, key));
    try {
      std::size_t used = 0;
      double v = std::stod(text, &used);
      if (used == text.size() && v >= 0 && v <= 8) return v;
    } catch (const std::exception&) {
    }
    return core::unexpected(
        error(node, fmt::format("'{}' must be a number from 0 to 8, not '{}'", key, text)));
  }
  core::Status keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                    std::string_view what) const {
    for (const auto& kv : map) {
      if (!kv.first.IsScalar())
        return core::unexpected(error(kv.first, fmt::format("{}: keys must be strings", what)));
      const auto& k = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        return core::unexpected(
            error(kv.first,
                  fmt::format("{}: unknown key '{}' (known: {})", what, k,
                              fmt::format("{}", fmt::join(allowed.begin(), allowed.end(), ", ")))));
      }
    }
    return core::Ok{};
  }
  core::Error error(const YAML::Node& node, std::string message) const {
    return core::yaml_error(origin_, core::yaml_line(node), std::move(message));
  }

 private:
  std::string_view origin_;
};

core::Result<Rule> parse_rule(const Reader& in, const YAML::Node& node) {
  if (!node.IsMap()) return core::unexpected(in.error(node, "a rule must be a mapping"));
  MTR_TRY_STATUS(in.keys(node,
                         {"id", "title", "severity", "why", "description", "keywords", "regex",
                          "secret-group", "entropy", "path", "allow", "references", "category"},
                         "rule"));
  Rule r;
  if (!node["id"]) return core::unexpected(in.error(node, "a rule needs an 'id'"));
  r.id = MTR_TRY(in.string(node["id"], "id"));
  if (!node["regex"])
    return core::unexpected(in.error(node, fmt::format("rule '{}' needs a 'regex'", r.id)));
  r.regex = MTR_TRY(in.string(node["regex"], "regex"));
  r.title = node["title"] ? MTR_TRY(in.string(node["title"], "title")) : r.id;
  if (node["why"]) r.why = MTR_TRY(in.string(node["why"], "why"));
  if (node["description"]) r.why = MTR_TRY(in.string(node["description"], "description"));
  if (node["severity"]) {
    auto text = MTR_TRY(in.string(node["severity"], "severity"));
    auto sev = core::parse_severity(text);
    if (!sev) {
      return core::unexpected(
          in.error(node["severity"],
                   fmt::format("unknown severity '{}' (critical, high, medium, low)", text)));
    }
    r.severity = *sev;
  }
  if (node["keywords"]) r.keywords = MTR_TRY(in.strings(node["keywords"], "keywords"));
  if (node["secret-group"]) {
    auto g = MTR_TRY(in.number(node["secret-group"], "secret-group"));
    r.secret_group = static_cast<int>(g);
  }
  if (node["entropy"]) r.min_entropy = MTR_TRY(in.number(node["entropy"], "entropy"));
  if (node["path"]) r.path = MTR_TRY(in.string(node["path"], "path"));
  if (node["allow"]) r.allow = MTR_TRY(in.strings(node["allow"], "allow"));
  if (node["references"]) r.references = MTR_TRY(in.strings(node["references"], "references"));
  if (r.keywords.empty() && r.path.empty()) {
    return core::unexpected(in.error(
        node, fmt::format("rule '{}' needs 'keywords' (or a 'path'): they decide which files "
                          "its regular expression runs on",
                          r.id)));
  }
  return r;
}

core::Result<AllowRule> parse_allow(const Reader& in, const YAML::Node& node) {
  if (!node.IsMap()) return core::unexpected(in.error(node, "an allow rule must be a mapping"));
  MTR_TRY_STATUS(in.keys(node, {"id", "description", "rule", "path", "regex"}, "allow rule"));
  AllowRule a;
  if (!node["id"]) return core::unexpected(in.error(node, "an allow rule needs an 'id'"));
  a.id = MTR_TRY(in.string(node["id"], "id"));
  if (node["description"]) a.description = MTR_TRY(in.string(node["description"], "description"));
  if (node["rule"]) a.rule = MTR_TRY(in.string(node["rule"], "rule"));
  if (node["path"]) a.path = MTR_TRY(in.string(node["path"], "path"));
  if (node["regex"]) a.regex = MTR_TRY(in.string(node["regex"], "regex"));
  if (a.path.empty() && a.regex.empty()) {
    return core::unexpected(
        in.error(node, fmt::format("allow rule '{}' needs a 'path' or a 'regex'", a.id)));
  }
  return a;
}

}  // namespace

core::Result<RuleSet> apply_config(std::string_view yaml, std::string_view origin, RuleSet set) {
  Reader in(origin);
  YAML::Node root = MTR_TRY(core::yaml_load(yaml, origin));
  if (root.IsNull()) return set;
  if (!root.IsMap()) return core::unexpected(in.error(root, "the secret config must be a mapping"));
  MTR_TRY_STATUS(in.keys(
      root,
      {"rules", "allow-rules", "disable-rules", "disable-allow-rules", "enable-builtin-rules"},
      "secret config"));

  auto known = [&](const std::string& id) {
    return std::any_of(set.rules.begin(), set.rules.end(),
                       [&](const Rule& r) { return r.id == id; });
  };
  if (const auto node = root["enable-builtin-rules"]) {
    auto ids = MTR_TRY(in.strings(node, "enable-builtin-rules"));
    for (const auto& id : ids) {
      if (!known(id))
        return core::unexpected(in.error(node, fmt::format("unknown built-in rule '{}'", id)));
    }
    std::set<std::string> keep(ids.begin(), ids.end());
    std::erase_if(set.rules, [&](const Rule& r) { return keep.count(r.id) == 0; });
  }
  if (const auto node = root["disable-rules"]) {
    for (const auto& id : MTR_TRY(in.strings(node, "disable-rules"))) {
      if (!known(id)) return core::unexpected(in.error(node, fmt::format("unknown rule '{}'", id)));
      std::erase_if(set.rules, [&](const Rule& r) { return r.id == id; });
    }
  }
  if (const auto node = root["disable-allow-rules"]) {
    for (const auto& id : MTR_TRY(in.strings(node, "disable-allow-rules"))) {
      auto before = set.allow.size();
      std::erase_if(set.allow, [&](const AllowRule& a) { return a.id == id; });
      if (before == set.allow.size())
        return core::unexpected(in.error(node, fmt::format("unknown allow rule '{}'", id)));
    }
  }
  if (const auto node = root["rules"]) {
    if (!node.IsSequence()) return core::unexpected(in.error(node, "'rules' must be a list"));
    for (const auto& item : node) {
      auto rule = MTR_TRY(parse_rule(in, item));
      if (known(rule.id)) {
        return core::unexpected(
            in.error(item, fmt::format("rule '{}' is already defined (disable the built-in "
                                       "one with disable-rules to replace it)",
                                       rule.id)));
      }
      set.rules.push_back(std::move(rule));
    }
  }
  if (const auto node = root["allow-rules"]) {
    if (!node.IsSequence()) return core::unexpected(in.error(node, "'allow-rules' must be a list"));
    for (const auto& item : node) set.allow.push_back(MTR_TRY(parse_allow(in, item)));
  }
  return set;
}

core::Result<RuleSet> apply_config_file(const std::filesystem::path& file, RuleSet set) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return core::fail(ErrorCode::kNotFound,
                      fmt::format("cannot read secret config '{}'", file.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > kMaxConfigBytes) {
    return core::fail(
        ErrorCode::kLimitExceeded,
        fmt::format("secret config '{}' is larger than {} bytes", file.string(), kMaxConfigBytes));
  }
  return apply_config(text.str(), file.string(), std::move(set));
}

}  // namespace mtr::secrets
