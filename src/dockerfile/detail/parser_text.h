// Internal helpers of the Dockerfile parser that reproduce Go standard-library behaviour BuildKit
// relies on (UTF-8 decoding, unicode.IsSpace, strings.TrimSpace, strconv.Quote, encoding/json
// for string arrays) and BuildKit's heredoc word recognition. Exposed for the parser tests only;
// rules should use dockerfile/parser.h.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "dockerfile/ast.h"

namespace mtr::dockerfile::detail {

inline constexpr char32_t kRuneError = 0xFFFD;

struct Rune {
  char32_t value = 0;
  std::size_t width = 1;  // bytes consumed; an invalid byte is (kRuneError, 1) as in Go
};

// utf8.DecodeRune at s[pos] (pos < s.size()).
Rune decode_rune(std::string_view s, std::size_t pos);
// utf8.AppendRune / strings.Builder.WriteRune (surrogates and out-of-range become U+FFFD).
void append_rune(std::string& out, char32_t r);
// unicode.IsSpace.
bool is_go_space(char32_t r);
// unicode.IsSpace(rune(b)) for a single byte, as BuildKit's byte loops do (0x85 and 0xA0 count).
bool is_space_byte(unsigned char b);
// Bytes of leading unicode.IsSpace runes (strings.TrimLeftFunc).
std::size_t leading_space(std::string_view s);
// End offset after removing trailing unicode.IsSpace runes (strings.TrimRightFunc).
std::size_t trim_right_end(std::string_view s);
// strings.TrimSpace.
std::string_view trim_space(std::string_view s);
// strconv.Quote (unicode.IsPrint approximated outside Latin-1: format, private-use, separator
// and non-character code points are escaped; unassigned code points are kept).
std::string go_quote(std::string_view s);

enum class JsonArray { kNotJson, kNotStringArray, kOk };
// json.Unmarshal(s, &[]any) followed by BuildKit's "strings only" check. offsets[i] is where
// element i (its opening quote) starts in s.
JsonArray parse_json_string_array(std::string_view s, std::vector<std::string>* values,
                                  std::vector<std::size_t>* offsets);

// BuildKit's ParseHeredoc: a word such as "<<EOF", "3<<-'EOT'". nullopt when the word is not a
// heredoc marker; an error for an unterminated quote (e.g. "<<'EOF").
core::Result<std::optional<Heredoc>> parse_heredoc_word(std::string_view word);
// BuildKit's heredocsFromLine: the markers of an instruction line (raw shell lexing of the whole
// line; a line the lexer rejects yields none).
core::Result<std::vector<Heredoc>> heredocs_from_line(std::string_view line);
// BuildKit's ChompHeredocContent: removes leading tabs of every line (the <<- form).
std::string chomp_heredoc_content(std::string_view content);

}  // namespace mtr::dockerfile::detail
