#include <gtest/gtest.h>
#include <zlib.h>

#include "inventory/lang/lang.h"
#include "lang_test_util.h"

namespace mtr::inventory::lang {
namespace {

using testing::coordinates;
using testing::required;
using testing::run;
using testing::sorted;
using testing::syft_testdata;

constexpr std::string_view kRackGemspec = R"(# -*- encoding: utf-8 -*-
# stub: rack 2.2.3 ruby lib

Gem::Specification.new do |s|
  s.name = "rack".freeze
  s.version = "2.2.3"

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.require_paths = ["lib".freeze]
  s.authors = ["Leah Neukirchen".freeze]
  s.date = "2020-06-15"
  s.licenses = ["MIT".freeze, 'Ruby'.freeze]
  s.summary = "a modular Ruby webserver interface".freeze
  s.add_development_dependency(%q<minitest>.freeze, ["~> 5.0"])
end
)";

TEST(Gemspec, RequiredOnlyInSpecifications) {
  const auto c = make_gemspec_cataloger();
  EXPECT_TRUE(required(*c, "/usr/local/bundle/specifications/rack-2.2.3.gemspec"));
  EXPECT_TRUE(required(*c, "/var/lib/gems/3.1.0/specifications/default/x.gemspec") == false);
  EXPECT_FALSE(required(*c, "/src/rack/rack.gemspec"));
}

TEST(Gemspec, InstalledSpecification) {
  const auto c = make_gemspec_cataloger();
  const auto r = run(*c, "/usr/local/bundle/specifications/rack-2.2.3.gemspec", kRackGemspec);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->packages.size(), 1u);
  const auto& p = r->packages[0];
  EXPECT_EQ(p.name, "rack");
  EXPECT_EQ(p.version, "2.2.3");
  EXPECT_EQ(p.ecosystem, "gem");
  EXPECT_EQ(p.cataloger, "gemspec");
  EXPECT_EQ(p.licenses, (std::vector<std::string>{"MIT", "Ruby"}));
}

TEST(Gemspec, GemVersionFormAndStubFallback) {
  const auto c = make_gemspec_cataloger();
  auto r = run(*c, "/s/specifications/a.gemspec",
               "Gem::Specification.new do |spec|\n  spec.name = 'json'\n  spec.version = "
               "Gem::Version.new(\"2.6.1\")\n  spec.license = \"Ruby\"\nend\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(coordinates(*r), std::vector<std::string>{"json@2.6.1"});
  r = run(*c, "/s/specifications/b.gemspec", "# stub: bundler 2.4.10 ruby lib\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(coordinates(*r), std::vector<std::string>{"bundler@2.4.10"});
  r = run(*c, "/s/specifications/c.gemspec", "s.name = \"unterminated\n");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->packages.empty());
  EXPECT_EQ(r->warnings.size(), 1u);
}

TEST(GemfileLock, CorpusAllSpecSections) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_gemfile_lock_cataloger();
  EXPECT_TRUE(required(*c, "/app/Gemfile.lock"));
  EXPECT_FALSE(required(*c, "/app/Gemfile"));
  const auto r =
      run(*c, "/app/Gemfile.lock", test::read_file(syft_testdata("ruby/testdata/Gemfile.lock")));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), sorted({"google-cloud-errors@1.3.0",
                                     "turbolinks@3.0.0",
                                     "actionmailer@4.1.1",
                                     "actionpack@4.1.1",
                                     "actionview@4.1.1",
                                     "activemodel@4.1.1",
                                     "activerecord@4.1.1",
                                     "activesupport@4.1.1",
                                     "arel@5.0.1.20140414130214",
                                     "bootstrap-sass@3.1.1.1",
                                     "builder@3.2.2",
                                     "coffee-rails@4.0.1",
                                     "coffee-script@2.2.0",
                                     "coffee-script-source@1.7.0",
                                     "erubis@2.7.0",
                                     "execjs@2.0.2",
                                     "hike@1.2.3",
                                     "i18n@0.6.9",
                                     "jbuilder@2.0.7",
                                     "jquery-rails@3.1.0",
                                     "json@1.8.1",
                                     "kgio@2.9.2",
                                     "libv8@3.16.14.3",
                                     "mail@2.5.4",
                                     "mime-types@1.25.1",
                                     "minitest@5.3.4",
                                     "multi_json@1.10.1",
                                     "mysql2@0.3.16",
                                     "polyglot@0.3.4",
                                     "rack@1.5.2",
                                     "rack-test@0.6.2",
                                     "rails@4.1.1",
                                     "railties@4.1.1",
                                     "raindrops@0.13.0",
                                     "rake@10.3.2",
                                     "rdoc@4.1.1",
                                     "ref@1.0.5",
                                     "sass@3.2.19",
                                     "sass-rails@4.0.3",
                                     "sdoc@0.4.0",
                                     "spring@1.1.3",
                                     "sprockets@2.11.0",
                                     "sprockets-rails@2.1.3",
                                     "sqlite3@1.3.9",
                                     "therubyracer@0.12.1",
                                     "thor@0.19.1",
                                     "thread_safe@0.3.3",
                                     "tilt@1.4.1",
                                     "treetop@1.4.15",
                                     "tzinfo@1.2.0",
                                     "uglifier@2.5.0",
                                     "unicorn@4.8.3"}));
  EXPECT_EQ(r->packages[0].cataloger, "gemfile-lock");
}

