// Files attached to a record over HTTP, the same way for every kind of record: the
// routes of a concept (a loan application's files) find and authorize the record, then
// call these.
//  - upload: the body is the file's bytes, its Content-Type the type it claims to be,
//    ?file_name= its name; 201 with the file's description;
//  - download: the bytes as stored, always as a download (Content-Disposition:
//    attachment), never sniffed, and sandboxed should a browser open it anyway;
//  - removal: a mark (the file is kept, hidden).
#pragma once

#include <boost/json.hpp>

#include "attachments/attachments.h"
#include "http/app.h"

namespace solidum::http::api {

boost::json::object AttachmentJson(const attachments::Attachment& a);
boost::json::array AttachmentsJson(const std::vector<attachments::Attachment>& list);

Response UploadAttachment(Context& ctx, const attachments::Owner& owner);
Response DownloadAttachment(Context& ctx, const attachments::Owner& owner);  // {att} in the path
Response RemoveAttachment(Context& ctx, const attachments::Owner& owner);    // {att} in the path

}  // namespace solidum::http::api
