#include "identity/secrets.h"

#include <algorithm>
#include <semaphore>
#include <thread>

#include <sodium.h>

#include "common/limits.h"
#include "common/text.h"

namespace solidum::identity {
namespace {

struct SodiumInit {
  SodiumInit() { SOLIDUM_ASSERT(sodium_init() >= 0); }
};
const SodiumInit kSodiumInit;

constexpr unsigned long long kOps = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

}  // namespace

Result<void> ValidatePassword(std::string_view password, std::string_view field) {
  if (!text::IsValidUtf8(password)) {
    return Error::Invalid(std::string(field), "invalid_utf8", "The password is not valid UTF-8.");
  }
  if (text::CodePointCount(password) < limits::kPasswordBytesMin) {
    return Error::Invalid(std::string(field), "too_short",
                          "The password must have at least " +
                              std::to_string(limits::kPasswordBytesMin) + " characters.");
  }
  if (password.size() > limits::kPasswordBytesMax) {
    return Error::Invalid(std::string(field), "too_long", "The password is too long.");
  }
  return Ok();
}

namespace {
// argon2id takes 64 MiB and a core for each hash: at most one per core at a time, however
// many request threads wait (the server keeps many, for writes that wait on group commit).
std::counting_semaphore<256>& HashingSlots() {
  static std::counting_semaphore<256> slots(static_cast<std::ptrdiff_t>(std::clamp(std::thread::hardware_concurrency(), 1u, 256u)));
  return slots;
}
struct HashingSlot {
  HashingSlot() { HashingSlots().acquire(); }
  ~HashingSlot() { HashingSlots().release(); }
};
}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  HashingSlot slot;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOps, kMem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::Internal("out of memory hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  std::string h(encoded_hash);  // libsodium wants a NUL-terminated string
  HashingSlot slot;
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void VerifyDummyPassword(std::string_view password) {
  static const std::string dummy = *HashPassword("solidum-dummy-password-for-timing");
  (void)VerifyPassword(dummy, password);
}

std::string NewSecret(std::string_view prefix) {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  std::string out(prefix);
  out += text::Base64UrlEncode(std::string_view(reinterpret_cast<char*>(bytes), sizeof bytes));
  sodium_memzero(bytes, sizeof bytes);
  return out;
}

std::string HashSecret(std::string_view secret) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return std::string(hex, 64);
}

bool SecretEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace solidum::identity
