// The built-in secret rules, as one table. Order matters: when two rules find the same secret
// the one earlier in the table is reported, so vendor-specific rules come first and the
// generic assignment rules last. Every rule has true- and false-positive cases under
// tests/secrets/cases/<rule-id>/.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "secrets/rule.h"

namespace mtr::secrets {
namespace {

using core::Severity;

// Standard or URL-safe base64, padding optional, no whitespace. Nullopt on any other byte.
std::optional<std::string> decode_base64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    unsigned v = 0;
    if (c >= 'A' && c <= 'Z') {
      v = static_cast<unsigned>(c - 'A');
    } else if (c >= 'a' && c <= 'z') {
      v = static_cast<unsigned>(c - 'a') + 26;
    } else if (c >= '0' && c <= '9') {
      v = static_cast<unsigned>(c - '0') + 52;
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    } else {
      return std::nullopt;
    }
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xffu);
    }
  }
  return out;
}

bool printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f;
  });
}

// A JWT's header base64url-decodes to a JSON object naming a signing algorithm ("none" is not
// a credential: anyone can forge such a token).
bool valid_jwt(std::string_view secret, std::string_view) {
  auto header = decode_base64(secret.substr(0, secret.find('.')));
  if (!header) return false;
  auto json = nlohmann::json::parse(*header, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return false;
  auto alg = json.find("alg");
  return alg != json.end() && alg->is_string() && alg->get<std::string>() != "none" &&
         !alg->get<std::string>().empty();
}

bool valid_key_body(std::string_view secret, std::string_view);

// The match is one flat JSON object: it must be a service-account key holding a PEM key whose
// body is a key, not "YOUR_PRIVATE_KEY".
bool valid_gcp_service_account(std::string_view, std::string_view match) {
  auto json = nlohmann::json::parse(match, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return false;
  auto type = json.find("type");
  auto key = json.find("private_key");
  if (type == json.end() || !type->is_string() || type->get<std::string>() != "service_account" ||
      key == json.end() || !key->is_string()) {
    return false;
  }
  const std::string pem = key->get<std::string>();
  const auto begin = pem.find("PRIVATE KEY-----");
  const auto end = pem.find("-----END");
  if (begin == std::string::npos || end == std::string::npos || end < begin) return false;
  const auto body_begin = begin + std::string_view("PRIVATE KEY-----").size();
  return valid_key_body(std::string_view(pem).substr(body_begin, end - body_begin), {});
}

// A Docker config "auth" value is base64("user:password") with both parts present.
bool valid_docker_auth(std::string_view secret, std::string_view) {
  auto decoded = decode_base64(secret);
  if (!decoded || !printable_ascii(*decoded)) return false;
  auto colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == decoded->size()) return false;
  std::string pass = decoded->substr(colon + 1);
  static constexpr std::array<std::string_view, 6> kPlaceholders = {
      "password", "pass", "secret", "token", "changeme", "<password>"};
  return std::find(kPlaceholders.begin(), kPlaceholders.end(), pass) == kPlaceholders.end();
}

// A key body between BEGIN and END lines: every line (split at newlines or "\n" escapes,
// trimmed of indentation, quotes and string concatenation) is an armor header ("Proc-Type:
// 4,ENCRYPTED") or base64, and there is enough base64 to be a key. Rejects elided documentation
// examples ("MIIEow...") and code that names both the BEGIN and END lines.
bool valid_key_body(std::string_view secret, std::string_view) {
  if (secret.find("...") != std::string_view::npos) return false;
  std::string text(secret);
  for (std::size_t at = 0; (at = text.find('\\', at)) != std::string::npos;) {
    if (at + 1 < text.size() && (text[at + 1] == 'n' || text[at + 1] == 'r')) {
      text.replace(at, 2, "\n");
    } else {
      ++at;
    }
  }
  constexpr std::string_view kTrim = " \t\r\"'+,;";
  std::size_t base64 = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    auto first = line.find_first_not_of(kTrim);
    if (first == std::string_view::npos) continue;
    line = line.substr(first, line.find_last_not_of(kTrim) - first + 1);
    auto colon = line.find(':');
    bool header =
        colon != std::string_view::npos && colon > 0 &&
        std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
          return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
        });
    if (header) continue;
    for (char c : line) {
      bool b64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '+' || c == '/' || c == '=';
      if (!b64) return false;
    }
    base64 += line.size();
  }
  return base64 >= 48;
}

