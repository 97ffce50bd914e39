// register_os_catalogers adds the OS catalogers once each, with stable ids.
#include <gtest/gtest.h>

#include "inventory/builtin.h"

namespace mtr::inventory {
namespace {

TEST(OsCatalogers, RegisteredWithStableIds) {
  CatalogerRegistry registry;
  register_os_catalogers(registry);
  EXPECT_EQ(registry.version_key(), "dpkg:1,dpkg-copyright:1,apk:1,rpm:1");
  ASSERT_NE(registry.find("dpkg-copyright"), nullptr);
  EXPECT_FALSE(registry.find("dpkg-copyright")->database());
}

}  // namespace
}  // namespace mtr::inventory
