#include "core/yaml.h"

#include <fmt/format.h>

namespace mtr::core {

std::uint64_t yaml_line(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? static_cast<std::uint64_t>(mark.line) + 1 : 0;
}

Error yaml_error(std::string_view origin, std::uint64_t line, std::string message) {
  return make_error(ErrorCode::kInvalidInput, std::move(message),
                    Location{std::string(origin), line, 0, {}});
}

Result<YAML::Node> yaml_load(std::string_view text, std::string_view origin) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    std::uint64_t line = e.mark.line >= 0 ? static_cast<std::uint64_t>(e.mark.line) + 1 : 0;
    return unexpected(yaml_error(origin, line, "invalid YAML: " + e.msg));
  }
}

Result<std::string> yaml_string(const YAML::Node& node, std::string_view key,
                                std::string_view origin) {
  if (!node.IsScalar())
    return unexpected(
        yaml_error(origin, yaml_line(node), fmt::format("'{}' must be a string", key)));
  return node.Scalar();
}

Result<std::vector<std::string>> yaml_strings(const YAML::Node& node, std::string_view key,
                                              std::string_view origin) {
  std::vector<std::string> out;
  if (node.IsNull()) return out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence())
    return unexpected(
        yaml_error(origin, yaml_line(node), fmt::format("'{}' must be a list of strings", key)));
  for (const auto& item : node) out.push_back(MTR_TRY(yaml_string(item, key, origin)));
  return out;
}

}  // namespace mtr::core
