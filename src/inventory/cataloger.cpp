#include "inventory/cataloger.h"

#include <fmt/format.h>

namespace mtr::inventory {

core::Status CatalogerRegistry::add(std::unique_ptr<Cataloger> cataloger) {
  if (find(cataloger->id()) != nullptr) {
    return core::fail(core::ErrorCode::kInternal,
                      fmt::format("duplicate cataloger id '{}'", cataloger->id()));
  }
  catalogers_.push_back(std::move(cataloger));
  return core::Ok{};
}

const Cataloger* CatalogerRegistry::find(std::string_view id) const {
  for (const auto& c : catalogers_) {
    if (c->id() == id) return c.get();
  }
  return nullptr;
}

std::string CatalogerRegistry::version_key() const {
  std::string key;
  for (const auto& c : catalogers_) {
    if (!key.empty()) key += ',';
    key += fmt::format("{}:{}", c->id(), c->version());
  }
  return key;
}

}  // namespace mtr::inventory
