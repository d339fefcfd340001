#include "attachments/attachments.h"

#include <sodium.h>

namespace solidum::attachments {
namespace {

using store::Conn;
using store::TxKind;

constexpr const char* kColumns = "id, owner_kind, owner_id, file_name, media_type, size_bytes, hash, uploaded_by, created_at";

Attachment FromRow(const store::Row& r) {
  Attachment a;
  a.id = r.Int(0);
  a.owner = Owner{r.Text(1), r.Int(2)};
  a.file_name = r.Text(3);
  a.media_type = r.Text(4);
  a.size_bytes = r.Int(5);
  a.hash = r.Text(6);
  a.uploaded_by = r.OptInt(7);
  a.created_at = r.Text(8);
  return a;
}

std::string Hash(const std::string& bytes) {
  unsigned char h[crypto_generichash_BYTES];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr, 0);
  char hex[sizeof h * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

}  // namespace

Attachments::Attachments(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

Result<Attachment> Attachments::Add(const Owner& owner, const Upload& up) {
  SOLIDUM_ASSIGN_OR_RETURN(auto type, Check(up.bytes, up.media_type, kAttachmentBytesMax, "/file"));
  Attachment a;
  a.owner = owner;
  a.file_name = SafeFileName(up.file_name, type);
  a.media_type = std::string(type.media_type);
  a.size_bytes = static_cast<std::int64_t>(up.bytes.size());
  a.hash = Hash(up.bytes);
  a.uploaded_by = up.uploaded_by;
  a.created_at = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Attachment>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Attachment> {
    SOLIDUM_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*) FROM attachments WHERE owner_kind = ? AND owner_id = ? AND removed_at IS NULL",
                                                       {owner.kind, owner.id}));
    if (count->Int(0) >= static_cast<std::int64_t>(kAttachmentsPerOwnerMax)) {
      return Error::Make(ErrorKind::kConflict, "too_many_attachments", "At most " + std::to_string(kAttachmentsPerOwnerMax) + " files: remove one first.");
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO attachments (owner_kind, owner_id, file_name, media_type, size_bytes, hash, uploaded_by, created_at) "
                                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                     {owner.kind, owner.id, a.file_name, a.media_type, a.size_bytes, a.hash, store::Opt(a.uploaded_by), a.created_at}));
    a.id = row->Int(0);
    SOLIDUM_TRY(conn.Exec("INSERT INTO attachment_contents (attachment_id, content) VALUES (?, ?)", {a.id, store::Blob{up.bytes}}));
    return a;
  });
}

Result<std::vector<Attachment>> Attachments::List(const Owner& owner) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kColumns) + " FROM attachments WHERE owner_kind = ? AND owner_id = ? "
                                                  "AND removed_at IS NULL ORDER BY id",
                                                  {owner.kind, owner.id}));
  std::vector<Attachment> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<std::map<std::int64_t, std::vector<Attachment>>> Attachments::ListOf(const std::string& kind, std::span<const std::int64_t> ids) {
  SOLIDUM_ASSERT(ids.size() <= kListOwnersMax);
  std::map<std::int64_t, std::vector<Attachment>> out;
  if (ids.empty()) return out;
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kColumns) + " FROM attachments WHERE owner_kind = ? AND owner_id IN (" +
                                                      std::string(store::JsonIntegers(conn->backend())) + ") AND removed_at IS NULL ORDER BY id",
                                                  {kind, store::JsonArray(ids)}));
  for (const auto& r : rows) {
    auto a = FromRow(r);
    out[a.owner.id].push_back(std::move(a));
  }
  return out;
}

Result<std::pair<Attachment, std::string>> Attachments::Read(const Owner& owner, std::int64_t id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT " + std::string(kColumns) + ", (SELECT content FROM attachment_contents c WHERE c.attachment_id = a.id) "
                                                    "FROM attachments a WHERE id = ? AND owner_kind = ? AND owner_id = ? AND removed_at IS NULL",
                                                    {id, owner.kind, owner.id}));
  if (!row) return Error::NotFound("No file " + std::to_string(id) + " here.");
  return std::pair{FromRow(*row), row->Bytes(9)};
}

Result<void> Attachments::Remove(const Owner& owner, std::int64_t id, std::optional<std::int64_t> by) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto changed, conn->Exec("UPDATE attachments SET removed_at = ?, removed_by = ? WHERE id = ? AND owner_kind = ? AND owner_id = ? "
                                                    "AND removed_at IS NULL",
                                                    {FormatTimestamp(clock_.NowMicros()), store::Opt(by), id, owner.kind, owner.id}));
  if (changed == 0) return Error::NotFound("No file " + std::to_string(id) + " here.");
  return Ok();
}

}  // namespace solidum::attachments