// Values that stand for a secret in documentation, templates and sample configuration.
constexpr char kPlaceholderWords[] =
    "(?i)^(?:true|false|null|nil|none|undefined|yes|no|on|off|required|optional|string|"
    "password|passwd|pass|pwd|secret|token|api_?key|changeme|change_?me|changeit|example|sample|"
    "dummy|test|testing|placeholder|redacted|hidden|masked|notasecret|empty|default|"
    "x+|\\*+|\\.+|-+|_+)$";
constexpr char kPlaceholderParts[] =
    "(?i)(?:change.?me|your[_-]?|example|placeholder|dummy|redacted|xxxxx|\\.\\.\\.|^<|>$|"
    "\\{\\{|\\}\\}|\\$\\{|\\bfake|replace|insert|secret_?here|token_?here|key_?here)";
// A value that is itself a name ("MYTOKEN1", "db_password_here"): [^=:\\s] keeps it from
// matching the whole "key = value" (or netrc "password value") match, which holds the key.
constexpr char kNameNotValue[] =
    "(?i)^[^=:\\s]*(?:pass(?:word|wd|phrase)|secret|token|api[_-]?key)[^=:\\s]*$";

// A base64 value that decodes to readable text naming itself a placeholder
// ("bm90IG15IHJlYWwgcGFzc3dvcmQ=" is "not my real password").
bool not_encoded_placeholder(std::string_view secret, std::string_view) {
  if (secret.size() < 12 || secret.size() % 4 != 0) return true;
  auto decoded = decode_base64(secret);
  if (!decoded || !printable_ascii(*decoded)) return true;
  std::string lower = *decoded;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view word :
       {"password", "example", "secret", "changeme", "not a real", "fake"}) {
    if (lower.find(word) != std::string::npos) return false;
  }
  return true;
}

