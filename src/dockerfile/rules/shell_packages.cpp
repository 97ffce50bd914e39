// MTR-DF-3xx: package managers in RUN — version pins (commandment 6), non-interactive flags,
// caches and clean-up, upgrades, build dependencies left in the shipped image and packages
// installed without signature checks (commandment 8).
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dockerfile/rules/shell_common.h"

namespace mtr::dockerfile::rules::shell {
namespace {

using Predicate = std::function<bool(const Cmd&)>;

// Reports `message(cmd)` for each command of each RUN that `match` accepts.
Check per_command(Predicate match, std::function<std::string(const Cmd&)> message) {
  return [match = std::move(match), message = std::move(message)](const LintInput& input,
                                                                  IssueSink& out) {
    for (const Run& run : runs(input)) {
      for (const Cmd& cmd : commands(input, *run.ins)) {
        if (match(cmd)) out.report(*run.ins, message(cmd));
      }
    }
  };
}

bool is_apt_get(const Cmd& c) { return c.program == "apt-get"; }

const std::vector<std::string_view> kAptValueOptions = {
    "-o", "-c", "-t", "--option", "--config-file", "--target-release", "--default-release"};

Sub apt_sub(const Cmd& c) { return subcommand(c.args, kAptValueOptions); }

bool apt_get_install(const Cmd& c) { return is_apt_get(c) && apt_sub(c).name == "install"; }

bool has_digit_after_dash(std::string_view s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == '-' && std::isdigit(static_cast<unsigned char>(s[i + 1]))) return true;
  }
  return false;
}

bool any_of_chars(std::string_view s, std::string_view chars) {
  return s.find_first_of(chars) != std::string_view::npos;
}

// ---- pins ---------------------------------------------------------------------------------

std::vector<std::string> apt_unpinned(const Cmd& c) {
  std::vector<std::string> out;
  if (!apt_get_install(c)) return out;
  for (const auto& p : operands(apt_sub(c).rest, kAptValueOptions)) {
    if (contains(p, "=") || ends_with(p, ".deb") || starts_with(p, "/") || starts_with(p, "./"))
      continue;
    out.push_back(p);
  }
  return out;
}

const std::vector<std::string_view> kPipValueOptions = {"-r",
                                                        "--requirement",
                                                        "-c",
                                                        "--constraint",
                                                        "-e",
                                                        "--editable",
                                                        "-i",
                                                        "--index-url",
                                                        "--extra-index-url",
                                                        "-f",
                                                        "--find-links",
                                                        "--build",
                                                        "--prefix",
                                                        "--root",
                                                        "--target",
                                                        "-t",
                                                        "--trusted-host",
                                                        "--root-user-action",
                                                        "--python",
                                                        "--src",
                                                        "--upgrade-strategy",
                                                        "--platform",
                                                        "--python-version",
                                                        "--implementation",
                                                        "--abi",
                                                        "--progress-bar",
                                                        "--log",
                                                        "--proxy",
                                                        "--retries",
                                                        "--timeout",
                                                        "--cert",
                                                        "--client-cert",
                                                        "--cache-dir",
                                                        "--global-option",
                                                        "--config-settings",
                                                        "-C",
                                                        "--no-binary",
                                                        "--only-binary",
                                                        "--report",
                                                        "--pip-args",
                                                        "--suffix",
                                                        "--spec",
                                                        "--index",
                                                        "--default-timeout"};

bool pip_pinned(std::string_view p) {
  static const std::vector<std::string_view> kVcs = {"git+", "hg+", "svn+", "bzr+"};
  for (auto v : kVcs) {
    if (starts_with(p, v)) {
      std::string_view before_fragment = p.substr(0, p.find('#'));
      auto scheme = before_fragment.find("://");
      std::string_view path =
          scheme == std::string_view::npos ? before_fragment : before_fragment.substr(scheme + 3);
      // user@host is not a ref: a ref follows the path.
      auto slash = path.find('/');
      return slash != std::string_view::npos && contains(path.substr(slash), "@");
    }
  }
  if (any_of_chars(p, "=<>")) return true;
  if (contains(p, "/") || p == "." || p == "..") return true;  // a path or a URL
  for (auto ext : {".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar"}) {
    if (ends_with(p, ext)) return true;
  }
  return false;
}

std::vector<std::string> pip_unpinned(const Cmd& c) {
  std::vector<std::string> out;
  bool pip = is_pip(c.program);
  if (!pip && c.program != "pipx") return out;
  Sub sub = subcommand(c.args, kPipValueOptions);
  if (sub.name != "install") return out;
  // A constraints file pins what the named packages resolve to.
  if (has_option(sub.rest, {"-c", "--constraint"})) return out;
  for (const auto& p : operands(sub.rest, kPipValueOptions)) {
    if (!pip_pinned(p)) out.push_back(p);
  }
  return out;
}

const std::vector<std::string_view> kNpmValueOptions = {
    "--registry", "--loglevel", "--prefix",  "--cache", "--userconfig", "--globalconfig",
    "--tag",      "--omit",     "--include", "-w",      "--workspace"};

bool npm_pinned(std::string_view p) {
  if (starts_with(p, "git") || contains(p, "://")) return contains(p, "#");
  if (starts_with(p, "/") || starts_with(p, "./") || starts_with(p, "../") ||
      starts_with(p, "~/") || p == "." || p == "..") {
    return true;
  }
  for (auto ext : {".tar", ".tar.gz", ".tgz"}) {
    if (ends_with(p, ext)) return true;
  }
  // name@version; a scope's "@" is the first character.
  return p.find('@', 1) != std::string_view::npos;
}

std::vector<std::string> npm_unpinned(const Cmd& c) {
  std::vector<std::string> out;
  if (c.program != "npm") return out;
  Sub sub = subcommand(c.args, kNpmValueOptions);
  if (sub.name != "install" && sub.name != "i" && sub.name != "add") return out;
  for (const auto& p : operands(sub.rest, kNpmValueOptions)) {
    if (!npm_pinned(p)) out.push_back(p);
  }
  return out;
}

