// MTR-DF-101..111: base images and stages — tags, digests, registries, --platform, COPY --from.
#include <map>

#include "dockerfile/rules/instruction_util.h"

namespace mtr::dockerfile::rules::detail {
namespace {

using core::Severity;

// Stages built FROM an image (not scratch, not an earlier stage), with the base resolved
// through global ARG defaults; unresolvable bases are skipped.
template <typename Fn>
void for_each_image_stage(const LintInput& input, Fn fn) {
  for (const auto& stage : input.stages()) {
    if (stage.from == nullptr || stage.base_stage >= 0) continue;
    auto base = resolve_base(input, stage);
    if (!base || iequals(*base, "scratch")) continue;
    if (input.find_stage(*base, stage.index) != nullptr) continue;  // ARG naming a stage
    fn(stage, *base);
  }
}

std::string via_args(const Stage& stage, const std::string& resolved) {
  if (stage.base == resolved) return "";
  return " ('" + stage.base + "' with the global ARG defaults)";
}

void check_untagged(const LintInput& input, IssueSink& out) {
  for_each_image_stage(input, [&](const Stage& stage, const std::string& base) {
    ImageRef ref = parse_image(base);
    if (!ref.tag.empty() || !ref.digest.empty()) return;
    report_at(out, *stage.from,
              "base image '" + base + "'" + via_args(stage, base) +
                  " has no tag: it silently follows 'latest'; write " + base + ":<version>",
              arg_span(*stage.from, 0));
  });
}

void check_latest(const LintInput& input, IssueSink& out) {
  for_each_image_stage(input, [&](const Stage& stage, const std::string& base) {
    ImageRef ref = parse_image(base);
    if (ref.tag != "latest" || !ref.digest.empty()) return;
    report_at(out, *stage.from,
              "base image '" + base + "'" + via_args(stage, base) +
                  " uses the 'latest' tag: builds change whenever it moves; pin a version",
              arg_span(*stage.from, 0));
  });
}

void check_digest(const LintInput& input, IssueSink& out) {
  for_each_image_stage(input, [&](const Stage& stage, const std::string& base) {
    ImageRef ref = parse_image(base);
    if (!ref.digest.empty()) return;
    report_at(out, *stage.from,
              "base image '" + base + "'" + via_args(stage, base) +
                  " is not pinned by digest: a tag can be re-pushed; write " + base +
                  "@sha256:<digest>",
              arg_span(*stage.from, 0));
  });
}

bool registry_matches(std::string_view pattern, std::string_view registry) {
  if (pattern == "*") return true;
  if (pattern.rfind('*', 0) == 0) {
    std::string_view suffix = pattern.substr(1);
    return registry.size() >= suffix.size() &&
           iequals(registry.substr(registry.size() - suffix.size()), suffix);
  }
  if (!pattern.empty() && pattern.back() == '*') {
    std::string_view prefix = pattern.substr(0, pattern.size() - 1);
    return registry.size() >= prefix.size() && iequals(registry.substr(0, prefix.size()), prefix);
  }
  return iequals(pattern, registry);
}

bool registry_allowed(const LintConfig& config, std::string_view image) {
  if (config.trusted_registries.empty()) return true;
  std::string unquoted = unquote(image);
  if (iequals(unquoted, "scratch")) return true;
  ImageRef ref = parse_image(unquoted);
  auto allowed = [&](std::string_view registry) {
    for (const auto& p : config.trusted_registries) {
      if (registry_matches(p, registry)) return true;
    }
    return false;
  };
  if (ref.registry.empty() || iequals(ref.registry, "docker.io") ||
      iequals(ref.registry, "index.docker.io")) {
    return allowed("docker.io") || allowed("hub.docker.com") ||
           (!ref.registry.empty() && allowed(ref.registry));
  }
  return allowed(ref.registry);
}

std::string registry_of(std::string_view image) {
  ImageRef ref = parse_image(unquote(image));
  return ref.registry.empty() ? "docker.io" : ref.registry;
}

void check_registry(const LintInput& input, IssueSink& out) {
  const LintConfig& config = input.config();
  if (config.trusted_registries.empty()) return;
  std::string trusted;
  for (const auto& r : config.trusted_registries) trusted += (trusted.empty() ? "" : ", ") + r;
  auto untrusted = [&](const Instruction& ins, std::string_view image, Span span) {
    report_at(out, ins,
              "image '" + std::string(image) + "' comes from registry '" + registry_of(image) +
                  "', which is not trusted (trusted: " + trusted + ")",
              span);
  };
  std::string storage;
  for (const auto& stage : input.stages()) {
    if (stage.from != nullptr && stage.base_stage < 0 &&
        stage.base.find('$') == std::string::npos && !registry_allowed(config, stage.base)) {
      untrusted(*stage.from, stage.base, arg_span(*stage.from, 0));
    }
    for_each_instruction(stage, [&](const Instruction& ins, bool) {
      if (ins.keyword == "copy" || ins.keyword == "add") {
        const std::string* from = LintInput::flag(ins, "from", &storage);
        if (from == nullptr || from->find('$') != std::string::npos) return;
        std::string value = unquote(*from);
        if (input.find_stage(value, stage.index + 1) != nullptr) return;
        if (!registry_allowed(config, value)) untrusted(ins, value, flag_span(ins, "from"));
        return;
      }
      if (ins.keyword != "run") return;
      for (const auto& f : ins.flags) {
        if (lower(f).rfind("--mount=", 0) != 0) continue;
        std::string_view spec = std::string_view(f).substr(8);
        while (!spec.empty()) {
          auto comma = spec.find(',');
          std::string_view kv = spec.substr(0, comma);
          if (lower(kv.substr(0, 5)) == "from=") {
            std::string value = unquote(kv.substr(5));
            if (value.find('$') == std::string::npos &&
                input.find_stage(value, stage.index + 1) == nullptr &&
                !registry_allowed(config, value)) {
              untrusted(ins, value, flag_span(ins, "mount"));
            }
          }
          if (comma == std::string_view::npos) break;
          spec.remove_prefix(comma + 1);
        }
      }
    });
  }
}

bool names_var(std::string_view text, std::string_view var) {
  for (const auto& v : referenced_vars(text)) {
    if (v == var) return true;
  }
  return false;
}

void check_platform(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    if (stage.from == nullptr) continue;
    std::string storage;
    const std::string* platform = LintInput::flag(*stage.from, "platform", &storage);
    if (platform == nullptr) continue;
    if (platform->find("BUILDPLATFORM") != std::string::npos ||
        platform->find("TARGETPLATFORM") != std::string::npos) {
      continue;
    }
    report_at(out, *stage.from,
              "FROM --platform=" + *platform +
                  " fixes the platform of this stage: pass --platform to docker build, or use "
                  "$BUILDPLATFORM for build tools",
              flag_span(*stage.from, "platform"));
  }
}

void check_redundant_target_platform(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    if (stage.from == nullptr) continue;
    std::string storage;
    const std::string* platform = LintInput::flag(*stage.from, "platform", &storage);
    if (platform == nullptr || !names_var(*platform, "TARGETPLATFORM")) continue;
    report_at(out, *stage.from,
              "FROM --platform=" + *platform +
                  " is redundant: stages are built for the target platform by default",
              flag_span(*stage.from, "platform"));
  }
}

