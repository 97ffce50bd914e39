// Helpers for the language-cataloger tests: run a cataloger over bytes or a corpus file and
// flatten its packages to "namespace/name@version" strings for exact comparisons.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "inventory/cataloger.h"
#include "support/test_support.h"

namespace mtr::inventory::lang::testing {

inline std::filesystem::path syft_testdata(std::string_view rel) {
  return test::corpus_dir() / "vuln/peers/syft/cataloger-testdata" / rel;
}

inline core::Result<CatalogResult> run(const Cataloger& c, std::string_view path,
                                       std::string_view content, std::uint32_t mode = 0644) {
  FileMeta meta{path, content.size(), mode};
  return c.analyze(meta, content);
}

inline std::string coordinate(const Package& p) {
  return (p.purl_namespace.empty() ? std::string() : p.purl_namespace + "/") + p.name + "@" +
         p.version;
}

// Sorted coordinates of every package.
inline std::vector<std::string> coordinates(const CatalogResult& r) {
  std::vector<std::string> out;
  for (const auto& p : r.packages) out.push_back(coordinate(p));
  std::sort(out.begin(), out.end());
  return out;
}

inline std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

inline bool required(const Cataloger& c, std::string_view path, std::uint64_t size = 100,
                     std::uint32_t mode = 0644) {
  return c.required(FileMeta{path, size, mode});
}

}  // namespace mtr::inventory::lang::testing