const std::vector<std::string_view> kApkValueOptions = {
    "-t", "--virtual", "-X",          "--repository", "--root",
    "-p", "--arch",    "--cache-dir", "--keys-dir",   "--repositories-file"};

std::vector<std::string> apk_unpinned(const Cmd& c) {
  std::vector<std::string> out;
  if (c.program != "apk") return out;
  Sub sub = subcommand(c.args, kApkValueOptions);
  if (sub.name != "add") return out;
  for (const auto& p : operands(sub.rest, kApkValueOptions)) {
    if (any_of_chars(p, "=<>~") || ends_with(p, ".apk")) continue;
    out.push_back(p);
  }
  return out;
}

const std::vector<std::string_view> kGemValueOptions = {"-i",
                                                        "--install-dir",
                                                        "-n",
                                                        "--bindir",
                                                        "--build-root",
                                                        "--platform",
                                                        "-s",
                                                        "--source",
                                                        "-P",
                                                        "--trust-policy",
                                                        "-g",
                                                        "--file",
                                                        "--config-file",
                                                        "-p",
                                                        "--http-proxy",
                                                        "--document"};

std::vector<std::string> gem_unpinned(const Cmd& c) {
  std::vector<std::string> out;
  if (c.program != "gem") return out;
  Sub sub = subcommand(c.args, kGemValueOptions);
  if (sub.name != "install" && sub.name != "i") return out;
  std::vector<std::string> before_dashdash;
  for (const auto& a : sub.rest) {
    if (a == "--") break;
    before_dashdash.push_back(a);
  }
  if (has_option(before_dashdash, {"-v", "--version"})) return out;
  for (const auto& p : operands(before_dashdash, kGemValueOptions, true)) {
    if (contains(p, ":") || p == "true" || p == "false") continue;  // true/false: option values
    out.push_back(p);
  }
  return out;
}

const std::vector<std::string_view> kGoValueOptions = {
    "-ldflags",  "-tags",      "-o",        "-gcflags",      "-asmflags", "-mod",
    "-modfile",  "-p",         "-C",        "-exec",         "-overlay",  "-pkgdir",
    "-toolexec", "-buildmode", "-compiler", "-installsuffix"};

bool go_pinned(std::string_view p) {
  if (starts_with(p, ".") || starts_with(p, "/") || starts_with(p, "~") || ends_with(p, ".go")) {
    return true;
  }
  auto at = p.rfind('@');
  if (at == std::string_view::npos) return false;
  std::string_view version = p.substr(at + 1);
  return !version.empty() && version != "latest" && version != "upgrade" && version != "patch";
}

std::vector<std::string> go_unpinned(const Cmd& c) {
  std::vector<std::string> out;
  if (c.program != "go") return out;
  Sub sub = subcommand(c.args, kGoValueOptions);
  if (sub.name != "install" && sub.name != "get" && sub.name != "run") return out;
  std::vector<std::string> pkgs;
  if (sub.name != "run") {
    pkgs = operands(sub.rest, kGoValueOptions);
  } else {
    // `go run` stops reading options at the package: what follows belongs to the program.
    for (std::size_t i = 0; i < sub.rest.size(); ++i) {
      const auto& a = sub.rest[i];
      if (a.size() > 1 && a[0] == '-') {
        if (a.find('=') == std::string::npos &&
            std::find(kGoValueOptions.begin(), kGoValueOptions.end(), a) != kGoValueOptions.end())
          ++i;
        continue;
      }
      pkgs.push_back(a);
      break;
    }
  }
  for (const auto& p : pkgs) {
    if (!go_pinned(p)) out.push_back(p);
  }
  return out;
}

const std::vector<std::string_view> kRpmValueOptions = {
    "-c",           "--config",      "-x",         "--exclude", "--enablerepo", "--disablerepo",
    "--releasever", "--installroot", "--setopt",   "-R",        "-d",           "-e",
    "--repo",       "--repoid",      "--forcearch"};

// yum/dnf/microdnf `install` (or `module install`) operands; empty name = not an install.
struct RpmInstall {
  bool install = false;
  bool module = false;
  std::vector<std::string> packages;
};

RpmInstall rpm_install(const Cmd& c, std::initializer_list<std::string_view> programs) {
  RpmInstall r;
  if (std::find(programs.begin(), programs.end(), c.program) == programs.end()) return r;
  Sub sub = subcommand(c.args, kRpmValueOptions);
  if (sub.name == "module") {
    Sub inner = subcommand(sub.rest, kRpmValueOptions);
    if (inner.name != "install") return r;
    r.install = r.module = true;
    r.packages = operands(inner.rest, kRpmValueOptions);
    return r;
  }
  if (sub.name != "install" && sub.name != "in") return r;
  r.install = true;
  r.packages = operands(sub.rest, kRpmValueOptions);
  return r;
}

std::vector<std::string> rpm_unpinned(const Cmd& c, std::initializer_list<std::string_view> p) {
  std::vector<std::string> out;
  RpmInstall r = rpm_install(c, p);
  for (const auto& pkg : r.packages) {
    if (r.module ? contains(pkg, ":") : (has_digit_after_dash(pkg) || ends_with(pkg, ".rpm")))
      continue;
    out.push_back(pkg);
  }
  return out;
}

const std::vector<std::string_view> kZypperValueOptions = {
    "-t", "--type", "-r", "--repo", "--from", "-R", "--root", "--releasever"};

std::vector<std::string> zypper_unpinned(const Cmd& c) {
  std::vector<std::string> out;
  if (c.program != "zypper") return out;
  Sub sub = subcommand(c.args, kZypperValueOptions);
  if (sub.name != "install" && sub.name != "in") return out;
  for (const auto& p : operands(sub.rest, kZypperValueOptions)) {
    if (any_of_chars(p, "=<>") || ends_with(p, ".rpm")) continue;
    out.push_back(p);
  }
  return out;
}

