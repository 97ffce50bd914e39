#include "vulndb/update.h"

#include <fmt/format.h>

#include <fstream>

#include "core/hash.h"
#include "core/log.h"
#include "oci/detail/http.h"
#include "vulndb/cvss.h"

namespace mtr::vulndb {
namespace {

using core::ErrorCode;

bool is_url(std::string_view s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

core::Result<std::string> sha256_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::fail(ErrorCode::kIo, fmt::format("cannot read {}", path.string()));
  core::Sha256 h;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto n = in.gcount();
    if (n > 0) h.update(std::string_view(buf.data(), static_cast<std::size_t>(n)));
  }
  return h.finish_digest();
}

}  // namespace

std::vector<Feed> default_feeds() {
  std::vector<Feed> feeds;
  feeds.push_back({"debian-tracker", Format::kDebianTracker,
                   "https://security-tracker.debian.org/tracker/data/json"});
  for (int minor = 17; minor <= 22; ++minor) {
    for (const char* repo : {"main", "community"}) {
      feeds.push_back({fmt::format("alpine-v3.{}-{}", minor, repo), Format::kAlpineSecdb,
                       fmt::format("https://secdb.alpinelinux.org/v3.{}/{}.json", minor, repo)});
    }
  }
  for (const char* eco : {"Ubuntu", "AlmaLinux", "Rocky Linux", "PyPI", "npm", "Go", "Maven",
                          "crates.io", "RubyGems", "NuGet", "Packagist"}) {
    std::string escaped = eco;
    for (std::size_t i; (i = escaped.find(' ')) != std::string::npos;) escaped.replace(i, 1, "%20");
    feeds.push_back(
        {fmt::format("osv-{}", eco), Format::kOsv,
         fmt::format("https://osv-vulnerabilities.storage.googleapis.com/{}/all.zip", escaped)});
  }
  return feeds;
}

core::Result<std::filesystem::path> fetch_feed(const Feed& feed,
                                               const std::filesystem::path& download_dir,
                                               core::Progress* progress, std::string* sha256) {
  std::string location = feed.location;
  if (location.rfind("file://", 0) == 0) location = location.substr(7);
  if (!is_url(location)) {
    std::error_code ec;
    if (!std::filesystem::exists(location, ec)) {
      return core::fail(ErrorCode::kNotFound,
                        fmt::format("source {}: {} does not exist", feed.name, location));
    }
    if (sha256 && std::filesystem::is_regular_file(location, ec))
      *sha256 = MTR_TRY(sha256_file(location));
    return std::filesystem::path(location);
  }

  std::error_code ec;
  std::filesystem::create_directories(download_dir, ec);
  std::string file_name = feed.name;
  for (auto& c : file_name)
    if (c == '/' || c == ' ') c = '_';
  const bool zip = location.size() > 4 && location.compare(location.size() - 4, 4, ".zip") == 0;
  auto final_path = download_dir / (file_name + (zip ? ".zip" : ".data"));
  auto part = download_dir / (file_name + (zip ? ".zip.part" : ".data.part"));

  std::uint64_t have = std::filesystem::exists(part, ec) ? std::filesystem::file_size(part, ec) : 0;
  oci::detail::HttpRequest req;
  req.url = location;
  req.follow_redirects = true;
  if (have > 0) req.headers.push_back(fmt::format("Range: bytes={}-", have));

  std::ofstream out;
  bool resumed = false;
  auto on_response = [&](const oci::detail::HttpResponse& head) {
    if (head.status == 206 && have > 0) {
      resumed = true;
      out.open(part, std::ios::binary | std::ios::app);
    } else if (head.status == 200) {
      out.open(part, std::ios::binary | std::ios::trunc);
    } else {
      return false;
    }
    if (progress) {
      auto len = head.header("content-length");
      if (!len.empty()) progress->add_total(std::strtoull(len.c_str(), nullptr, 10));
      progress->set_label(feed.name);
    }
    return static_cast<bool>(out);
  };
  auto on_data = [&](std::span<const unsigned char> bytes) -> core::Status {
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) return core::fail(ErrorCode::kIo, fmt::format("cannot write {}", part.string()));
    if (progress) progress->advance(bytes.size());
    return {};
  };
  auto resp = MTR_TRY(oci::detail::http_get_stream(req, on_response, on_data, 4096));
  out.close();
  if (resp.status != 200 && resp.status != 206) {
    return core::fail(ErrorCode::kIo, fmt::format("source {}: {} answered HTTP {}", feed.name,
                                                  oci::detail::redact_url(location), resp.status));
  }
  if (resumed) spdlog::info("source {}: resumed download at byte {}", feed.name, have);
  std::filesystem::rename(part, final_path, ec);
  if (ec) {
    return core::fail(ErrorCode::kIo,
                      fmt::format("cannot rename {}: {}", part.string(), ec.message()));
  }
  if (sha256) *sha256 = MTR_TRY(sha256_file(final_path));
  return final_path;
}

core::Result<SourceInfo> import_path(Store& store, SourceInfo info,
                                     const std::filesystem::path& path, Format format) {
  info.format = to_string(format);
  ReadStats stats;
  auto result = store.replace_source(
      info, [&](const AdvisorySink& sink, SourceInfo& recorded) -> core::Status {
        auto scored = [&sink](Advisory&& a) -> core::Status {
          for (auto& c : a.cvss) {
            if (c.score >= 0) continue;
            if (auto s = score_cvss(c.vector)) {
              c.score = s->base;
              c.version = s->version;
            }
          }
          return sink(std::move(a));
        };
        stats = MTR_TRY(read_advisories(path.string(), format, scored));
        if (format == Format::kAuto && !stats.formats.empty()) {
          recorded.format.clear();
          for (auto f : stats.formats)
            recorded.format += (recorded.format.empty() ? "" : ",") + std::string(to_string(f));
        }
        return {};
      });
  if (!result) return result;
  spdlog::info("source {}: {} files read, {} skipped, {} advisories", info.name, stats.files,
               stats.skipped, result->advisories);
  return result;
}

}  // namespace mtr::vulndb
