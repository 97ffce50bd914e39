#include "oci/detail/http_auth.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>

namespace mtr::oci::detail {
namespace {

using core::ErrorCode;

bool is_tchar(char ch) {
  auto c = static_cast<unsigned char>(ch);
  return std::isalnum(c) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// A cursor over the header with the few productions RFC 7235 needs.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  std::size_t column() const { return pos_ + 1; }
  void skip_space() {
    while (!done() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  void skip_space_and_commas() {
    while (!done() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == ',')) ++pos_;
  }
  std::string_view token() {
    std::size_t start = pos_;
    while (!done() && is_tchar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  // After a token: is the next non-space character '=' (an auth-param, not a new scheme)?
  bool at_equals_after_space() const {
    std::size_t p = pos_;
    while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    return p < text_.size() && text_[p] == '=';
  }
  std::size_t mark() const { return pos_; }
  void reset(std::size_t mark) { pos_ = mark; }
  void advance() { ++pos_; }
  core::Result<std::string> quoted() {
    std::size_t start = pos_;
    ++pos_;  // opening quote
    std::string out;
    while (!done()) {
      char ch = text_[pos_++];
      if (ch == '"') return out;
      if (ch == '\\') {
        if (done()) break;
        ch = text_[pos_++];
      }
      out.push_back(ch);
    }
    return core::fail(
        ErrorCode::kInvalidInput,
        fmt::format("WWW-Authenticate: unterminated quoted string starting at column {}",
                    start + 1));
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// "https://index.docker.io/v1/" → "index.docker.io"; "localhost:5000" stays.
std::string normalize_auth_key(std::string_view key) {
  if (auto scheme = key.find("://"); scheme != std::string_view::npos)
    key.remove_prefix(scheme + 3);
  if (auto slash = key.find('/'); slash != std::string_view::npos) key = key.substr(0, slash);
  return lower(key);
}

bool is_docker_hub(std::string_view host) {
  return host == "registry-1.docker.io" || host == "index.docker.io" || host == "docker.io";
}

}  // namespace

core::Result<std::vector<AuthChallenge>> parse_www_authenticate(std::string_view header) {
  std::vector<AuthChallenge> out;
  Lexer lex(header);
  lex.skip_space_and_commas();
  while (!lex.done()) {
    auto scheme = lex.token();
    if (scheme.empty()) {
      return core::fail(
          ErrorCode::kInvalidInput,
          fmt::format("WWW-Authenticate: expected an auth scheme at column {}", lex.column()));
    }
    AuthChallenge challenge;
    challenge.scheme = lower(scheme);
    lex.skip_space();
    // Parameters until a token that is not followed by '=' (the next challenge's scheme).
    while (!lex.done()) {
      lex.skip_space_and_commas();
      auto mark = lex.mark();
      auto name = lex.token();
      if (name.empty()) {
        if (lex.done()) break;
        return core::fail(ErrorCode::kInvalidInput,
                          fmt::format("WWW-Authenticate: unexpected '{}' at column {}", lex.peek(),
                                      lex.column()));
      }
      if (!lex.at_equals_after_space()) {
        lex.reset(mark);
        break;
      }
      lex.skip_space();
      lex.advance();  // '='
      lex.skip_space();
      std::string value;
      if (lex.peek() == '"') {
        value = MTR_TRY(lex.quoted());
      } else {
        auto v = lex.token();
        // token68 ("Basic abc==") ends in '='s; keep them with the value.
        value = std::string(v);
        while (lex.peek() == '=') {
          value.push_back('=');
          lex.advance();
        }
      }
      challenge.params[lower(name)] = std::move(value);
      lex.skip_space();
      if (!lex.done() && lex.peek() != ',') {
        return core::fail(ErrorCode::kInvalidInput,
                          fmt::format("WWW-Authenticate: expected ',' at column {}", lex.column()));
      }
    }
    out.push_back(std::move(challenge));
    lex.skip_space_and_commas();
  }
  if (out.empty()) return core::fail(ErrorCode::kInvalidInput, "WWW-Authenticate: empty header");
  return out;
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                      static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                      static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  auto value = [](char ch) -> int {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+' || ch == '-') return 62;
    if (ch == '/' || ch == '_') return 63;
    return -1;
  };
  while (!text.empty() && (text.back() == '=' || text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char ch : text) {
    int v = value(ch);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string docker_config_path(const CredentialSources& sources) {
  if (!sources.docker_config.empty()) return sources.docker_config;
  if (!sources.docker_config_dir.empty())
    return (std::filesystem::path(sources.docker_config_dir) / "config.json").string();
  if (!sources.home.empty())
    return (std::filesystem::path(sources.home) / ".docker" / "config.json").string();
  return {};
}

core::Result<CredentialLookup> find_credentials(std::string_view host,
                                                const CredentialSources& sources) {
  CredentialLookup lookup;
  if (!sources.username.empty() || !sources.password.empty()) {
    lookup.credentials = Credentials{sources.username, sources.password};
    lookup.origin = "options";
    return lookup;
  }
  std::string path = docker_config_path(sources);
  if (path.empty()) return lookup;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return lookup;
  auto size = std::filesystem::file_size(path, ec);
  if (ec)
    return core::fail(ErrorCode::kIo,
                      fmt::format("cannot read Docker config '{}': {}", path, ec.message()));
  if (size > kMaxDockerConfigBytes) {
    return core::fail(
        ErrorCode::kLimitExceeded,
        fmt::format("Docker config '{}' is larger than {} bytes", path, kMaxDockerConfigBytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof())
    return core::fail(ErrorCode::kIo, fmt::format("cannot read Docker config '{}'", path));
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("Docker config '{}' is not a JSON object", path));
  }
  lookup.origin = path;
  std::string wanted = lower(host);
  auto matches = [&](std::string_view key) {
    std::string k = normalize_auth_key(key);
    return k == wanted || (is_docker_hub(wanted) && is_docker_hub(k));
  };
  if (auto helpers = doc.find("credHelpers"); helpers != doc.end() && helpers->is_object()) {
    for (const auto& [key, helper] : helpers->items()) {
      if (matches(key)) {
        lookup.warnings.push_back(
            fmt::format("{}: credential helper '{}' for {} is not supported; using "
                        "\"auths\" or anonymous access",
                        path, helper.is_string() ? helper.get<std::string>() : "?", host));
      }
    }
  }
  if (auto store = doc.find("credsStore"); store != doc.end() && store->is_string()) {
    lookup.warnings.push_back(fmt::format(
        "{}: credential store '{}' is not supported; using \"auths\" or anonymous access", path,
        store->get<std::string>()));
  }
  auto auths = doc.find("auths");
  if (auths == doc.end()) return lookup;
  if (!auths->is_object()) {
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("Docker config '{}': \"auths\" is not an object", path));
  }
  // An exact key beats a Docker Hub alias.
  const nlohmann::json* entry = nullptr;
  std::string entry_key;
  for (const auto& [key, value] : auths->items()) {
    if (!matches(key)) continue;
    if (entry == nullptr || normalize_auth_key(key) == wanted) {
      entry = &value;
      entry_key = key;
    }
  }
  if (entry == nullptr) return lookup;
  std::string where = fmt::format("{}: auths[\"{}\"]", path, entry_key);
  if (!entry->is_object())
    return core::fail(ErrorCode::kInvalidInput, fmt::format("{} is not an object", where));
  if (auto auth = entry->find("auth");
      auth != entry->end() && auth->is_string() && !auth->get<std::string>().empty()) {
    auto decoded = base64_decode(auth->get<std::string>());
    if (!decoded)
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("{}.auth is not valid base64", where));
    auto colon = decoded->find(':');
    if (colon == std::string::npos) {
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("{}.auth does not decode to user:password", where));
    }
    lookup.credentials = Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
    return lookup;
  }
  auto user = entry->find("username");
  auto pass = entry->find("password");
  if (user != entry->end() && user->is_string() && pass != entry->end() && pass->is_string()) {
    lookup.credentials = Credentials{user->get<std::string>(), pass->get<std::string>()};
    return lookup;
  }
  if (entry->contains("identitytoken")) {
    lookup.warnings.push_back(
        fmt::format("{}: identity tokens are not supported; trying anonymous access", where));
  }
  return lookup;
}

}  // namespace mtr::oci::detail
