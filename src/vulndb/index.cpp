#include "vulndb/index.h"

namespace mtr::vulndb {

std::string VulnIndex::key(std::string_view ecosystem, std::string_view package) {
  std::string k;
  k.reserve(ecosystem.size() + package.size() + 1);
  k.append(ecosystem);
  k.push_back('\0');
  k.append(package);
  return k;
}

void VulnIndex::add(Advisory advisory) {
  std::vector<Affected> affected = std::move(advisory.affected);
  advisory.affected.clear();
  advisories_.push_back(std::make_unique<Advisory>(std::move(advisory)));
  const Advisory* meta = advisories_.back().get();
  for (auto& a : affected) {
    auto& list = by_package_[key(a.ecosystem, a.package)];
    list.push_back(Entry{meta, std::move(a)});
    ++entries_;
  }
}

const std::vector<VulnIndex::Entry>& VulnIndex::lookup(std::string_view ecosystem,
                                                       std::string_view package) const {
  static const std::vector<Entry> kNone;
  auto it = by_package_.find(key(ecosystem, package));
  return it == by_package_.end() ? kNone : it->second;
}

}  // namespace mtr::vulndb

namespace mtr::vulndb {

const char* to_string(Status s) {
  switch (s) {
    case Status::kAffected:
      return "affected";
    case Status::kNotAffected:
      return "not_affected";
    case Status::kUnimportant:
      return "unimportant";
    case Status::kWillNotFix:
      return "will_not_fix";
    case Status::kDeferred:
      return "fix_deferred";
    case Status::kUndetermined:
      return "undetermined";
  }
  return "affected";
}

}  // namespace mtr::vulndb
