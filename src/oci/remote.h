// Image sources that live behind a network API: a registry speaking the OCI distribution API
// (Docker Hub, GHCR, a local docker-registry…) and the Docker daemon's Engine API on its socket.
// open_image (image.h) dispatches here for registry references and docker:REF.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "oci/image.h"

namespace mtr::oci {

inline constexpr std::string_view kDockerHubRegistry = "registry-1.docker.io";

// A registry reference as Docker spells it: [host[:port]/]path[:tag][@sha256:…].
// The first component is a host when it contains '.' or ':', is "localhost" or has upper-case
// letters; otherwise the image is on Docker Hub (registry-1.docker.io), with "library/" in front
// of one-component names. The tag is "latest" unless a digest is given.
struct RegistryRef {
  std::string host;        // "localhost:5000", "registry-1.docker.io", "[::1]:5000"
  std::string repository;  // "library/debian", "team/app"
  std::string tag;         // may be empty when `digest` is set
  std::string digest;      // "sha256:…" or empty

  static core::Result<RegistryRef> parse(std::string_view ref);
  // host/repository[:tag][@digest]
  std::string to_string() const;
  // What the manifest endpoint is asked for: the digest when there is one, else the tag.
  const std::string& reference() const { return digest.empty() ? tag : digest; }
  // Whether plain HTTP is acceptable without --insecure (loopback only).
  bool is_loopback() const;
};

core::Result<std::unique_ptr<ImageSource>> open_registry_image(const RegistryRef& ref,
                                                               const OpenOptions& options);

// REF as the Docker daemon knows it ("debian:12", an image id). Talks to the daemon at
// options.docker_host ("unix:///path" or "tcp://host:port" without TLS); when that is the
// default and DOCKER_HOST is set, DOCKER_HOST wins, as for the docker CLI.
core::Result<std::unique_ptr<ImageSource>> open_docker_daemon_image(std::string_view ref,
                                                                    const OpenOptions& options);

}  // namespace mtr::oci