void check_copy_from(const LintInput& input, IssueSink& out, bool self) {
  std::string storage;
  for (const auto& stage : input.stages()) {
    for_each_instruction(stage, [&](const Instruction& ins, bool) {
      if (ins.keyword != "copy") return;
      const std::string* from = LintInput::flag(ins, "from", &storage);
      if (from == nullptr) return;
      std::string value = unquote(*from);
      if (value.empty() || value.find('$') != std::string::npos) return;
      if (self) {
        if (stage.from == nullptr) return;
        bool own = (!stage.name.empty() && iequals(value, stage.name)) ||
                   input.find_stage(value, stage.index + 1) == &stage;
        if (own) {
          report_at(
              out, ins,
              "COPY --from=" + value + " names the stage it is in: a stage cannot copy from itself",
              flag_span(ins, "from"));
        }
        return;
      }
      if (value.find(':') != std::string::npos) return;  // an image reference
      if (input.find_stage(value, stage.index + 1) != nullptr) return;
      bool numeric = all_digits(value);
      // A name with a registry or path (org/image) is an image, not a stage.
      if (!numeric && value.find('/') != std::string::npos) return;
      report_at(out, ins,
                "COPY --from=" + value +
                    (numeric ? " is not the index of an earlier stage"
                             : " names no stage defined before it (define FROM ... AS " + value +
                                   " earlier, or give a full image reference)"),
                flag_span(ins, "from"));
    });
  }
}

