#include "http/metrics.h"

#include <gtest/gtest.h>

namespace solidum::http {
namespace {

TEST(Metrics, RendersCountsAndCumulativeBuckets) {
  Metrics m;
  auto slot = m.Register("GET /x/{id}");
  m.Observe(slot, 200, 300);      // 0.3 ms
  m.Observe(slot, 200, 3000);     // 3 ms
  m.Observe(slot, 404, 9'000'000);  // 9 s: only +Inf
  std::string out = m.Render();
  EXPECT_NE(out.find("solidum_http_requests_total{route=\"GET /x/{id}\",status=\"2xx\"} 2"), std::string::npos) << out;
  EXPECT_NE(out.find("solidum_http_requests_total{route=\"GET /x/{id}\",status=\"4xx\"} 1"), std::string::npos);
  EXPECT_NE(out.find("solidum_http_request_duration_seconds_bucket{route=\"GET /x/{id}\",le=\"0.0005\"} 1"), std::string::npos);
  EXPECT_NE(out.find("solidum_http_request_duration_seconds_bucket{route=\"GET /x/{id}\",le=\"0.005\"} 2"), std::string::npos);
  EXPECT_NE(out.find("solidum_http_request_duration_seconds_bucket{route=\"GET /x/{id}\",le=\"2.5\"} 2"), std::string::npos);
  EXPECT_NE(out.find("solidum_http_request_duration_seconds_bucket{route=\"GET /x/{id}\",le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(out.find("solidum_http_request_duration_seconds_count{route=\"GET /x/{id}\"} 3"), std::string::npos);
}

}  // namespace
}  // namespace solidum::http
