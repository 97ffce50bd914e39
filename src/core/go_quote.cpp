#include "core/go_quote.h"

#include <cstddef>
#include <cstdint>

namespace mtr::core {

namespace {

// Go's unicode.IsPrint, approximated outside ASCII: the space separators, format characters,
// C1 controls, private use areas and noncharacters are not printable; other runes are.
bool go_is_print(std::uint32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r < 0xa0 || r == 0xa0 || r == 0xad) return false;
  if (r == 0x1680 || (r >= 0x2000 && r <= 0x200f) || (r >= 0x2028 && r <= 0x202f) ||
      (r >= 0x205f && r <= 0x206f) || r == 0x3000 || r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb))
    return false;
  if ((r >= 0x600 && r <= 0x605) || r == 0x61c || r == 0x6dd || r == 0x70f || r == 0x180e)
    return false;
  if ((r >= 0xe000 && r <= 0xf8ff) || r >= 0xf0000) return false;
  if ((r >= 0xfdd0 && r <= 0xfdef) || (r & 0xfffe) == 0xfffe) return false;
  if (r == 0xe0001 || (r >= 0xe0020 && r <= 0xe007f)) return false;
  return true;
}

// Decodes one UTF-8 rune as Go does; returns its length, or 0 for an invalid byte.
std::size_t decode_rune(std::string_view s, std::size_t i, std::uint32_t& r) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xc0) == 0x80; };
  if (c >= 0xc2 && c <= 0xdf && cont(1)) {
    r = ((c & 0x1fu) << 6) | (b(1) & 0x3fu);
    return 2;
  }
  if (c >= 0xe0 && c <= 0xef && cont(1) && cont(2)) {
    r = ((c & 0x0fu) << 12) | ((b(1) & 0x3fu) << 6) | (b(2) & 0x3fu);
    if (r < 0x800 || (r >= 0xd800 && r <= 0xdfff)) return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4 && cont(1) && cont(2) && cont(3)) {
    r = ((c & 0x07u) << 18) | ((b(1) & 0x3fu) << 12) | ((b(2) & 0x3fu) << 6) | (b(3) & 0x3fu);
    if (r < 0x10000 || r > 0x10ffff) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

std::string go_quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  out.reserve(s.size() + 2);
  auto hex = [&](std::uint32_t v, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
      out.push_back(kHex[(v >> shift) & 0xf]);
  };
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t r = c;
    std::size_t len = 1;
    if (c >= 0x80) {
      len = decode_rune(s, i, r);
      if (len == 0) {
        out += "\\x";
        hex(c, 2);
        ++i;
        continue;
      }
    }
    if (r == '"' || r == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
    } else if (go_is_print(r)) {
      out.append(s.substr(i, len));
    } else {
      switch (r) {
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        default:
          if (r < 0x20 || r == 0x7f) {
            out += "\\x";
            hex(r, 2);
          } else if (r < 0x10000) {
            out += "\\u";
            hex(r, 4);
          } else {
            out += "\\U";
            hex(r, 8);
          }
      }
    }
    i += len;
  }
  out.push_back('"');
  return out;
}

}  // namespace mtr::core
