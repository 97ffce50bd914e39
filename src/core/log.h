// Logging for the whole product: human-readable lines on stderr by default, one JSON object
// per line with --log-format json. A thin layer over spdlog so call sites stay short.
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

namespace mtr::core {

enum class LogFormat { kHuman, kJson };

// Configures the global logger. `level` is one of trace, debug, info, warn, error, off.
void init_logging(LogFormat format, std::string_view level);

}  // namespace mtr::core

#define MTR_LOG_DEBUG(...) SPDLOG_DEBUG(__VA_ARGS__)
#define MTR_LOG_INFO(...) spdlog::info(__VA_ARGS__)
#define MTR_LOG_WARN(...) spdlog::warn(__VA_ARGS__)
#define MTR_LOG_ERROR(...) spdlog::error(__VA_ARGS__)
