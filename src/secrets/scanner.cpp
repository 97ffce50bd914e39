#include "secrets/scanner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <hs/hs.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>

#include "core/hash.h"

namespace mtr::secrets {
namespace {

using core::ErrorCode;

constexpr std::size_t kBinaryProbeBytes = 8 << 10;
constexpr std::size_t kEvidenceContext = 60;  // characters kept either side of the secret
constexpr std::size_t kMaxEvidence = 160;
constexpr std::int64_t kRegexMaxMem = 32 << 20;  // per compiled pattern

RE2::Options regex_options() {
  RE2::Options o;
  // Files are bytes, not UTF-8: Latin-1 lets `.` and classes match any byte without
  // rejecting invalid sequences.
  o.set_encoding(RE2::Options::EncodingLatin1);
  o.set_log_errors(false);
  o.set_max_mem(kRegexMaxMem);
  return o;
}

core::Result<std::unique_ptr<RE2>> compile_regex(const std::string& pattern,
                                                 std::string_view what) {
  auto re = std::make_unique<RE2>(pattern, regex_options());
  if (!re->ok()) {
    return core::fail(ErrorCode::kInvalidInput, fmt::format("{}: bad regular expression '{}': {}",
                                                            what, pattern, re->error()));
  }
  return re;
}

core::Result<std::vector<std::unique_ptr<RE2>>> compile_all(const std::vector<std::string>& list,
                                                            std::string_view what) {
  std::vector<std::unique_ptr<RE2>> out;
  for (const auto& p : list) out.push_back(MTR_TRY(compile_regex(p, what)));
  return out;
}

bool any_match(const std::vector<std::unique_ptr<RE2>>& list, std::string_view text) {
  return std::any_of(list.begin(), list.end(),
                     [&](const auto& re) { return RE2::PartialMatch(text, *re); });
}

struct CompiledRule {
  Rule rule;
  std::unique_ptr<RE2> regex;
  std::unique_ptr<RE2> path;  // null: every path
  std::vector<std::unique_ptr<RE2>> allow;
  int groups = 1;
};

struct CompiledAllow {
  AllowRule allow;
  std::unique_ptr<RE2> path;
  std::unique_ptr<RE2> regex;
};

// One candidate before evidence is written: offsets into the scanned text.
struct Candidate {
  std::size_t rule;
  std::size_t match_begin;
  std::size_t secret_begin, secret_end;
};

// Byte offsets of line starts, built only for files that have a finding.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (const char* p = text.data(); p < text.data() + text.size();) {
      const void* nl =
          std::memchr(p, '\n', static_cast<std::size_t>(text.data() + text.size() - p));
      if (nl == nullptr) break;
      p = static_cast<const char*>(nl) + 1;
      starts_.push_back(static_cast<std::size_t>(p - text.data()));
    }
  }
  std::size_t line_of(std::size_t offset) const {
    return static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), offset) -
                                    starts_.begin());  // 1-based
  }
  std::size_t begin(std::size_t line) const { return starts_[line - 1]; }
  std::size_t end(std::size_t line) const {
    std::size_t e = line < starts_.size() ? starts_[line] - 1 : text_.size();
    if (e > begin(line) && text_[e - 1] == '\r') --e;
    return e;
  }

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;
};

char printable(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u >= 0x20 && u < 0x7f) || c == '\t' ? c : '.';
}

}  // namespace

double shannon_entropy(std::string_view text) {
  if (text.empty()) return 0;
  std::array<std::size_t, 256> counts{};
  for (char c : text) ++counts[static_cast<unsigned char>(c)];
  double h = 0;
  const double n = static_cast<double>(text.size());
  for (auto c : counts) {
    if (c == 0) continue;
    double p = static_cast<double>(c) / n;
    h -= p * std::log2(p);
  }
  return h;
}

std::string mask(std::string_view secret) {
  constexpr std::size_t kKeep = 4, kKeepFrom = 20, kMaxLength = 40;
  std::size_t keep = secret.size() >= kKeepFrom ? kKeep : 0;
  std::string out;
  for (std::size_t i = 0; i < keep; ++i) out += printable(secret[i]);
  out.append(std::min(secret.size(), kMaxLength) - keep, '*');
  return out;
}

