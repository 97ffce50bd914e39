#include "core/table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace mtr::core {
namespace {

std::string render(const Table& t) {
  std::ostringstream out;
  t.write(out);
  return out.str();
}

TEST(Table, ColumnsArePaddedToTheWidestCellPlusTwo) {
  Table t({"NAME", "VERSION", "TYPE"});
  t.add_row({"libc6", "2.36-9+deb12u4", "deb"});
  t.add_row({"a", "1", "npm"});
  EXPECT_EQ(render(t),
            "NAME   VERSION         TYPE\n"
            "libc6  2.36-9+deb12u4  deb\n"
            "a      1               npm\n");
}

TEST(Table, Utf8CountsCodePointsNotBytes) {
  Table t({"N", "X"});
  t.add_row({"héllo", "1"});
  t.add_row({"abcde", "2"});
  EXPECT_EQ(render(t),
            "N      X\n"
            "héllo  1\n"
            "abcde  2\n");
}

// Empty trailing cells leave no trailing blanks (they show in diffs and copied text).
TEST(Table, ShortRowsAreFilledAndExtraCellsDropped) {
  Table t({"A", "B", "C"});
  t.add_row({"1"});
  t.add_row({"1", "2", "3", "4"});
  t.add_row({"", "2"});
  EXPECT_EQ(render(t),
            "A  B  C\n"
            "1\n"
            "1  2  3\n"
            "   2\n");
}

TEST(Table, HeaderOnly) {
  Table t({"SEVERITY", "ID"});
  EXPECT_EQ(render(t), "SEVERITY  ID\n");
}

}  // namespace
}  // namespace mtr::core
