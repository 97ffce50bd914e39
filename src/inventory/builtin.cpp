#include "inventory/builtin.h"

namespace mtr::inventory {

void register_builtin_catalogers(CatalogerRegistry& registry) {
  register_os_catalogers(registry);
  register_language_catalogers(registry);
}

}  // namespace mtr::inventory