TEST(GemfileLock, MalformedSpecIsLocatedError) {
  const auto c = make_gemfile_lock_cataloger();
  const auto r = run(*c, "/app/Gemfile.lock",
                     "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack 2.2.3\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().location.line, 4u);
}

TEST(CargoLock, CorpusPackages) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_cargo_lock_cataloger();
  EXPECT_TRUE(required(*c, "/src/Cargo.lock"));
  EXPECT_FALSE(required(*c, "/src/Cargo.toml"));
  auto r = run(*c, "/src/Cargo.lock", test::read_file(syft_testdata("rust/testdata/Cargo.lock")));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(
      coordinates(*r),
      sorted({"ansi_term@0.12.1", "errno@0.3.9", "matches@0.1.8", "memchr@2.3.3", "natord@1.0.9",
              "nom@4.2.3", "schannel@0.1.26", "unicode-bidi@0.3.4", "version_check@0.1.5",
              "winapi@0.3.9", "winapi-i686-pc-windows-gnu@0.4.0",
              "winapi-x86_64-pc-windows-gnu@0.4.0", "windows-sys@0.52.0", "windows-sys@0.59.0"}));
  EXPECT_EQ(r->packages[0].ecosystem, "cargo");
  r = run(*c, "/src/Cargo.lock",
          test::read_file(syft_testdata("rust/testdata/Cargo.lock-with-git-deps")));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r),
            sorted({"aho-corasick@1.1.3", "hello_world@0.1.0", "memchr@2.7.4",
                    "minimal-lexical@0.2.1", "nom@7.1.3", "nom-regex@0.2.0", "regex@1.11.1",
                    "regex-automata@0.4.9", "regex-syntax@0.8.5"}));
}

TEST(CargoLock, UnterminatedStringIsLocatedError) {
  const auto c = make_cargo_lock_cataloger();
  const auto r = run(*c, "/src/Cargo.lock",
                     "version = 3\n\n[[package]]\nname = \"serde\nversion = \"1.0.0\"\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().location.line, 4u);
  EXPECT_EQ(r.error().location.file, "/src/Cargo.lock");
}

void put(std::string& buf, std::size_t at, std::uint64_t value, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i)
    buf[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

// A 64-bit little-endian ELF with sections: null, .shstrtab, .dep-v0 holding `payload`.
std::string elf_with_dep_section(const std::string& payload) {
  const std::string names = std::string("\0.shstrtab\0.dep-v0\0", 19);
  const std::size_t names_off = 64, payload_off = names_off + names.size();
  const std::size_t shoff = (payload_off + payload.size() + 7) / 8 * 8;
  std::string buf(shoff + 3 * 64, '\0');
  buf.replace(0, 4,
              "\x7f"
              "ELF");
  buf[4] = 2;
  buf[5] = 1;
  buf[6] = 1;
  put(buf, 0x28, shoff, 8);
  put(buf, 0x3A, 64, 2);
  put(buf, 0x3C, 3, 2);
  put(buf, 0x3E, 1, 2);
  buf.replace(names_off, names.size(), names);
  buf.replace(payload_off, payload.size(), payload);
  auto section = [&](std::size_t index, std::uint32_t name, std::uint32_t type, std::size_t off,
                     std::size_t size) {
    const std::size_t at = shoff + index * 64;
    put(buf, at, name, 4);
    put(buf, at + 4, type, 4);
    put(buf, at + 24, off, 8);
    put(buf, at + 32, size, 8);
  };
  section(1, 1, 3, names_off, names.size());
  section(2, 11, 1, payload_off, payload.size());
  return buf;
}

std::string zlib(const std::string& in) {
  uLongf size = compressBound(static_cast<uLong>(in.size()));
  std::string out(size, '\0');
  EXPECT_EQ(compress(reinterpret_cast<Bytef*>(out.data()), &size,
                     reinterpret_cast<const Bytef*>(in.data()), static_cast<uLong>(in.size())),
            Z_OK);
  out.resize(size);
  return out;
}

TEST(CargoAuditable, DepSection) {
  const auto c = make_cargo_auditable_cataloger();
  EXPECT_TRUE(required(*c, "/usr/local/bin/rg", 1 << 20, 0755));
  EXPECT_FALSE(required(*c, "/usr/local/bin/rg", 1 << 20, 0644));
  const std::string json =
      R"({"packages":[{"name":"myapp","version":"0.1.0","source":"local","root":true,"dependencies":[1]},
      {"name":"serde","version":"1.0.188","source":"crates.io"},
      {"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"}]})";
  const auto r = run(*c, "/usr/local/bin/myapp", elf_with_dep_section(zlib(json)), 0755);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), sorted({"myapp@0.1.0", "serde@1.0.188"}));
  EXPECT_EQ(r->packages[0].cataloger, "cargo-auditable");
}

TEST(CargoAuditable, CorruptAndOversizedPayloads) {
  const auto c = make_cargo_auditable_cataloger();
  auto r = run(*c, "/bin/x", elf_with_dep_section("not zlib at all"), 0755);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().location.file, "/bin/x");
  r = run(*c, "/bin/x", elf_with_dep_section(zlib("{\"packages\": [")), 0755);
  ASSERT_FALSE(r);
  const std::string big(9 << 20, ' ');  // beyond the 8 MiB bound once inflated
  r = run(*c, "/bin/x", elf_with_dep_section(zlib(big)), 0755);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kLimitExceeded);
  const std::string compressed = zlib("{\"packages\":[]}");
  r = run(*c, "/bin/x", elf_with_dep_section(compressed.substr(0, compressed.size() / 2)), 0755);
  ASSERT_FALSE(r);
  r = run(*c, "/bin/ls", test::read_file("/bin/ls"), 0755);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->packages.empty());
}

}  // namespace
}  // namespace mtr::inventory::lang