// Designated initializers keep each rule readable as data; a field left out keeps its default
// from rule.h, which is what GCC's -Wmissing-field-initializers would complain about.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
std::vector<Rule> rule_table() {
  return {
      {
          .id = "gcp-service-account-key",
          .title = "Google Cloud service account key",
          .severity = Severity::kCritical,
          .why = "A service account key file lets its holder act as that service account on "
                 "Google Cloud until the key is deleted.",
          .keywords = {"service_account"},
          // One flat JSON object (service account keys have no nested objects), the key
          // captured; the validator parses the object.
          .regex = R"re(\{[^{}]*?"private_key"\s*:\s*"(-----BEGIN[^"]{64,}?)"[^{}]*\})re",
          .secret_group = 1,
          .validate = valid_gcp_service_account,
          .references = {"https://cloud.google.com/iam/docs/keys-create-delete"},
      },
      {
          .id = "aws-access-key-id",
          .title = "AWS access key ID",
          .severity = Severity::kCritical,
          .why = "An AWS access key ID names a long-lived (AKIA) or session (ASIA) credential "
                 "whose secret key is usually stored beside it.",
          .keywords = {"AKIA", "ASIA", "ABIA", "ACCA"},
          .regex = R"re(\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b)re",
          .secret_group = 1,
          .min_entropy = 3.0,
          .allow = {"EXAMPLE"},
          .references = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                         "security-creds-programmatic-access.html"},
      },
      {
          .id = "aws-secret-access-key",
          .title = "AWS secret access key",
          .severity = Severity::kCritical,
          .why = "With its access key ID, an AWS secret access key signs API requests as the "
                 "IAM user or role it belongs to.",
          .keywords = {"secret_access_key", "secretaccesskey", "secret-access-key", "aws_secret",
                       "aws-secret"},
          .regex = R"re((?i)(?:aws[_-]?secret(?:[_-]?access)?[_-]?key|secret[_-]?access[_-]?key|)re"
                   R"re(aws[_-]?secret)["']?[ \t]*(?:=|:=|:|=>)[ \t]*["']?([A-Za-z0-9/+]{40}))re"
                   R"re((?:[^A-Za-z0-9/+=]|\z))re",
          .secret_group = 1,
          .min_entropy = 4.0,
          .allow = {"EXAMPLEKEY"},
          .references = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                         "id_credentials_access-keys.html"},
      },
      {
          .id = "azure-storage-account-key",
          .title = "Azure storage account key",
          .severity = Severity::kCritical,
          .why = "A storage account key gives full read and write access to every blob, queue, "
                 "table and file share of the account.",
          .keywords = {"AccountKey", "storage_key", "storage_account_key", "storagekey",
                       "storage_access_key"},
          .regex =
              R"re((?i)(?:AccountKey|azure[_-]?storage[_-]?(?:account[_-]?)?(?:access[_-]?)?)re"
              R"re(key)["']?[ \t]*[:=][ \t]*["']?([A-Za-z0-9+/]{86}==))re",
          .secret_group = 1,
          .min_entropy = 4.5,
          .references = {"https://learn.microsoft.com/azure/storage/common/"
                         "storage-account-keys-manage"},
      },
      {
          .id = "azure-shared-access-key",
          .title = "Azure Service Bus / Event Hubs / IoT Hub shared access key",
          .severity = Severity::kHigh,
          .why = "A shared access key in a connection string signs tokens for the namespace or "
                 "hub with the rights of its policy (send, listen or manage).",
          .keywords = {"SharedAccessKey="},
          .regex = R"re((?i)SharedAccessKey[ \t]*=[ \t]*([A-Za-z0-9+/]{43}=))re",
          .secret_group = 1,
          .min_entropy = 4.0,
          .references = {"https://learn.microsoft.com/azure/service-bus-messaging/"
                         "service-bus-sas"},
      },
      {
          .id = "azure-sas-token",
          .title = "Azure shared access signature",
          .severity = Severity::kHigh,
          .why = "A shared access signature grants its permissions on Azure storage or a "
                 "messaging namespace to anyone holding it until it expires.",
          .keywords = {"sig="},
          .regex = R"re((?i)(?:SharedAccessSignature[= ]|[?&;]sv=[0-9]{4}-[0-9]{2}-[0-9]{2}&))re"
                   R"re([^\s"'<>]{0,600}?\bsig=([A-Za-z0-9%+/]{40,100}(?:=|%3D){0,2}))re",
          .secret_group = 1,
          .min_entropy = 3.8,
          .references = {"https://learn.microsoft.com/azure/storage/common/"
                         "storage-sas-overview"},
      },
      {
          .id = "github-token",
          .title = "GitHub token",
          .severity = Severity::kCritical,
          .why = "A GitHub personal, OAuth, app or refresh token acts on GitHub with its "
                 "owner's rights: reading private code, pushing, changing settings.",
          .keywords = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"},
          .regex = R"re(\b(gh[pousr]_[A-Za-z0-9]{36,251})\b)re",
          .secret_group = 1,
          .min_entropy = 3.5,
          .allow = {"(?i)0123456789|1234567890|abcdefghij|x{8}"},
          .references = {"https://github.blog/2021-04-05-behind-githubs-new-authentication-"
                         "token-formats/"},
      },
      {
          .id = "github-fine-grained-token",
          .title = "GitHub fine-grained personal access token",
          .severity = Severity::kCritical,
          .why = "A fine-grained personal access token acts on the repositories it was granted "
                 "with its owner's identity.",
          .keywords = {"github_pat_"},
          .regex = R"re(\b(github_pat_[A-Za-z0-9_]{82})\b)re",
          .secret_group = 1,
          .min_entropy = 3.5,
          .allow = {"(?i)0123456789|1234567890|abcdefghij|x{8}"},
          .references = {"https://docs.github.com/authentication/"
                         "keeping-your-account-and-data-secure/"
                         "managing-your-personal-access-tokens"},
      },
      {
          .id = "gitlab-token",
          .title = "GitLab token",
          .severity = Severity::kCritical,
          .why = "A GitLab personal, project, group, deploy, OAuth or trigger token acts on the "
                 "GitLab instance with the scopes it was given.",
          .keywords = {"glpat-", "gldt-", "glptt-", "glft-", "glimt-", "glagent-", "gloas-",
                       "glsoat-", "glffct-", "glcbt-"},
          .regex = R"re(\b((?:glpat|gldt|glptt|glft|glimt|glagent|gloas|glsoat|glffct|glcbt)-)re"
                   R"re([0-9A-Za-z_-]{20,}))re",
          .secret_group = 1,
          .min_entropy = 3.5,
          .allow = {"(?i)0123456789|1234567890|abcdefghij|x{8}"},
          .references = {"https://docs.gitlab.com/security/tokens/"},
      },
      {
          .id = "gitlab-runner-token",
          .title = "GitLab runner token",
          .severity = Severity::kHigh,
          .why = "A runner authentication or registration token lets its holder register a "
                 "runner and receive CI jobs, with their variables and secrets.",
          .keywords = {"glrt-", "GR1348941"},
          .regex = R"re(\b(glrt-[0-9A-Za-z_-]{20,}|GR1348941[0-9A-Za-z_-]{20,}))re",
          .secret_group = 1,
          .min_entropy = 3.5,
          .allow = {"(?i)0123456789|1234567890|abcdefghij|x{8}"},
          .references = {"https://docs.gitlab.com/security/tokens/#runner-authentication-tokens"},
      },
      {
          .id = "bitbucket-app-password",
          .title = "Bitbucket app password",
          .severity = Severity::kHigh,
          .why = "A Bitbucket app password authenticates Git and API calls as its user with the "
                 "permissions chosen when it was created.",
          .keywords = {"ATBB"},
          .regex = R"re(\b(ATBB[A-Za-z0-9_=.-]{28,64}))re",
          .secret_group = 1,
          .min_entropy = 3.5,
          .allow = {"(?i)0123456789|1234567890|abcdefghij|x{8}"},
          .references = {"https://support.atlassian.com/bitbucket-cloud/docs/"
                         "app-passwords/"},
      },
      {
          .id = "bitbucket-client-secret",
          .title = "Bitbucket OAuth consumer secret",
          .severity = Severity::kHigh,
          .why = "With its key, an OAuth consumer secret obtains access tokens for the "
                 "Bitbucket workspace that owns the consumer.",
          .keywords = {"bitbucket"},
          .regex =
              R"re((?i)bitbucket[a-z0-9_.-]{0,30}(?:client[_-]?secret|consumer[_-]?secret|)re"
              R"re(oauth[_-]?secret)["']?[ \t]*(?:=|:=|:|=>)[ \t]*["']?([A-Za-z0-9_-]{32,64}))re"
              R"re(\b)re",
          .secret_group = 1,
          .min_entropy = 3.5,
          .references = {"https://support.atlassian.com/bitbucket-cloud/docs/"
                         "use-oauth-on-bitbucket-cloud/"},
      },
      {
          .id = "slack-token",
          .title = "Slack token",
          .severity = Severity::kHigh,
          .why = "A Slack bot, user, app or refresh token reads and posts messages and files in "
                 "the workspace with the token's scopes.",
          .keywords = {"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxo-", "xoxs-", "xoxe", "xapp-"},
          .regex = R"re(\b((?:xox[abposr]|xoxe\.xox[bp]|xoxe)-[0-9]+-[0-9A-Za-z-]{16,}|)re"
                   R"re(xapp-[0-9]-[A-Z0-9]+-[0-9]+-[0-9a-f]{32,}))re",
          .secret_group = 1,
          .min_entropy = 3.5,
          .allow = {"(?i)123456789|abcdefghij|x{8}|your"},
          .references = {"https://api.slack.com/concepts/token-types"},
      },
      {
          .id = "slack-webhook-url",
          .title = "Slack incoming webhook URL",
          .severity = Severity::kMedium,
          .why = "Anyone holding an incoming webhook URL can post messages into its Slack "
                 "channel, for example convincing phishing links.",
          .keywords = {"hooks.slack.com"},
          .regex = R"re(hooks\.slack\.com/services/(T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/)re"
                   R"re([A-Za-z0-9]{20,32}))re",
          .secret_group = 1,
          .min_entropy = 3.5,
          .references = {"https://api.slack.com/messaging/webhooks"},
      },
      {
          .id = "stripe-secret-key",
          .title = "Stripe live secret or restricted key",
          .severity = Severity::kCritical,
          .why = "A live Stripe secret key moves real money: it creates charges, refunds and "
                 "payouts and reads customer data.",
          .keywords = {"sk_live_", "rk_live_"},
          .regex = R"re(\b((?:sk|rk)_live_[0-9A-Za-z]{24,247})\b)re",
          .secret_group = 1,
          .min_entropy = 3.5,
          .allow = {"(?i)0123456789|1234567890|abcdefghij|x{8}"},
          .references = {"https://docs.stripe.com/keys"},
      },
      {
          .id = "stripe-test-secret-key",
          .title = "Stripe test-mode secret key",
          .severity = Severity::kLow,
          .why = "A test-mode key reaches only the account's test data, but it names the "
                 "account and often sits beside the live key.",
          .keywords = {"sk_test_", "rk_test_"},
          .regex = R"re(\b((?:sk|rk)_test_[0-9A-Za-z]{24,247})\b)re",
          .secret_group = 1,
          .min_entropy = 3.5,
          .allow = {"(?i)0123456789|1234567890|abcdefghij|x{8}"},
          .references = {"https://docs.stripe.com/keys#test-live-modes"},
      },
      {
          .id = "twilio-auth-token",
          .title = "Twilio auth token",
          .severity = Severity::kHigh,
          .why = "With the account SID, a Twilio auth token controls the whole account: calls, "
                 "messages, numbers and billing.",
          .keywords = {"twilio"},
          .regex = R"re((?i)(?:(?:twilio[_-]?)?auth[_-]?token["']?[ \t]*(?:=|:=|:|=>)[ \t]*|)re"
                   R"re(\bAC[0-9a-f]{32}["']?[ \t]*[:,][ \t]*)["']?([0-9a-f]{32})\b)re",
          .secret_group = 1,
          .min_entropy = 3.0,
          .allow = {"(?i)0123456789|1234567890|abcdef0123"},
          .references = {"https://www.twilio.com/docs/iam/api/authtoken"},
      },
      {
          .id = "twilio-api-key",
          .title = "Twilio API key",
          .severity = Severity::kHigh,
          .why = "A Twilio API key SID, with its secret stored beside it, calls the Twilio API "
                 "on the account's behalf.",
          .keywords = {"twilio"},
          .regex = R"re(\b(SK[0-9a-fA-F]{32})\b)re",
          .secret_group = 1,
          .min_entropy = 3.0,
          .allow = {"(?i)0123456789|1234567890|abcdef0123"},
          .references = {"https://www.twilio.com/docs/iam/api-keys"},
      },
      {
          .id = "sendgrid-api-key",
          .title = "SendGrid API key",
          .severity = Severity::kHigh,
          .why = "A SendGrid API key sends mail from the account's verified domains, a ready "
                 "tool for phishing.",
          .keywords = {"SG."},
          .regex = R"re(\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|\z))re",
          .secret_group = 1,
          .min_entropy = 4.0,
          .references = {"https://www.twilio.com/docs/sendgrid/ui/account-and-settings/"
                         "api-keys"},
      },
      {
          .id = "npm-token",
          .title = "npm access token",
          .severity = Severity::kHigh,
          .why = "An npm access token publishes packages as its user, the first step of a "
                 "supply-chain attack on everyone depending on them.",
          .keywords = {"npm_"},
          .regex = R"re(\b(npm_[A-Za-z0-9]{36})\b)re",
          .secret_group = 1,
          .min_entropy = 3.5,
          .allow = {"(?i)0123456789|1234567890|abcdefghij|x{8}"},
          .references = {"https://docs.npmjs.com/about-access-tokens"},
      },
      {
          .id = "pypi-token",
          .title = "PyPI upload token",
          .severity = Severity::kHigh,
          .why = "A PyPI API token uploads new releases of its user's (or one project's) "
                 "packages.",
          .keywords = {"pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"},
          .regex = R"re((pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}))re",
          .secret_group = 1,
          .min_entropy = 4.0,
          .references = {"https://pypi.org/help/#apitoken"},
      },
      {
          .id = "private-key",
          .title = "Private key (PEM or OpenSSH)",
          .severity = Severity::kCritical,
          .why = "A private key impersonates its owner: an SSH login, a TLS server, a signing "
                 "identity.",
          .keywords = {"PRIVATE KEY-----"},
          .regex = R"re(-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|ANY) )?PRIVATE KEY-----)re"
                   R"re(((?s:.){48,}?)-----END (?:[A-Z]+ )?PRIVATE KEY-----)re",
          .secret_group = 1,
          .min_entropy = 4.0,
          .validate = valid_key_body,
          .references = {"https://www.rfc-editor.org/rfc/rfc7468"},
      },
      {
          .id = "putty-private-key",
          .title = "PuTTY private key",
          .severity = Severity::kCritical,
          .why = "A PuTTY key file holds an SSH private key that logs in wherever its public "
                 "half is authorised.",
          .keywords = {"PuTTY-User-Key-File-"},
          .regex = R"re(PuTTY-User-Key-File-[0-9]+: [^\r\n]+(?s:.)*?Private-Lines: [0-9]+\r?\n)re"
                   R"re(([A-Za-z0-9+/=\r\n]{40,}?)\r?\nPrivate-(?:MAC|Hash): )re",
          .secret_group = 1,
          .min_entropy = 4.0,
          .validate = valid_key_body,
          .references = {"https://the.earth.li/~sgtatham/putty/0.78/htmldoc/AppendixC.html"},
      },
      {
          .id = "pgp-private-key",
          .title = "PGP private key block",
          .severity = Severity::kCritical,
          .why = "A PGP secret key signs and decrypts as its owner, for example signing "
                 "packages or releases.",
          .keywords = {"BEGIN PGP PRIVATE KEY BLOCK"},
          .regex = R"re(-----BEGIN PGP PRIVATE KEY BLOCK-----((?s:.){48,}?))re"
                   R"re(-----END PGP PRIVATE KEY BLOCK-----)re",
          .secret_group = 1,
          .min_entropy = 4.0,
          .validate = valid_key_body,
          .references = {"https://www.rfc-editor.org/rfc/rfc4880#section-6.2"},
      },
      {
          .id = "docker-config-auth",
          .title = "Docker registry credentials",
          .severity = Severity::kHigh,
          .why = "A Docker config \"auth\" entry is the registry user name and password, only "
                 "base64-encoded: it pulls and pushes images as that user.",
          .keywords = {"\"auth\""},
          .regex = R"re("auth"\s*:\s*"([A-Za-z0-9+/=]{8,})")re",
          .secret_group = 1,
          .validate = valid_docker_auth,
          .references = {"https://docs.docker.com/reference/cli/docker/login/"},
      },
      {
          .id = "jwt",
          .title = "JSON Web Token",
          .severity = Severity::kMedium,
          .why = "A signed JSON Web Token is a bearer credential: whoever holds it is its "
                 "subject until it expires, and some never do.",
          .keywords = {"eyJ"},
          .regex = R"re(\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}))re",
          .secret_group = 1,
          // PyJWT's README example ({"some": "payload"}).
          .allow = {"\\.eyJzb21lIjoicGF5bG9hZCJ9\\."},
          .validate = valid_jwt,
          .references = {"https://www.rfc-editor.org/rfc/rfc7519"},
      },
      {
          .id = "npmrc-auth",
          .title = "npm registry credential in .npmrc",
          .severity = Severity::kHigh,
          .why = "An _authToken, _auth or _password entry in .npmrc logs in to the registry, "
                 "usually with the right to publish.",
          .keywords = {"_auth", "_password"},
          .regex = R"re((?m)(?:^|:)[ \t]*(?:_authToken|_auth|_password)[ \t]*=[ \t]*["']?)re"
                   R"re(([A-Za-z0-9+/=_.-]{8,})["']?[ \t\r]*$)re",
          .secret_group = 1,
          .min_entropy = 3.0,
          .allow = {kPlaceholderWords, kPlaceholderParts, kNameNotValue},
          .references = {"https://docs.npmjs.com/cli/configuring-npm/npmrc#auth-related-"
                         "configuration"},
      },
      {
          .id = "url-credentials",
          .title = "Password in a URL",
          .severity = Severity::kHigh,
          .why = "A user name and password written into a URL (scheme://user:password@host) "
                 "log in to that service as that user.",
          .keywords = {"://"},
          .regex = R"re(\b[A-Za-z][A-Za-z0-9+.-]{1,30}://([^\s:@/?#"'<>\[\]{}\\$%`]{1,64}):)re"
                   R"re(([^\s@/?#"'<>\\`]{1,128})@[A-Za-z0-9_.-]*[A-Za-z0-9])re",
          .secret_group = 2,
          .allow =
              {
                  kPlaceholderWords,
                  kPlaceholderParts,
                  R"re(^[$%{\[*(])re",  // ${VAR}, $VAR, %s, {password}, [password], ****
                  kNameNotValue,
                  R"re(^[0-9]{1,5}$)re",  // a port number: "http://host:8080@..." is no password
                  R"re(^.{1,3}$)re",      // "https://a:b@host" in URL-parsing documentation
                  // A user name that is itself a placeholder.
                  R"re((?i)^[a-z0-9+.-]+://(?:user|username|myuser|someuser|login|name|foo|me|)re"
                  R"re(john|jdoe|johndoe|alice|bob):)re",
                  R"re((?i)^(?:p(?:a|@)ssw(?:o|0)rd|my[_-]?pass(?:word)?|pw|foo|bar|baz|qux|abc|)re"
                  R"re(abc123|123456|1234|secret123|s3cr3t|hunter2|letmein|admin|root|guest|user|)re"
                  R"re(username|anonymous|xyzzy|plugh)$)re",
                  R"re((?i)@(?:[a-z0-9-]+\.)*example\.(?:com|org|net)$)re",
                  R"re((?i)@(?:host|hostname|domain|server\.com|[a-z]+\.invalid)$)re",
              },
          .references = {"https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1"},
      },
      {
          .id = "netrc-password",
          .title = "Password in .netrc",
          .severity = Severity::kHigh,
          .why = "A .netrc password logs curl, git, ftp and pip in to the named machine without "
                 "asking.",
          .keywords = {"password"},
          .regex = R"re(\bpassword[ \t\r\n]+([^\s]+))re",
          .secret_group = 1,
          .path = R"re((?:^|/)[._]netrc$)re",
          // Anonymous FTP logs in with an e-mail address as the password.
          .allow = {kPlaceholderWords, kPlaceholderParts, kNameNotValue,
                    R"re(^[^@\s]+@[^@\s]+$)re"},
          .references = {"https://everything.curl.dev/usingcurl/netrc.html"},
      },
      {
          .id = "pgpass-password",
          .title = "Password in .pgpass",
          .severity = Severity::kHigh,
          .why = "A .pgpass line logs psql and libpq clients in to the PostgreSQL server it "
                 "names.",
          .keywords = {},
          .regex =
              R"re((?m)^[ \t]*(?:[^#:\r\n\\ \t]|\\.)(?:[^:\r\n\\]|\\.)*:(?:[^:\r\n\\]|\\.)*:)re"
              R"re((?:[^:\r\n\\]|\\.)*:(?:[^:\r\n\\]|\\.)*:([^\r\n]+))re",
          .secret_group = 1,
          .path = R"re((?:^|/)\.pgpass$)re",
          .allow = {kPlaceholderWords, kPlaceholderParts, kNameNotValue, R"re(^[$%{\[])re"},
          .references = {"https://www.postgresql.org/docs/current/libpq-pgpass.html"},
      },
      {
          .id = "dotenv-secret",
          .title = "Secret in a .env file",
          .severity = Severity::kHigh,
          .why = "A .env file's password, token or key variables are the application's live "
                 "credentials, loaded into its environment at start.",
          .keywords = {},
          .regex = R"re((?m)^[ \t]*(?:export[ \t]+)?([A-Za-z0-9_.]*(?i:PASSWORD|PASSWD|PASS|PWD|)re"
                   R"re(SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH_?KEY|SECRET_?KEY|)re"
                   R"re(CREDENTIALS?))[ \t]*=[ \t]*["']?([^\s"'#$`][^\s"'#`]*))re",
          .secret_group = 2,
          .min_entropy = 2.5,
          .path = R"re((?:^|/)(?:\.env(?:\.(?:local|dev|development|prod|production|staging|)re"
                  R"re(stage|test|ci|docker|live))*|\.envrc)$)re",
          .allow = {kPlaceholderWords, kPlaceholderParts, kNameNotValue, R"re(^[0-9]+[smhdw]?$)re",
                    R"re(^[a-z][a-z0-9+.-]*://[^:@]*$)re"},
          .references = {"https://12factor.net/config"},
      },
      {
          .id = "generic-secret-assignment",
          .title = "Hard-coded password, secret, token or API key",
          .severity = Severity::kMedium,
          .why = "A password, secret, token or API key written as a literal value is readable "
                 "by anyone who can pull the image.",
          .keywords = {"password", "passwd", "passphrase", "secret", "token", "api_key", "apikey",
                       "api-key", "access_key", "access-key", "auth_key"},
          .regex =
              R"re((?im)(?:^|[^a-z0-9_.-])((?:[a-z0-9_]+[ \t])?[a-z0-9_.-]{0,40}(?:password|passwd|passphrase|)re"
              R"re(secret|secret[_-]?key|token|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|)re"
              R"re(private[_-]?key))["']?[ \t]*(?:=|:=|:|=>)[ \t]*["']?)re"
              // The value ends at a quote (a string literal) or at the end of the line (a config
              // file's "password = value"); an unquoted value followed by more code is an
              // expression or a type ("FToken: TToken;", "token=abc&state=x").
              R"re(([A-Za-z0-9!#&*+./?@^_~|-][A-Za-z0-9!#&*+./=?@^_~|-]{7,127}))re"
              R"re((?:["']|[ \t\r]*$|[ \t]+#))re",
          .secret_group = 2,
          .min_entropy = 3.0,
          .allow =
              {
                  kPlaceholderWords,
                  kPlaceholderParts,
                  kNameNotValue,
                  R"re(^[A-Za-z_]+[.:]?$)re",  // letters only: a name ("token = nextchar")
                  R"re(^[0-9]+$)re",
                  R"re(^\.{0,2}/)re",                                              // file paths
                  R"re(^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$)re",  // a.b.c
                  R"re(^[a-z]+(?:_[a-z0-9]+)+$)re",                                // snake_case
                  R"re(^[a-z]+(?:-[a-z0-9]+)+$)re",        // kebab-case: "passwd: setuid-binary"
                                                           // (lintian)
                  R"re(^[a-z]+(?:[A-Z][a-z0-9]*)+$)re",    // camelCase
                  R"re(^[A-Z]+(?:_[A-Z0-9]+)+$)re",        // CONSTANT_NAME
                  R"re(^-?0[xX][0-9a-fA-F]+$)re",          // a number: "SIOCGLIFTOKEN = 0xc0106980"
                  R"re(^[a-z]+(?:[-/][a-z0-9]+)+$)re",     // "auth-request-type/at"
                  R"re(^[a-z0-9-]+(?:\.[a-z0-9-]+)+$)re",  // a host name
                  // Pagination cursors and .NET assembly identities are not credentials.
                  R"re((?i)(?:page|next|continuation|cursor)[ _-]?token)re",
                  R"re((?i)PublicKeyToken=)re",
              },
          .validate = not_encoded_placeholder,
          .references = {"https://cwe.mitre.org/data/definitions/798.html"},
      },
  };
}

}  // namespace

