// The bad-input battery: every malformed, mistyped, oversized or hostile request is
// answered 4xx with problem+json naming what is wrong; the server stays healthy; and
// nothing is half-written.
#include <boost/json.hpp>

#include "fixture.h"

namespace solidum::testing {
namespace {

struct Case {
  const char* name;
  const char* method;      // on /api/v1/organisations (POST) or .../{id} (PATCH)
  std::string body;
  int status;
  const char* code;
  const char* first_field;  // "" when the problem names no field
  const char* content_type = "application/json";
};

std::string Nested(int depth) { return std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']'); }

std::vector<Case> Battery() {
  return {
      {"malformed JSON", "POST", R"({"name":)", 400, "malformed_json", ""},
      {"trailing garbage", "POST", R"({"name":"a"} x)", 400, "malformed_json", ""},
      {"empty body", "POST", "", 400, "malformed_json", ""},
      {"not an object", "POST", R"(["name"])", 400, "validation_failed", ""},
      {"wrong type for name", "POST", R"({"name":5})", 400, "validation_failed", "/name wrong_type"},
      {"wrong type for latitude", "POST", R"({"name":"a","latitude":"45","longitude":1})", 400, "validation_failed", "/latitude wrong_type"},
      {"unknown field", "POST", R"({"name":"a","colour":"red"})", 400, "validation_failed", "/colour unknown_field"},
      {"invalid UTF-8", "POST", "{\"name\":\"caf\xC3\x28\"}", 400, "malformed_json", ""},
      {"lone surrogate escape", "POST", R"({"name":"\ud800"})", 400, "malformed_json", ""},
      {"huge number", "POST", R"({"name":"a","latitude":1e400,"longitude":0})", 400, "validation_failed", "/latitude out_of_range"},
      {"huge integer", "POST", R"({"name":"a","latitude":123456789012345678901234567890,"longitude":0})", 400, "validation_failed", "/latitude out_of_range"},
      {"latitude out of range", "POST", R"({"name":"a","latitude":90.5,"longitude":0})", 400, "validation_failed", "/latitude out_of_range"},
      {"latitude without longitude", "POST", R"({"name":"a","latitude":45})", 400, "validation_failed", "/longitude required_with"},
      {"empty name", "POST", R"({"name":""})", 400, "validation_failed", "/name required"},
      {"blank name", "POST", R"({"name":"   "})", 400, "validation_failed", "/name required"},
      {"null name", "POST", R"({"name":null})", 400, "validation_failed", "/name required"},
      {"missing name", "POST", R"({"country":"FR"})", 400, "validation_failed", "/name required"},
      {"name too long", "POST", R"({"name":")" + std::string(201, 'a') + R"("})", 400, "validation_failed", "/name too_long"},
      {"control character", "POST", R"({"name":"a\u0007b"})", 400, "validation_failed", "/name control_characters"},
      {"unknown legal form", "POST", R"({"name":"a","legal_form":"OS1"})", 400, "validation_failed", "/legal_form unknown_term"},
      {"unknown country", "POST", R"({"name":"a","country":"XX"})", 400, "validation_failed", "/country unknown_term"},
      {"script URL", "POST", R"J({"name":"a","website":"javascript:alert(1)"})J", 400, "validation_failed", "/website invalid_url"},
      {"deep nesting", "POST", Nested(100), 400, "malformed_json", ""},
      {"wrong content type", "POST", R"({"name":"a"})", 415, "unsupported_media_type", "", "text/plain"},
      {"patch: empty name", "PATCH", R"({"name":""})", 400, "validation_failed", "/name required"},
      {"patch: null status", "PATCH", R"({"status":null})", 400, "validation_failed", "/status not_nullable"},
      {"patch: clearing longitude only", "PATCH", R"({"longitude":null})", 400, "validation_failed", "/longitude required_with"},
      {"patch: unknown status", "PATCH", R"({"status":"sleeping"})", 400, "validation_failed", "/status unknown_term"},
  };
}

TEST_F(ApiTest, BadInputBattery) {
  std::string token = NewUser("ana@coop.example");
  auto id = CreateOrg(token, R"({"name":"Untouched","latitude":1,"longitude":2})");
  std::string before = http_->Get("/api/v1/organisations/" + std::to_string(id)).body;
  for (const Case& c : Battery()) {
    SCOPED_TRACE(c.name);
    Headers h = Bearer(token);
    h.emplace_back("Content-Type", c.content_type);
    std::string target = "/api/v1/organisations";
    if (std::string(c.method) == "PATCH") {
      target += "/" + std::to_string(id);
      h.emplace_back("If-Match", "\"v1\"");
    }
    auto r = http_->Send(c.method, target, c.body, h);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    EXPECT_EQ(r.Code(), c.code) << r.body;
    auto fields = r.Fields();
    if (*c.first_field) {
      ASSERT_FALSE(fields.empty()) << r.body;
      EXPECT_EQ(fields.front(), c.first_field);
    }
    ASSERT_EQ(http_->Get("/healthz").status, 200);
  }
  EXPECT_EQ(CountRows("organisations"), 1);
  EXPECT_EQ(http_->Get("/api/v1/organisations/" + std::to_string(id)).body, before);
}

TEST_F(ApiTest, AllFieldErrorsComeTogether) {
  std::string token = NewUser("ana@coop.example");
  auto r = http_->SendJson("POST", "/api/v1/organisations",
                           R"({"name":"","country":"123","latitude":"x","website":"ftp://x","extra":1})", Bearer(token));
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(r.Fields(), (std::vector<std::string>{"/name required", "/country too_long", "/latitude wrong_type",
                                                   "/website invalid_url", "/extra unknown_field"}));
}

TEST_F(ApiTest, TransportLevelAbuse) {
  std::string token = NewUser("ana@coop.example");
  // Oversize body, announced by Content-Length.
  std::string big(2 * 1024 * 1024, 'a');
  auto r = http_->Raw("POST /api/v1/organisations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(big.size()) + "\r\n\r\n" + big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Code(), "payload_too_large");
  // Oversize body, chunked.
  std::string chunked = "POST /api/v1/organisations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                        "Content-Type: application/json\r\n\r\n";
  for (int i = 0; i < 40; ++i) chunked += "10000\r\n" + std::string(0x10000, 'b') + "\r\n";
  chunked += "0\r\n\r\n";
  EXPECT_EQ(http_->Raw(chunked).status, 413);
  // Headers too large.
  auto h = http_->Raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'h') + "\r\n\r\n");
  EXPECT_EQ(h.status, 431);
  // Not HTTP at all, and binary garbage.
  EXPECT_EQ(http_->Raw("HELLO\r\n\r\n").status, 400);
  EXPECT_EQ(http_->Raw(std::string("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11) + "\r\n\r\n").status, 400);
  // A target that is not a path, and an invalid percent-encoding.
  EXPECT_EQ(http_->Raw("GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(http_->Raw("GET /api/v1/organisations?q=%FF HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  // Ids that are not ids.
  EXPECT_EQ(http_->Get("/api/v1/organisations/abc").status, 404);
  EXPECT_EQ(http_->Get("/api/v1/organisations/-1").status, 404);
  EXPECT_EQ(http_->Get("/api/v1/organisations/99999999999999999999999").status, 404);
  EXPECT_EQ(http_->Get("/healthz").status, 200);
  EXPECT_EQ(CountRows("organisations"), 0);
}

}  // namespace
}  // namespace solidum::testing
