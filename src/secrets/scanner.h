// The secret engine: one vectorscan pass over a file's bytes finds which rules' keywords occur,
// then only those rules' regular expressions (RE2) run, followed by the entropy floor, allow
// lists and validators. The clear secret never leaves this unit: a Match carries it masked
// and as a fingerprint.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "secrets/rule.h"

namespace mtr::secrets {

struct Match {
  std::string rule_id;
  std::uint64_t line = 0;  // 1-based
  std::uint64_t column = 0;
  std::string evidence;     // the matched line (at most 160 characters) with the secret masked
  std::string fingerprint;  // first 16 hex digits of SHA-256(secret): same secret, same print
};

struct ScannerOptions {
  std::uint64_t max_file_bytes = 10ull << 20;  // larger files are skipped unless asked
  bool scan_binary = false;                    // files with a NUL in their first 8 KiB
  std::size_t max_matches_per_file = 100;      // beyond this a file's further matches are dropped
};

class Scanner {
 public:
  // Compiles every rule; a bad pattern is an error naming the rule and the pattern.
  static core::Result<std::unique_ptr<Scanner>> compile(RuleSet rules, ScannerOptions options = {});
  ~Scanner();

  // Finds secrets in one file (or one image-config string, with path ""). Thread-safe.
  std::vector<Match> scan(std::string_view path, std::string_view content) const;

  const ScannerOptions& options() const;
  const Rule* find(std::string_view rule_id) const;
  const std::vector<Rule>& rules() const;
  // Changes whenever the rules or options change: part of the layer-cache key.
  const std::string& fingerprint() const;

 private:
  struct Impl;
  explicit Scanner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// True when the first 8 KiB hold a NUL byte (git's and ripgrep's test for binary data).
bool looks_binary(std::string_view head);

}  // namespace mtr::secrets