std::string join_quoted(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += ", ";
    out += "'" + items[i] + "'";
  }
  return out;
}

struct PinRule {
  std::string id;
  std::string dl;
  std::string tool;     // "apt-get install"
  std::string example;  // "curl=<version>"
  std::string fix;
  std::function<std::vector<std::string>(const Cmd&)> unpinned;
};

void add_pin_rule(RuleRegistry& registry, PinRule p) {
  Rule r;
  r.id = p.id;
  r.title = "Pin versions in " + p.tool;
  r.severity = core::Severity::kMedium;
  r.description = p.tool +
                  " without a version installs whatever is newest at build time: rebuilds "
                  "silently change the image and can pull in broken or compromised releases.";
  r.fix = p.fix;
  r.aliases = {p.dl};
  r.references = {hadolint_url(p.dl)};
  r.commandment = 6;
  std::string tool = p.tool;
  std::string example = p.example;
  auto unpinned = p.unpinned;
  add(registry, std::move(r), [tool, example, unpinned](const LintInput& input, IssueSink& out) {
    for (const Run& run : runs(input)) {
      for (const Cmd& cmd : commands(input, *run.ins)) {
        for (const auto& pkg : unpinned(cmd)) {
          std::string ex = example;
          auto at = ex.find("PKG");
          if (at != std::string::npos) ex.replace(at, 3, pkg);
          out.report(Issue{run.ins,
                           tool + ": package '" + pkg + "' has no version pin (write " + ex + ")",
                           word_span(*run.ins, cmd, pkg)});
        }
      }
    }
  });
}

// ---- caches --------------------------------------------------------------------------------

// True when a command after `from` in the list satisfies `pred`.
bool later(const std::vector<Cmd>& cmds, std::size_t from, const Predicate& pred) {
  for (std::size_t i = from + 1; i < cmds.size(); ++i) {
    if (pred(cmds[i])) return true;
  }
  return false;
}

bool rm_of(const Cmd& c, std::initializer_list<std::string_view> dirs) {
  if (c.program != "rm") return false;
  for (const auto& a : c.args) {
    for (auto d : dirs) {
      if (starts_with(a, d)) return true;
    }
  }
  return false;
}

bool clean_all(const Cmd& c, std::initializer_list<std::string_view> programs) {
  if (std::find(programs.begin(), programs.end(), c.program) == programs.end()) return false;
  Sub sub = subcommand(c.args, kRpmValueOptions);
  return sub.name == "clean" &&
         std::find(sub.rest.begin(), sub.rest.end(), "all") != sub.rest.end();
}

bool truthy(std::string_view v) {
  std::string l = lower(strip_quotes(v));
  return l == "1" || l == "true" || l == "yes" || l == "on";
}

// PIP_NO_CACHE_DIR as set by ENV in `stage` or the stages it is built FROM, before `run`.
std::string pip_no_cache_env(const LintInput& input, const Stage& stage, const Instruction* run) {
  std::vector<const Stage*> chain;
  for (const Stage* s = &stage; s != nullptr;
       s = s->base_stage < 0 ? nullptr : &input.stages()[static_cast<std::size_t>(s->base_stage)]) {
    chain.push_back(s);
  }
  std::string value;
  bool found = false;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (const Instruction* ins : flat(**it)) {
      if (ins == run) return found ? value : std::string("unset");
      if (ins->keyword != "env") continue;
      for (std::size_t i = 0; i + 1 < ins->args.size(); i += 3) {
        if (ins->args[i] == "PIP_NO_CACHE_DIR") {
          value = ins->args[i + 1];
          found = true;
        }
      }
    }
  }
  return found ? value : std::string("unset");
}

// Build dependencies: compilers and headers that the running program does not need.
bool is_build_dep(std::string_view pkg) {
  std::string_view name = pkg.substr(0, pkg.find_first_of("=<>~"));
  static const std::set<std::string_view> kNames = {
      "build-essential", "build-base", "gcc",     "g++",           "gcc-c++",
      "clang",           "make",       "cmake",   "autoconf",      "automake",
      "libtool",         "pkg-config", "pkgconf", "linux-headers", "musl-dev",
      "python3-dev",     "python-dev", "cargo",   "rust",          "golang",
      "ninja-build",     "bison",      "flex"};
  if (kNames.count(name) != 0) return true;
  if (ends_with(name, "-dev") || ends_with(name, "-devel")) return true;
  // gcc-12, g++-12, clang-17
  for (auto prefix : {"gcc-", "g++-", "clang-"}) {
    if (starts_with(name, prefix) && name.size() > std::string_view(prefix).size() &&
        std::isdigit(static_cast<unsigned char>(name[std::string_view(prefix).size()]))) {
      return true;
    }
  }
  return false;
}