bool looks_binary(std::string_view head) {
  return std::memchr(head.data(), '\0', std::min(head.size(), kBinaryProbeBytes)) != nullptr;
}

struct Scanner::Impl {
  ScannerOptions options;
  std::vector<CompiledRule> rules;
  std::vector<CompiledAllow> allow;
  std::vector<std::vector<std::size_t>> keyword_rules;  // keyword id → rules
  std::vector<std::size_t> keywordless;                 // rules run on every admitted path
  hs_database_t* db = nullptr;
  hs_scratch_t* prototype = nullptr;
  mutable std::mutex pool_mutex;
  mutable std::vector<hs_scratch_t*> pool;
  std::string fingerprint;
  std::vector<Rule> rule_list;

  ~Impl() {
    for (auto* s : pool) hs_free_scratch(s);
    if (prototype != nullptr) hs_free_scratch(prototype);
    if (db != nullptr) hs_free_database(db);
  }

  hs_scratch_t* acquire() const {
    {
      std::lock_guard lock(pool_mutex);
      if (!pool.empty()) {
        auto* s = pool.back();
        pool.pop_back();
        return s;
      }
    }
    hs_scratch_t* s = nullptr;
    if (hs_clone_scratch(prototype, &s) != HS_SUCCESS) return nullptr;
    return s;
  }
  void release(hs_scratch_t* s) const {
    std::lock_guard lock(pool_mutex);
    pool.push_back(s);
  }

  bool allowed(const CompiledRule& r, std::string_view path, std::string_view secret,
               std::string_view match) const {
    if (any_match(r.allow, secret) || (match != secret && any_match(r.allow, match))) return true;
    for (const auto& a : allow) {
      if (!a.allow.rule.empty() && a.allow.rule != r.rule.id) continue;
      if (a.path && !RE2::PartialMatch(path, *a.path)) continue;
      if (a.regex && !RE2::PartialMatch(secret, *a.regex) && !RE2::PartialMatch(match, *a.regex)) {
        continue;
      }
      return true;
    }
    return false;
  }

  void run_rule(std::size_t index, std::string_view path, std::string_view text,
                std::vector<Candidate>& out) const {
    const auto& r = rules[index];
    if (r.path && !RE2::PartialMatch(path, *r.path)) return;
    std::vector<re2::StringPiece> groups(static_cast<std::size_t>(r.groups));
    std::size_t pos = 0;
    while (pos <= text.size() && out.size() < options.max_matches_per_file * 4) {
      if (!r.regex->Match(text, pos, text.size(), RE2::UNANCHORED, groups.data(), r.groups)) {
        break;
      }
      std::string_view whole(groups[0].data(), groups[0].size());
      std::string_view secret = whole;
      if (r.rule.secret_group > 0 && r.rule.secret_group < r.groups &&
          groups[static_cast<std::size_t>(r.rule.secret_group)].data() != nullptr) {
        const auto& g = groups[static_cast<std::size_t>(r.rule.secret_group)];
        secret = std::string_view(g.data(), g.size());
      }
      std::size_t match_begin = static_cast<std::size_t>(whole.data() - text.data());
      pos = match_begin + std::max<std::size_t>(1, whole.size());
      if (secret.empty()) continue;
      if (r.rule.min_entropy > 0 && shannon_entropy(secret) < r.rule.min_entropy) continue;
      if (allowed(r, path, secret, whole)) continue;
      if (r.rule.validate && !r.rule.validate(secret, whole)) continue;
      auto secret_begin = static_cast<std::size_t>(secret.data() - text.data());
      out.push_back({index, match_begin, secret_begin, secret_begin + secret.size()});
    }
  }
};

Scanner::Scanner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Scanner::~Scanner() = default;