RuleSet builtin_rules() {
  RuleSet set;
  set.rules = rule_table();
  // Values vendors print in their public documentation: whatever rule sees them (a Stripe
  // docs key is also a "secret_key = ..." assignment), they are not anyone's secret.
  set.allow.push_back({
      .id = "documented-examples",
      .description = "example credentials published in vendor documentation",
      .regex = "^(?:"
               // Stripe API reference test keys.
               "sk_test_4eC39HqLyjWDarjtT1zdp7dc|sk_test_BQokikJOvBiI2HlWgH4olfQ2|"
               // Azurite / storage emulator account key (devstoreaccount1).
               "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/"
               "KBHBeksoGMGw==|"
               // jwt.io's example token.
               "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\\.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4g"
               "RG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ\\.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
               ")$",
  });
  // Example files a Debian package installs for its documentation (libxmlsec1-dev ships
  // examples/rsakey.pem): only directories named examples directly under a package's doc dir.
  set.allow.push_back({
      .id = "debian-doc-examples",
      .description = "example files under /usr/share/doc/<package>/examples/",
      .path = "^/usr/share/doc/[^/]+/examples?/",
  });
  // oauthlib's and requests-oauthlib's docstrings walk through RFC 5849 and RFC 6749 exchanges
  // with made-up tokens ("access_token=h480djs93hd8") that look like any other token.
  set.allow.push_back({
      .id = "oauthlib-docstrings",
      .description = "example tokens in oauthlib's and requests-oauthlib's docstrings",
      .rule = "generic-secret-assignment",
      .path = "/(?:requests_)?oauthlib/(?:oauth[12]/|oauth1_session\\.py$)",
  });
  // Test fixtures that upstream projects ship inside installed packages and toolchains
  // (urllib3's dummyserver keys, Go's crypto/tls testdata, CPython's test suite). Only test
  // directories below a third-party package root: the image's own /app/tests/ is still scanned.
  set.allow.push_back({
      .id = "vendored-test-fixtures",
      .description = "test data inside installed third-party packages and language toolchains",
      .path = "/(?:site-packages|dist-packages|node_modules|third_party|vendor|vendored)/"
              "(?:[^/]+/)*(?:(?:tests?|testdata|testing|fixtures|test_data|dummyserver)/|"
              "[^/]*[._-]?(?:test|tests|spec)\\.(?:js|mjs|cjs|ts|py|rb)$)|"
              "^/usr/(?:local/go|lib/go[^/]*|share/go[^/]*)/src/(?:.*/testdata/|.*_test\\.go$)|"
              "^/usr(?:/local)?/lib/python[0-9.]+/test/",
  });
  // botocore's and the JavaScript AWS SDK's service models document every API with example
  // values, SAS URLs included.
  set.allow.push_back({
      .id = "botocore-service-models",
      .description = "API models and their documentation examples in botocore/data",
      .path = "/botocore/data/.*\\.json$",
  });
  set.allow.push_back({
      .id = "aws-sdk-js-service-models",
      .description = "API models, examples and typings of the AWS SDK for JavaScript",
      .path = "/node_modules/aws-sdk/(?:apis/[^/]+\\.json|clients/[^/]+\\.d\\.ts)$",
  });
  // A third-party package's documentation and type declarations show how to pass a password
  // ("password: 'secret'"); the generic rule is a heuristic, so it stays out of them. The
  // vendor-specific rules still run there.
  set.allow.push_back({
      .id = "third-party-docs",
      .description = "READMEs, docs and type declarations inside installed packages",
      .rule = "generic-secret-assignment",
      .path = "/(?:site-packages|dist-packages|node_modules|gems|vendor)/(?:[^/]+/)*"
              "[^/]*\\.(?:md|markdown|rst|txt|d\\.ts|rbs)$",
  });
  return set;
}
#pragma GCC diagnostic pop

}  // namespace mtr::secrets
