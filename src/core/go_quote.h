// Go's strconv.Quote (what fmt's %q prints for a string), for messages that must read exactly
// as a Go program prints them: Pod Security Admission's forbidden details, BuildKit's errors and
// AST dumps. unicode.IsPrint is approximated outside ASCII: space separators, format and
// control characters, private use areas and noncharacters are escaped; other runes are kept.
#pragma once

#include <string>
#include <string_view>

namespace mtr::core {

std::string go_quote(std::string_view s);

}  // namespace mtr::core
