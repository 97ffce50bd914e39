// The two families of built-in catalogers; register_builtin_catalogers (cataloger.h) calls both.
#pragma once

#include "inventory/cataloger.h"

namespace mtr::inventory {

// dpkg (status and status.d), apk, rpm (sqlite, Berkeley DB, NDB).
void register_os_catalogers(CatalogerRegistry& registry);
// npm, Python, Go binaries, Java archives, Ruby, Rust, PHP, .NET.
void register_language_catalogers(CatalogerRegistry& registry);

}  // namespace mtr::inventory