void check_duplicate_names(const LintInput& input, IssueSink& out) {
  std::map<std::string, const Stage*> seen;
  for (const auto& stage : input.stages()) {
    if (stage.name.empty() || stage.from == nullptr) continue;
    auto [it, inserted] = seen.emplace(stage.name, &stage);
    if (inserted) continue;
    report_at(out, *stage.from,
              "stage name '" + stage.name + "' is already used by the stage on line " +
                  std::to_string(it->second->from->span.begin.line),
              arg_span(*stage.from, 2));
  }
}

void check_reserved_names(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    if (stage.from == nullptr || (stage.name != "scratch" && stage.name != "context")) continue;
    report_at(out, *stage.from, "stage name '" + stage.name + "' is reserved; choose another name",
              arg_span(*stage.from, 2));
  }
}

void check_copy_root(const LintInput& input, IssueSink& out) {
  std::string storage;
  for (const auto& stage : input.stages()) {
    for_each_instruction(stage, [&](const Instruction& ins, bool) {
      if (ins.keyword != "copy" || LintInput::flag(ins, "from", &storage) == nullptr) return;
      auto args = copy_args(ins);
      if (!args || unquote(args->dest) != "/") return;
      for (const auto& s : args->sources) {
        if (unquote(s) == "/") {
          out.report(ins, "COPY --from=" + storage +
                              " / / copies another stage's whole filesystem over this one; copy "
                              "only the files you need");
          return;
        }
      }
    });
  }
}

}  // namespace

