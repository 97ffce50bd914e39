#include "inventory/builtin.h"

namespace mtr::inventory {

void register_os_catalogers(CatalogerRegistry& /*registry*/) {}

}  // namespace mtr::inventory
