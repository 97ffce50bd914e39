#include "core/yaml_dom.h"

#include <fmt/format.h>
#include <yaml.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <utility>

namespace mtr::core {

namespace {

constexpr std::string_view kTagBool = "tag:yaml.org,2002:bool";
constexpr std::string_view kTagInt = "tag:yaml.org,2002:int";
constexpr std::string_view kTagNull = "tag:yaml.org,2002:null";

bool is_null_word(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

std::optional<bool> bool_word(std::string_view s) {
  // go-yaml v2's resolve table (YAML 1.1).
  static constexpr std::string_view kTrue[] = {"y",  "Y",  "yes",  "Yes",  "YES", "on",
                                               "On", "ON", "true", "True", "TRUE"};
  static constexpr std::string_view kFalse[] = {"n",   "N",   "no",    "No",    "NO",   "off",
                                                "Off", "OFF", "false", "False", "FALSE"};
  for (std::string_view t : kTrue)
    if (s == t) return true;
  for (std::string_view f : kFalse)
    if (s == f) return false;
  return std::nullopt;
}

std::optional<std::int64_t> int_word(std::string_view s) {
  std::string digits;
  digits.reserve(s.size());
  for (char c : s)
    if (c != '_') digits.push_back(c);
  std::string_view d = digits;
  bool negative = false;
  if (!d.empty() && (d.front() == '-' || d.front() == '+')) {
    negative = d.front() == '-';
    d.remove_prefix(1);
  }
  int base = 10;
  if (d.size() > 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
    base = 16;
    d.remove_prefix(2);
  } else if (d.size() > 2 && d[0] == '0' && (d[1] == 'b' || d[1] == 'B')) {
    base = 2;
    d.remove_prefix(2);
  } else if (d.size() > 2 && d[0] == '0' && (d[1] == 'o' || d[1] == 'O')) {
    base = 8;
    d.remove_prefix(2);
  } else if (d.size() > 1 && d[0] == '0') {
    base = 8;  // Go's ParseInt(s, 0, 64): a leading 0 means octal
    d.remove_prefix(1);
  }
  if (d.empty()) return std::nullopt;
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), magnitude, base);
  if (ec != std::errc() || end != d.data() + d.size()) return std::nullopt;
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (negative) {
    if (magnitude > kMax + 1) return std::nullopt;
    return magnitude == kMax + 1 ? std::numeric_limits<std::int64_t>::min()
                                 : -static_cast<std::int64_t>(magnitude);
  }
  if (magnitude > kMax) return std::nullopt;
  return static_cast<std::int64_t>(magnitude);
}

std::string_view to_view(const yaml_char_t* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

YamlMark to_mark(const yaml_mark_t& m, std::uint32_t first_line) {
  auto clamp = [](std::size_t v) {
    return static_cast<std::uint32_t>(std::min<std::size_t>(v, 0xffffffffu));
  };
  return YamlMark{clamp(m.line + first_line), clamp(m.column + 1)};
}

}  // namespace

const YamlNode* YamlNode::find(std::string_view key) const {
  if (kind_ != YamlKind::kMapping) return nullptr;
  for (std::size_t i = children_.size(); i >= 2; i -= 2) {
    const YamlNode& k = children_[i - 2];
    if (k.kind_ == YamlKind::kScalar && k.text_ == key) return &children_[i - 1];
  }
  return nullptr;
}

const YamlNode* YamlNode::get(std::string_view key) const {
  const YamlNode* value = find(key);
  return value && !value->is_null() ? value : nullptr;
}

std::optional<bool> YamlNode::as_bool() const {
  if (kind_ != YamlKind::kScalar) return std::nullopt;
  if (literal_ && !tagged_bool_) return std::nullopt;
  return bool_word(text_);
}

std::optional<std::int64_t> YamlNode::as_int() const {
  if (kind_ != YamlKind::kScalar) return std::nullopt;
  if (literal_ && !tagged_int_) return std::nullopt;
  return int_word(text_);
}

std::optional<std::string_view> YamlNode::as_string() const {
  if (kind_ != YamlKind::kScalar) return std::nullopt;
  return std::string_view(text_);
}

// Turns libyaml's events into YamlNodes. Collections under construction live on an explicit
// stack, so nesting depth costs no native stack.
class YamlBuilder {
 public:
  // Recursion is bounded by YamlLimits::max_depth, enforced while the tree was built.
  static std::size_t count_nodes(const YamlNode& node) {
    std::size_t n = 1;
    for (const YamlNode& child : node.children_) n += count_nodes(child);
    return n;
  }

  YamlBuilder(std::string_view origin, const YamlLimits& limits, std::uint32_t first_line)
      : origin_(origin), limits_(limits), first_line_(first_line) {}

