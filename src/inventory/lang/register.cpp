#include "inventory/builtin.h"

namespace mtr::inventory {

void register_language_catalogers(CatalogerRegistry& /*registry*/) {}

}  // namespace mtr::inventory
