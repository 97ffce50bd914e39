// Registry authentication pieces kept apart from the transport so they can be tested without
// a network: WWW-Authenticate challenges (RFC 7235 syntax, Docker's Bearer token flow), base64,
// and credentials from options or Docker's config.json.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mtr::oci::detail {

struct AuthChallenge {
  std::string scheme;                         // lower-cased: "bearer", "basic"
  std::map<std::string, std::string> params;  // names lower-cased: realm, service, scope, error
};

// Parses one WWW-Authenticate header value, which may hold several challenges
// ("Bearer realm=\"…\",service=\"…\", Basic realm=\"…\""). Malformed input is an error saying
// where; the header comes from the network.
core::Result<std::vector<AuthChallenge>> parse_www_authenticate(std::string_view header);

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

struct Credentials {
  std::string username;
  std::string password;
};

// Where credentials may come from; filled from OpenOptions and the environment by
// credential_sources(), or directly by tests.
struct CredentialSources {
  std::string username, password;  // explicit (--username/--password)
  std::string docker_config;       // explicit config.json path
  std::string docker_config_dir;   // $DOCKER_CONFIG
  std::string home;                // $HOME
};

struct CredentialLookup {
  std::optional<Credentials> credentials;
  std::string origin;                 // "options", or the config.json path
  std::vector<std::string> warnings;  // credential helpers skipped, unusable entries
};

inline constexpr std::uint64_t kMaxDockerConfigBytes = 4u << 20;

// Finds credentials for a registry host: explicit ones first, else the "auths" entry of
// config.json ($DOCKER_CONFIG/config.json, else ~/.docker/config.json, unless docker_config
// names a file) whose key names the host (any scheme or path ignored; Docker Hub also answers
// to "https://index.docker.io/v1/"). A missing config.json is not an error; an unreadable or
// malformed one is, naming the file.
core::Result<CredentialLookup> find_credentials(std::string_view host,
                                                const CredentialSources& sources);

// The config.json that find_credentials would read ("" when none is configured).
std::string docker_config_path(const CredentialSources& sources);

}  // namespace mtr::oci::detail
