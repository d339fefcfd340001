// RFC 9457 problem details: every error an API client sees has this shape:
//   {"type":"https://solidum.coop/problems/validation_failed","title":"...","status":400,
//    "code":"validation_failed","detail":"...","instance":"/api/v1/...",
//    "errors":[{"field":"/name","code":"required","message":"..."}]}
#pragma once

#include "common/result.h"
#include "http/message.h"

namespace solidum::http {

// The one table from ErrorKind to HTTP status.
int StatusOf(ErrorKind kind);

// The problem+json response for an error. Internal errors get a generic detail: their
// message goes to the log, never to the client.
Response Problem(const Error& error, std::string_view instance);

}  // namespace solidum::http