void check_build_deps(const LintInput& input, IssueSink& out) {
  for (const Run& run : runs(input)) {
    if (run.stage == nullptr || !run.stage->shipped) continue;
    const auto& cmds = commands(input, *run.ins);
    std::vector<std::string> installed;    // build deps, in order
    std::set<std::string> virtual_groups;  // apk --virtual names holding build deps
    std::map<std::string, std::string> group_of;
    for (const Cmd& c : cmds) {
      std::vector<std::string> pkgs;
      std::string group;
      if (apt_get_install(c) || (c.program == "apt" && apt_sub(c).name == "install")) {
        pkgs = operands(apt_sub(c).rest, kAptValueOptions);
      } else if (c.program == "apk") {
        Sub sub = subcommand(c.args, kApkValueOptions);
        if (sub.name != "add") continue;
        pkgs = operands(sub.rest, kApkValueOptions);
        for (std::size_t i = 0; i + 1 < c.args.size(); ++i) {
          if (c.args[i] == "--virtual" || c.args[i] == "-t") group = c.args[i + 1];
        }
        for (const auto& a : c.args) {
          if (starts_with(a, "--virtual=")) group = a.substr(10);
        }
      } else {
        RpmInstall r = rpm_install(c, {"yum", "dnf", "microdnf", "tdnf"});
        if (!r.install || r.module) continue;
        pkgs = r.packages;
      }
      for (const auto& p : pkgs) {
        if (!is_build_dep(p)) continue;
        std::string name = p.substr(0, p.find_first_of("=<>~"));
        installed.push_back(name);
        if (!group.empty()) group_of[name] = group;
      }
    }
    if (installed.empty()) continue;
    // What the same RUN removes again.
    std::set<std::string> removed;
    bool auto_remove_all = false;  // apt-mark auto + purge --auto-remove / autoremove
    bool apt_mark_auto = false;
    for (const Cmd& c : cmds) {
      if (c.program == "apt-mark" && !c.args.empty() && c.args[0] == "auto") apt_mark_auto = true;
      if (c.program == "apt-get" || c.program == "apt") {
        Sub sub = apt_sub(c);
        if (sub.name == "purge" || sub.name == "remove" || sub.name == "autoremove") {
          for (const auto& p : operands(sub.rest, kAptValueOptions)) removed.insert(p);
          if (sub.name == "autoremove" || has_option(c.args, {"--auto-remove", "--autoremove"}))
            auto_remove_all = auto_remove_all || apt_mark_auto;
        }
      } else if (c.program == "apk") {
        Sub sub = subcommand(c.args, kApkValueOptions);
        if (sub.name == "del") {
          for (const auto& p : operands(sub.rest, kApkValueOptions)) removed.insert(p);
        }
      } else if (c.program == "yum" || c.program == "dnf" || c.program == "microdnf" ||
                 c.program == "tdnf") {
        Sub sub = subcommand(c.args, kRpmValueOptions);
        if (sub.name == "remove" || sub.name == "erase" || sub.name == "autoremove") {
          for (const auto& p : operands(sub.rest, kRpmValueOptions)) removed.insert(p);
        }
      }
    }
    std::vector<std::string> left;
    for (const auto& name : installed) {
      if (auto_remove_all || removed.count(name) != 0) continue;
      auto g = group_of.find(name);
      if (g != group_of.end() && removed.count(g->second) != 0) continue;
      if (std::find(left.begin(), left.end(), name) == left.end()) left.push_back(name);
    }
    if (left.empty()) continue;
    std::string stage =
        run.stage->name.empty() ? std::to_string(run.stage->index) : run.stage->name;
    out.report(*run.ins, "build dependencies " + join_quoted(left) +
                             " are installed in shipped stage '" + stage +
                             "' and not removed in the same RUN");
  }
}

// Package-list refreshes and what consumes them.
bool is_update(const Cmd& c) {
  if (c.program == "apt-get" || c.program == "apt" || c.program == "aptitude") {
    return apt_sub(c).name == "update";
  }
  if (c.program == "apk") return subcommand(c.args, kApkValueOptions).name == "update";
  if (c.program == "zypper") {
    auto n = subcommand(c.args, kZypperValueOptions).name;
    return n == "refresh" || n == "ref";
  }
  if (c.program == "yum" || c.program == "dnf") {
    return subcommand(c.args, kRpmValueOptions).name == "makecache";
  }
  return false;
}

bool uses_package_lists(const Cmd& c) {
  static const std::set<std::string_view> kApt = {"install",      "upgrade",     "dist-upgrade",
                                                  "full-upgrade", "build-dep",   "source",
                                                  "download",     "safe-upgrade"};
  if (c.program == "apt-get" || c.program == "apt" || c.program == "aptitude") {
    return kApt.count(apt_sub(c).name) != 0;
  }
  if (c.program == "apk") {
    auto n = subcommand(c.args, kApkValueOptions).name;
    return n == "add" || n == "upgrade" || n == "fix";
  }
  if (c.program == "zypper") {
    auto n = subcommand(c.args, kZypperValueOptions).name;
    return n != "refresh" && n != "ref" && !n.empty();
  }
  if (c.program == "yum" || c.program == "dnf") {
    auto n = subcommand(c.args, kRpmValueOptions).name;
    return n != "makecache" && !n.empty();
  }
  // apt-cache, apt-get via a script: anything reading the lists counts as use.
  return c.program == "apt-cache" || c.program == "apt-mark";
}

}  // namespace

