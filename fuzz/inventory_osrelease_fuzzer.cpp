// Fuzzes OS detection: the input is offered as each release file in turn.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "inventory/os_release.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string content(reinterpret_cast<const char*>(data), size);
  for (const char* path : {"/etc/os-release", "/etc/lsb-release", "/etc/redhat-release",
                           "/etc/SuSE-release", "/etc/debian_version", "/etc/alpine-release"}) {
    std::map<std::string, std::string, std::less<>> files{{path, content}};
    (void)mtr::inventory::detect_os(files);
  }
  return 0;
}
