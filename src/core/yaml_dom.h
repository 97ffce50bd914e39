// A YAML document tree that remembers where every node came from, for inputs whose findings
// must point at a line: Kubernetes manifests (and, later, Falco rule files). Built on libyaml's
// event parser, which is fast and YAML 1.1 — the dialect Kubernetes' own decoder (go-yaml v2,
// through sigs.k8s.io/yaml) speaks, so `privileged: yes` is true here as it is in a cluster.
//
// What it does beyond libyaml: multi-document streams; plain scalars resolved the way go-yaml v2
// resolves them (null, booleans, integers); anchors and aliases expanded under a node budget
// (a "billion laughs" document is an error, not an out-of-memory); merge keys (`<<`); duplicate
// mapping keys resolved as Kubernetes does (the last one wins). Parsing is iterative, depth is
// bounded, and every error names origin:line:column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mtr::core {

enum class YamlKind : std::uint8_t { kNull, kScalar, kSequence, kMapping };

struct YamlMark {
  std::uint32_t line = 0;  // 1-based
  std::uint32_t column = 0;
};

class YamlNode {
 public:
  YamlNode() = default;

  YamlKind kind() const { return kind_; }
  bool is_null() const { return kind_ == YamlKind::kNull; }
  bool is_scalar() const { return kind_ == YamlKind::kScalar; }
  bool is_sequence() const { return kind_ == YamlKind::kSequence; }
  bool is_mapping() const { return kind_ == YamlKind::kMapping; }
  const YamlMark& mark() const { return mark_; }

  // A scalar's text after unescaping ("" for other kinds and for null).
  const std::string& text() const { return text_; }
  // Quoted, block or explicitly `!!str`-tagged scalars are strings: they never resolve to a
  // boolean or a number.
  bool is_string_literal() const { return literal_; }

  // Sequence items; empty for other kinds.
  std::span<const YamlNode> items() const {
    return kind_ == YamlKind::kSequence ? std::span<const YamlNode>(children_)
                                        : std::span<const YamlNode>();
  }
  // Mapping entries as (key, value) pairs in document order, duplicates included.
  std::size_t entry_count() const { return kind_ == YamlKind::kMapping ? children_.size() / 2 : 0; }
  const YamlNode& entry_key(std::size_t i) const { return children_[2 * i]; }
  const YamlNode& entry_value(std::size_t i) const { return children_[2 * i + 1]; }
  // The value of a scalar key in a mapping (the last one when the key repeats); nullptr when
  // absent or when this is not a mapping.
  const YamlNode* find(std::string_view key) const;
  // find() that also treats an explicit null value as absent, as Go's decoder does.
  const YamlNode* get(std::string_view key) const;

  // Typed reads of scalars, YAML 1.1 as go-yaml v2 resolves plain scalars. nullopt when the
  // node is not a scalar of that type (a quoted "true" is a string, not a boolean).
  std::optional<bool> as_bool() const;
  std::optional<std::int64_t> as_int() const;
  // A scalar's text (strings, numbers and booleans alike); nullopt for null and collections.
  std::optional<std::string_view> as_string() const;

 private:
  friend class YamlBuilder;
  YamlKind kind_ = YamlKind::kNull;
  bool literal_ = false;
  bool tagged_bool_ = false;  // `!!bool`
  bool tagged_int_ = false;   // `!!int`
  YamlMark mark_;
  std::string text_;
  std::vector<YamlNode> children_;  // sequence items, or key, value, key, value...
};

struct YamlDocument {
  YamlNode root;          // null for an empty document
  std::size_t index = 0;  // 0-based position in the stream
  YamlMark start;
};

struct YamlLimits {
  std::size_t max_bytes = std::size_t{64} << 20;
  std::size_t max_depth = 256;            // nesting of sequences and mappings
  std::size_t max_nodes = 2'000'000;      // per stream, alias copies included
  std::size_t max_alias_nodes = 100'000;  // nodes copied by aliases and merge keys, per stream
  std::size_t max_documents = 100'000;
};

// Parses a whole stream ("---"-separated documents). JSON is YAML and goes through here too.
// `first_line` is the line number of the text's first line in its file (for streams cut out of
// a bigger file, such as one line of a JSON-lines file).
Result<std::vector<YamlDocument>> parse_yaml_stream(std::string_view text, std::string_view origin,
                                                    const YamlLimits& limits = {},
                                                    std::uint32_t first_line = 1);

}  // namespace mtr::core
