// CVSS vectors to base scores. Each version has a table of metrics (abbreviation, accepted
// values, mandatory or not) that drives one parser; the arithmetic then follows the version's
// specification: v2.0 and v3.x by formula, v4.0 by macro-vector lookup and interpolation as in
// FIRST's reference calculator.
#include "vulndb/cvss.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "vulndb/detail/cvss_v4_table.h"

namespace mtr::vulndb {
namespace {

// --- Parsing -------------------------------------------------------------------------------

struct MetricSpec {
  std::string_view name;
  std::string_view values;  // accepted values, separated by spaces
  bool mandatory;
};

constexpr bool kBase = true;
constexpr bool kOptional = false;

// v2.0: base, temporal and environmental metrics (CVSS v2 guide, section 2.4).
constexpr std::array<MetricSpec, 14> kV2Metrics = {{
    {"AV", "L A N", kBase},
    {"AC", "H M L", kBase},
    {"Au", "M S N", kBase},
    {"C", "N P C", kBase},
    {"I", "N P C", kBase},
    {"A", "N P C", kBase},
    {"E", "U POC F H ND", kOptional},
    {"RL", "OF TF W U ND", kOptional},
    {"RC", "UC UR C ND", kOptional},
    {"CDP", "N L LM MH H ND", kOptional},
    {"TD", "N L M H ND", kOptional},
    {"CR", "L M H ND", kOptional},
    {"IR", "L M H ND", kOptional},
    {"AR", "L M H ND", kOptional},
}};

// v3.0 and v3.1 share their metrics (specification, section 6).
constexpr std::array<MetricSpec, 22> kV3Metrics = {{
    {"AV", "N A L P", kBase},       {"AC", "L H", kBase},          {"PR", "N L H", kBase},
    {"UI", "N R", kBase},           {"S", "U C", kBase},           {"C", "H L N", kBase},
    {"I", "H L N", kBase},          {"A", "H L N", kBase},         {"E", "X H F P U", kOptional},
    {"RL", "X U W T O", kOptional}, {"RC", "X C R U", kOptional},  {"CR", "X H M L", kOptional},
    {"IR", "X H M L", kOptional},   {"AR", "X H M L", kOptional},  {"MAV", "X N A L P", kOptional},
    {"MAC", "X L H", kOptional},    {"MPR", "X N L H", kOptional}, {"MUI", "X N R", kOptional},
    {"MS", "X U C", kOptional},     {"MC", "X H L N", kOptional},  {"MI", "X H L N", kOptional},
    {"MA", "X H L N", kOptional},
}};

// v4.0: base, threat, environmental and supplemental metrics (specification, section 7).
constexpr std::array<MetricSpec, 32> kV4Metrics = {{
    {"AV", "N A L P", kBase},
    {"AC", "L H", kBase},
    {"AT", "N P", kBase},
    {"PR", "N L H", kBase},
    {"UI", "N P A", kBase},
    {"VC", "H L N", kBase},
    {"VI", "H L N", kBase},
    {"VA", "H L N", kBase},
    {"SC", "H L N", kBase},
    {"SI", "H L N", kBase},
    {"SA", "H L N", kBase},
    {"E", "X A P U", kOptional},
    {"CR", "X H M L", kOptional},
    {"IR", "X H M L", kOptional},
    {"AR", "X H M L", kOptional},
    {"MAV", "X N A L P", kOptional},
    {"MAC", "X L H", kOptional},
    {"MAT", "X N P", kOptional},
    {"MPR", "X N L H", kOptional},
    {"MUI", "X N P A", kOptional},
    {"MVC", "X H L N", kOptional},
    {"MVI", "X H L N", kOptional},
    {"MVA", "X H L N", kOptional},
    {"MSC", "X H L N", kOptional},
    {"MSI", "X S H L N", kOptional},
    {"MSA", "X S H L N", kOptional},
    {"S", "X N P", kOptional},
    {"AU", "X N Y", kOptional},
    {"R", "X A U I", kOptional},
    {"V", "X D C", kOptional},
    {"RE", "X L M H", kOptional},
    {"U", "X Clear Green Amber Red", kOptional},
}};

bool is_one_of(std::string_view value, std::string_view values) {
  while (!values.empty()) {
    const size_t space = values.find(' ');
    if (values.substr(0, space) == value) return true;
    if (space == std::string_view::npos) break;
    values.remove_prefix(space + 1);
  }
  return false;
}

// Metric name → value, views into the vector.
using Metrics = std::map<std::string_view, std::string_view>;

// "AV:N/AC:L/…" → metrics. Metrics may come in any order (real advisories do not all keep the
// specification's order, e.g. GHSA-28g4-38q8-3cwc); each may appear once, with one of its values.
std::optional<Metrics> parse_metrics(std::string_view body, std::span<const MetricSpec> specs) {
  // One trailing slash occurs in published advisories (GHSA-f5pg-7wfw-84q9); it adds nothing.
  if (body.ends_with('/')) body.remove_suffix(1);
  Metrics metrics;
  while (true) {
    const size_t slash = body.find('/');
    const std::string_view part = body.substr(0, slash);
    const size_t colon = part.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string_view name = part.substr(0, colon);
    const std::string_view value = part.substr(colon + 1);
    const auto spec = std::ranges::find(specs, name, &MetricSpec::name);
    if (spec == specs.end() || !is_one_of(value, spec->values)) return std::nullopt;
    if (!metrics.emplace(name, value).second) return std::nullopt;
    if (slash == std::string_view::npos) break;
    body.remove_prefix(slash + 1);
  }
  for (const MetricSpec& spec : specs) {
    if (spec.mandatory && !metrics.contains(spec.name)) return std::nullopt;
  }
  return metrics;
}

// Scores are kept in tenths so that rounding happens once and comparisons are exact.
CvssScore make_score(std::string version, int64_t tenths) {
  return CvssScore{std::move(version), static_cast<double>(tenths) / 10.0};
}

struct Weight {
  std::string_view value;
  double weight;
};

double weight_of(std::string_view value, std::span<const Weight> weights) {
  const auto it = std::ranges::find(weights, value, &Weight::value);
  return it == weights.end() ? 0.0 : it->weight;
}

// --- v2.0 (CVSS v2 guide, section 3.2.1) ---------------------------------------------------

constexpr std::array<Weight, 3> kV2AccessVector = {{{"L", 0.395}, {"A", 0.646}, {"N", 1.0}}};
constexpr std::array<Weight, 3> kV2AccessComplexity = {{{"H", 0.35}, {"M", 0.61}, {"L", 0.71}}};
constexpr std::array<Weight, 3> kV2Authentication = {{{"M", 0.45}, {"S", 0.56}, {"N", 0.704}}};
constexpr std::array<Weight, 3> kV2Impact = {{{"N", 0.0}, {"P", 0.275}, {"C", 0.660}}};

CvssScore score_v2(const Metrics& m) {
  const double impact = 10.41 * (1.0 - (1.0 - weight_of(m.at("C"), kV2Impact)) *
                                           (1.0 - weight_of(m.at("I"), kV2Impact)) *
                                           (1.0 - weight_of(m.at("A"), kV2Impact)));
  const double exploitability = 20.0 * weight_of(m.at("AV"), kV2AccessVector) *
                                weight_of(m.at("AC"), kV2AccessComplexity) *
                                weight_of(m.at("Au"), kV2Authentication);
  const double f_impact = impact > 0.0 ? 1.176 : 0.0;
  const double base = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f_impact;
  // "Round to one decimal": half away from zero, as the guide's examples and NVD do.
  return make_score("2.0", std::max<int64_t>(0, std::llround(base * 10.0)));
}

// --- v3.0 / v3.1 (specification, sections 7.1 and Appendix A) ------------------------------

constexpr std::array<Weight, 4> kV3AttackVector = {
    {{"N", 0.85}, {"A", 0.62}, {"L", 0.55}, {"P", 0.2}}};
constexpr std::array<Weight, 2> kV3AttackComplexity = {{{"L", 0.77}, {"H", 0.44}}};
constexpr std::array<Weight, 3> kV3PrivilegesUnchanged = {{{"N", 0.85}, {"L", 0.62}, {"H", 0.27}}};
constexpr std::array<Weight, 3> kV3PrivilegesChanged = {{{"N", 0.85}, {"L", 0.68}, {"H", 0.5}}};
constexpr std::array<Weight, 2> kV3UserInteraction = {{{"N", 0.85}, {"R", 0.62}}};
constexpr std::array<Weight, 3> kV3Impact = {{{"H", 0.56}, {"L", 0.22}, {"N", 0.0}}};

// Smallest number of tenths not below `value`. v3.1 defines it on integers so that
// floating-point noise (4.000000000000001) does not add a tenth; v3.0 is the plain ceiling.
int64_t roundup_tenths(double value, bool v31) {
  if (!v31) return static_cast<int64_t>(std::ceil(value * 10.0));
  const int64_t int_input = std::llround(value * 100000.0);
  if (int_input % 10000 == 0) return int_input / 10000;
  return int_input / 10000 + 1;
}

CvssScore score_v3(const Metrics& m, bool v31) {
  const bool changed = m.at("S") == "C";
  const double iss = 1.0 - (1.0 - weight_of(m.at("C"), kV3Impact)) *
                               (1.0 - weight_of(m.at("I"), kV3Impact)) *
                               (1.0 - weight_of(m.at("A"), kV3Impact));
  const double impact =
      changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability =
      8.22 * weight_of(m.at("AV"), kV3AttackVector) * weight_of(m.at("AC"), kV3AttackComplexity) *
      weight_of(m.at("PR"), changed ? std::span<const Weight>(kV3PrivilegesChanged)
                                    : std::span<const Weight>(kV3PrivilegesUnchanged)) *
      weight_of(m.at("UI"), kV3UserInteraction);
  std::string version = v31 ? "3.1" : "3.0";
  if (impact <= 0.0) return make_score(std::move(version), 0);
  const double sum = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
  return make_score(std::move(version), roundup_tenths(std::min(sum, 10.0), v31));
}

// --- v4.0 (specification, section 8; FIRST's cvss_score.js) --------------------------------

// Effective value of each metric the arithmetic reads: a modified environmental metric (M*)
// overrides the base metric; E, CR, IR and AR that are absent or X take their worst case.
// Resolved once per vector, since scoring reads them many times.
class V4Values {
 public:
  explicit V4Values(const Metrics& metrics) {
    const auto defined = [&metrics](std::string_view name) -> std::optional<std::string_view> {
      const auto it = metrics.find(name);
      if (it == metrics.end() || it->second == "X") return std::nullopt;
      return it->second;
    };
    for (size_t i = 0; i < kNames.size(); ++i) {
      const std::string_view name = kNames[i];
      if (name == "E") {
        values_[i] = defined(name).value_or("A");
      } else if (name == "CR" || name == "IR" || name == "AR") {
        values_[i] = defined(name).value_or("H");
      } else {
        std::string modified = "M";
        modified += name;
        values_[i] = defined(modified).value_or(metrics.at(name));
      }
    }
  }

