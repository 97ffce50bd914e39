// Factories for the local image sources; open_image (image.h) picks one from the reference.
#pragma once

#include <memory>
#include <string>

#include "oci/image.h"

namespace mtr::oci {

core::Result<std::unique_ptr<ImageSource>> open_oci_layout(const std::string& dir,
                                                           const std::string& tag,
                                                           const OpenOptions& options);
core::Result<std::unique_ptr<ImageSource>> open_rootfs(const std::string& dir);

}  // namespace mtr::oci
