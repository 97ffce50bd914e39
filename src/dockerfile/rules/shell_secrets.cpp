// MTR-DF-5xx: secrets in the image (commandment 1) — secret-looking ARG/ENV, key files copied
// in, credentials on RUN command lines, and any hard-coded credential the secret engine
// recognises in the Dockerfile's text.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "dockerfile/rules/shell_common.h"
#include "secrets/scanner.h"

namespace mtr::dockerfile::rules::shell {
namespace {

// BuildKit's SecretsUsedInArgOrEnv tokens: a name whose `_`-separated words include one of
// these suggests a secret (frontend/dockerfile/dockerfile2llb).
std::vector<std::string> name_tokens(std::string_view name) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : name) {
    if (c == '_' || c == '-' || c == '.') {
      if (!cur.empty()) out.push_back(lower(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(lower(cur));
  return out;
}

// Why a name looks secret ("" when it does not).
std::string secret_name_reason(std::string_view name) {
  static const std::set<std::string> kSecret = {"apikey", "auth",     "credential", "credentials",
                                                "key",    "password", "pword",      "passwd",
                                                "secret", "token"};
  auto tokens = name_tokens(name);
  if (tokens.empty()) return "";
  std::string hit;
  for (const auto& t : tokens) {
    if (kSecret.count(t) != 0 && hit.empty()) hit = t;
  }
  if (hit.empty()) return "";
  for (const auto& t : tokens) {
    if (t == "public") return "";             // BuildKit's allow token
    if (t == "gpg" || t == "pgp") return "";  // GPG_KEY(S): fingerprints of public keys
  }
  // POSTGRES_PASSWORD_FILE=/run/secrets/db: the value is where the secret is, not the secret.
  const std::string& last = tokens.back();
  if (last == "file" || last == "path" || last == "dir" || last == "directory" ||
      last == "location") {
    return "";
  }
  return hit;
}

// Files that hold private keys or credentials ("" when the name is harmless).
std::string secret_file_kind(std::string_view path) {
  std::string p = lower(path);
  std::string base(basename(p));
  if (base.empty() || contains(base, "*")) {
    // a glob: judge by what it can match only when it names a key type outright
    if (!ends_with(base, ".key") && !ends_with(base, ".pem")) return "";
  }
  for (auto k : {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"}) {
    if (base == k) return "an SSH private key";
  }
  if (ends_with(base, ".key") || ends_with(base, ".p12") || ends_with(base, ".pfx") ||
      ends_with(base, ".jks") || ends_with(base, ".keystore")) {
    return "a private key or keystore";
  }
  if (ends_with(base, ".pem")) {
    for (auto benign : {"cert", "chain", "bundle", "pub", "ca.pem", "ca-", "_ca", "-ca", "root"}) {
      if (contains(base, benign)) return "";
    }
    return "a PEM file (often a private key)";
  }
  if (base == ".env" ||
      (starts_with(base, ".env.") && !contains(base, "example") && !contains(base, "sample") &&
       !contains(base, "template") && !contains(base, "dist"))) {
    return "an environment file with credentials";
  }
  if (base == ".npmrc" || base == ".pypirc" || base == ".netrc" || base == "_netrc" ||
      base == ".git-credentials" || base == ".pgpass" || base == ".my.cnf" ||
      base == "kubeconfig" || base == ".htpasswd") {
    return "a credentials file (" + base + ")";
  }
  if (contains(p, ".aws/credentials") || (base == "credentials" && contains(p, "aws"))) {
    return "AWS credentials";
  }
  if (contains(p, ".docker/config.json")) return "Docker registry credentials";
  if (contains(p, ".kube/config")) return "a kubeconfig";
  // secret.txt, db-password, api_token.json, client-credentials.yaml: named for what they hold.
  std::string stem = base.substr(0, base.find('.') == 0 ? base.size() : base.find('.'));
  for (auto word :
       {"secret", "password", "passwd", "credential", "token", "apikey", "api_key", "api-key"}) {
    if (contains(stem, word) && !contains(base, "example") && !contains(base, "sample") &&
        !contains(base, "template") && !ends_with(base, ".go") && !ends_with(base, ".py") &&
        !ends_with(base, ".js") && !ends_with(base, ".ts") && !ends_with(base, ".java") &&
        !ends_with(base, ".rb") && !ends_with(base, ".sh") && !ends_with(base, ".md")) {
      return "a file named for a secret (" + base + ")";
    }
  }
  if (contains(p, ".ssh/") && !ends_with(base, ".pub") && base != "known_hosts" &&
      base != "config" && base != "authorized_keys") {
    return "an SSH key";
  }
  return "";
}

bool is_variable(std::string_view v) { return contains(v, "$"); }

// Whether any built-in secret rule's keyword occurs in `text` (case-insensitive): the secret
// engine is compiled (tens of milliseconds, once) and run only then, so linting one Dockerfile
// without any candidate stays fast. Rules without keywords are bound to file paths a
// Dockerfile never has (.pgpass, .env).
bool may_hold_secret(std::string_view text) {
  static const std::vector<std::string> kKeywords = [] {
    std::vector<std::string> out;
    for (const auto& r : secrets::builtin_rules().rules) {
      for (const auto& k : r.keywords) out.push_back(lower(k));
    }
    return out;
  }();
  std::string low = lower(text);
  return std::any_of(kKeywords.begin(), kKeywords.end(),
                     [&](const std::string& k) { return low.find(k) != std::string::npos; });
}

const secrets::Scanner* engine() {
  static const std::unique_ptr<secrets::Scanner> scanner = [] {
    auto compiled = secrets::Scanner::compile(secrets::builtin_rules());
    if (!compiled) {
      // The built-in rules are our own data: a bad pattern is a bug.
      std::fprintf(stderr, "%s\n", compiled.error().to_string().c_str());
      std::abort();
    }
    return std::move(*compiled);
  }();
  return scanner.get();
}

// Credential files written by a RUN (echo ... > ~/.npmrc).
bool credential_target(std::string_view redirect) {
  std::string r = lower(redirect);
  for (auto f : {".npmrc", ".pypirc", ".netrc", ".git-credentials", ".docker/config.json",
                 ".aws/credentials", ".pgpass", ".my.cnf", "pip.conf", ".yarnrc"}) {
    if (contains(r, f)) return true;
  }
  return false;
}

// user:password@ in a URL: the password, or "".
std::string url_password(std::string_view word) {
  auto scheme = word.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = word.substr(scheme + 3);
  auto at = rest.find('@');
  auto slash = rest.find('/');
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) return "";
  std::string_view userinfo = rest.substr(0, at);
  auto colon = userinfo.find(':');
  if (colon == std::string_view::npos) return "";
  return std::string(userinfo.substr(colon + 1));
}

}  // namespace

void register_secrets(RuleRegistry& registry) {
  add(registry,
      {"MTR-DF-501",
       "Do not pass secrets through ARG or ENV",
       core::Severity::kHigh,
       "ENV values are stored in the image configuration and ARG values in its build history: "
       "anyone who can pull the image can read them.",
       "Use a build secret: `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` (build "
       "with `--secret id=npm_token,env=NPM_TOKEN`); pass runtime secrets when the container "
       "starts, or point at a file (`*_FILE=/run/secrets/...`).",
       [] {
         auto a = trivy("0031");
         a.insert(a.begin(), "DL3064");
         a.push_back("SecretsUsedInArgOrEnv");
         return a;
       }(),
       {hadolint_url("DL3064"),
        "https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/"},
       1},
      [](const LintInput& input, IssueSink& out) {
        for (const Instruction* ins : flat_all(input)) {
          if (ins->keyword == "arg") {
            for (const auto& a : ins->args) {
              std::string name = a.substr(0, a.find('='));
              std::string why = secret_name_reason(name);
              if (!why.empty()) {
                out.report(*ins, "ARG " + name + ": the name suggests a secret ('" + why +
                                     "'); build arguments are recorded in the image history");
              }
            }
          } else if (ins->keyword == "env") {
            for (std::size_t i = 0; i < ins->args.size(); i += 3) {
              std::string why = secret_name_reason(ins->args[i]);
              if (!why.empty()) {
                out.report(*ins, "ENV " + ins->args[i] + ": the name suggests a secret ('" + why +
                                     "'); ENV values are stored in the image configuration");
              }
            }
          }
        }
      });

  add(registry,
      {"MTR-DF-502",
       "Do not copy key or credential files into the image",
       core::Severity::kHigh,
       "A private key or credentials file copied into a layer stays there even if a later "
       "instruction deletes it; anyone with the image has it.",
       "Mount it only for the step that needs it: `RUN --mount=type=secret,id=npmrc,"
       "target=/root/.npmrc npm ci` or `RUN --mount=type=ssh git clone ...`; add the file to "
       ".dockerignore.",
       {},
       {"https://docs.docker.com/build/building/secrets/"},
       1},
      [](const LintInput& input, IssueSink& out) {
        for (const Instruction* ins : flat_all(input)) {
          if (ins->keyword != "copy" && ins->keyword != "add") continue;
          if (ins->args.size() < 2) continue;
          for (std::size_t i = 0; i + 1 < ins->args.size(); ++i) {
            std::string src = ins->json ? ins->args[i] : strip_quotes(ins->args[i]);
            if (starts_with(src, "<<") || contains(src, "://")) continue;
            std::string kind = secret_file_kind(src);
            if (kind.empty()) continue;
            Issue issue{ins, ins->keyword + " of '" + src + "': " + kind + " in a layer", {}};
            if (i < ins->arg_positions.size() && ins->arg_positions[i].line != 0) {
              issue.span.begin = ins->arg_positions[i];
              issue.span.end = Position{ins->arg_positions[i].line,
                                        ins->arg_positions[i].column +
                                            static_cast<std::uint32_t>(ins->args[i].size()) - 1};
            }
            out.report(std::move(issue));
          }
        }
      });

  add(registry,
      {"MTR-DF-503",
       "Do not put credentials on RUN command lines",
       core::Severity::kHigh,
       "A RUN command line is stored verbatim in the image history, and files it writes stay in "
       "the layer: a password or token there is published with the image.",
       "Use a build secret: `RUN --mount=type=secret,id=token,env=TOKEN curl -H \"Authorization: "
       "Bearer $TOKEN\" ...` or `--mount=type=secret,id=npmrc,target=/root/.npmrc`.",
       {"CKV2_DOCKER_17"},
       {"https://docs.docker.com/build/building/secrets/"},
       1},
      [](const LintInput& input, IssueSink& out) {
        static const std::set<std::string_view> kSecretOptions = {
            "--password", "--passwd",       "--token",      "--api-key",       "--apikey",
            "--secret",   "--access-token", "--auth-token", "--client-secret", "--pass"};
        for (const Run& run : runs(input)) {
          const auto& cmds = commands(input, *run.ins);
          bool mounted_secret = false;
          for (const auto& f : run.ins->flags) {
            if (contains(lower(f), "type=secret")) mounted_secret = true;
          }
          for (std::size_t i = 0; i < cmds.size(); ++i) {
            const Cmd& c = cmds[i];
            std::string what;
            std::string value;
            for (std::size_t k = 0; k < c.args.size() && what.empty(); ++k) {
              const std::string& a = c.args[k];
              std::string pw = url_password(a);
              if (!pw.empty() && !is_variable(pw)) {
                what = "a URL with user:password";
                value = pw;
                break;
              }
              if (c.program == "curl" && (a == "-u" || a == "--user") && k + 1 < c.args.size()) {
                const std::string& cred = c.args[k + 1];
                auto colon = cred.find(':');
                if (colon != std::string::npos && colon + 1 < cred.size() &&
                    !is_variable(cred.substr(colon + 1))) {
                  what = "curl " + a + " user:password";
                  value = cred.substr(colon + 1);
                }
                continue;
              }
              auto eq = a.find('=');
              std::string opt = a.substr(0, eq);
              if (kSecretOptions.count(opt) != 0) {
                std::string v = eq != std::string::npos
                                    ? a.substr(eq + 1)
                                    : (k + 1 < c.args.size() ? c.args[k + 1] : std::string());
                if (!v.empty() && !is_variable(v) && !starts_with(v, "-") && !starts_with(v, "/")) {
                  what = c.program + " " + opt;
                  value = v;
                }
                continue;
              }
              if ((c.program == "mysql" || c.program == "mariadb" || c.program == "mysqladmin" ||
                   c.program == "mysqldump") &&
                  starts_with(a, "-p") && a.size() > 2 && !is_variable(a.substr(2))) {
                what = c.program + " -p<password>";
                value = a.substr(2);
              }
              if (c.program == "sshpass" && a == "-p" && k + 1 < c.args.size() &&
                  !is_variable(c.args[k + 1])) {
                what = "sshpass -p";
                value = c.args[k + 1];
              }
            }
            // chpasswd bakes a password into /etc/shadow of the image; `echo "root:secret" |
            // chpasswd` also records it in the history.
            if (what.empty() && c.program == "chpasswd") {
              what = "chpasswd (a password set inside the image)";
              if (i > 0 && cmds[i - 1].source->next == Connector::kPipe &&
                  (cmds[i - 1].program == "echo" || cmds[i - 1].program == "printf")) {
                for (const auto& a : cmds[i - 1].args) {
                  auto colon = a.find(':');
                  if (colon != std::string::npos && colon + 1 < a.size() &&
                      !is_variable(a.substr(colon + 1))) {
                    value = a.substr(colon + 1);
                  }
                }
              }
            }
            // `echo "//registry.npmjs.org/:_authToken=$TOKEN" > ~/.npmrc`: the file stays.
            if (what.empty() && !mounted_secret &&
                (c.program == "echo" || c.program == "printf" || c.program == "cat")) {
              for (const auto& r : c.source->redirects) {
                if (!credential_target(r)) continue;
                what = c.program + " into " + r;
                for (const auto& a : c.args) {
                  auto eq = a.rfind('=');
                  if (eq != std::string::npos) value = a.substr(eq + 1);
                }
                if (value.empty() && !c.args.empty()) value = c.args.back();
              }
            }
            if (what.empty()) continue;
            std::string msg = what + " on the RUN line";
            if (!value.empty()) msg += " (value " + masked(value) + ")";
            out.report(*run.ins, msg);
          }
        }
      });

  add(registry,
      {"MTR-DF-504",
       "Do not hard-code credentials in the Dockerfile",
       core::Severity::kCritical,
       "A credential written into the Dockerfile ends up in the image (config, history or a "
       "layer) and in source control.",
       "Remove and rotate the credential; pass it with `RUN --mount=type=secret,id=...` at build "
       "time or at run time.",
       {},
       {"https://docs.docker.com/build/building/secrets/"},
       1},
      [](const LintInput& input, IssueSink& out) {
        // One scan of all instructions (a scan has a fixed cost); each instruction's text
        // starts on a known line of the buffer, so a match maps back to its instruction.
        const auto& all = flat_all(input);
        std::string text;
        std::vector<std::uint64_t> first_line;  // buffer line where instruction i starts
        std::uint64_t line = 1;
        for (const Instruction* ins : all) {
          first_line.push_back(line);
          auto append = [&](std::string_view part) {
            text += part;
            if (part.empty() || part.back() != '\n') text += '\n';
            line += static_cast<std::uint64_t>(std::count(part.begin(), part.end(), '\n')) +
                    (part.empty() || part.back() != '\n' ? 1 : 0);
          };
          append(ins->original);
          for (const auto& h : ins->heredocs) append(h.content);
        }
        if (!may_hold_secret(text)) return;
        const secrets::Scanner* scanner = engine();
        for (const auto& m : scanner->scan(input.file().path, text)) {
          auto it = std::upper_bound(first_line.begin(), first_line.end(), m.line);
          if (it == first_line.begin()) continue;
          const Instruction* ins = all[static_cast<std::size_t>(it - first_line.begin() - 1)];
          const secrets::Rule* rule = scanner->find(m.rule_id);
          std::string title = rule != nullptr ? rule->title : m.rule_id;
          out.report(*ins, title + " in " + ins->keyword + ": " + m.evidence);
        }
      });
}

}  // namespace mtr::dockerfile::rules::shell
