#include "http/compression.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace solidum::http {
namespace {

std::string Gunzip(const std::string& z) {
  z_stream s{};
  EXPECT_EQ(inflateInit2(&s, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
  s.avail_in = static_cast<uInt>(z.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&s, Z_FINISH), Z_STREAM_END);
  out.resize(s.total_out);
  inflateEnd(&s);
  return out;
}

TEST(Compression, ReadsAcceptEncoding) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("br, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.000, *"));  // named and refused: the star does not bring it back
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
}

TEST(Compression, CompressesLargeTextualBodiesForClientsThatTakeThem) {
  Response r;
  r.content_type = "application/json";
  for (int i = 0; i < 2000; ++i) r.body += "{\"id\":" + std::to_string(i) + ",\"name\":\"Co-op\"},";
  std::string original = r.body;
  CompressFor(std::string_view("gzip, br"), r);
  EXPECT_LT(r.body.size(), original.size() / 4);
  EXPECT_EQ(Gunzip(r.body), original);
  bool gzip = false, vary = false;
  for (auto& [k, v] : r.headers) {
    gzip |= k == "Content-Encoding" && v == "gzip";
    vary |= k == "Vary" && v == "Accept-Encoding";
  }
  EXPECT_TRUE(gzip);
  EXPECT_TRUE(vary);
}

TEST(Compression, LeavesAloneWhatItShould) {
  std::string big(5000, 'a');
  auto unchanged = [&](Response r, std::optional<std::string_view> accept) {
    std::string before = r.body;
    CompressFor(accept, r);
    return r.body == before;
  };
  Response json;
  json.content_type = "application/json";
  json.body = big;
  EXPECT_TRUE(unchanged(json, std::nullopt));          // the client did not ask
  EXPECT_TRUE(unchanged(json, "identity"));
  Response small = json;
  small.body = "{\"a\":1}";
  EXPECT_TRUE(unchanged(small, "gzip"));                // too small to gain
  Response png = json;
  png.content_type = "image/png";
  EXPECT_TRUE(unchanged(png, "gzip"));                  // compressed already
  Response versioned = json;
  versioned.SetHeader("ETag", "\"v3\"");
  EXPECT_TRUE(unchanged(versioned, "gzip"));            // the ETag names this exact body
  EXPECT_FALSE(unchanged(json, "gzip"));
}

}  // namespace
}  // namespace solidum::http