core::Result<std::unique_ptr<Scanner>> Scanner::compile(RuleSet set, ScannerOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  core::Sha256 print;
  print.update(fmt::format("opts {} {} {}|", options.max_file_bytes, options.scan_binary,
                           options.max_matches_per_file));

  std::map<std::string, std::size_t> keyword_ids;  // lower-cased keyword → id
  std::vector<std::string> keywords;
  for (auto& rule : set.rules) {
    if (rule.id.empty()) return core::fail(ErrorCode::kInvalidInput, "a secret rule has no id");
    if (std::any_of(impl->rules.begin(), impl->rules.end(),
                    [&](const CompiledRule& c) { return c.rule.id == rule.id; })) {
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("secret rule '{}' is defined twice", rule.id));
    }
    const std::string what = fmt::format("secret rule '{}'", rule.id);
    CompiledRule c;
    c.regex = MTR_TRY(compile_regex(rule.regex, what));
    c.groups = c.regex->NumberOfCapturingGroups() + 1;
    if (rule.secret_group < 0 || rule.secret_group >= c.groups) {
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("{}: secret group {} does not exist in '{}'", what,
                                    rule.secret_group, rule.regex));
    }
    if (!rule.path.empty()) c.path = MTR_TRY(compile_regex(rule.path, what + " path"));
    c.allow = MTR_TRY(compile_all(rule.allow, what + " allow"));
    if (rule.keywords.empty() && rule.path.empty()) {
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("{}: needs keywords or a path (else its regular expression "
                                    "would run on every file)",
                                    what));
    }
    const std::size_t index = impl->rules.size();
    if (rule.keywords.empty()) impl->keywordless.push_back(index);
    for (const auto& k : rule.keywords) {
      if (k.empty()) return core::fail(ErrorCode::kInvalidInput, what + ": empty keyword");
      std::string lower = k;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      auto [it, fresh] = keyword_ids.emplace(lower, keywords.size());
      if (fresh) {
        keywords.push_back(lower);
        impl->keyword_rules.emplace_back();
      }
      auto& owners = impl->keyword_rules[it->second];
      if (owners.empty() || owners.back() != index) owners.push_back(index);
    }
    print.update(fmt::format("rule {}|{}|{}|{}|{}|{}|{}|", rule.id, rule.regex, rule.secret_group,
                             rule.min_entropy, rule.path, fmt::join(rule.keywords, ","),
                             fmt::join(rule.allow, ",")));
    c.rule = std::move(rule);
    impl->rules.push_back(std::move(c));
  }
  for (auto& a : set.allow) {
    const std::string what = fmt::format("secret allow rule '{}'", a.id);
    CompiledAllow c;
    if (!a.path.empty()) c.path = MTR_TRY(compile_regex(a.path, what + " path"));
    if (!a.regex.empty()) c.regex = MTR_TRY(compile_regex(a.regex, what));
    if (!c.path && !c.regex) {
      return core::fail(ErrorCode::kInvalidInput, what + ": needs a path or a regex");
    }
    print.update(fmt::format("allow {}|{}|{}|", a.rule, a.path, a.regex));
    c.allow = std::move(a);
    impl->allow.push_back(std::move(c));
  }

  if (!keywords.empty()) {
    std::vector<const char*> exprs;
    std::vector<std::size_t> lens;
    std::vector<unsigned> flags(keywords.size(), HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH);
    std::vector<unsigned> ids;
    for (std::size_t i = 0; i < keywords.size(); ++i) {
      exprs.push_back(keywords[i].c_str());
      lens.push_back(keywords[i].size());
      ids.push_back(static_cast<unsigned>(i));
    }
    hs_compile_error_t* error = nullptr;
    if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                             static_cast<unsigned>(keywords.size()), HS_MODE_BLOCK, nullptr,
                             &impl->db, &error) != HS_SUCCESS) {
      std::string msg = error != nullptr && error->message != nullptr ? error->message : "?";
      hs_free_compile_error(error);
      return core::fail(ErrorCode::kInternal,
                        fmt::format("cannot compile the secret keywords: {}", msg));
    }
    if (hs_alloc_scratch(impl->db, &impl->prototype) != HS_SUCCESS) {
      return core::fail(ErrorCode::kInternal, "cannot allocate vectorscan scratch space");
    }
  }
  impl->fingerprint = print.finish_digest().substr(7, 16);
  for (const auto& r : impl->rules) impl->rule_list.push_back(r.rule);
  return std::unique_ptr<Scanner>(new Scanner(std::move(impl)));
}

