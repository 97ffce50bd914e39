// OS detection: os-release first (etc, then usr/lib), then the older per-distribution release
// files for images that predate os-release or strip it.
#include "inventory/os_release.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace mtr::inventory {
namespace {

// Release files are a few hundred bytes; anything past this is not a release file and is
// ignored rather than parsed, so a hostile image cannot make detection slow.
constexpr std::size_t kMaxReleaseFileBytes = 64 * 1024;
constexpr std::size_t kMaxOsReleaseKeys = 256;

constexpr std::string_view kEtcOsRelease = "/etc/os-release";
constexpr std::string_view kUsrLibOsRelease = "/usr/lib/os-release";

// Every file detect_os may read. Distroless needs no marker of its own: its os-release says so.
constexpr std::array<std::string_view, 13> kReleaseFiles = {
    kEtcOsRelease,         kUsrLibOsRelease,      "/etc/debian_version",
    "/etc/alpine-release", "/etc/redhat-release", "/etc/system-release",
    "/etc/centos-release", "/etc/rocky-release",  "/etc/almalinux-release",
    "/etc/oracle-release", "/etc/fedora-release", "/etc/lsb-release",
    "/etc/SuSE-release",
};

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

// One os-release value with shell-like quoting: "..." honours \" \\ \$ \` escapes, '...' is
// literal, unquoted text honours backslash escapes. Anything after a closing quote is ignored.
std::string unquote(std::string_view raw) {
  raw = trim(raw);
  std::string out;
  if (raw.empty()) return out;
  char quote = raw.front();
  if (quote == '"' || quote == '\'') {
    for (std::size_t i = 1; i < raw.size(); ++i) {
      char c = raw[i];
      if (c == quote) break;
      if (quote == '"' && c == '\\' && i + 1 < raw.size()) {
        char next = raw[i + 1];
        if (next == '"' || next == '\\' || next == '$' || next == '`') {
          out += next;
          ++i;
          continue;
        }
      }
      out += c;
    }
    return out;
  }
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      out += raw[++i];
      continue;
    }
    if (c == '#' && i > 0 && std::isspace(static_cast<unsigned char>(raw[i - 1]))) break;
    out += c;
  }
  return std::string(trim(out));
}

using KeyValues = std::map<std::string, std::string, std::less<>>;

// KEY=value files: os-release and lsb-release.
KeyValues parse_key_values(std::string_view content) {
  KeyValues values;
  for (auto line : lines_of(content.substr(0, kMaxReleaseFileBytes))) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    auto key = trim(line.substr(0, eq));
    if (values.size() >= kMaxOsReleaseKeys && !values.contains(key)) break;
    values[std::string(key)] = unquote(line.substr(eq + 1));
  }
  return values;
}

std::string get(const KeyValues& values, std::string_view key) {
  auto it = values.find(key);
  return it == values.end() ? std::string() : it->second;
}

const std::string* find_file(const std::map<std::string, std::string, std::less<>>& files,
                             std::string_view path) {
  auto it = files.find(path);
  if (it == files.end() || it->second.size() > kMaxReleaseFileBytes) return nullptr;
  return &it->second;
}

std::string debian_codename(std::string_view version_id) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kCodenames = {{
      {"6", "squeeze"},
      {"7", "wheezy"},
      {"8", "jessie"},
      {"9", "stretch"},
      {"10", "buster"},
      {"11", "bullseye"},
      {"12", "bookworm"},
      {"13", "trixie"},
      {"14", "forky"},
      {"15", "duke"},
      {"5", "lenny"},
  }};
  auto major = version_id.substr(0, version_id.find('.'));
  for (const auto& [number, name] : kCodenames) {
    if (number == major) return std::string(name);
  }
  return {};
}

// "18.04.6 LTS (Bionic Beaver)" → "bionic"; "12 (bookworm)" → "bookworm".
std::string codename_from_version(std::string_view version) {
  auto open = version.find('(');
  if (open == std::string_view::npos) return {};
  auto rest = version.substr(open + 1);
  auto end = rest.find_first_of(" ,)");
  return lower(trim(rest.substr(0, end)));
}

bool starts_with_digit(std::string_view text) {
  return !text.empty() && std::isdigit(static_cast<unsigned char>(text.front())) != 0;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) words.push_back(lower(text.substr(start, i - start)));
  }
  return words;
}

std::string first_line(std::string_view content) {
  auto lines = lines_of(content);
  for (auto line : lines) {
    line = trim(line);
    if (!line.empty()) return std::string(line);
  }
  return {};
}

// Fills what os-release leaves out from the files beside it and from well-known tables.
void complete(OsInfo& os, const std::map<std::string, std::string, std::less<>>& files,
              const KeyValues& values) {
  if (os.codename.empty()) os.codename = get(values, "UBUNTU_CODENAME");
  if (os.id == "debian") {
    // Debian testing/sid has no VERSION_ID; debian_version says "trixie/sid" or "12.5".
    if (const auto* dv = find_file(files, "/etc/debian_version"); dv && os.version_id.empty()) {
      auto text = first_line(*dv);
      if (starts_with_digit(text)) {
        os.version_id = text.substr(0, text.find('.'));
      } else if (os.codename.empty()) {
        os.codename = text.substr(0, text.find('/'));
      }
    }
    if (os.codename.empty()) os.codename = debian_codename(os.version_id);
  }
  if (os.codename.empty() && (os.id == "ubuntu" || os.id == "debian")) {
    os.codename = codename_from_version(get(values, "VERSION"));
  }
  const auto& pretty = os.pretty_name;
  if (pretty == "Distroless" ||
      get(values, "HOME_URL").find("GoogleContainerTools/distroless") != std::string::npos) {
    os.distroless = true;
  }
}

