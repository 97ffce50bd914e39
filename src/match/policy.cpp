// Policy: severity filter, ignore files (.matryoshkaignore / .trivyignore text and YAML forms),
// OpenVEX statements and --fail-on. The matching helpers (purls, image references, dates) are
// loose on purpose where the formats are: a purl without version or qualifiers names every
// build of a package, and image references compare by digest when they have one.
#include "match/policy.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include <fmt/format.h>

#include "core/yaml.h"

namespace mtr::match {
namespace {

using core::ErrorCode;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads `count` digits at `pos` into `out`; false when any is not a digit.
bool read_number(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap(year)) return 29;
  return kDays[month - 1];
}

// A real calendar day written YYYY-MM-DD at the start of `text`.
bool parse_date_prefix(std::string_view text, int& year, int& month, int& day) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  if (!read_number(text, 0, 4, year) || !read_number(text, 5, 2, month) ||
      !read_number(text, 8, 2, day))
    return false;
  return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

bool is_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  return text.size() == 10 && parse_date_prefix(text, y, m, d);
}

// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

// An RFC 3339 timestamp as (seconds since the epoch in UTC, nanoseconds), for ordering VEX
// statements. Accepts 'T', 't' or ' ' between date and time, any number of fraction digits.
std::optional<std::pair<std::int64_t, std::int64_t>> parse_timestamp(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!parse_date_prefix(text, year, month, day) || text.size() < 19) return std::nullopt;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  if (!read_number(text, 11, 2, hour) || text[13] != ':' || !read_number(text, 14, 2, minute) ||
      text[16] != ':' || !read_number(text, 17, 2, second))
    return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t nanos = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      if (digits < 9) nanos = nanos * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 9; ++digits) nanos *= 10;
  }
  std::int64_t offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    if (!read_number(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !read_number(text, pos + 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = std::int64_t{oh * 3600 + om * 60} * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  std::int64_t seconds = days_from_civil(year, month, day) * 86400 +
                         std::int64_t{hour * 3600 + minute * 60 + second} - offset;
  return std::make_pair(seconds, nanos);
}

// An expiry date from the ignore file: YYYY-MM-DD, or an RFC 3339 timestamp (its UTC day is
// not computed: the date as written counts).
std::optional<std::string> parse_expiry(std::string_view text) {
  text = trim(text);
  if (is_date(text)) return std::string(text);
  if (text.size() > 10 && parse_timestamp(text)) return std::string(text.substr(0, 10));
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Package URLs, parsed for comparison only.

struct ParsedPurl {
  std::string type;
  std::string namespace_;
  std::string name;
  std::string version;
  std::map<std::string, std::string> qualifiers;
  std::string subpath;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

bool starts_with_pkg(std::string_view text) {
  return text.size() > 4 && iequals(text.substr(0, 4), "pkg:");
}

std::optional<ParsedPurl> parse_purl(std::string_view text) {
  if (!starts_with_pkg(text)) return std::nullopt;
  ParsedPurl p;
  std::string_view rest = text.substr(4);
  if (auto hash = rest.find('#'); hash != std::string_view::npos) {
    p.subpath = percent_decode(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  if (auto question = rest.find('?'); question != std::string_view::npos) {
    std::string_view query = rest.substr(question + 1);
    rest = rest.substr(0, question);
    while (!query.empty()) {
      auto amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      auto eq = pair.find('=');
      if (eq != std::string_view::npos && eq > 0)
        p.qualifiers[lower(pair.substr(0, eq))] = percent_decode(pair.substr(eq + 1));
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  p.type = lower(rest.substr(0, slash));
  rest.remove_prefix(slash + 1);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  // The version separator is the last '@' after the last '/' ("@angular/core" has none).
  auto last_slash = rest.rfind('/');
  auto at = rest.rfind('@');
  if (at != std::string_view::npos && (last_slash == std::string_view::npos || at > last_slash)) {
    p.version = percent_decode(rest.substr(at + 1));
    rest = rest.substr(0, at);
  }
  last_slash = rest.rfind('/');
  if (last_slash != std::string_view::npos) {
    p.namespace_ = percent_decode(rest.substr(0, last_slash));
    rest.remove_prefix(last_slash + 1);
  }
  p.name = percent_decode(rest);
  if (p.name.empty()) return std::nullopt;
  if (p.type == "pypi") {
    p.name = lower(p.name);
    std::replace(p.name.begin(), p.name.end(), '_', '-');
  }
  return p;
}

// True when `pattern` (from a rule or a VEX document) names the package `actual`: same type,
// namespace and name; its version, qualifiers and subpath, where given, must agree.
bool purl_matches(std::string_view pattern, std::string_view actual) {
  if (pattern.empty() || actual.empty()) return false;
  auto want = parse_purl(pattern);
  auto have = parse_purl(actual);
  if (!want || !have) return pattern == actual;
  if (want->type != have->type || want->namespace_ != have->namespace_ || want->name != have->name)
    return false;
  if (!want->version.empty() && want->version != have->version) return false;
  for (const auto& [key, value] : want->qualifiers) {
    auto it = have->qualifiers.find(key);
    if (it == have->qualifiers.end() || it->second != value) return false;
  }
  return want->subpath.empty() || want->subpath == have->subpath;
}

// ---------------------------------------------------------------------------------------------
// Image references, compared loosely: by digest when both have one, else by normalised
// repository:tag (docker.io/library/ dropped, :latest implied).

struct ImageRef {
  std::string name_tag;
  std::string digest;
};

std::string normalise_repository(std::string name) {
  for (std::string_view prefix : {"docker.io/", "index.docker.io/", "registry-1.docker.io/"}) {
    if (name.starts_with(prefix)) {
      name.erase(0, prefix.size());
      break;
    }
  }
  if (name.starts_with("library/")) name.erase(0, 8);
  return lower(name);
}

ImageRef image_ref(std::string_view text) {
  ImageRef ref;
  if (text.size() > 8 && iequals(text.substr(0, 8), "pkg:oci/")) {
    auto purl = parse_purl(text);
    if (!purl) return ref;
    ref.digest = lower(purl->version);
    std::string repository = purl->name;
    if (auto it = purl->qualifiers.find("repository_url"); it != purl->qualifiers.end())
      repository = it->second;
    ref.name_tag = normalise_repository(repository);
    if (auto it = purl->qualifiers.find("tag"); it != purl->qualifiers.end())
      ref.name_tag += ":" + it->second;
    else if (ref.digest.empty())
      ref.name_tag += ":latest";
    return ref;
  }
  std::string decoded = percent_decode(text);
  std::string_view rest = decoded;
  if (rest.starts_with("sha256:") || rest.starts_with("sha512:")) {
    ref.digest = lower(rest);
    return ref;
  }
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    ref.digest = lower(rest.substr(at + 1));
    rest = rest.substr(0, at);
  }
  if (rest.empty()) return ref;
  auto slash = rest.rfind('/');
  auto colon = rest.rfind(':');
  bool has_tag =
      colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash);
  ref.name_tag = normalise_repository(std::string(rest));
  if (!has_tag && ref.digest.empty()) ref.name_tag += ":latest";
  return ref;
}

bool image_matches(std::string_view product, std::string_view target) {
  if (product.empty() || target.empty()) return false;
  if (product == target) return true;
  ImageRef a = image_ref(product);
  ImageRef b = image_ref(target);
  if (!a.digest.empty() && a.digest == b.digest) return true;
  return !a.name_tag.empty() && a.name_tag == b.name_tag && (a.digest.empty() || b.digest.empty());
}

// Products that may name an image: OCI purls and anything that is not a purl at all.
bool is_image_like(std::string_view product) {
  if (product.size() > 8 && iequals(product.substr(0, 8), "pkg:oci/")) return true;
  return !starts_with_pkg(product);
}

// ---------------------------------------------------------------------------------------------
// Finding helpers.

std::string property(const core::Finding& finding, const char* key) {
  auto it = finding.properties.find(key);
  return it == finding.properties.end() ? std::string() : it->second;
}

bool has_glob(std::string_view text) { return text.find_first_of("*?") != std::string_view::npos; }

// '*' matches any run of characters (slashes too, so "**" works as in Trivy), '?' one
// character. Iterative with one backtrack point: linear in practice, no recursion.
bool glob_matches(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string_view strip_slashes(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  while (path.starts_with('/')) path.remove_prefix(1);
  return path;
}

// A rule's package: the package name, its purl, or (from Trivy's `paths`) the file the package
// was found in, possibly as a glob.
bool rule_package_matches(std::string_view package, const core::Finding& finding) {
  if (package.empty()) return true;
  if (starts_with_pkg(package)) return purl_matches(package, property(finding, "purl"));
  // A source package name covers its binaries (Debian data names source packages).
  if (package == property(finding, "package") || package == property(finding, "source_package"))
    return true;
  if (finding.location.path.empty()) return false;
  std::string_view want = strip_slashes(package);
  std::string_view have = strip_slashes(finding.location.path);
  return has_glob(want) ? glob_matches(want, have) : want == have;
}

bool id_matches(std::string_view id, const core::Finding& finding) {
  if (iequals(id, finding.id)) return true;
  return std::any_of(finding.aliases.begin(), finding.aliases.end(),
                     [&](const std::string& alias) { return iequals(id, alias); });
}

// ---------------------------------------------------------------------------------------------
// Ignore files.

core::Error line_error(std::string_view origin, std::uint64_t line, std::string message) {
  return core::make_error(ErrorCode::kInvalidInput, std::move(message),
                          core::Location{std::string(origin), line, 0, {}});
}

// Trivy's YAML ignore file has these top-level keys; a text ignore file never has a line that
// starts with one followed by ':'.
bool looks_like_yaml(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
    for (std::string_view key : {"vulnerabilities", "misconfigurations", "secrets", "licenses"}) {
      if (line.starts_with(key) && trim(line.substr(key.size())).starts_with(':')) return true;
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return false;
}

core::Result<std::vector<IgnoreRule>> parse_ignore_text(std::string_view text,
                                                        std::string_view origin) {
  std::vector<IgnoreRule> rules;
  std::uint64_t line_number = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
    pos = end == std::string_view::npos ? text.size() + 1 : end + 1;
    ++line_number;
    if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;

    IgnoreRule rule;
    rule.origin = fmt::format("{}:{}", origin, line_number);
    // A comment starts at a '#' that begins a word: purls may carry '#subpath'.
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '#' && is_space(line[i - 1])) {
        rule.reason = std::string(trim(line.substr(i + 1)));
        line = trim(line.substr(0, i));
        break;
      }
    }
    std::vector<std::string_view> words;
    for (std::size_t i = 0; i < line.size();) {
      while (i < line.size() && is_space(line[i])) ++i;
      std::size_t start = i;
      while (i < line.size() && !is_space(line[i])) ++i;
      if (i > start) words.push_back(line.substr(start, i - start));
    }
    for (std::string_view word : words) {
      for (char c : word) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
          return core::unexpected(
              line_error(origin, line_number, "control character in ignore rule"));
      }
    }
    rule.id = std::string(words.front());
    if (rule.id.starts_with("exp:"))
      return core::unexpected(line_error(origin, line_number, "ignore rule has no id"));
    for (std::size_t i = 1; i < words.size(); ++i) {
      std::string_view word = words[i];
      if (word.starts_with("exp:")) {
        if (!rule.expires.empty())
          return core::unexpected(line_error(origin, line_number, "more than one exp: date"));
        auto date = parse_expiry(word.substr(4));
        if (!date)
          return core::unexpected(line_error(
              origin, line_number,
              fmt::format("invalid expiry date '{}' (expected exp:YYYY-MM-DD)", word.substr(4))));
        rule.expires = *date;
      } else if (rule.package.empty()) {
        rule.package = std::string(word);
      } else {
        return core::unexpected(line_error(
            origin, line_number,
            fmt::format("unexpected '{}' (expected ID [PACKAGE] [exp:YYYY-MM-DD] [# reason])",
                        word)));
      }
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

using core::yaml_string;
using core::yaml_strings;
constexpr auto mark_line = core::yaml_line;

core::Result<std::vector<IgnoreRule>> parse_ignore_yaml(std::string_view text,
                                                        std::string_view origin) {
  YAML::Node root = MTR_TRY(core::yaml_load(text, origin));
  if (!root.IsMap())
    return core::unexpected(line_error(
        origin, mark_line(root), "YAML ignore file must be a mapping with 'vulnerabilities'"));
  std::vector<IgnoreRule> rules;
  for (const char* section : {"vulnerabilities", "misconfigurations", "secrets", "licenses"}) {
    const YAML::Node entries = root[section];
    if (!entries || entries.IsNull()) continue;
    if (!entries.IsSequence())
      return core::unexpected(line_error(origin, mark_line(entries),
                                         fmt::format("'{}' must be a list of entries", section)));
    for (const auto& entry : entries) {
      const std::uint64_t line = mark_line(entry);
      if (!entry.IsMap())
        return core::unexpected(line_error(origin, line, "entry must be a mapping with 'id'"));
      IgnoreRule rule;
      rule.origin = fmt::format("{}:{}", origin, line);
      std::vector<std::string> packages;
      for (const auto& item : entry) {
        if (!item.first.IsScalar()) continue;
        const std::string& key = item.first.Scalar();
        const YAML::Node& value = item.second;
        if (key == "id") {
          rule.id = std::string(trim(MTR_TRY(yaml_string(value, key, origin))));
        } else if (key == "package" || key == "purls" || key == "paths") {
          for (auto& p : MTR_TRY(yaml_strings(value, key, origin))) {
            if (!trim(p).empty()) packages.emplace_back(trim(p));
          }
        } else if (key == "expires" || key == "expired_at") {
          if (value.IsNull()) continue;
          std::string raw = MTR_TRY(yaml_string(value, key, origin));
          auto date = parse_expiry(raw);
          if (!date)
            return core::unexpected(
                line_error(origin, mark_line(value),
                           fmt::format("invalid {} date '{}' (expected YYYY-MM-DD)", key, raw)));
          rule.expires = *date;
        } else if (key == "reason" || key == "statement") {
          if (!value.IsNull()) rule.reason = MTR_TRY(yaml_string(value, key, origin));
        }
      }
      if (rule.id.empty()) return core::unexpected(line_error(origin, line, "entry has no 'id'"));
      if (packages.empty()) {
        rules.push_back(std::move(rule));
      } else {
        for (auto& package : packages) {
          IgnoreRule copy = rule;
          copy.package = std::move(package);
          rules.push_back(std::move(copy));
        }
      }
    }
  }
  return rules;
}

// ---------------------------------------------------------------------------------------------
// OpenVEX.

constexpr std::string_view kStatuses[] = {"not_affected", "affected", "fixed",
                                          "under_investigation"};

using Json = nlohmann::json;

core::Error vex_error(std::string_view origin, std::size_t statement, std::string message) {
  core::Location where{std::string(origin), 0, 0, {}};
  if (statement > 0) where.object = fmt::format("statement {}", statement);
  return core::make_error(ErrorCode::kInvalidInput, std::move(message), std::move(where));
}

// Optional string member; error when present with another type.
core::Result<std::string> json_string(const Json& object, const char* key, std::string_view origin,
                                      std::size_t statement) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string())
    return core::unexpected(
        vex_error(origin, statement, fmt::format("'{}' must be a string", key)));
  return it->get<std::string>();
}

// A product or subcomponent: a plain string (legacy) or a component object; its identifiers are
// @id and identifiers.purl.
core::Result<std::vector<std::string>> component_ids(const Json& component, std::string_view origin,
                                                     std::size_t statement) {
  std::vector<std::string> ids;
  if (component.is_string()) {
    if (!component.get_ref<const std::string&>().empty())
      ids.push_back(component.get<std::string>());
    return ids;
  }
  if (!component.is_object())
    return core::unexpected(
        vex_error(origin, statement, "product or subcomponent must be an object or a string"));
  std::string id = MTR_TRY(json_string(component, "@id", origin, statement));
  if (!id.empty()) ids.push_back(std::move(id));
  if (auto it = component.find("identifiers"); it != component.end() && !it->is_null()) {
    if (!it->is_object())
      return core::unexpected(vex_error(origin, statement, "'identifiers' must be an object"));
    std::string purl = MTR_TRY(json_string(*it, "purl", origin, statement));
    if (!purl.empty() && std::find(ids.begin(), ids.end(), purl) == ids.end())
      ids.push_back(std::move(purl));
  }
  return ids;
}

core::Result<std::vector<std::string>> subcomponent_ids(const Json& owner, std::string_view origin,
                                                        std::size_t statement) {
  std::vector<std::string> out;
  auto it = owner.find("subcomponents");
  if (it == owner.end() || it->is_null()) return out;
  if (!it->is_array())
    return core::unexpected(vex_error(origin, statement, "'subcomponents' must be an array"));
  for (const auto& sub : *it) {
    for (auto& id : MTR_TRY(component_ids(sub, origin, statement))) out.push_back(std::move(id));
  }
  return out;
}

struct TimedStatement {
  std::optional<std::pair<std::int64_t, std::int64_t>> time;
  VexStatement statement;
};

core::Result<std::optional<std::pair<std::int64_t, std::int64_t>>> json_timestamp(
    const Json& object, std::string_view origin, std::size_t statement) {
  std::string text = MTR_TRY(json_string(object, "timestamp", origin, statement));
  if (text.empty()) return std::optional<std::pair<std::int64_t, std::int64_t>>();
  auto time = parse_timestamp(text);
  if (!time)
    return core::unexpected(vex_error(
        origin, statement, fmt::format("invalid timestamp '{}' (expected RFC 3339)", text)));
  return std::optional<std::pair<std::int64_t, std::int64_t>>(time);
}

core::Result<std::vector<TimedStatement>> parse_statement(const Json& json, std::string_view origin,
                                                          std::size_t number) {
  if (!json.is_object())
    return core::unexpected(vex_error(origin, number, "statement must be an object"));
  VexStatement base;
  base.origin = fmt::format("{}: statement {}", origin, number);

  auto vuln = json.find("vulnerability");
  if (vuln == json.end() || vuln->is_null())
    return core::unexpected(vex_error(origin, number, "statement has no 'vulnerability'"));
  if (vuln->is_string()) {
    base.vulnerability = vuln->get<std::string>();
  } else if (vuln->is_object()) {
    base.vulnerability = MTR_TRY(json_string(*vuln, "name", origin, number));
    std::string iri = MTR_TRY(json_string(*vuln, "@id", origin, number));
    if (base.vulnerability.empty()) {
      base.vulnerability = std::move(iri);
    } else if (!iri.empty() && iri != base.vulnerability) {
      base.aliases.push_back(std::move(iri));
    }
    if (auto aliases = vuln->find("aliases"); aliases != vuln->end() && !aliases->is_null()) {
      if (!aliases->is_array())
        return core::unexpected(vex_error(origin, number, "'aliases' must be an array"));
      for (const auto& alias : *aliases) {
        if (!alias.is_string())
          return core::unexpected(vex_error(origin, number, "'aliases' must hold strings"));
        if (!alias.get_ref<const std::string&>().empty()) base.aliases.push_back(alias);
      }
    }
  } else {
    return core::unexpected(
        vex_error(origin, number, "'vulnerability' must be an object or a string"));
  }
  if (base.vulnerability.empty())
    return core::unexpected(vex_error(origin, number, "vulnerability has no 'name' or '@id'"));

  base.status = MTR_TRY(json_string(json, "status", origin, number));
  if (std::find(std::begin(kStatuses), std::end(kStatuses), base.status) == std::end(kStatuses))
    return core::unexpected(
        vex_error(origin, number,
                  fmt::format("invalid status '{}' (expected not_affected, affected, fixed or "
                              "under_investigation)",
                              base.status)));
  base.justification = MTR_TRY(json_string(json, "justification", origin, number));
  base.impact_statement = MTR_TRY(json_string(json, "impact_statement", origin, number));
  (void)MTR_TRY(json_string(json, "action_statement", origin, number));
  if (base.status == "not_affected" && base.justification.empty() && base.impact_statement.empty())
    return core::unexpected(vex_error(
        origin, number, "not_affected statement needs a 'justification' or 'impact_statement'"));

  auto time = MTR_TRY(json_timestamp(json, origin, number));
  // Legacy (v0.0.x) statements list subcomponents beside the products; they apply to each.
  std::vector<std::string> shared_subcomponents = MTR_TRY(subcomponent_ids(json, origin, number));

  // One VexStatement per product keeps each product with its own subcomponents.
  std::vector<TimedStatement> out;
  auto products = json.find("products");
  if (products != json.end() && !products->is_null()) {
    if (!products->is_array())
      return core::unexpected(vex_error(origin, number, "'products' must be an array"));
    for (const auto& product : *products) {
      TimedStatement timed{time, base};
      timed.statement.products = MTR_TRY(component_ids(product, origin, number));
      if (product.is_object())
        timed.statement.subcomponents = MTR_TRY(subcomponent_ids(product, origin, number));
      for (const auto& sub : shared_subcomponents) timed.statement.subcomponents.push_back(sub);
      out.push_back(std::move(timed));
    }
  }
  if (out.empty()) {
    // No product: kept (it matches nothing) so that the statement still shows in warnings.
    TimedStatement timed{time, base};
    timed.statement.subcomponents = shared_subcomponents;
    out.push_back(std::move(timed));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Applying VEX statements.

bool vex_vulnerability_matches(const VexStatement& statement, const core::Finding& finding) {
  if (id_matches(statement.vulnerability, finding)) return true;
  return std::any_of(statement.aliases.begin(), statement.aliases.end(),
                     [&](const std::string& alias) { return id_matches(alias, finding); });
}

bool vex_product_matches(const VexStatement& statement, const core::Finding& finding,
                         std::string_view target) {
  const std::string purl = property(finding, "purl");
  auto any_sub = [&] {
    return std::any_of(statement.subcomponents.begin(), statement.subcomponents.end(),
                       [&](const std::string& sub) { return purl_matches(sub, purl); });
  };
  // A product is identified by several ids (@id, identifiers.purl): any of them may name the
  // scanned image.
  bool names_target = std::any_of(statement.products.begin(), statement.products.end(),
                                  [&](const std::string& product) {
                                    return is_image_like(product) && image_matches(product, target);
                                  });
  if (names_target) return statement.subcomponents.empty() || any_sub();
  bool names_package = std::any_of(statement.products.begin(), statement.products.end(),
                                   [](const std::string& product) {
                                     return starts_with_pkg(product) && !is_image_like(product);
                                   });
  if (!names_package) return false;  // another image, or an id we cannot compare
  if (statement.subcomponents.empty()) {
    return std::any_of(statement.products.begin(), statement.products.end(),
                       [&](const std::string& product) { return purl_matches(product, purl); });
  }
  // A package product (a Go module, a Maven artifact) with the vulnerable subcomponents inside.
  return any_sub();
}

bool suppresses(const VexStatement& statement) {
  return statement.status == "not_affected" || statement.status == "fixed";
}

std::string vex_reason(const VexStatement& statement) {
  std::string detail =
      !statement.justification.empty() ? statement.justification : statement.impact_statement;
  if (detail.size() > 200) detail = detail.substr(0, 200) + "…";
  if (detail.empty()) return fmt::format("VEX {} {}", statement.status, statement.origin);
  return fmt::format("VEX {} ({}) {}", statement.status, detail, statement.origin);
}

// "FILE: statement N" → "FILE".
std::string_view origin_file(std::string_view origin) {
  auto pos = origin.rfind(": statement ");
  return pos == std::string_view::npos ? origin : origin.substr(0, pos);
}

}  // namespace

core::Result<std::vector<IgnoreRule>> parse_ignore_file(std::string_view text,
                                                        std::string_view origin) {
  try {
    if (looks_like_yaml(text)) return parse_ignore_yaml(text, origin);
    return parse_ignore_text(text, origin);
  } catch (const std::exception& e) {
    return core::unexpected(line_error(origin, 0, fmt::format("cannot read: {}", e.what())));
  }
}

core::Result<std::vector<VexStatement>> parse_openvex(std::string_view json,
                                                      std::string_view origin) {
  Json doc;
  try {
    doc = Json::parse(json.begin(), json.end());
  } catch (const Json::parse_error& e) {
    // Line and column from the byte offset nlohmann reports.
    std::size_t offset = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, json.size());
    std::uint64_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
      if (json[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return core::unexpected(
        core::make_error(ErrorCode::kInvalidInput, "invalid JSON",
                         core::Location{std::string(origin), line, column, {}}));
  } catch (const std::exception& e) {
    return core::unexpected(vex_error(origin, 0, fmt::format("invalid JSON: {}", e.what())));
  }
  try {
    if (!doc.is_object())
      return core::unexpected(vex_error(origin, 0, "OpenVEX document must be a JSON object"));
    auto context = doc.find("@context");
    if (context == doc.end() || !context->is_string() ||
        !context->get_ref<const std::string&>().starts_with("https://openvex.dev/ns"))
      return core::unexpected(vex_error(
          origin, 0, "not an OpenVEX document (@context is not https://openvex.dev/ns/…)"));
    auto doc_time = MTR_TRY(json_timestamp(doc, origin, 0));
    auto statements = doc.find("statements");
    if (statements == doc.end() || !statements->is_array())
      return core::unexpected(vex_error(origin, 0, "'statements' must be an array"));

    std::vector<TimedStatement> timed;
    std::size_t number = 0;
    for (const auto& statement : *statements) {
      for (auto& t : MTR_TRY(parse_statement(statement, origin, ++number))) {
        if (!t.time) t.time = doc_time;
        timed.push_back(std::move(t));
      }
    }
    // Later statements override earlier ones: order by timestamp when every statement has one
    // (a statement's own, else the document's), else keep document order.
    bool all_timed = std::all_of(timed.begin(), timed.end(),
                                 [](const TimedStatement& t) { return t.time.has_value(); });
    if (all_timed) {
      std::stable_sort(
          timed.begin(), timed.end(),
          [](const TimedStatement& a, const TimedStatement& b) { return *a.time < *b.time; });
    }
    std::vector<VexStatement> out;
    out.reserve(timed.size());
    for (auto& t : timed) out.push_back(std::move(t.statement));
    return out;
  } catch (const std::exception& e) {
    return core::unexpected(vex_error(origin, 0, fmt::format("cannot read: {}", e.what())));
  }
}

PolicyResult apply_policy(std::vector<core::Finding> findings, const PolicyOptions& options) {
  PolicyResult result;

  // Expired rules no longer apply; each says so once.
  std::vector<const IgnoreRule*> active;
  for (const auto& rule : options.ignores) {
    if (!rule.expires.empty() && !options.today.empty() && rule.expires < options.today) {
      result.warnings.push_back(
          fmt::format("{}: ignore rule for {} expired on {}", rule.origin, rule.id, rule.expires));
    } else {
      active.push_back(&rule);
    }
  }

  // VEX statements indexed by every name they go by, so a finding only visits its own.
  std::map<std::string, std::vector<std::size_t>> by_id;
  for (std::size_t i = 0; i < options.vex.size(); ++i) {
    const VexStatement& s = options.vex[i];
    by_id[lower(s.vulnerability)].push_back(i);
    for (const auto& alias : s.aliases) by_id[lower(alias)].push_back(i);
  }
  std::vector<bool> vex_used(options.vex.size(), false);

  for (auto& finding : findings) {
    if (!options.severities.empty() && !options.severities.contains(finding.severity)) continue;

    auto rule = std::find_if(active.begin(), active.end(), [&](const IgnoreRule* r) {
      return id_matches(r->id, finding) && rule_package_matches(r->package, finding);
    });
    if (rule != active.end()) {
      std::string reason = "ignored by " + (*rule)->origin;
      if (!(*rule)->reason.empty()) reason += " (" + (*rule)->reason + ")";
      result.suppressed.push_back({std::move(finding), std::move(reason)});
      continue;
    }

    std::vector<std::size_t> candidates;
    auto collect = [&](const std::string& id) {
      if (auto it = by_id.find(lower(id)); it != by_id.end())
        candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    };
    collect(finding.id);
    for (const auto& alias : finding.aliases) collect(alias);
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    // The last matching statement decides (statements are in effective order).
    const VexStatement* decisive = nullptr;
    for (std::size_t i : candidates) {
      const VexStatement& s = options.vex[i];
      if (vex_vulnerability_matches(s, finding) &&
          vex_product_matches(s, finding, options.target)) {
        decisive = &s;
        vex_used[i] = true;
      }
    }
    if (decisive != nullptr && suppresses(*decisive)) {
      std::string reason = vex_reason(*decisive);
      result.suppressed.push_back({std::move(finding), std::move(reason)});
      continue;
    }
    result.findings.push_back(std::move(finding));
  }

  // One line per VEX file: how many suppressing statements matched nothing.
  std::map<std::string, bool> statement_used;  // origin → used (a statement spans products)
  std::vector<std::string> files;
  for (std::size_t i = 0; i < options.vex.size(); ++i) {
    const VexStatement& s = options.vex[i];
    if (!suppresses(s)) continue;
    auto [it, inserted] = statement_used.emplace(s.origin, false);
    it->second = it->second || vex_used[i];
    std::string file(origin_file(s.origin));
    if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
  }
  for (const auto& file : files) {
    std::size_t total = 0, unused = 0;
    for (const auto& [origin, used] : statement_used) {
      if (origin_file(origin) != file) continue;
      ++total;
      if (!used) ++unused;
    }
    if (unused > 0)
      result.warnings.push_back(
          fmt::format("{}: {} of {} not_affected/fixed VEX statements matched no finding", file,
                      unused, total));
  }
  return result;
}

core::Result<std::set<core::Severity>> parse_severity_list(std::string_view list) {
  std::set<core::Severity> out;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    auto comma = list.find(',', pos);
    std::string_view word =
        trim(list.substr(pos, comma == std::string_view::npos ? list.npos : comma - pos));
    pos = comma == std::string_view::npos ? list.size() + 1 : comma + 1;
    if (word.empty()) continue;
    auto severity = core::parse_severity(word);
    if (!severity)
      return core::fail(ErrorCode::kUsage,
                        fmt::format("unknown severity '{}' (expected critical, high, medium, low, "
                                    "none or unknown)",
                                    word));
    out.insert(*severity);
  }
  if (out.empty())
    return core::fail(ErrorCode::kUsage, "empty severity list (expected e.g. \"critical,high\")");
  return out;
}

bool should_fail(const std::vector<core::Finding>& findings,
                 std::optional<core::Severity> fail_on) {
  if (!fail_on) return false;
  return std::any_of(findings.begin(), findings.end(),
                     [&](const core::Finding& f) { return f.severity >= *fail_on; });
}

}  // namespace mtr::match
