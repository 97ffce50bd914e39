#include "core/hash.h"

#include <fmt/format.h>

namespace mtr::core {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr); }

void Sha256::update(const void* data, std::size_t size) {
  EVP_DigestUpdate(ctx_.get(), data, size);
}

std::string Sha256::finish_digest() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_.get(), md.data(), &len);
  EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

std::string sha256_digest(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.finish_digest();
}

Status validate_digest(std::string_view digest) {
  auto colon = digest.find(':');
  if (colon == std::string_view::npos) {
    return fail(ErrorCode::kInvalidInput, fmt::format("malformed digest '{}'", digest));
  }
  if (digest.substr(0, colon) != "sha256") {
    return fail(ErrorCode::kUnsupported,
                fmt::format("digest algorithm '{}' is not supported (only sha256)",
                            digest.substr(0, colon)));
  }
  auto hex = digest.substr(colon + 1);
  if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return fail(ErrorCode::kInvalidInput, fmt::format("malformed sha256 digest '{}'", digest));
  }
  return Ok{};
}

std::string_view digest_hex(std::string_view digest) {
  auto colon = digest.find(':');
  return colon == std::string_view::npos ? digest : digest.substr(colon + 1);
}

}  // namespace mtr::core
