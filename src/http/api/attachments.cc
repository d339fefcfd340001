#include "http/api/attachments.h"

#include <cctype>

#include "common/text.h"
#include "http/problem.h"

namespace solidum::http::api {

boost::json::object AttachmentJson(const attachments::Attachment& a) {
  return {{"id", a.id},           {"file_name", a.file_name}, {"media_type", a.media_type},
          {"size_bytes", a.size_bytes}, {"hash", a.hash}, {"created_at", a.created_at}};
}

boost::json::array AttachmentsJson(const std::vector<attachments::Attachment>& list) {
  boost::json::array out;
  for (const auto& a : list) out.push_back(AttachmentJson(a));
  return out;
}

Response UploadAttachment(Context& ctx, const attachments::Owner& owner) {
  std::string file_name;
  for (const auto& [key, value] : ctx.request.query) {
    if (key != "file_name") return Problem(Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known."), ctx.request.path);
    file_name = value;
  }
  auto type = ctx.request.Header("content-type");
  attachments::Upload up{file_name, type ? std::string(*type) : "", ctx.request.body, ctx.principal.user_id};
  SOLIDUM_HTTP_TRY(auto a, ctx.services.attachments.Add(owner, up));
  return Json(201, AttachmentJson(a));
}

// RFC 6266: an ASCII fallback name and the UTF-8 name, percent-encoded.
std::string ContentDisposition(const std::string& name) {
  std::string ascii, encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : name) {
    if ((c & 0xC0) != 0x80) {  // one '_' per character that is not plain ASCII
      ascii.push_back(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' ? static_cast<char>(c) : '_');
    }
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xF];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

Response DownloadAttachment(Context& ctx, const attachments::Owner& owner) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("att"));
  SOLIDUM_HTTP_TRY(auto file, ctx.services.attachments.Read(owner, id));
  Response r;
  r.status = 200;
  r.content_type = file.first.media_type;
  r.body = std::move(file.second);
  r.SetHeader("Content-Disposition", ContentDisposition(file.first.file_name));
  r.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  r.SetHeader("Cache-Control", "private, no-store");
  return r;
}

Response RemoveAttachment(Context& ctx, const attachments::Owner& owner) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("att"));
  SOLIDUM_HTTP_CHECK(ctx.services.attachments.Remove(owner, id, ctx.principal.user_id));
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace solidum::http::api
