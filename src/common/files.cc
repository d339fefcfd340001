#include "common/files.h"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace solidum::files {

namespace {

Error TooLarge(const std::string& path, std::size_t max_bytes) {
  return Error::Invalid("file", "too_large", path + " is larger than " + std::to_string(max_bytes >> 20) + " MiB.");
}

// Reads `in` to the end in blocks, stopping past the limit.
Result<void> ReadStream(std::istream& in, const std::string& path, std::size_t max_bytes, std::string& out) {
  out.clear();
  char block[1 << 16];
  while (in.read(block, sizeof block) || in.gcount() > 0) {
    out.append(block, static_cast<std::size_t>(in.gcount()));
    if (out.size() > max_bytes) return TooLarge(path, max_bytes);
  }
  if (in.bad()) return Error::Invalid("file", "unreadable", "Cannot read " + path + ".");
  return Ok();
}

}  // namespace

Result<void> ReadWhole(const std::string& path, std::size_t max_bytes, std::string& out) {
  if (path == "-") return ReadStream(std::cin, "standard input", max_bytes, out);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Error::Invalid("file", "unreadable", path + " is a directory.");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Error::Invalid("file", "unreadable", "Cannot open " + path + ".");
  const std::streamoff size = in.tellg();
  if (size < 0) return ReadStream(in, path, max_bytes, out);  // not seekable: a pipe
  if (static_cast<std::size_t>(size) > max_bytes) return TooLarge(path, max_bytes);
  out.resize(static_cast<std::size_t>(size));
  in.seekg(0);
  if (!in.read(out.data(), size)) return Error::Invalid("file", "unreadable", "Cannot read " + path + ".");
  return Ok();
}

}  // namespace solidum::files
