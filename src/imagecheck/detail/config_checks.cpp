// Checks on the runtime part of the image config: who the process runs as, which ports the
// image declares, its healthcheck and its volumes.
#include <algorithm>
#include <cctype>
#include <optional>

#include "imagecheck/detail/checks.h"

namespace mtr::imagecheck::detail {
namespace {

using nlohmann::json;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
    s.remove_suffix(1);
  }
  return s;
}

std::string json_quoted(std::string_view text) {
  json value = std::string(text);
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

struct Port {
  unsigned number = 0;
  std::string protocol;  // "tcp" when the key names none
};

// "22/tcp", "53/udp", "8080" (tcp). Ranges never appear in image configs; anything else is
// not a port and is skipped.
std::optional<Port> parse_port(std::string_view key) {
  Port port;
  std::size_t i = 0;
  while (i < key.size() && std::isdigit(static_cast<unsigned char>(key[i])) != 0) {
    if (i >= 5) return std::nullopt;
    port.number = port.number * 10 + static_cast<unsigned>(key[i] - '0');
    ++i;
  }
  if (i == 0 || port.number == 0 || port.number > 65535) return std::nullopt;
  if (i == key.size()) {
    port.protocol = "tcp";
    return port;
  }
  if (key[i] != '/') return std::nullopt;
  for (char c : key.substr(i + 1)) {
    port.protocol.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (port.protocol != "tcp" && port.protocol != "udp" && port.protocol != "sctp") {
    return std::nullopt;
  }
  return port;
}

struct RiskyPort {
  unsigned number;
  const char* service;
  core::Severity severity;
  const char* why;
};

// TCP ports whose service gives a shell or the host away when reachable.
constexpr RiskyPort kRemoteAccessPorts[] = {
    {22, "SSH", core::Severity::kHigh,
     "an SSH daemon in a container is a second way in that bypasses `docker exec` and its "
     "audit trail, and needs keys or passwords managed inside the image"},
    {23, "Telnet", core::Severity::kCritical,
     "Telnet sends logins and sessions in clear text and has no host authentication"},
    {2375, "Docker Engine API (plain HTTP)", core::Severity::kCritical,
     "the unencrypted, unauthenticated Docker API gives whoever reaches it root on the host"},
};

const RiskyPort* remote_access_port(const Port& port) {
  if (port.protocol != "tcp") return nullptr;
  for (const auto& risky : kRemoteAccessPorts) {
    if (risky.number == port.number) return &risky;
  }
  return nullptr;
}

// Calls `visit(key, port)` for every well-formed key of config.ExposedPorts.
template <typename Visit>
void for_each_port(const Context& context, Visit visit) {
  const json* ports = member(context.runtime_config(), "ExposedPorts");
  if (ports == nullptr || !ports->is_object()) return;
  for (const auto& item : ports->items()) {
    if (auto port = parse_port(item.key())) visit(item.key(), *port);
  }
}

}  // namespace

void check_root_user(const Context& context, const CheckRow& row, std::vector<core::Finding>& out) {
  if (context.image_config() == nullptr) return;
  const json* user = member(context.runtime_config(), "User");
  std::string_view value;
  if (user != nullptr && !user->is_null()) {
    auto text = as_string(user);
    if (!text) return;  // not a string: no runtime would accept it, nothing to judge
    value = *text;
  }
  std::string_view name = trim(value.substr(0, value.find(':')));
  // Numeric 0 (also "00") is root too; dockle only looks for the name.
  bool uid_zero =
      !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c == '0'; });
  if (!name.empty() && name != "root" && !uid_zero) return;

  auto finding = new_finding(context, row);
  finding.location.json_path = "config.User";
  finding.evidence = value.empty() ? std::string("config.User is not set (defaults to root)")
                                   : "config.User = " + json_quoted(clip(value, 64));
  out.push_back(std::move(finding));
}

void check_remote_access_ports(const Context& context, const CheckRow& row,
                               std::vector<core::Finding>& out) {
  for_each_port(context, [&](const std::string& key, const Port& port) {
    const RiskyPort* risky = remote_access_port(port);
    if (risky == nullptr) return;
    auto finding = new_finding(context, row);
    finding.severity = risky->severity;
    finding.title =
        std::string(risky->service) + " port " + std::to_string(port.number) + " exposed";
    finding.description = row.info.description + " Here: " + risky->why + ".";
    finding.location.json_path = json_key_path("config.ExposedPorts", key);
    finding.evidence = "EXPOSE " + clip(key, 32);
    finding.properties["port"] = std::to_string(port.number) + "/" + port.protocol;
    out.push_back(std::move(finding));
  });
}

void check_privileged_ports(const Context& context, const CheckRow& row,
                            std::vector<core::Finding>& out) {
  for_each_port(context, [&](const std::string& key, const Port& port) {
    // 80 and 443 are what web images are for, and Docker ≥ 20.10 lets any user bind them
    // (net.ipv4.ip_unprivileged_port_start=0); remote-access ports have their own check.
    if (port.number >= 1024 || port.number == 80 || port.number == 443) return;
    if (remote_access_port(port) != nullptr) return;
    auto finding = new_finding(context, row);
    finding.location.json_path = json_key_path("config.ExposedPorts", key);
    finding.evidence = "EXPOSE " + clip(key, 32);
    finding.properties["port"] = std::to_string(port.number) + "/" + port.protocol;
    out.push_back(std::move(finding));
  });
}

void check_healthcheck(const Context& context, const CheckRow& row,
                       std::vector<core::Finding>& out) {
  if (context.image_config() == nullptr) return;
  const json* healthcheck = member(context.runtime_config(), "Healthcheck");
  std::string evidence;
  if (healthcheck == nullptr || healthcheck->is_null()) {
    evidence = "config.Healthcheck is not set";
  } else if (healthcheck->is_object()) {
    const json* test = member(healthcheck, "Test");
    if (test == nullptr || test->is_null() || (test->is_array() && test->empty())) {
      evidence = "config.Healthcheck has no Test";
    } else if (test->is_array() && as_string(&test->front()) == std::string_view("NONE")) {
      evidence = "config.Healthcheck.Test = [\"NONE\"] (disabled)";
    }
  }
  if (evidence.empty()) return;
  auto finding = new_finding(context, row);
  finding.location.json_path = "config.Healthcheck";
  finding.evidence = std::move(evidence);
  out.push_back(std::move(finding));
}

void check_sensitive_volumes(const Context& context, const CheckRow& row,
                             std::vector<core::Finding>& out) {
  const json* volumes = member(context.runtime_config(), "Volumes");
  if (volumes == nullptr || !volumes->is_object()) return;
  for (const auto& item : volumes->items()) {
    const std::string& key = item.key();
    std::string_view path = trim(key);
    while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
    bool sensitive = starts_with_dir(path, "/proc") || starts_with_dir(path, "/sys") ||
                     starts_with_dir(path, "/dev");
    if (!sensitive) continue;
    auto finding = new_finding(context, row);
    finding.location.json_path = json_key_path("config.Volumes", key);
    finding.location.path = std::string(path);
    finding.evidence = "VOLUME " + clip(key, 64);
    out.push_back(std::move(finding));
  }
}

}  // namespace mtr::imagecheck::detail
