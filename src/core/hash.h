// SHA-256 through OpenSSL's EVP interface (SHA-NI where the CPU has it), and OCI digest
// strings ("sha256:<64 hex>").
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace mtr::core {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // Returns "sha256:<hex>" and resets the state.
  std::string finish_digest();

 private:
  struct Deleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  std::unique_ptr<EVP_MD_CTX, Deleter> ctx_;
};

std::string sha256_digest(std::string_view bytes);

// Accepts "sha256:<64 lowercase hex>" only; other algorithms are reported as unsupported.
Status validate_digest(std::string_view digest);

// "sha256:abcd…" → "abcd…" (the hex part), for blob paths. Requires a validated digest.
std::string_view digest_hex(std::string_view digest);

}  // namespace mtr::core