void register_packages(RuleRegistry& registry) {
  // ---- pins (commandment 6) -----------------------------------------------------------------
  add_pin_rule(registry, {"MTR-DF-301", "DL3008", "apt-get install", "PKG=<version>",
                          "Pin each package: `apt-get install -y --no-install-recommends "
                          "curl=7.88.1-10+deb12u5`.",
                          apt_unpinned});
  add_pin_rule(registry, {"MTR-DF-302", "DL3013", "pip install", "PKG==<version>",
                          "Pin each package (`pip install requests==2.32.3`) or install from a "
                          "requirements/constraints file with pinned versions and hashes.",
                          pip_unpinned});
  add_pin_rule(registry, {"MTR-DF-303", "DL3016", "npm install", "PKG@<version>",
                          "Pin each package (`npm install express@4.19.2`) or run `npm ci` with a "
                          "committed package-lock.json.",
                          npm_unpinned});
  add_pin_rule(registry, {"MTR-DF-304", "DL3018", "apk add", "PKG=<version>",
                          "Pin each package: `apk add --no-cache curl=8.5.0-r0` (or a "
                          "range such as curl~8.5).",
                          apk_unpinned});
  add_pin_rule(registry, {"MTR-DF-305", "DL3028", "gem install", "PKG:<version>",
                          "Pin each gem: `gem install bundler:2.5.6` or `gem install bundler -v "
                          "2.5.6`.",
                          gem_unpinned});
  add_pin_rule(registry, {"MTR-DF-306", "DL3062", "go install/get/run", "PKG@v<version>",
                          "Name a version: `go install golang.org/x/tools/gopls@v0.15.3`, not "
                          "@latest or no version.",
                          go_unpinned});
  add_pin_rule(registry, {"MTR-DF-307", "DL3033", "yum install", "PKG-<version>",
                          "Pin each package: `yum install -y httpd-2.4.57` (modules: "
                          "`yum module install -y nodejs:20`).",
                          [](const Cmd& c) { return rpm_unpinned(c, {"yum"}); }});
  add_pin_rule(registry, {"MTR-DF-308", "DL3037", "zypper install", "PKG=<version>",
                          "Pin each package: `zypper install -y curl=8.6.0`.", zypper_unpinned});
  add_pin_rule(registry, {"MTR-DF-309", "DL3041", "dnf install", "PKG-<version>",
                          "Pin each package: `dnf install -y httpd-2.4.57` (modules: "
                          "`dnf module install -y nodejs:20`).",
                          [](const Cmd& c) {
                            return rpm_unpinned(c, {"dnf", "microdnf"});
                          }});

  // ---- caches and hygiene (commandment 8) ---------------------------------------------------
  add(registry,
      {"MTR-DF-320",
       "Delete the apt lists after apt-get update",
       core::Severity::kLow,
       "apt-get update downloads package lists into /var/lib/apt/lists; left in the layer they "
       "add tens of megabytes to the shipped image and go stale.",
       "End the RUN with `&& rm -rf /var/lib/apt/lists/*`, or keep the lists out of the layer: "
       "`RUN --mount=type=cache,target=/var/lib/apt/lists --mount=type=cache,target=/var/cache/apt "
       "apt-get update && apt-get install ...`.",
       {"DL3009"},
       {hadolint_url("DL3009")},
       8},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : runs(input)) {
          if (run.stage == nullptr || !run.stage->shipped) continue;
          const auto& cmds = commands(input, *run.ins);
          const Cmd* update = nullptr;
          bool cleaned = false;
          for (const Cmd& c : cmds) {
            if ((c.program == "apt-get" || c.program == "apt" || c.program == "aptitude") &&
                apt_sub(c).name == "update" && update == nullptr) {
              update = &c;
            }
            if (rm_of(c, {"/var/lib/apt/lists"})) cleaned = true;
            // apt >= 2.7: dist-clean removes the lists too.
            if (c.program == "apt-get" && apt_sub(c).name == "dist-clean") cleaned = true;
          }
          if (update == nullptr || cleaned) continue;
          // hadolint's reading: the lists stay out of the layer when they are mounted
          // themselves, or when both /var/lib/apt and /var/cache/apt are.
          std::set<std::string> mounts;
          for (std::string m : input.cache_mounts(*run.ins)) {
            while (m.size() > 1 && m.back() == '/') m.pop_back();
            mounts.insert(m);
          }
          if (mounts.count("/var/lib/apt/lists") != 0 ||
              (mounts.count("/var/lib/apt") != 0 && mounts.count("/var/cache/apt") != 0)) {
            continue;
          }
          out.report(*run.ins, update->program +
                                   " update without `rm -rf /var/lib/apt/lists/*` in the same "
                                   "RUN: the package lists stay in the shipped image");
        }
      });

  add(registry,
      {"MTR-DF-321",
       "Use apt-get install -y",
       core::Severity::kMedium,
       "Without -y apt-get asks for confirmation; in a build there is nobody to answer and the "
       "build fails or hangs.",
       "Write `apt-get install -y --no-install-recommends PACKAGE=VERSION`.",
       [] {
         auto a = trivy("0021");
         a.insert(a.begin(), "DL3014");
         return a;
       }(),
       {hadolint_url("DL3014")}},
      per_command(
          [](const Cmd& c) {
            if (!apt_get_install(c)) return false;
            if (has_option(c.args, {"-y", "--yes", "--assume-yes"})) return false;
            int quiet = 0;
            for (const auto& a : c.args) {
              if (a == "--quiet") ++quiet;
              if (a == "-q=2" || a == "--quiet=2") quiet += 2;
              if (a.size() >= 2 && a[0] == '-' && a[1] != '-' && a.find('=') == std::string::npos)
                quiet += static_cast<int>(std::count(a.begin() + 1, a.end(), 'q'));
            }
            return quiet < 2;
          },
          [](const Cmd&) { return std::string("apt-get install without -y (or -qq)"); }));

  add(registry,
      {"MTR-DF-322",
       "Use apt-get install --no-install-recommends",
       core::Severity::kLow,
       "Recommended packages are not needed to run the software; installing them grows the "
       "image and its attack surface.",
       "Write `apt-get install -y --no-install-recommends PACKAGE=VERSION`.",
       [] {
         auto a = trivy("0029");
         a.insert(a.begin(), "DL3015");
         return a;
       }(),
       {hadolint_url("DL3015")},
       8},
      per_command(
          [](const Cmd& c) {
            if (!apt_get_install(c)) return false;
            if (has_option(c.args, {"--no-install-recommends"})) return false;
            for (const auto& a : c.args) {
              std::string l = lower(a);
              if (contains(l, "apt::install-recommends=false") ||
                  contains(l, "apt::install-recommends=0"))
                return false;
            }
            return true;
          },
          [](const Cmd&) {
            return std::string("apt-get install without --no-install-recommends");
          }));

  add(registry,
      {"MTR-DF-323",
       "Use apk add --no-cache",
       core::Severity::kLow,
       "apk keeps its index and downloaded packages in /var/cache/apk unless told not to; they "
       "end up in the layer.",
       "Write `apk add --no-cache PACKAGE=VERSION`, or mount the cache: `RUN "
       "--mount=type=cache,target=/var/cache/apk apk add ...`.",
       [] {
         auto a = trivy("0025");
         a.insert(a.begin(), "DL3019");
         return a;
       }(),
       {hadolint_url("DL3019")},
       8},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : runs(input)) {
          if (cache_mounted(input, *run.ins, {"/var/cache/apk"})) continue;
          for (const Cmd& c : commands(input, *run.ins)) {
            if (c.program != "apk" || subcommand(c.args, kApkValueOptions).name != "add") continue;
            if (has_option(c.args, {"--no-cache"})) continue;
            out.report(*run.ins,
                       "apk add without --no-cache: the package cache stays in the layer");
          }
        }
      });

  add(registry,
      {"MTR-DF-324",
       "Use pip install --no-cache-dir",
       core::Severity::kLow,
       "pip keeps downloaded wheels in ~/.cache/pip; in an image that cache is dead weight.",
       "Write `pip install --no-cache-dir ...`, set `ENV PIP_NO_CACHE_DIR=1`, or mount the "
       "cache: `RUN --mount=type=cache,target=/root/.cache/pip pip install ...`.",
       {"DL3042"},
       {hadolint_url("DL3042")},
       8},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : runs(input)) {
          bool mounted = false;
          for (const auto& m : input.cache_mounts(*run.ins)) {
            if (contains(m, ".cache/pip") || ends_with(m, "/pip") || contains(m, "/pip/")) {
              mounted = true;
            }
          }
          if (mounted) continue;
          std::string env = run.stage ? pip_no_cache_env(input, *run.stage, run.ins) : "unset";
          const auto& cmds = commands(input, *run.ins);
          for (const Cmd& c : cmds) {
            if (c.program == "export") {
              for (const auto& a : c.args) {
                if (starts_with(a, "PIP_NO_CACHE_DIR=")) env = a.substr(17);
              }
            }
            if (!is_pip(c.program) || subcommand(c.args, kPipValueOptions).name != "install") {
              continue;
            }
            if (has_option(c.args, {"--no-cache-dir"})) continue;
            std::string local = env;
            for (const auto& a : c.source->assignments) {
              if (starts_with(a, "PIP_NO_CACHE_DIR=")) local = a.substr(17);
            }
            if (local != "unset" && truthy(local)) continue;
            out.report(*run.ins,
                       "pip install without --no-cache-dir: downloaded wheels stay in "
                       "the layer");
          }
        }
      });

  add(registry,
      {"MTR-DF-325",
       "Clean the yarn cache after yarn install",
       core::Severity::kLow,
       "yarn keeps every downloaded package in its global cache; left in the shipped image it "
       "can double the size of node_modules.",
       "Append `&& yarn cache clean` to the RUN, or mount the cache: `RUN "
       "--mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile`.",
       {"DL3060"},
       {hadolint_url("DL3060")},
       8},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : runs(input)) {
          if (run.stage == nullptr || !run.stage->shipped) continue;
          bool mounted = false;
          for (const auto& m : input.cache_mounts(*run.ins)) {
            if (contains(m, "yarn")) mounted = true;
          }
          if (mounted) continue;
          const auto& cmds = commands(input, *run.ins);
          for (std::size_t i = 0; i < cmds.size(); ++i) {
            const Cmd& c = cmds[i];
            if (c.program != "yarn" || subcommand(c.args, {}).name != "install") continue;
            bool cleaned = later(cmds, i, [](const Cmd& d) {
              Sub s = subcommand(d.args, {});
              return d.program == "yarn" && s.name == "cache" && !s.rest.empty() &&
                     s.rest[0] == "clean";
            });
            if (!cleaned) {
              out.report(*run.ins, "yarn install without a following `yarn cache clean`");
              break;
            }
          }
        }
      });

  struct CleanRule {
    std::string id;
    std::string title;
    std::vector<std::string> aliases;
    std::string tool;  // for messages
    std::string fix;
    std::function<bool(const Cmd&)> install;
    std::function<bool(const Cmd&)> cleans;
    std::vector<std::string> cache_dirs;
  };
  auto add_clean = [&registry](CleanRule c) {
    Rule r;
    r.id = c.id;
    r.title = c.title;
    r.severity = core::Severity::kLow;
    r.description = c.tool +
                    " keeps downloaded packages and metadata in its cache; without clean-up in "
                    "the same RUN they stay in the layer.";
    r.fix = c.fix;
    r.aliases = c.aliases;
    for (const auto& a : c.aliases) {
      if (starts_with(a, "DL")) r.references.push_back(hadolint_url(a));
    }
    r.commandment = 8;
    add(registry, std::move(r), [c](const LintInput& input, IssueSink& out) {
      for (const Run& run : runs(input)) {
        bool mounted = false;
        for (std::string m : input.cache_mounts(*run.ins)) {
          while (m.size() > 1 && m.back() == '/') m.pop_back();
          for (const auto& d : c.cache_dirs) {
            if (m == d || starts_with(d, m + "/")) mounted = true;
          }
        }
        if (mounted) continue;
        const auto& cmds = commands(input, *run.ins);
        for (std::size_t i = 0; i < cmds.size(); ++i) {
          if (!c.install(cmds[i])) continue;
          if (later(cmds, i, c.cleans)) continue;
          out.report(*run.ins, cmds[i].program + " " +
                                   subcommand(cmds[i].args, kRpmValueOptions).name + " without " +
                                   c.tool + " clean-up after it in the same RUN");
          break;
        }
      }
    });
  };
  auto rpm_sub_in = [](const Cmd& c, std::initializer_list<std::string_view> programs,
                       std::initializer_list<std::string_view> subs) {
    if (std::find(programs.begin(), programs.end(), c.program) == programs.end()) return false;
    std::string n = subcommand(c.args, kRpmValueOptions).name;
    return std::find(subs.begin(), subs.end(), n) != subs.end();
  };
  add_clean({"MTR-DF-326",
             "Run yum clean all after yum install",
             [] {
               auto a = trivy("0015");
               a.insert(a.begin(), "DL3032");
               return a;
             }(),
             "yum",
             "Append `&& yum clean all && rm -rf /var/cache/yum` to the RUN, or mount the cache: "
             "`RUN --mount=type=cache,target=/var/cache/yum yum install -y ...`.",
             [rpm_sub_in](const Cmd& c) { return rpm_sub_in(c, {"yum"}, {"install"}); },
             [](const Cmd& c) { return clean_all(c, {"yum"}) || rm_of(c, {"/var/cache/yum"}); },
             {"/var/cache/yum"}});
  add_clean({"MTR-DF-327",
             "Run dnf clean all after dnf install",
             [] {
               auto a = trivy("0019");
               a.insert(a.begin(), "DL3040");
               return a;
             }(),
             "dnf",
             "Append `&& dnf clean all` to the RUN, or mount the cache: `RUN "
             "--mount=type=cache,target=/var/cache/dnf dnf install -y ...` (dnf5: "
             "/var/cache/libdnf5).",
             [rpm_sub_in](const Cmd& c) {
               return rpm_sub_in(c, {"dnf", "microdnf"},
                                 {"install", "in", "upgrade", "up", "upgrade-minimal", "up-min",
                                  "reinstall", "rei", "update", "groupinstall"});
             },
             [](const Cmd& c) {
               return clean_all(c, {"dnf", "microdnf"}) ||
                      rm_of(c, {"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"});
             },
             {"/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/yum"}});
  add_clean({"MTR-DF-328",
             "Run zypper clean after zypper install",
             [] {
               auto a = trivy("0020");
               a.insert(a.begin(), "DL3036");
               return a;
             }(),
             "zypper",
             "Append `&& zypper clean --all` to the RUN, or mount the cache: `RUN "
             "--mount=type=cache,target=/var/cache/zypp zypper install -y ...`.",
             [](const Cmd& c) {
               if (c.program != "zypper") return false;
               auto n = subcommand(c.args, kZypperValueOptions).name;
               return n == "install" || n == "in";
             },
             [](const Cmd& c) {
               if (c.program == "zypper") {
                 auto n = subcommand(c.args, kZypperValueOptions).name;
                 if (n == "clean" || n == "cc") return true;
               }
               return rm_of(c, {"/var/cache/zypp"});
             },
             {"/var/cache/zypp"}});
  add_clean(
      {"MTR-DF-329",
       "Run microdnf clean all after microdnf install",
       trivy("0027"),
       "microdnf",
       "Append `&& microdnf clean all` to the RUN, or mount the cache: `RUN "
       "--mount=type=cache,target=/var/cache/yum microdnf install -y ...`.",
       [rpm_sub_in](const Cmd& c) {
         return rpm_sub_in(c, {"microdnf"}, {"install", "in", "upgrade", "update", "reinstall"});
       },
       [](const Cmd& c) {
         return clean_all(c, {"microdnf"}) ||
                rm_of(c, {"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"});
       },
       {"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"}});

  // ---- non-interactive flags ---------------------------------------------------------------
  add(registry,
      {"MTR-DF-330",
       "Use yum install -y",
       core::Severity::kMedium,
       "Without -y yum asks for confirmation and the build fails.",
       "Write `yum install -y PACKAGE-VERSION`.",
       {"DL3030"},
       {hadolint_url("DL3030")}},
      per_command(
          [](const Cmd& c) {
            if (c.program != "yum") return false;
            Sub s = subcommand(c.args, kRpmValueOptions);
            bool install = s.name == "install" || s.name == "groupinstall" ||
                           s.name == "localinstall" ||
                           (s.name == "module" && !s.rest.empty() && s.rest[0] == "install");
            return install && !has_option(c.args, {"-y", "--assumeyes"});
          },
          [](const Cmd&) { return std::string("yum install without -y"); }));
  add(registry,
      {"MTR-DF-331",
       "Use zypper install -n",
       core::Severity::kMedium,
       "Without --non-interactive zypper asks for confirmation and the build fails.",
       "Write `zypper --non-interactive install PACKAGE=VERSION` (or -n / -y).",
       {"DL3034"},
       {hadolint_url("DL3034")}},
      per_command(
          [](const Cmd& c) {
            if (c.program != "zypper") return false;
            static const std::set<std::string> kSubs = {"install",        "in", "remove", "rm",
                                                        "source-install", "si", "patch"};
            if (kSubs.count(subcommand(c.args, kZypperValueOptions).name) == 0) return false;
            return !has_option(c.args, {"-n", "--non-interactive", "-y", "--no-confirm"});
          },
          [](const Cmd& c) {
            return "zypper " + subcommand(c.args, kZypperValueOptions).name +
                   " without --non-interactive";
          }));
  add(registry,
      {"MTR-DF-332",
       "Use dnf install -y",
       core::Severity::kMedium,
       "Without -y dnf asks for confirmation and the build fails.",
       "Write `dnf install -y PACKAGE-VERSION`.",
       {"DL3038"},
       {hadolint_url("DL3038")}},
      per_command(
          [](const Cmd& c) {
            if (c.program != "dnf" && c.program != "microdnf") return false;
            Sub s = subcommand(c.args, kRpmValueOptions);
            bool install = s.name == "install" || s.name == "in" || s.name == "groupinstall" ||
                           s.name == "localinstall" || s.name == "reinstall" ||
                           ((s.name == "module" || s.name == "group") && !s.rest.empty() &&
                            s.rest[0] == "install");
            return install && !has_option(c.args, {"-y", "--assumeyes"});
          },
          [](const Cmd& c) { return c.program + " install without -y"; }));

  add(registry,
      {"MTR-DF-333",
       "Do not use zypper dist-upgrade",
       core::Severity::kMedium,
       "A distribution upgrade inside a build moves the image to whatever the repositories hold "
       "that day; pick a newer base image instead.",
       "Use a newer base image tag; install specific package versions if needed.",
       {"DL3035"},
       {hadolint_url("DL3035")}},
      per_command(
          [](const Cmd& c) {
            if (c.program != "zypper") return false;
            auto n = subcommand(c.args, kZypperValueOptions).name;
            return n == "dist-upgrade" || n == "dup";
          },
          [](const Cmd& c) {
            return "zypper " + subcommand(c.args, kZypperValueOptions).name + " in a RUN";
          }));
  add(registry,
      {"MTR-DF-334",
       "Do not run apt-get upgrade or dist-upgrade",
       core::Severity::kLow,
       "Upgrading every package inside a build makes the result depend on the build date and "
       "hides what the base image should provide; use a fresher base image.",
       "Rebuild on a newer, pinned base image (`FROM debian:12.5-slim@sha256:...`) instead of "
       "`apt-get upgrade`; upgrade single packages by pinning them.",
       trivy("0024"),
       {hadolint_url("DL3005")},
       8},
      per_command(
          [](const Cmd& c) {
            if (c.program != "apt-get" && c.program != "apt") return false;
            auto n = apt_sub(c).name;
            return n == "upgrade" || n == "dist-upgrade" || n == "full-upgrade";
          },
          [](const Cmd& c) { return c.program + " " + apt_sub(c).name + " in a RUN"; }));
  add(registry,
      {"MTR-DF-335",
       "Use apt-get or apt-cache instead of apt",
       core::Severity::kMedium,
       "apt is meant for people: its output and options are not a stable interface for scripts.",
       "Write `apt-get install -y ...` / `apt-cache ...`.",
       {"DL3027", "CKV_DOCKER_9"},
       {hadolint_url("DL3027")}},
      per_command(
          [](const Cmd& c) { return c.program == "apt"; },
          [](const Cmd& c) { return "apt " + apt_sub(c).name + ": use apt-get in scripts"; }));
  add(registry,
      {"MTR-DF-336",
       "Do not refresh package lists alone in a RUN",
       core::Severity::kMedium,
       "A RUN that only refreshes the package lists is cached on its own: later installs in "
       "another RUN then use stale lists (or fail) until the cache is busted.",
       "Refresh and install in one RUN: `RUN apt-get update && apt-get install -y ... && rm -rf "
       "/var/lib/apt/lists/*`.",
       [] {
         auto a = trivy("0017");
         a.push_back("CKV_DOCKER_5");
         a.push_back("CIS-DI-0007");
         return a;
       }(),
       {}},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : runs(input)) {
          const auto& cmds = commands(input, *run.ins);
          const Cmd* update = nullptr;
          bool used = false;
          for (const Cmd& c : cmds) {
            if (is_update(c)) {
              if (update == nullptr) update = &c;
            } else if (uses_package_lists(c)) {
              used = true;
            }
          }
          if (update != nullptr && !used) {
            out.report(*run.ins, update->program + " " + subcommand(update->args, {}).name +
                                     " alone in a RUN: install in the same RUN");
          }
        }
      });
  add(registry,
      {"MTR-DF-337",
       "Remove build dependencies from the shipped image",
       core::Severity::kLow,
       "Compilers, headers and -dev packages are needed to build, not to run; left in the "
       "shipped image they add size and tools an attacker can use.",
       "Build in a separate stage and COPY --from only the result (multi-stage build); or remove "
       "them in the same RUN (`apk add --virtual .build-deps ... && ... && apk del .build-deps`, "
       "`apt-get purge -y --auto-remove ...`).",
       {},
       {"https://docs.docker.com/build/building/multi-stage/"},
       8},
      check_build_deps);
  add(registry,
      {"MTR-DF-338",
       "Do not run interactive or system-management commands",
       core::Severity::kLow,
       "Commands such as ssh, vim, shutdown, service, ps or top make no sense in a build: "
       "nothing is running and nobody is there to use them.",
       "Remove the command from the RUN.",
       {"DL3001"},
       {hadolint_url("DL3001")}},
      per_command(
          [](const Cmd& c) {
            static const std::set<std::string_view> kPointless = {
                "ssh",  "vim", "shutdown", "service", "ps",
                "free", "top", "kill",     "mount",   "ifconfig"};
            return kPointless.count(c.program) != 0;
          },
          [](const Cmd& c) { return "'" + c.program + "' has no use in a RUN"; }));
  add(registry,
      {"MTR-DF-339",
       "Do not install packages without signature checks",
       core::Severity::kHigh,
       "Turning off signature verification lets anyone who can tamper with the mirror or the "
       "network replace packages in the image.",
       "Remove the option and import the repository's signing key instead "
       "(`/etc/apt/keyrings/*.gpg` with `signed-by=`, `rpm --import`, apk keys).",
       {"CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11"},
       {},
       8},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : runs(input)) {
          for (const Cmd& c : commands(input, *run.ins)) {
            std::string what;
            if (c.program == "apt-get" || c.program == "apt" || c.program == "aptitude") {
              if (has_option(c.args, {"--allow-unauthenticated"})) {
                what = "--allow-unauthenticated";
              } else if (has_option(c.args, {"--force-yes"})) {
                what = "--force-yes";
              } else {
                for (const auto& a : c.args) {
                  std::string l = lower(a);
                  if (contains(l, "allowunauthenticated=true") ||
                      contains(l, "allow-insecure-repositories=true")) {
                    what = a;
                  }
                }
              }
            } else if (c.program == "apk") {
              if (has_option(c.args, {"--allow-untrusted"})) what = "--allow-untrusted";
            } else if (c.program == "rpm") {
              for (auto o : {"--nosignature", "--nodigest", "--noverify", "--nofiledigest"}) {
                if (what.empty() && has_option(c.args, {o})) what = o;
              }
            } else if (c.program == "yum" || c.program == "dnf" || c.program == "tdnf" ||
                       c.program == "microdnf") {
              if (has_option(c.args, {"--nogpgcheck"})) what = "--nogpgcheck";
              for (const auto& a : c.args) {
                if (contains(lower(a), "gpgcheck=0") || contains(lower(a), "gpgcheck=false"))
                  what = a;
              }
            }
            if (!what.empty()) {
              out.report(*run.ins, c.program + " " + what +
                                       " installs packages without checking "
                                       "their signatures");
            }
          }
        }
      });
}

}  // namespace mtr::dockerfile::rules::shell