  Result<std::vector<YamlDocument>> run(std::string_view text) {
    if (text.size() > limits_.max_bytes)
      return unexpected(make_error(ErrorCode::kLimitExceeded,
                                   fmt::format("YAML input is {} bytes, over the limit of {}",
                                               text.size(), limits_.max_bytes),
                                   Location{std::string(origin_), 0, 0, {}}));
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
      return unexpected(make_error(ErrorCode::kInternal, "libyaml: out of memory"));
    std::unique_ptr<yaml_parser_t, void (*)(yaml_parser_t*)> guard(&parser, yaml_parser_delete);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
    for (;;) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) return unexpected(parse_error(parser));
      std::unique_ptr<yaml_event_t, void (*)(yaml_event_t*)> event_guard(&event, yaml_event_delete);
      if (event.type == YAML_STREAM_END_EVENT) break;
      if (auto status = on_event(event); !status) return unexpected(std::move(status.error()));
    }
    return std::move(documents_);
  }

 private:
  struct Frame {
    YamlNode node;
    std::string anchor;
    std::size_t nodes_before = 0;
    std::size_t first_child = 0;  // where its children start in scratch_
  };
  struct Anchor {
    YamlNode node;
    std::size_t size = 0;  // nodes it holds, charged again at every alias
  };

  Error error_at(ErrorCode code, const yaml_mark_t& where, std::string message) const {
    YamlMark m = mark(where);
    return make_error(code, std::move(message),
                      Location{std::string(origin_), m.line, m.column, {}});
  }

  YamlMark mark(const yaml_mark_t& m) const { return to_mark(m, first_line_); }

  Error parse_error(const yaml_parser_t& parser) const {
    std::string message = "invalid YAML: ";
    if (parser.context) {
      message += parser.context;
      message += ": ";
    }
    message += parser.problem ? parser.problem : "syntax error";
    return error_at(ErrorCode::kInvalidInput, parser.problem_mark, std::move(message));
  }

  // Nodes copied by an alias or a merge key: bounded on their own so that an expansion bomb
  // stops after a small amount of work.
  Result<void> charge_alias(std::size_t count, const yaml_mark_t& mark) {
    alias_nodes_ += count;
    if (alias_nodes_ > limits_.max_alias_nodes)
      return unexpected(error_at(
          ErrorCode::kLimitExceeded, mark,
          fmt::format("YAML aliases expand to more than {} nodes", limits_.max_alias_nodes)));
    return charge(count, mark);
  }

  Result<void> charge(std::size_t count, const yaml_mark_t& mark) {
    nodes_ += count;
    if (nodes_ > limits_.max_nodes)
      return unexpected(
          error_at(ErrorCode::kLimitExceeded, mark,
                   fmt::format("YAML document expands to more than {} nodes (aliases included)",
                               limits_.max_nodes)));
    return {};
  }

  Result<void> on_event(const yaml_event_t& event) {
    switch (event.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (documents_.size() >= limits_.max_documents)
          return unexpected(error_at(
              ErrorCode::kLimitExceeded, event.start_mark,
              fmt::format("more than {} YAML documents in one stream", limits_.max_documents)));
        document_ = YamlDocument{};
        document_.index = documents_.size();
        document_.start = mark(event.start_mark);
        have_root_ = false;
        anchors_.clear();
        return {};
      case YAML_DOCUMENT_END_EVENT:
        documents_.push_back(std::move(document_));
        return {};
      case YAML_SCALAR_EVENT: {
        MTR_TRY(charge(1, event.start_mark));
        YamlNode node;
        node.mark_ = mark(event.start_mark);
        const auto& s = event.data.scalar;
        node.text_.assign(reinterpret_cast<const char*>(s.value), s.length);
        std::string_view tag = to_view(s.tag);
        bool plain = s.style == YAML_PLAIN_SCALAR_STYLE || s.style == YAML_ANY_SCALAR_STYLE;
        if (tag == kTagNull || (tag.empty() && plain && is_null_word(node.text_))) {
          node.kind_ = YamlKind::kNull;
          node.text_.clear();
        } else {
          node.kind_ = YamlKind::kScalar;
          node.tagged_bool_ = tag == kTagBool;
          node.tagged_int_ = tag == kTagInt;
          // `!` (non-specific) and `!!str` force a string; other explicit tags are left to
          // plain resolution only when the scalar is plain and untagged.
          node.literal_ = !plain || !tag.empty();
        }
        return add(std::move(node), to_view(s.anchor), 1);
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        MTR_TRY(charge(1, event.start_mark));
        if (stack_.size() >= limits_.max_depth)
          return unexpected(
              error_at(ErrorCode::kLimitExceeded, event.start_mark,
                       fmt::format("YAML nesting deeper than {} levels", limits_.max_depth)));
        Frame frame;
        frame.node.kind_ =
            event.type == YAML_SEQUENCE_START_EVENT ? YamlKind::kSequence : YamlKind::kMapping;
        frame.node.mark_ = mark(event.start_mark);
        frame.anchor = std::string(to_view(event.type == YAML_SEQUENCE_START_EVENT
                                               ? event.data.sequence_start.anchor
                                               : event.data.mapping_start.anchor));
        frame.nodes_before = nodes_ - 1;
        frame.first_child = scratch_.size();
        stack_.push_back(std::move(frame));
        return {};
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Frame frame = std::move(stack_.back());
        stack_.pop_back();
        // Children gathered on the shared scratch stack move into one exact-size allocation.
        auto first = scratch_.begin() + static_cast<std::ptrdiff_t>(frame.first_child);
        frame.node.children_.assign(std::make_move_iterator(first),
                                    std::make_move_iterator(scratch_.end()));
        scratch_.erase(first, scratch_.end());
        if (frame.node.kind_ == YamlKind::kMapping) MTR_TRY(apply_merge_keys(frame.node, event));
        return add(std::move(frame.node), frame.anchor, nodes_ - frame.nodes_before);
      }
      case YAML_ALIAS_EVENT: {
        std::string name(to_view(event.data.alias.anchor));
        auto it = anchors_.find(name);
        if (it == anchors_.end())
          return unexpected(error_at(ErrorCode::kInvalidInput, event.start_mark,
                                     fmt::format("invalid YAML: unknown anchor '{}'", name)));
        MTR_TRY(charge_alias(it->second.size, event.start_mark));
        return add(YamlNode(it->second.node), {}, it->second.size);
      }
      default:
        return {};
    }
  }

  // `<<: *base` or `<<: [*a, *b]` in a mapping: the merged entries take the place of the `<<`
  // entry, so with find()'s last-wins rule a key written after it overrides it and one written
  // before it is overridden (go-yaml v2's order-dependent behaviour, which Kubernetes has).
  Result<void> apply_merge_keys(YamlNode& map, const yaml_event_t& event) {
    bool any = false;
    for (std::size_t i = 0; i < map.entry_count(); ++i) {
      const YamlNode& key = map.entry_key(i);
      if (key.kind_ == YamlKind::kScalar && !key.literal_ && key.text_ == "<<") any = true;
    }
    if (!any) return {};
    std::vector<YamlNode> merged;
    auto take = [&](const YamlNode& source) -> Result<void> {
      if (source.kind_ != YamlKind::kMapping)
        return unexpected(error_at(ErrorCode::kInvalidInput, event.start_mark,
                                   "invalid YAML: a merge key (<<) needs a mapping or a list of "
                                   "mappings"));
      MTR_TRY(charge_alias(count_nodes(source), event.start_mark));
      merged.insert(merged.end(), source.children_.begin(), source.children_.end());
      return {};
    };
    for (std::size_t i = 0; i < map.entry_count(); ++i) {
      const YamlNode& key = map.entry_key(i);
      const YamlNode& value = map.entry_value(i);
      if (key.kind_ == YamlKind::kScalar && !key.literal_ && key.text_ == "<<") {
        if (value.kind_ == YamlKind::kSequence) {
          // Earlier mappings in the list win in YAML; list them last so find() sees them.
          for (std::size_t j = value.children_.size(); j-- > 0;) MTR_TRY(take(value.children_[j]));
        } else {
          MTR_TRY(take(value));
        }
        continue;
      }
      merged.push_back(key);
      merged.push_back(value);
    }
    map.children_ = std::move(merged);
    return {};
  }

  Result<void> add(YamlNode node, std::string_view anchor, std::size_t size) {
    if (!anchor.empty()) anchors_[std::string(anchor)] = Anchor{node, size};
    if (stack_.empty()) {
      if (!have_root_) {
        document_.root = std::move(node);
        have_root_ = true;
      }
      return {};
    }
    scratch_.push_back(std::move(node));
    return {};
  }

  std::string_view origin_;
  const YamlLimits& limits_;
  std::uint32_t first_line_ = 1;
  std::vector<YamlDocument> documents_;
  YamlDocument document_;
  bool have_root_ = false;
  std::vector<Frame> stack_;
  std::vector<YamlNode> scratch_;  // children of the collections on stack_, innermost last
  std::map<std::string, Anchor, std::less<>> anchors_;
  std::size_t nodes_ = 0;
  std::size_t alias_nodes_ = 0;
};

Result<std::vector<YamlDocument>> parse_yaml_stream(std::string_view text, std::string_view origin,
                                                    const YamlLimits& limits,
                                                    std::uint32_t first_line) {
  return YamlBuilder(origin, limits, first_line).run(text);
}

}  // namespace mtr::core
