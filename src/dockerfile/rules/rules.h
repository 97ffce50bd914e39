// The built-in rule groups; register_builtin_rules (lint.h) calls each. One file per group.
#pragma once

#include "dockerfile/lint.h"

namespace mtr::dockerfile::rules {

// MTR-DF-0xx file and syntax (instruction order, casing, BuildKit build checks),
// MTR-DF-1xx base images and stages (tags, digests, registries, --platform, COPY --from),
// MTR-DF-2xx users and privileges (root, user creation, sudo → gosu, useradd -l, numeric uid),
// MTR-DF-6xx the shipped image's metadata (CMD/ENTRYPOINT, JSON args, HEALTHCHECK, EXPOSE,
//            labels, WORKDIR, SHELL/pipefail, cd in RUN, ONBUILD).
void register_instruction_rules(RuleRegistry& registry);

// MTR-DF-3xx package managers (pinning, -y, --no-install-recommends, caches and clean-up,
//            upgrade, apt vs apt-get, build dependencies left behind, cache mounts),
// MTR-DF-4xx downloads and file transfer (ADD vs COPY, ADD --checksum, curl | sh, insecure
//            TLS, checksum verification, wget/curl both, wget --progress),
// MTR-DF-5xx secrets (ENV/ARG names and values, COPY of key files, secrets on RUN lines),
// MTR-DF-9xx hints (scan the built image for known vulnerabilities).
void register_shell_rules(RuleRegistry& registry);

}  // namespace mtr::dockerfile::rules
