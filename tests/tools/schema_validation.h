// Test helper: validates a JSON file against an official schema with
// tests/tools/validate_json_schema.py. Schemas are fetched by scripts/fetch-schemas.sh into
// $MTR_SCHEMA_DIR (default build/schemas in the source tree); tests skip when one is absent.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/test_support.h"

namespace mtr::test {

inline std::filesystem::path schema_dir() {
  if (const char* env = std::getenv("MTR_SCHEMA_DIR"); env && *env) return env;
  return std::filesystem::path(MTR_SOURCE_DIR) / "build" / "schemas";
}

// The schema file's path, or empty when it has not been fetched.
inline std::filesystem::path find_schema(const std::string& file_name) {
  auto path = schema_dir() / file_name;
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) ? path : std::filesystem::path();
}

// Skips the current test when `file_name` is not in the schema directory.
#define MTR_REQUIRE_SCHEMA(file_name)                                                     \
  do {                                                                                    \
    if (::mtr::test::find_schema(file_name).empty())                                      \
      GTEST_SKIP() << (::mtr::test::schema_dir() / (file_name)).string()                  \
                   << " is absent: run scripts/fetch-schemas.sh (or set MTR_SCHEMA_DIR)"; \
  } while (false)

// Runs the validator; exit_code 0 = valid, 1 = invalid, other = the validator itself failed.
inline CommandResult validate_json(const std::string& schema_file,
                                   const std::filesystem::path& doc) {
  // Debian's interpreter first: python3-jsonschema is the dependency we declare.
  std::string python = std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  auto tool = std::filesystem::path(MTR_SOURCE_DIR) / "tests" / "tools" / "validate_json_schema.py";
  return run_command({python, tool.string(), (schema_dir() / schema_file).string(), doc.string(),
                      "--ref-dir", schema_dir().string()});
}

}  // namespace mtr::test
