#include "core/yaml_dom.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

namespace mtr::core {
namespace {

std::vector<YamlDocument> parse_ok(std::string_view text) {
  auto docs = parse_yaml_stream(text, "t.yaml");
  EXPECT_TRUE(docs) << (docs ? "" : docs.error().to_string());
  return docs ? std::move(*docs) : std::vector<YamlDocument>{};
}

TEST(YamlDom, MultiDocumentStreamWithPositions) {
  auto docs = parse_ok("a: 1\n---\nkind: Pod\nspec:\n  containers:\n  - name: x\n---\n");
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_TRUE(docs[0].root.is_mapping());
  const YamlNode* spec = docs[1].root.find("spec");
  ASSERT_NE(spec, nullptr);
  const YamlNode* containers = spec->find("containers");
  ASSERT_NE(containers, nullptr);
  ASSERT_EQ(containers->items().size(), 1u);
  const YamlNode* name = containers->items()[0].find("name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->text(), "x");
  EXPECT_EQ(name->mark().line, 6u);
  EXPECT_EQ(name->mark().column, 11u);
  EXPECT_TRUE(docs[2].root.is_null());
  EXPECT_EQ(docs[2].index, 2u);
}

TEST(YamlDom, ResolvesPlainScalarsAsGoYamlV2) {
  auto docs = parse_ok(
      "t1: true\nt2: yes\nt3: On\nf1: no\nf2: OFF\nq: \"true\"\ns: 'yes'\nn1: ~\nn2:\nn3: null\n"
      "i1: 1000\ni2: 0x10\ni3: 010\ni4: -5\ni5: 1_000\nbad: 12abc\nbig: 99999999999999999999\n"
      "tb: !!bool \"true\"\nstr: !!str 5\nblock: |\n  true\n");
  const YamlNode& r = docs.at(0).root;
  EXPECT_EQ(r.find("t1")->as_bool(), true);
  EXPECT_EQ(r.find("t2")->as_bool(), true);
  EXPECT_EQ(r.find("t3")->as_bool(), true);
  EXPECT_EQ(r.find("f1")->as_bool(), false);
  EXPECT_EQ(r.find("f2")->as_bool(), false);
  EXPECT_EQ(r.find("q")->as_bool(), std::nullopt);  // quoted: a string
  EXPECT_EQ(r.find("q")->as_string(), "true");
  EXPECT_EQ(r.find("s")->as_bool(), std::nullopt);
  EXPECT_TRUE(r.find("n1")->is_null());
  EXPECT_TRUE(r.find("n2")->is_null());
  EXPECT_TRUE(r.find("n3")->is_null());
  EXPECT_EQ(r.get("n3"), nullptr);  // explicit null reads as absent
  EXPECT_EQ(r.find("i1")->as_int(), 1000);
  EXPECT_EQ(r.find("i2")->as_int(), 16);
  EXPECT_EQ(r.find("i3")->as_int(), 8);
  EXPECT_EQ(r.find("i4")->as_int(), -5);
  EXPECT_EQ(r.find("i5")->as_int(), 1000);
  EXPECT_EQ(r.find("bad")->as_int(), std::nullopt);
  EXPECT_EQ(r.find("big")->as_int(), std::nullopt);
  EXPECT_EQ(r.find("tb")->as_bool(), true);
  EXPECT_EQ(r.find("str")->as_int(), std::nullopt);
  EXPECT_EQ(r.find("block")->as_bool(), std::nullopt);
}

TEST(YamlDom, DuplicateKeysLastWins) {
  auto docs = parse_ok("privileged: false\nprivileged: true\n");
  EXPECT_EQ(docs.at(0).root.find("privileged")->as_bool(), true);
  EXPECT_EQ(docs.at(0).root.entry_count(), 2u);
}

TEST(YamlDom, AnchorsAliasesAndMergeKeys) {
  auto docs = parse_ok(
      "base: &b {a: 1, b: 2}\n"
      "x:\n  <<: *b\n  b: 3\n"
      "y:\n  b: 0\n  <<: *b\n"
      "z:\n  <<: [{a: first}, {a: second, c: 9}]\n"
      "list: [*b, *b]\n");
  const YamlNode& r = docs.at(0).root;
  EXPECT_EQ(r.find("x")->find("a")->as_int(), 1);
  EXPECT_EQ(r.find("x")->find("b")->as_int(), 3);  // written after the merge: overrides
  EXPECT_EQ(r.find("y")->find("b")->as_int(), 2);  // before it: overridden (go-yaml v2)
  EXPECT_EQ(r.find("z")->find("a")->text(), "first");
  EXPECT_EQ(r.find("z")->find("c")->as_int(), 9);
  EXPECT_EQ(r.find("list")->items().size(), 2u);
  EXPECT_EQ(r.find("list")->items()[1].find("b")->as_int(), 2);
}

TEST(YamlDom, JsonIsYaml) {
  auto docs = parse_ok("{\"kind\": \"Pod\", \"spec\": {\"hostPID\": true,\n\t\"n\": [1, 2]}}");
  EXPECT_EQ(docs.at(0).root.find("spec")->find("hostPID")->as_bool(), true);
  EXPECT_EQ(docs.at(0).root.find("spec")->find("n")->items().size(), 2u);
}

TEST(YamlDom, SyntaxErrorsNameFileLineAndColumn) {
  auto docs = parse_yaml_stream("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml");
  ASSERT_FALSE(docs);
  EXPECT_EQ(docs.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(docs.error().location.file, "bad.yaml");
  EXPECT_GT(docs.error().location.line, 1u);
  EXPECT_NE(docs.error().to_string().find("bad.yaml:"), std::string::npos);
  EXPECT_NE(docs.error().message.find("invalid YAML"), std::string::npos);

  auto unknown = parse_yaml_stream("a: *nope\n", "u.yaml");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown anchor"), std::string::npos);
}

TEST(YamlDom, BillionLaughsHitsTheNodeBudget) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c) {
    text += fmt::format("{}: &{} [*{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}]\n", c, c, prev,
                        prev, prev, prev, prev, prev, prev, prev, prev, prev);
    prev = c;
  }
  auto docs = parse_yaml_stream(text, "laughs.yaml");
  ASSERT_FALSE(docs);
  EXPECT_EQ(docs.error().code, ErrorCode::kLimitExceeded);
}

TEST(YamlDom, DepthIsBounded) {
  std::string deep(10000, '[');
  auto docs = parse_yaml_stream(deep, "deep.yaml");
  ASSERT_FALSE(docs);
  YamlLimits limits;
  limits.max_depth = 3;
  auto shallow = parse_yaml_stream("a: {b: {c: {d: 1}}}", "d.yaml", limits);
  ASSERT_FALSE(shallow);
  EXPECT_EQ(shallow.error().code, ErrorCode::kLimitExceeded);
}

TEST(YamlDom, FirstLineOffsetsMarks) {
  auto docs = parse_yaml_stream("{\"user\": \"alice\"}", "p.jsonl", {}, 7);
  ASSERT_TRUE(docs);
  EXPECT_EQ(docs->at(0).root.find("user")->mark().line, 7u);
}

}  // namespace
}  // namespace mtr::core
