#include <cstdlib>

#include "core/log.h"
#include "inventory/builtin.h"
#include "inventory/os/os_catalogers.h"

namespace mtr::inventory {

void register_os_catalogers(CatalogerRegistry& registry) {
  for (auto* make : {&os::make_dpkg_cataloger, &os::make_dpkg_copyright_cataloger,
                     &os::make_apk_cataloger, &os::make_rpm_cataloger}) {
    auto status = registry.add(make());
    // A duplicate id is our own bug (ids are fixed strings), never the input's.
    if (!status) {
      MTR_LOG_ERROR("internal error: {}", status.error().to_string());
      std::abort();
    }
  }
}

}  // namespace mtr::inventory
