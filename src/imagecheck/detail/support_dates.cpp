#include "imagecheck/detail/support_dates.h"

#include <array>
#include <cctype>
#include <string_view>

namespace mtr::imagecheck::detail {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

struct Row {
  std::string_view release;   // VERSION_ID major (Debian) or major.minor (Ubuntu, Alpine)
  std::string_view codename;  // Debian/Ubuntu VERSION_CODENAME; "" for Alpine
  int y;
  unsigned m, d;
};

// Debian: end of the Debian LTS period, after which no free security update is published.
// Source: https://wiki.debian.org/LTS (cross-checked with https://endoflife.date/debian,
// "eoes" column). Regular security-team support ends about two years earlier; LTS covers
// most, not all, packages.
constexpr std::array<Row, 8> kDebian = {{
    {"6", "squeeze", 2016, 2, 29},
    {"7", "wheezy", 2018, 5, 31},
    {"8", "jessie", 2020, 6, 30},
    {"9", "stretch", 2022, 6, 30},
    {"10", "buster", 2024, 6, 30},
    {"11", "bullseye", 2026, 8, 31},
    {"12", "bookworm", 2028, 6, 30},
    {"13", "trixie", 2030, 6, 30},
}};

// Ubuntu: end of standard security maintenance for main (LTS: 5 years; interim: 9 months).
// Expanded Security Maintenance needs an Ubuntu Pro subscription, which images do not carry.
// Source: https://wiki.ubuntu.com/Releases via https://endoflife.date/ubuntu ("eol" column).
constexpr std::array<Row, 29> kUbuntu = {{
    {"12.04", "precise", 2017, 4, 28},  {"12.10", "quantal", 2014, 5, 16},
    {"13.04", "raring", 2014, 1, 27},   {"13.10", "saucy", 2014, 7, 17},
    {"14.04", "trusty", 2019, 4, 2},    {"14.10", "utopic", 2015, 7, 23},
    {"15.04", "vivid", 2016, 2, 4},     {"15.10", "wily", 2016, 7, 28},
    {"16.04", "xenial", 2021, 4, 2},    {"16.10", "yakkety", 2017, 7, 20},
    {"17.04", "zesty", 2018, 1, 13},    {"17.10", "artful", 2018, 7, 19},
    {"18.04", "bionic", 2023, 5, 31},   {"18.10", "cosmic", 2019, 7, 18},
    {"19.04", "disco", 2020, 1, 23},    {"19.10", "eoan", 2020, 7, 6},
    {"20.04", "focal", 2025, 5, 31},    {"20.10", "groovy", 2021, 7, 22},
    {"21.04", "hirsute", 2022, 1, 20},  {"21.10", "impish", 2022, 7, 14},
    {"22.04", "jammy", 2027, 4, 1},     {"22.10", "kinetic", 2023, 7, 20},
    {"23.04", "lunar", 2024, 1, 20},    {"23.10", "mantic", 2024, 7, 12},
    {"24.04", "noble", 2029, 5, 31},    {"24.10", "oracular", 2025, 7, 10},
    {"25.04", "plucky", 2026, 1, 17},   {"25.10", "questing", 2026, 7, 1},
    {"26.04", "resolute", 2031, 4, 30},
}};

// Alpine: "End of support" per release branch. Source: https://alpinelinux.org/releases/
// (as mirrored by https://endoflife.date/alpine-linux). Security fixes for main only after
// the first six months; community gets none after the next release.
constexpr std::array<Row, 24> kAlpine = {{
    {"3.0", "", 2016, 5, 1},   {"3.1", "", 2016, 11, 1},  {"3.2", "", 2017, 5, 1},
    {"3.3", "", 2017, 11, 1},  {"3.4", "", 2018, 5, 1},   {"3.5", "", 2018, 11, 1},
    {"3.6", "", 2019, 5, 1},   {"3.7", "", 2019, 11, 1},  {"3.8", "", 2020, 5, 1},
    {"3.9", "", 2020, 11, 1},  {"3.10", "", 2021, 5, 1},  {"3.11", "", 2021, 11, 1},
    {"3.12", "", 2022, 5, 1},  {"3.13", "", 2022, 11, 1}, {"3.14", "", 2023, 5, 1},
    {"3.15", "", 2023, 11, 1}, {"3.16", "", 2024, 5, 23}, {"3.17", "", 2024, 11, 22},
    {"3.18", "", 2025, 5, 9},  {"3.19", "", 2025, 11, 1}, {"3.20", "", 2026, 4, 1},
    {"3.21", "", 2026, 11, 1}, {"3.22", "", 2027, 5, 1},  {"3.23", "", 2027, 11, 1},
}};

std::chrono::sys_days date_of(const Row& row) {
  return std::chrono::sys_days{year{row.y} / month{row.m} / day{row.d}};
}

// "3.18.4" → "3.18"; "12" → "12" with parts = 1. Anything else ("3.21_alpha2024…", "") → "".
std::string leading_version(std::string_view text, int parts) {
  std::string out;
  int seen = 0;
  std::size_t i = 0;
  while (seen < parts) {
    std::size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) ++i;
    if (i == start) return {};
    ++seen;
    if (seen < parts) {
      if (i >= text.size() || text[i] != '.') return {};
      ++i;
    }
  }
  // Development snapshots ("3.21_alpha…", "12~rc") are not the release in the table.
  if (i < text.size() && text[i] != '.') return {};
  return std::string(text.substr(0, i));
}

template <std::size_t N>
const Row* find(const std::array<Row, N>& rows, std::string_view release,
                std::string_view codename) {
  for (const Row& row : rows) {
    if (!release.empty() && row.release == release) return &row;
    if (release.empty() && !codename.empty() && row.codename == codename) return &row;
  }
  return nullptr;
}

}  // namespace

std::optional<SupportEnd> support_end(const inventory::OsInfo& os) {
  if (os.id == "debian") {
    auto release = leading_version(os.version_id, 1);
    const Row* row = find(kDebian, release, os.codename);
    if (row == nullptr) return std::nullopt;
    return SupportEnd{
        "Debian " + std::string(row->release) + " (" + std::string(row->codename) + ")",
        date_of(*row), "https://wiki.debian.org/LTS"};
  }
  if (os.id == "ubuntu") {
    auto release = leading_version(os.version_id, 2);
    const Row* row = find(kUbuntu, release, os.codename);
    if (row == nullptr) return std::nullopt;
    return SupportEnd{
        "Ubuntu " + std::string(row->release) + " (" + std::string(row->codename) + ")",
        date_of(*row), "https://wiki.ubuntu.com/Releases"};
  }
  if (os.id == "alpine") {
    auto release = leading_version(os.version_id, 2);
    const Row* row = find(kAlpine, release, "");
    if (row == nullptr) return std::nullopt;
    return SupportEnd{"Alpine " + std::string(row->release), date_of(*row),
                      "https://alpinelinux.org/releases/"};
  }
  return std::nullopt;
}

}  // namespace mtr::imagecheck::detail
