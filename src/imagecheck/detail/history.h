// Reading the build history: which Dockerfile instruction a `created_by` records, and the
// words of a RUN command. Both the classic builder and BuildKit forms are understood.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mtr::imagecheck::detail {

struct Instruction {
  std::string keyword;    // "RUN", "ADD", … ; "" when the text names no instruction
  std::string arguments;  // the rest, without "/bin/sh -c", "#(nop)" or "# buildkit"
};

// Classic builder: "/bin/sh -c #(nop) ADD file:… in / " (non-RUN), "/bin/sh -c apt-get …"
// (RUN), "|2 A=1 B=2 /bin/sh -c make" (RUN with build args). BuildKit: "RUN /bin/sh -c make #
// buildkit", "ADD https://… /opt/ # buildkit". Base images from debuerreotype & co record
// free text ("# debian.sh …"): no keyword.
Instruction parse_instruction(std::string_view created_by);

// The words of a shell command, split on blanks and on the operators that start a new
// command (; & | ( ) ` newline), with surrounding quotes dropped. Not a shell parser: enough
// to see which programs a RUN line calls.
std::vector<std::string> shell_words(std::string_view command);
// Words as above, grouped into simple commands (split at ; & | ( ) ` and newlines).
std::vector<std::vector<std::string>> shell_commands(std::string_view command);

}  // namespace mtr::imagecheck::detail
