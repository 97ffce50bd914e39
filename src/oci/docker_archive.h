// docker-archive: the tar written by `docker save` (legacy <id>/layer.tar layout and the
// OCI-layout-inside-a-tar layout of Docker 25+), with several tags in one archive.
#pragma once

#include <memory>
#include <string>

#include "oci/image.h"

namespace mtr::oci {

core::Result<std::unique_ptr<ImageSource>> open_docker_archive(const std::string& path,
                                                               const std::string& tag,
                                                               const OpenOptions& options);

// Same, over an open file descriptor (e.g. an unnamed temporary file holding a daemon's
// export). The source keeps the descriptor open; `source_name` is shown to the user.
core::Result<std::unique_ptr<ImageSource>> open_docker_archive_fd(int fd, std::string source_name,
                                                                  std::string tag,
                                                                  const OpenOptions& options);

}  // namespace mtr::oci
