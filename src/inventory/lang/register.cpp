#include "inventory/builtin.h"
#include "inventory/lang/lang.h"

namespace mtr::inventory {

void register_language_catalogers(CatalogerRegistry& registry) {
  // Ids are distinct by construction; a failure here is a programming error caught by tests.
  auto add = [&registry](std::unique_ptr<Cataloger> c) {
    static_cast<void>(registry.add(std::move(c)));
  };
  add(lang::make_npm_package_json_cataloger());
  add(lang::make_npm_lock_cataloger());
  add(lang::make_yarn_lock_cataloger());
  add(lang::make_python_cataloger());
  add(lang::make_go_binary_cataloger());
  add(lang::make_java_archive_cataloger());
  add(lang::make_gemspec_cataloger());
  add(lang::make_gemfile_lock_cataloger());
  add(lang::make_cargo_lock_cataloger());
  add(lang::make_cargo_auditable_cataloger());
  add(lang::make_composer_lock_cataloger());
  add(lang::make_composer_installed_cataloger());
  add(lang::make_dotnet_deps_cataloger());
}

}  // namespace mtr::inventory