void register_stage_rules(RuleRegistry& registry) {
  std::vector<std::string> latest = {"DL3007"};
  for (auto& a : trivy(1)) latest.push_back(a);
  // Not CKV_DOCKER_7: Checkov also fails untagged images (MTR-DF-101 here).
  must(registry.add(
      RuleInfo{.id = "MTR-DF-101",
               .title = "Base image is not tagged",
               .severity = Severity::kMedium,
               .description = "An untagged image means 'latest', which changes under you: builds "
                              "are not reproducible and updates arrive unreviewed.",
               .fix = "Pin a version tag: FROM debian:12.5 (better: add @sha256:<digest>).",
               .aliases = {"DL3006"},
               .references = {hadolint_wiki("DL3006")},
               .commandment = 6},
      check_untagged));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-102",
               .title = "Base image uses the 'latest' tag",
               .severity = Severity::kMedium,
               .description = "'latest' moves with every release, so the same Dockerfile builds "
                              "different images over time.",
               .fix = "Pin a version tag: FROM node:20.11-bookworm-slim.",
               .aliases = latest,
               .references = {hadolint_wiki("DL3007")},
               .commandment = 6},
      check_latest));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-103",
               .title = "Base image is not pinned by digest",
               .severity = Severity::kLow,
               .description = "Tags are mutable; only a digest guarantees the base you reviewed "
                              "is the one you build on.",
               .fix = "FROM image:tag@sha256:<digest> (keep the tag for readability; let "
                      "Renovate or Dependabot update the digest).",
               .aliases = {},
               .references = {},
               .commandment = 6},
      check_digest));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-104",
               .title = "Image from a registry that is not trusted",
               .severity = Severity::kHigh,
               .description = "The configuration lists the registries images may come from; "
                              "others bypass your mirror and its scanning.",
               .fix = "Pull the image through a trusted registry (or add the registry to "
                      "trusted_registries).",
               .aliases = {"DL3026"},
               .references = {hadolint_wiki("DL3026")},
               .commandment = 6},
      check_registry));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-105",
               .title = "FROM --platform with a fixed platform",
               .severity = Severity::kMedium,
               .description = "A fixed --platform ties the stage to one architecture and breaks "
                              "multi-platform builds.",
               .fix = "Drop --platform and pass it to docker build, or use "
                      "--platform=$BUILDPLATFORM for build tooling stages.",
               .aliases = {"DL3029"},
               .references = {hadolint_wiki("DL3029")}},
      check_platform));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-106",
               .title = "Redundant --platform=$TARGETPLATFORM",
               .severity = Severity::kLow,
               .description = "Stages are built for the target platform by default.",
               .fix = "Remove --platform=$TARGETPLATFORM from FROM.",
               .aliases = {"DL3065", "RedundantTargetPlatform"},
               .references = {hadolint_wiki("DL3065"), buildkit_doc("redundant-target-platform")}},
      check_redundant_target_platform));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-107",
               .title = "COPY --from names no earlier stage",
               .severity = Severity::kMedium,
               .description = "A --from that matches no earlier stage is pulled as an image from a "
                              "registry, usually by mistake (a typo, or a stage defined later).",
               .fix = "Define the stage before the COPY (FROM ... AS name) or use a full image "
                      "reference with a tag.",
               .aliases = {"DL3022"},
               .references = {hadolint_wiki("DL3022")}},
      [](const LintInput& input, IssueSink& out) { check_copy_from(input, out, false); }));
  std::vector<std::string> self_aliases = {"DL3023"};
  for (auto& a : trivy(6)) self_aliases.push_back(a);
  must(registry.add(
      RuleInfo{.id = "MTR-DF-108",
               .title = "COPY --from names its own stage",
               .severity = Severity::kHigh,
               .description = "A stage cannot copy from itself; the build fails.",
               .fix = "Copy from the stage that produces the files.",
               .aliases = self_aliases,
               .references = {hadolint_wiki("DL3023")}},
      [](const LintInput& input, IssueSink& out) { check_copy_from(input, out, true); }));
  std::vector<std::string> dup_aliases = {"DL3024"};
  for (auto& a : trivy(12)) dup_aliases.push_back(a);
  dup_aliases.insert(dup_aliases.end(), {"DuplicateStageName", "CKV_DOCKER_11"});
  must(registry.add(
      RuleInfo{.id = "MTR-DF-109",
               .title = "Duplicate stage name",
               .severity = Severity::kHigh,
               .description = "Stage names must be unique; BuildKit rejects duplicates and "
                              "--from would be ambiguous.",
               .fix = "Rename one of the stages.",
               .aliases = dup_aliases,
               .references = {hadolint_wiki("DL3024"), buildkit_doc("duplicate-stage-name")}},
      check_duplicate_names));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-110",
               .title = "Reserved stage name",
               .severity = Severity::kMedium,
               .description = "'scratch' and 'context' have special meanings in FROM and --from.",
               .fix = "Rename the stage.",
               .aliases = {"DL3063", "ReservedStageName"},
               .references = {hadolint_wiki("DL3063"), buildkit_doc("reserved-stage-name")}},
      check_reserved_names));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-111",
               .title = "COPY of another stage's entire filesystem",
               .severity = Severity::kMedium,
               .description = "COPY --from=stage / / drags in everything the builder had: "
                              "compilers, caches, secrets left in layers.",
               .fix = "Copy only the artefacts: COPY --from=build /app/bin/server /usr/local/bin/.",
               .aliases = {"DL3067"},
               .references = {hadolint_wiki("DL3067")}},
      check_copy_root));
}

}  // namespace mtr::dockerfile::rules::detail
