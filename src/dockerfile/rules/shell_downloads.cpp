// MTR-DF-4xx: getting files into the image — ADD vs COPY (commandment 5), remote content
// without integrity checks, curl | sh and disabled TLS verification (commandment 7), and
// hadolint's wget/curl hygiene.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "dockerfile/rules/shell_common.h"

namespace mtr::dockerfile::rules::shell {
namespace {

bool is_url(std::string_view s) { return contains(s, "://") || starts_with(s, "git@"); }

// What ADD unpacks by itself (BuildKit detects tar, optionally gzip/bzip2/xz compressed).
bool is_local_archive(std::string_view s) {
  std::string l = lower(s);
  for (auto ext : {".tar", ".gz", ".bz2", ".xz", ".tgz", ".tbz", ".tbz2", ".tb2", ".txz", ".lz",
                   ".lzma", ".tlz", ".zst", ".tzst"}) {
    if (ends_with(l, ext)) return true;
  }
  return false;
}

// Sources of COPY/ADD: every argument but the destination, quotes removed, heredocs skipped.
std::vector<std::string> sources(const Instruction& ins) {
  std::vector<std::string> out;
  if (ins.args.size() < 2) return out;
  for (std::size_t i = 0; i + 1 < ins.args.size(); ++i) {
    std::string s = ins.json ? ins.args[i] : strip_quotes(ins.args[i]);
    if (starts_with(s, "<<")) continue;
    out.push_back(s);
  }
  return out;
}

bool is_downloader(std::string_view p) { return p == "curl" || p == "wget"; }

// The program a command really runs: `sudo -E bash` runs bash.
std::string effective_program(const Cmd& c) {
  if (c.program != "sudo" && c.program != "env" && c.program != "doas") return c.program;
  for (const auto& a : c.args) {
    if (starts_with(a, "-") || contains(a, "=")) continue;
    return std::string(basename(a));
  }
  return c.program;
}

bool is_interpreter(std::string_view p) {
  return is_shell(p) || p == "python" || p == "python3" || p == "perl" || p == "ruby" ||
         p == "node" || p == "php" || p == "source" || p == "." || p == "eval" || p == "iex" ||
         p == "pwsh" || p == "busybox";
}

// Does a word hold a command substitution or process substitution that runs a downloader?
bool substitutes_download(std::string_view raw) {
  for (auto open : {"$(", "<(", "`"}) {
    std::size_t at = 0;
    while ((at = raw.find(open, at)) != std::string_view::npos) {
      at += std::string_view(open).size();
      std::string_view rest = raw.substr(at);
      while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
      if (starts_with(rest, "curl") || starts_with(rest, "wget")) return true;
    }
  }
  return false;
}

bool is_checksum_tool(std::string_view p) {
  return p == "sha256sum" || p == "sha512sum" || p == "sha384sum" || p == "sha1sum" ||
         p == "sha224sum" || p == "md5sum" || p == "shasum" || p == "b2sum" || p == "b3sum" ||
         p == "cksum";
}

// Does the RUN check what it downloaded: a checksum or a signature?
bool verifies(const std::vector<Cmd>& cmds) {
  for (const Cmd& c : cmds) {
    std::string p = effective_program(c);
    if (is_checksum_tool(p)) {
      if (has_option(c.args, {"-c", "--check"})) return true;
      // `[ "$(sha256sum f | cut -d' ' -f1)" = "$SHA" ]`: computed for a comparison.
      if (c.source->depth > 0) return true;
    }
    if ((p == "gpg" || p == "gpg2") && has_option(c.args, {"--verify"})) return true;
    if (p == "gpgv" || p == "gpgv2") return true;
    if (p == "cosign" && !c.args.empty() && starts_with(c.args[0], "verify")) return true;
    if (p == "minisign" && has_option(c.args, {"-V"})) return true;
    if (p == "slsa-verifier" || p == "sigstore") return true;
    // `[ "$(openssl sha512 -r f)" = "$SUM" ]`, `openssl dgst -verify key -signature s f`
    if (p == "openssl" && !c.args.empty() &&
        (c.args[0] == "dgst" || starts_with(c.args[0], "sha") || c.args[0] == "md5") &&
        (has_option(c.args, {"-verify"}) || c.source->depth > 0)) {
      return true;
    }
    if (p == "rpm" && has_option(c.args, {"-K", "--checksig"})) return true;
  }
  return false;
}

// Files that are themselves the integrity material (signatures, checksum lists, keys).
bool integrity_material(std::string_view name) {
  std::string l = lower(name);
  for (auto ext : {".asc", ".sig", ".gpg", ".sha256", ".sha512", ".sha1", ".sha256sum",
                   ".sha512sum", ".md5", ".pub", ".key", "sums", ".sha256.txt", ".pem", ".crt",
                   ".minisig", ".intoto.jsonl", ".bundle"}) {
    if (ends_with(l, ext)) return true;
  }
  return contains(l, "checksum") || contains(l, "keyring") || contains(l, "/gpg") ||
         contains(l, "gpgkey") || contains(l, "/key");
}

// A downloader invocation that leaves a file behind or feeds an unpacker: its target (output
// file or URL) for the message; "" when it is not such a download.
std::string unverified_download(const std::vector<Cmd>& cmds, std::size_t i) {
  const Cmd& c = cmds[i];
  const ShellCommand& sc = *c.source;
  std::string url;
  for (const auto& a : c.args) {
    if (contains(a, "://")) url = a;
  }
  std::string output;
  bool to_stdout = false;
  if (c.program == "curl") {
    for (std::size_t k = 0; k < c.args.size(); ++k) {
      const auto& a = c.args[k];
      if ((a == "-o" || a == "--output") && k + 1 < c.args.size()) output = c.args[k + 1];
      if (starts_with(a, "--output=")) output = a.substr(9);
      // "-fsSLo file": a combined group ending in o takes the next word.
      if (a.size() > 2 && a[0] == '-' && a[1] != '-' && a.back() == 'o' && k + 1 < c.args.size())
        output = c.args[k + 1];
    }
    bool remote_name = has_option(c.args, {"-O", "--remote-name", "--remote-name-all"});
    if (output.empty() && remote_name) output = std::string(basename(url));
    to_stdout = output.empty() || output == "-";
  } else if (c.program == "wget") {
    if (has_option(c.args, {"--spider"})) return "";
    for (std::size_t k = 0; k < c.args.size(); ++k) {
      const auto& a = c.args[k];
      if ((a == "-O" || a == "--output-document") && k + 1 < c.args.size()) output = c.args[k + 1];
      if (starts_with(a, "--output-document=")) output = a.substr(18);
      if (a.size() > 2 && a[0] == '-' && a[1] != '-' && a.back() == 'O' && k + 1 < c.args.size())
        output = c.args[k + 1];
      if (a.size() > 2 && starts_with(a, "-O") && a != "-O") output = a.substr(2);
    }
    if (output.empty()) output = std::string(basename(url));
    to_stdout = output == "-" || output == "/dev/stdout";
  } else {
    return "";
  }
  if (output == "/dev/null") return "";
  if (to_stdout) {
    // Only a download streamed into an unpacker leaves unverified content behind; a pipe into a
    // shell is MTR-DF-403, into gpg --dearmor / tee a key file is integrity material.
    if (sc.next != Connector::kPipe || i + 1 >= cmds.size()) return "";
    std::string next = effective_program(cmds[i + 1]);
    static const std::set<std::string_view> kUnpackers = {
        "tar", "unzip", "gunzip", "bsdtar", "xz", "zstd", "bunzip2", "busybox", "cpio", "funzip"};
    if (kUnpackers.count(next) == 0) return "";
    if (integrity_material(url)) return "";
    return url.empty() ? std::string("stdin of ") + next : url;
  }
  if (integrity_material(output) || integrity_material(url)) return "";
  return output;
}

}  // namespace

void register_downloads(RuleRegistry& registry) {
  add(registry,
      {"MTR-DF-401",
       "Use COPY instead of ADD for local files",
       core::Severity::kMedium,
       "ADD also fetches URLs and unpacks archives; for plain local files that magic only hides "
       "what the instruction does. COPY says exactly what lands in the image.",
       "Write `COPY src dst` for local files and folders; keep ADD for local tar archives you "
       "want unpacked and for remote files with `--checksum=sha256:...`.",
       [] {
         auto a = trivy("0005");
         a.insert(a.begin(), "DL3020");
         return a;
       }(),
       {hadolint_url("DL3020")},
       5},
      [](const LintInput& input, IssueSink& out) {
        for (const Instruction* ins : flat_all(input)) {
          if (ins->keyword != "add") continue;
          for (const auto& s : sources(*ins)) {
            if (is_url(s) || is_local_archive(s)) continue;
            out.report(*ins, "ADD of local '" + s + "': use COPY");
            break;
          }
        }
      });

  add(registry,
      {"MTR-DF-402",
       "Give ADD of a URL a --checksum",
       core::Severity::kMedium,
       "ADD of a URL takes whatever the server returns at build time; a compromised or changed "
       "file goes into the image unnoticed.",
       "Write `ADD --checksum=sha256:<digest> https://... /dst` (BuildKit), or download in a RUN "
       "and verify with `sha256sum -c`.",
       {},
       {"https://docs.docker.com/reference/dockerfile/#add---checksum"},
       7},
      [](const LintInput& input, IssueSink& out) {
        std::string storage;
        for (const Instruction* ins : flat_all(input)) {
          if (ins->keyword != "add") continue;
          if (LintInput::flag(*ins, "checksum", &storage) != nullptr) continue;
          for (const auto& s : sources(*ins)) {
            if (!starts_with(lower(s), "http://") && !starts_with(lower(s), "https://")) continue;
            // Git repositories are pinned by a commit in the fragment, not by a checksum.
            std::string_view path = std::string_view(s).substr(0, s.find('#'));
            if (ends_with(path, ".git")) continue;
            out.report(*ins, "ADD of remote '" + s + "' without --checksum");
            break;
          }
        }
      });

  add(registry,
      {"MTR-DF-403",
       "Do not pipe a download into a shell",
       core::Severity::kHigh,
       "`curl ... | sh` runs whatever the server sends, unverified and unrecorded; a compromised "
       "server or network owns the build.",
       "Download to a file, verify its checksum or signature (`echo \"<sha256>  install.sh\" | "
       "sha256sum -c -`), then run it.",
       {},
       {},
       7},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : runs(input)) {
          const auto& cmds = commands(input, *run.ins);
          for (std::size_t i = 0; i < cmds.size(); ++i) {
            const Cmd& c = cmds[i];
            const ShellCommand& sc = *c.source;
            if (is_downloader(c.program) && sc.next == Connector::kPipe && i + 1 < cmds.size()) {
              std::string next = effective_program(cmds[i + 1]);
              if (is_interpreter(next)) {
                out.report(*run.ins, c.program + " output piped into " + next);
                break;
              }
            }
            std::string p = effective_program(c);
            if (is_interpreter(p)) {
              bool hit = false;
              for (std::size_t w = 1; w < sc.words.size(); ++w) {
                if (substitutes_download(sc.words[w].raw)) hit = true;
              }
              if (hit) {
                out.report(*run.ins, p + " runs a script fetched by a command substitution");
                break;
              }
            }
          }
        }
      });

  add(registry,
      {"MTR-DF-404",
       "Do not disable TLS certificate verification",
       core::Severity::kHigh,
       "Without certificate checks anyone on the network path can substitute what the build "
       "downloads.",
       "Remove the option (curl -k, wget --no-check-certificate, pip --trusted-host, "
       "strict-ssl false, NODE_TLS_REJECT_UNAUTHORIZED=0 ...); if a private CA is the reason, "
       "install its certificate (`COPY ca.crt /usr/local/share/ca-certificates/ && "
       "update-ca-certificates`).",
       {"CKV2_DOCKER_2", "CKV2_DOCKER_3", "CKV2_DOCKER_4", "CKV2_DOCKER_5", "CKV2_DOCKER_6",
        "CKV2_DOCKER_12", "CKV2_DOCKER_13", "CKV2_DOCKER_14", "CKV2_DOCKER_15", "CKV2_DOCKER_16"},
       {},
       7},
      [](const LintInput& input, IssueSink& out) {
        // Environment settings that turn verification off, by ENV/ARG or a shell assignment.
        auto insecure_env = [](std::string_view name, std::string_view raw) -> bool {
          std::string v = lower(strip_quotes(raw));
          if (name == "NODE_TLS_REJECT_UNAUTHORIZED") return v == "0";
          if (name == "PYTHONHTTPSVERIFY") return v == "0";
          if (name == "NPM_CONFIG_STRICT_SSL" || name == "npm_config_strict_ssl")
            return v == "false" || v == "0";
          if (name == "GIT_SSL_NO_VERIFY") return true;
          if (name == "PIP_TRUSTED_HOST") return !v.empty();
          if (name == "CURL_INSECURE") return v == "1" || v == "true";
          return false;
        };
        for (const Instruction* ins : flat_all(input)) {
          if (ins->keyword == "env") {
            for (std::size_t i = 0; i + 1 < ins->args.size(); i += 3) {
              if (insecure_env(ins->args[i], ins->args[i + 1])) {
                out.report(*ins, "ENV " + ins->args[i] + "=" + ins->args[i + 1] +
                                     " disables TLS certificate verification");
              }
            }
          } else if (ins->keyword == "arg") {
            for (const auto& a : ins->args) {
              auto eq = a.find('=');
              if (eq == std::string::npos) continue;
              if (insecure_env(a.substr(0, eq), a.substr(eq + 1))) {
                out.report(*ins, "ARG " + a + " disables TLS certificate verification");
              }
            }
          }
        }
        for (const Run& run : runs(input)) {
          for (const Cmd& c : commands(input, *run.ins)) {
            std::string what;
            for (const auto& a : c.source->assignments) {
              auto eq = a.find('=');
              if (eq != std::string::npos && insecure_env(a.substr(0, eq), a.substr(eq + 1)))
                what = a;
            }
            if (c.program == "export") {
              for (const auto& a : c.args) {
                auto eq = a.find('=');
                if (eq != std::string::npos && insecure_env(a.substr(0, eq), a.substr(eq + 1)))
                  what = a;
              }
            }
            if (c.program == "curl" && has_option(c.args, {"-k", "--insecure"})) {
              what = "curl --insecure";
            } else if (c.program == "wget" && has_option(c.args, {"--no-check-certificate"})) {
              what = "wget --no-check-certificate";
            } else if (is_pip(c.program) && has_option(c.args, {"--trusted-host"})) {
              what = c.program + " --trusted-host";
            } else if (c.program == "git") {
              for (std::size_t k = 0; k < c.args.size(); ++k) {
                std::string l = lower(c.args[k]);
                if (l == "http.sslverify=false" || l == "http.sslverify=0") what = "git " + l;
                if (l == "http.sslverify" && k + 1 < c.args.size() &&
                    (lower(c.args[k + 1]) == "false" || c.args[k + 1] == "0")) {
                  what = "git config http.sslVerify false";
                }
              }
            } else if (c.program == "npm" || c.program == "yarn" || c.program == "pnpm") {
              for (std::size_t k = 0; k + 1 < c.args.size(); ++k) {
                if ((c.args[k] == "strict-ssl" || c.args[k] == "strictSSL") &&
                    lower(c.args[k + 1]) == "false") {
                  what = c.program + " strict-ssl false";
                }
                if (lower(c.args[k]) == "--strict-ssl=false")
                  what = c.program + " --strict-ssl=false";
              }
              if (!c.args.empty() && lower(c.args.back()) == "--strict-ssl=false")
                what = c.program + " --strict-ssl=false";
            } else if (c.program == "yum-config-manager" || c.program == "dnf" ||
                       c.program == "yum") {
              for (const auto& a : c.args) {
                std::string l = lower(a);
                if (contains(l, "sslverify=false") || contains(l, "sslverify=0")) what = a;
              }
            } else if (c.program == "pip" || is_pip(c.program)) {
              // `pip config set global.trusted-host host`
              for (const auto& a : c.args) {
                if (contains(a, "trusted-host")) what = c.program + " config trusted-host";
              }
            }
            if (!what.empty()) {
              out.report(*run.ins, what + " disables TLS certificate verification");
            }
          }
        }
      });

  add(registry,
      {"MTR-DF-405",
       "Verify downloaded files",
       core::Severity::kLow,
       "A file fetched with curl or wget is whatever the server returned; without a checksum or "
       "signature check a compromised mirror or release goes into the image.",
       "Check it in the same RUN: `curl -fsSLo app.tgz URL && echo \"<sha256>  app.tgz\" | "
       "sha256sum -c -` or `gpg --batch --verify app.tgz.asc app.tgz`; or use `ADD "
       "--checksum=sha256:...`.",
       {},
       {},
       7},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : runs(input)) {
          const auto& cmds = commands(input, *run.ins);
          std::string first;
          for (std::size_t i = 0; i < cmds.size() && first.empty(); ++i) {
            first = unverified_download(cmds, i);
          }
          if (first.empty() || verifies(cmds)) continue;
          out.report(*run.ins, "'" + first +
                                   "' is downloaded without a checksum or signature check in "
                                   "the same RUN");
        }
      });

  add(registry,
      {"MTR-DF-406",
       "Use either wget or curl, not both",
       core::Severity::kLow,
       "Two download tools where one does: more packages, more size, more to patch.",
       "Pick one tool for the stage (curl -fsSLo or wget -q -O) and drop the other.",
       [] {
         auto a = trivy("0014");
         a.insert(a.begin(), "DL4001");
         return a;
       }(),
       {hadolint_url("DL4001")}},
      [](const LintInput& input, IssueSink& out) {
        for (const auto& stage : input.stages()) {
          bool wget = false;
          bool curl = false;
          for (const Instruction* ins : flat(stage)) {
            if (ins->keyword != "run") continue;
            for (const Cmd& c : commands(input, *ins)) {
              if (c.program == "wget") wget = true;
              if (c.program == "curl") curl = true;
            }
            if (wget && curl) {
              out.report(*ins, "this stage uses both wget and curl");
              break;
            }
          }
        }
      });

  add(registry,
      {"MTR-DF-407",
       "Use wget --progress to avoid a bloated build log",
       core::Severity::kLow,
       "wget's default progress bar writes a line per chunk in a non-terminal build log.",
       "Write `wget --progress=dot:giga URL` or `wget -q` / `-nv`.",
       {"DL3047"},
       {hadolint_url("DL3047")}},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : runs(input)) {
          for (const Cmd& c : commands(input, *run.ins)) {
            if (c.program != "wget") continue;
            bool quiet = false;
            for (const auto& a : c.args) {
              if (a == "-nv") quiet = true;
            }
            if (quiet || has_option(c.args, {"--progress", "-q", "--quiet", "--no-verbose", "-o",
                                             "--output-file", "-a", "--append-output"})) {
              continue;
            }
            out.report(*run.ins, "wget without --progress (or -q / -nv)");
          }
        }
      });

  add(registry,
      {"MTR-DF-408",
       "Use ADD to extract a local archive",
       core::Severity::kLow,
       "COPY of an archive followed by extracting it keeps the archive in an extra layer.",
       "Write `ADD app.tar.gz /usr/src/app/` (ADD unpacks local tar archives), or extract from a "
       "bind mount: `RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xf "
       "/tmp/app.tar.gz`.",
       {"DL3010"},
       {hadolint_url("DL3010")}},
      [](const LintInput& input, IssueSink& out) {
        auto is_archive = [](std::string_view s) {
          std::string l = lower(s);
          for (auto ext : {".tar", ".gz", ".bz2", ".xz", ".zip", ".tgz", ".tbz", ".tbz2", ".tb2",
                           ".txz", ".lz", ".lzma", ".tlz", ".z", ".tz", ".zst"}) {
            if (ends_with(l, ext)) return true;
          }
          return false;
        };
        std::string storage;
        for (const auto& stage : input.stages()) {
          std::set<std::string> copied;  // basenames of copied archives (sources and targets)
          for (const Instruction* ins : flat(stage)) {
            if (ins->keyword == "copy") {
              if (LintInput::flag(*ins, "from", &storage) != nullptr) continue;
              for (const auto& a : ins->args) {
                std::string s = strip_quotes(a);
                if (!s.empty() && s.front() == '"') s.erase(0, 1);
                if (!s.empty() && s.back() == '"') s.pop_back();
                if (is_archive(s)) copied.insert(std::string(basename(s)));
              }
              continue;
            }
            if (ins->keyword != "run" || copied.empty()) continue;
            for (const Cmd& c : commands(input, *ins)) {
              bool extract = false;
              if (c.program == "tar") {
                extract = has_option(c.args, {"-x", "--extract", "--get"}) ||
                          (!c.args.empty() && c.args[0].find('x') != std::string::npos &&
                           c.args[0][0] != '-');
              } else if (c.program == "unzip" || c.program == "gunzip" || c.program == "bunzip2" ||
                         c.program == "unxz" ||
                         ((c.program == "gzip" || c.program == "xz") &&
                          has_option(c.args, {"-d", "--decompress"}))) {
                extract = true;
              }
              if (!extract) continue;
              for (const auto& a : c.args) {
                std::string b(basename(a));
                if (copied.count(b) != 0) {
                  out.report(*ins, "'" + b + "' is copied in with COPY and then extracted");
                  extract = false;
                  break;
                }
              }
              if (!extract) break;
            }
          }
        }
      });
}

}  // namespace mtr::dockerfile::rules::shell