  std::string_view operator()(std::string_view name) const {
    for (size_t i = 0; i < kNames.size(); ++i) {
      if (kNames[i] == name) return values_[i];
    }
    return {};
  }

 private:
  static constexpr std::array<std::string_view, 15> kNames = {
      "AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA", "E", "CR", "IR", "AR"};
  std::array<std::string_view, kNames.size()> values_{};
};

using MacroVector = std::array<int, 6>;  // EQ1..EQ6 levels

MacroVector macro_vector(const V4Values& v) {
  const auto is = [&v](std::string_view name, std::string_view value) { return v(name) == value; };
  MacroVector eq{};
  if (is("AV", "N") && is("PR", "N") && is("UI", "N")) {
    eq[0] = 0;
  } else if ((is("AV", "N") || is("PR", "N") || is("UI", "N")) && !is("AV", "P")) {
    eq[0] = 1;
  } else {
    eq[0] = 2;
  }
  eq[1] = is("AC", "L") && is("AT", "N") ? 0 : 1;
  if (is("VC", "H") && is("VI", "H")) {
    eq[2] = 0;
  } else if (is("VC", "H") || is("VI", "H") || is("VA", "H")) {
    eq[2] = 1;
  } else {
    eq[2] = 2;
  }
  // Only MSI/MSA can be S, and they override SI/SA.
  if (is("SI", "S") || is("SA", "S")) {
    eq[3] = 0;
  } else if (is("SC", "H") || is("SI", "H") || is("SA", "H")) {
    eq[3] = 1;
  } else {
    eq[3] = 2;
  }
  eq[4] = is("E", "A") ? 0 : is("E", "P") ? 1 : 2;
  eq[5] = (is("CR", "H") && is("VC", "H")) || (is("IR", "H") && is("VI", "H")) ||
                  (is("AR", "H") && is("VA", "H"))
              ? 0
              : 1;
  return eq;
}

// Score of a macro vector; NaN when it does not exist (past the lowest level of an EQ), which
// the interpolation then leaves out, as the reference calculator does.
double macro_vector_score(const MacroVector& eq) {
  std::array<char, 6> digits{};
  for (size_t i = 0; i < eq.size(); ++i) digits[i] = static_cast<char>('0' + eq[i]);
  const std::string_view key(digits.data(), digits.size());
  const auto& table = detail::kMacroVectorScores;
  const auto it = std::ranges::lower_bound(table, key, {}, &detail::MacroVectorScore::macro_vector);
  if (it == table.end() || it->macro_vector != key) return std::numeric_limits<double>::quiet_NaN();
  return it->score;
}

MacroVector lowered(MacroVector eq, size_t index) {
  ++eq[index];
  return eq;
}

// Severity distance levels: 0 for the most severe value, one step of 0.1 per value below it.
// The reference calculator writes them as decimal literals; the same doubles make sums and
// ratios round exactly as there.
struct Levels {
  std::string_view metric;
  std::array<Weight, 4> levels;
};
constexpr std::array<Levels, 14> kLevels = {{
    {"AV", {{{"N", 0.0}, {"A", 0.1}, {"L", 0.2}, {"P", 0.3}}}},
    {"PR", {{{"N", 0.0}, {"L", 0.1}, {"H", 0.2}}}},
    {"UI", {{{"N", 0.0}, {"P", 0.1}, {"A", 0.2}}}},
    {"AC", {{{"L", 0.0}, {"H", 0.1}}}},
    {"AT", {{{"N", 0.0}, {"P", 0.1}}}},
    {"VC", {{{"H", 0.0}, {"L", 0.1}, {"N", 0.2}}}},
    {"VI", {{{"H", 0.0}, {"L", 0.1}, {"N", 0.2}}}},
    {"VA", {{{"H", 0.0}, {"L", 0.1}, {"N", 0.2}}}},
    {"SC", {{{"H", 0.1}, {"L", 0.2}, {"N", 0.3}}}},
    {"SI", {{{"S", 0.0}, {"H", 0.1}, {"L", 0.2}, {"N", 0.3}}}},
    {"SA", {{{"S", 0.0}, {"H", 0.1}, {"L", 0.2}, {"N", 0.3}}}},
    {"CR", {{{"H", 0.0}, {"M", 0.1}, {"L", 0.2}}}},
    {"IR", {{{"H", 0.0}, {"M", 0.1}, {"L", 0.2}}}},
    {"AR", {{{"H", 0.0}, {"M", 0.1}, {"L", 0.2}}}},
}};
// Positions in kLevels, grouped as the EQs that the distances feed.
constexpr size_t kAV = 0, kPR = 1, kUI = 2, kAC = 3, kAT = 4, kVC = 5, kVI = 6, kVA = 7, kSC = 8,
                 kSI = 9, kSA = 10, kCR = 11, kIR = 12, kAR = 13;

// Value of `metric` in a fragment such as "AV:N/PR:N/UI:N", or empty.
std::string_view value_in(std::string_view fragment, std::string_view metric) {
  while (!fragment.empty()) {
    const size_t slash = fragment.find('/');
    const std::string_view part = fragment.substr(0, slash);
    if (part.size() > metric.size() && part.substr(0, metric.size()) == metric &&
        part[metric.size()] == ':') {
      return part.substr(metric.size() + 1);
    }
    if (slash == std::string_view::npos) break;
    fragment.remove_prefix(slash + 1);
  }
  return {};
}

// Distance of the vector from one highest severity vector, per metric of kLevels.
using Distances = std::array<double, kLevels.size()>;

Distances distances_from(const V4Values& v, const std::array<std::string_view, 4>& maximum) {
  Distances d{};
  for (size_t i = 0; i < kLevels.size(); ++i) {
    std::string_view max_value;
    for (const std::string_view fragment : maximum) {
      max_value = value_in(fragment, kLevels[i].metric);
      if (!max_value.empty()) break;
    }
    d[i] = weight_of(v(kLevels[i].metric), kLevels[i].levels) -
           weight_of(max_value, kLevels[i].levels);
  }
  return d;
}

// Distances from the first highest severity vector of the macro vector that the vector does not
// exceed on any metric (the last candidate when none qualifies, as in the reference).
Distances severity_distances(const V4Values& v, const MacroVector& eq) {
  Distances d{};
  for (const std::string_view eq1 : detail::kEq1Maxima[static_cast<size_t>(eq[0])]) {
    for (const std::string_view eq2 : detail::kEq2Maxima[static_cast<size_t>(eq[1])]) {
      for (const std::string_view eq36 :
           detail::kEq3Eq6Maxima[static_cast<size_t>(eq[2])][static_cast<size_t>(eq[5])]) {
        if (eq1.empty() || eq2.empty() || eq36.empty()) continue;
        const std::string_view eq4 = detail::kEq4Maxima[static_cast<size_t>(eq[3])];
        d = distances_from(v, {eq1, eq2, eq36, eq4});
        if (std::ranges::all_of(d, [](double x) { return x >= 0.0; })) return d;
      }
    }
  }
  return d;
}

CvssScore score_v4(const Metrics& metrics) {
  const V4Values v(metrics);
  if (std::ranges::all_of(std::array<std::string_view, 6>{"VC", "VI", "VA", "SC", "SI", "SA"},
                          [&v](std::string_view name) { return v(name) == "N"; })) {
    return make_score("4.0", 0);
  }
  const MacroVector eq = macro_vector(v);
  const double value = macro_vector_score(eq);

  // Score of the next lower macro vector along each EQ; EQ3 and EQ6 move together.
  double lower_eq3eq6 = 0;
  if (eq[2] == 0 && eq[5] == 0) {
    const double left = macro_vector_score(lowered(eq, 5));
    const double right = macro_vector_score(lowered(eq, 2));
    lower_eq3eq6 = left > right ? left : right;
  } else if (eq[2] == 1 && eq[5] == 0) {
    lower_eq3eq6 = macro_vector_score(lowered(eq, 5));
  } else if (eq[2] == 2) {
    lower_eq3eq6 = macro_vector_score(lowered(lowered(eq, 2), 5));
  } else {
    lower_eq3eq6 = macro_vector_score(lowered(eq, 2));
  }

  const Distances d = severity_distances(v, eq);
  const double current_eq1 = d[kAV] + d[kPR] + d[kUI];
  const double current_eq2 = d[kAC] + d[kAT];
  const double current_eq3eq6 = d[kVC] + d[kVI] + d[kVA] + d[kCR] + d[kIR] + d[kAR];
  const double current_eq4 = d[kSC] + d[kSI] + d[kSA];

  constexpr double kStep = 0.1;
  const auto level = [&eq](size_t i) { return static_cast<size_t>(eq[i]); };
  struct Component {
    double available;  // score difference to the next lower macro vector, NaN when none
    double current;    // severity distance within the macro vector
    double depth;      // severity depth of the macro vector
  };
  const std::array<Component, 5> components = {{
      {value - macro_vector_score(lowered(eq, 0)), current_eq1,
       detail::kEq1Depth[level(0)] * kStep},
      {value - macro_vector_score(lowered(eq, 1)), current_eq2,
       detail::kEq2Depth[level(1)] * kStep},
      {value - lower_eq3eq6, current_eq3eq6, detail::kEq3Eq6Depth[level(2)][level(5)] * kStep},
      {value - macro_vector_score(lowered(eq, 3)), current_eq4,
       detail::kEq4Depth[level(3)] * kStep},
      // EQ5 (exploit maturity) has a single value per level: its proportion is always zero.
      {value - macro_vector_score(lowered(eq, 4)), 0.0, 1.0},
  }};
  double total = 0.0;
  int existing = 0;
  for (const Component& c : components) {
    if (std::isnan(c.available)) continue;
    ++existing;
    total += c.available * (c.current / c.depth);
  }
  const double mean = existing == 0 ? 0.0 : total / existing;
  const double score = std::clamp(value - mean, 0.0, 10.0);
  // Half up at one decimal, lifted by 1e-6 first: the interpolation can land one ULP below an
  // x.x5 tie, as FIRST's calculator corrects.
  return make_score("4.0", static_cast<int64_t>(std::floor((score + 1e-6) * 10.0 + 0.5)));
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::optional<CvssScore> score_cvss(std::string_view vector) {
  if (starts_with(vector, "CVSS:4.0/")) {
    const auto metrics = parse_metrics(vector.substr(9), kV4Metrics);
    if (!metrics) return std::nullopt;
    return score_v4(*metrics);
  }
  if (starts_with(vector, "CVSS:3.0/") || starts_with(vector, "CVSS:3.1/")) {
    const auto metrics = parse_metrics(vector.substr(9), kV3Metrics);
    if (!metrics) return std::nullopt;
    return score_v3(*metrics, vector[7] == '1');
  }
  // v2.0 vectors carry no prefix in NVD's feeds; some sources add "CVSS:2.0/" or parentheses.
  std::string_view body = vector;
  if (starts_with(body, "CVSS:2.0/")) {
    body.remove_prefix(9);
  } else if (body.size() >= 2 && body.front() == '(' && body.back() == ')') {
    body = body.substr(1, body.size() - 2);
  }
  const auto metrics = parse_metrics(body, kV2Metrics);
  if (!metrics) return std::nullopt;
  return score_v2(*metrics);
}

core::Severity cvss_severity(const CvssScore& score) {
  const int64_t tenths = std::llround(score.base * 10.0);
  if (score.version == "2.0") {
    if (tenths >= 70) return core::Severity::kHigh;
    if (tenths >= 40) return core::Severity::kMedium;
    return core::Severity::kLow;
  }
  if (score.version != "3.0" && score.version != "3.1" && score.version != "4.0") {
    return core::Severity::kUnknown;
  }
  if (tenths <= 0) return core::Severity::kNone;
  if (tenths < 40) return core::Severity::kLow;
  if (tenths < 70) return core::Severity::kMedium;
  if (tenths < 90) return core::Severity::kHigh;
  return core::Severity::kCritical;
}

}  // namespace mtr::vulndb