OsInfo from_os_release(const std::map<std::string, std::string, std::less<>>& files,
                       std::string_view path, const std::string& content) {
  auto values = parse_key_values(content);
  OsInfo os;
  os.id = lower(get(values, "ID"));
  if (os.id.empty()) return os;
  os.name = get(values, "NAME");
  os.version_id = get(values, "VERSION_ID");
  os.codename = lower(get(values, "VERSION_CODENAME"));
  os.pretty_name = get(values, "PRETTY_NAME");
  os.id_like = split_words(get(values, "ID_LIKE"));
  os.source_file = std::string(path);
  complete(os, files, values);
  return os;
}

// "CentOS Linux release 7.6.1810 (Core)", "Red Hat Enterprise Linux Server release 6.10
// (Santiago)", "Amazon Linux release 2 (Karoo)", "Fedora release 29 (Twenty Nine)".
OsInfo from_redhat_release(std::string_view path, std::string_view content) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kVendors = {{
      {"red hat enterprise linux", "rhel"},
      {"centos", "centos"},
      {"rocky linux", "rocky"},
      {"almalinux", "almalinux"},
      {"oracle linux", "ol"},
      {"fedora", "fedora"},
      {"amazon linux", "amzn"},
      {"amazon linux ami", "amzn"},
  }};
  OsInfo os;
  auto line = first_line(content);
  auto lowered = lower(line);
  for (const auto& [prefix, id] : kVendors) {
    if (lowered.starts_with(prefix)) {
      os.id = std::string(id);
      break;
    }
  }
  if (os.id.empty()) return os;
  auto release = lowered.find(" release ");
  if (release != std::string::npos) {
    auto rest = std::string_view(line).substr(release + 9);
    os.version_id = std::string(rest.substr(0, rest.find(' ')));
    os.name = line.substr(0, release);
  } else {
    os.name = line;
  }
  os.pretty_name = line;
  os.codename = codename_from_version(line);
  os.source_file = std::string(path);
  return os;
}

// SLES 11 and older: "SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\nPATCHLEVEL = 4".
OsInfo from_suse_release(std::string_view path, std::string_view content) {
  OsInfo os;
  auto line = first_line(content);
  auto lowered = lower(line);
  if (lowered.starts_with("suse linux enterprise server")) {
    os.id = "sles";
  } else if (lowered.starts_with("opensuse")) {
    os.id = "opensuse-leap";
  } else {
    return os;
  }
  std::string version, patch;
  for (auto l : lines_of(content)) {
    auto eq = l.find('=');
    if (eq == std::string_view::npos) continue;
    auto key = trim(l.substr(0, eq));
    auto value = trim(l.substr(eq + 1));
    if (key == "VERSION") version = value;
    if (key == "PATCHLEVEL") patch = value;
  }
  os.version_id = patch.empty() || patch == "0" ? version : version + "." + patch;
  os.name = line.substr(0, line.find(" ("));
  os.pretty_name = line;
  os.source_file = std::string(path);
  return os;
}

}  // namespace

bool os_file_required(std::string_view path) {
  return std::find(kReleaseFiles.begin(), kReleaseFiles.end(), path) != kReleaseFiles.end();
}

OsInfo detect_os(const std::map<std::string, std::string, std::less<>>& files) {
  for (auto path : {kEtcOsRelease, kUsrLibOsRelease}) {
    if (const auto* content = find_file(files, path)) {
      auto os = from_os_release(files, path, *content);
      if (!os.empty()) return os;
    }
  }
  // No usable os-release: older images. Order matters where several exist (CentOS keeps both
  // centos-release and redhat-release).
  if (const auto* content = find_file(files, "/etc/alpine-release")) {
    OsInfo os;
    os.id = "alpine";
    os.name = "Alpine Linux";
    os.version_id = first_line(*content);
    os.source_file = "/etc/alpine-release";
    if (!os.version_id.empty()) return os;
  }
  if (const auto* content = find_file(files, "/etc/lsb-release")) {
    auto values = parse_key_values(*content);
    OsInfo os;
    os.id = lower(get(values, "DISTRIB_ID"));
    os.version_id = get(values, "DISTRIB_RELEASE");
    os.codename = lower(get(values, "DISTRIB_CODENAME"));
    os.pretty_name = get(values, "DISTRIB_DESCRIPTION");
    os.name = get(values, "DISTRIB_ID");
    os.source_file = "/etc/lsb-release";
    if (!os.id.empty()) return os;
  }
  for (std::string_view path :
       {"/etc/centos-release", "/etc/rocky-release", "/etc/almalinux-release",
        "/etc/oracle-release", "/etc/fedora-release", "/etc/redhat-release",
        "/etc/system-release"}) {
    if (const auto* content = find_file(files, path)) {
      auto os = from_redhat_release(path, *content);
      if (!os.empty()) return os;
    }
  }
  if (const auto* content = find_file(files, "/etc/SuSE-release")) {
    auto os = from_suse_release("/etc/SuSE-release", *content);
    if (!os.empty()) return os;
  }
  if (const auto* content = find_file(files, "/etc/debian_version")) {
    auto text = first_line(*content);
    if (!text.empty()) {
      OsInfo os;
      os.id = "debian";
      os.name = "Debian GNU/Linux";
      os.source_file = "/etc/debian_version";
      if (starts_with_digit(text)) {
        os.version_id = text.substr(0, text.find('.'));
        os.codename = debian_codename(os.version_id);
      } else {
        os.codename = text.substr(0, text.find('/'));
      }
      return os;
    }
  }
  return {};
}

}  // namespace mtr::inventory