std::vector<Match> Scanner::scan(std::string_view path, std::string_view text) const {
  const Impl& s = *impl_;
  std::vector<char> candidate(s.rules.size(), 0);
  for (auto i : s.keywordless) candidate[i] = 1;
  if (s.db != nullptr && !text.empty()) {
    struct Context {
      const Impl* impl;
      std::vector<char>* candidate;
    } ctx{&s, &candidate};
    auto on_match = [](unsigned id, unsigned long long, unsigned long long, unsigned,
                       void* c) -> int {
      auto* context = static_cast<Context*>(c);
      for (auto r : context->impl->keyword_rules[id]) (*context->candidate)[r] = 1;
      return 0;
    };
    hs_scratch_t* scratch = s.acquire();
    if (scratch == nullptr) {
      // Out of memory for scratch space: fall back to running every rule.
      std::fill(candidate.begin(), candidate.end(), 1);
    } else {
      // Block mode takes an unsigned length: feed larger inputs in overlapping pieces.
      constexpr std::size_t kPiece = 1u << 30;
      for (std::size_t at = 0; at < text.size(); at += kPiece - 256) {
        auto n = static_cast<unsigned>(std::min(kPiece, text.size() - at));
        hs_scan(s.db, text.data() + at, n, 0, scratch, on_match, &ctx);
        if (at + n >= text.size()) break;
      }
      s.release(scratch);
    }
  }

  std::vector<Candidate> found;
  for (std::size_t i = 0; i < s.rules.size(); ++i) {
    if (candidate[i] != 0) s.run_rule(i, path, text, found);
  }
  if (found.empty()) return {};

  // Rules earlier in the table are more specific: a later rule's match overlapping an earlier
  // one's secret is the same secret seen twice (a generic "password=" around a Stripe key).
  std::vector<Candidate> kept;
  for (const auto& c : found) {
    bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const Candidate& k) {
      return c.secret_begin < k.secret_end && k.secret_begin < c.secret_end;
    });
    if (!overlaps) kept.push_back(c);
    if (kept.size() >= s.options.max_matches_per_file) break;
  }
  std::sort(kept.begin(), kept.end(),
            [](const Candidate& a, const Candidate& b) { return a.secret_begin < b.secret_begin; });

  Lines lines(text);
  std::vector<Match> out;
  for (const auto& c : kept) {
    Match m;
    m.rule_id = s.rules[c.rule].rule.id;
    m.line = lines.line_of(c.secret_begin);
    m.column = c.secret_begin - lines.begin(m.line) + 1;
    std::string_view secret = text.substr(c.secret_begin, c.secret_end - c.secret_begin);
    m.fingerprint = core::sha256_digest(secret).substr(7, 16);

    // Evidence: a window of the line, every secret inside it masked (not just this one).
    std::size_t line_begin = lines.begin(m.line), line_end = lines.end(m.line);
    std::size_t from = c.secret_begin - std::min(c.secret_begin - line_begin, kEvidenceContext);
    std::size_t to =
        std::min(line_end, std::max(from, std::min(c.secret_end, line_end)) + kEvidenceContext);
    for (std::size_t at = from; at < to;) {
      auto span = std::find_if(kept.begin(), kept.end(), [&](const Candidate& k) {
        return at >= k.secret_begin && at < k.secret_end;
      });
      if (span != kept.end()) {
        if (at == span->secret_begin || at == from) {
          m.evidence +=
              mask(text.substr(span->secret_begin, span->secret_end - span->secret_begin));
        }
        at = span->secret_end;
        continue;
      }
      m.evidence += printable(text[at]);
      ++at;
    }
    if (m.evidence.size() > kMaxEvidence) m.evidence.resize(kMaxEvidence);
    out.push_back(std::move(m));
  }
  return out;
}

const ScannerOptions& Scanner::options() const { return impl_->options; }
const std::vector<Rule>& Scanner::rules() const { return impl_->rule_list; }
const std::string& Scanner::fingerprint() const { return impl_->fingerprint; }
const Rule* Scanner::find(std::string_view rule_id) const {
  for (const auto& r : impl_->rule_list) {
    if (r.id == rule_id) return &r;
  }
  return nullptr;
}

}  // namespace mtr::secrets
