// Files attached to a record (a loan application's business plan; later the library's
// resources and events), kept in the store itself: BLOB in SQLite, BYTEA in PostgreSQL.
//
// Why in the store: one backup holds everything, an upload is one transaction (the row
// and its bytes or neither), and a PostgreSQL deployment needs no shared disk. Files are
// small by rule (kAttachmentBytesMax), so the store carries them well.
//
// Every file passes file_type.h's Check before it is kept: its bytes must be of the type
// it declares, among the accepted ones. A record holds at most kAttachmentsPerOwnerMax
// live files. Removal is a mark (removed_at, removed_by): what a committee saw stays on
// file. Thread-safe: each call takes its own connection.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <optional>
#include <string>
#include <vector>

#include "attachments/file_type.h"
#include "common/clock.h"
#include "common/limits.h"
#include "common/result.h"
#include "store/store.h"

namespace solidum::attachments {

inline constexpr std::size_t kAttachmentBytesMax = 20 * 1024 * 1024;
inline constexpr std::size_t kAttachmentsPerOwnerMax = 20;
inline constexpr std::size_t kListOwnersMax = 1000;
static_assert(kAttachmentBytesMax < limits::kUploadBodyBytesMax, "an attachment must fit an upload's body");

// What a file is attached to: a kind of record ("loan_application") and its id.
struct Owner {
  std::string kind;
  std::int64_t id = 0;
};

struct Attachment {
  std::int64_t id = 0;
  Owner owner;
  std::string file_name, media_type;
  std::int64_t size_bytes = 0;
  std::string hash;  // BLAKE2b-256 of the bytes, hex: to check a download against
  std::optional<std::int64_t> uploaded_by;
  std::string created_at;
};

struct Upload {
  std::string file_name;   // as given: made safe (SafeFileName)
  std::string media_type;  // as declared: checked against the bytes
  std::string bytes;
  std::optional<std::int64_t> uploaded_by;
};

class Attachments {
 public:
  Attachments(store::Store& store, const Clock& clock);

  // Errors: "/file" (file_type.h's codes: empty, too_large, unsupported_type,
  // type_mismatch, truncated); kConflict "too_many_attachments".
  Result<Attachment> Add(const Owner& owner, const Upload& upload);
  // The owner's live files, oldest first.
  Result<std::vector<Attachment>> List(const Owner& owner);
  // The live files of many records of one kind (a list page), by record id; at most
  // kListOwnersMax ids.
  Result<std::map<std::int64_t, std::vector<Attachment>>> ListOf(const std::string& kind, std::span<const std::int64_t> ids);
  // One live file of the owner, with its bytes. kNotFound otherwise.
  Result<std::pair<Attachment, std::string>> Read(const Owner& owner, std::int64_t id);
  // Marks a live file of the owner removed. kNotFound otherwise.
  Result<void> Remove(const Owner& owner, std::int64_t id, std::optional<std::int64_t> by);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace solidum::attachments
