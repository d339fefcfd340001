#include "http/metrics.h"

#include <fmt/format.h>

#include "common/clock.h"

namespace solidum::http {

Metrics::Metrics() : started_micros_(static_cast<std::uint64_t>(SystemClock::Instance().NowMicros())) {
  Register("unmatched");
}

std::size_t Metrics::Register(std::string label) {
  auto s = std::make_unique<Slot>();
  s->label = std::move(label);
  slots_.push_back(std::move(s));
  return slots_.size() - 1;
}

void Metrics::Observe(std::size_t slot, int status, std::int64_t micros) {
  Slot& s = *slots_.at(slot);
  int cls = status / 100 - 1;
  if (cls < 0 || cls > 4) cls = 4;
  s.by_class[static_cast<std::size_t>(cls)].fetch_add(1, std::memory_order_relaxed);
  double secs = static_cast<double>(micros) / 1e6;
  std::size_t b = 0;
  while (b < kBuckets.size() && secs > kBuckets[b]) ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.sum_micros.fetch_add(static_cast<std::uint64_t>(micros < 0 ? 0 : micros), std::memory_order_relaxed);
  s.count.fetch_add(1, std::memory_order_relaxed);
}

namespace {
std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}
}  // namespace

std::string Metrics::Render() const {
  std::string out;
  out += "# HELP solidum_http_requests_total HTTP requests answered, by route and status class.\n";
  out += "# TYPE solidum_http_requests_total counter\n";
  static const char* kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  for (const auto& s : slots_) {
    for (std::size_t c = 0; c < 5; ++c) {
      auto n = s->by_class[c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += fmt::format("solidum_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", Escape(s->label),
                         kClasses[c], n);
    }
  }
  out += "# HELP solidum_http_request_duration_seconds Time from a whole request read to its response ready.\n";
  out += "# TYPE solidum_http_request_duration_seconds histogram\n";
  for (const auto& s : slots_) {
    std::uint64_t count = s->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    std::string label = Escape(s->label);
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += s->buckets[b].load(std::memory_order_relaxed);
      out += fmt::format("solidum_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", label,
                         kBuckets[b], cumulative);
    }
    cumulative += s->buckets[kBuckets.size()].load(std::memory_order_relaxed);
    out += fmt::format("solidum_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", label,
                       cumulative);
    out += fmt::format("solidum_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label,
                       static_cast<double>(s->sum_micros.load(std::memory_order_relaxed)) / 1e6);
    out += fmt::format("solidum_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label, cumulative);
  }
  out += "# HELP solidum_process_start_time_seconds Start time of the process since the Unix epoch.\n";
  out += "# TYPE solidum_process_start_time_seconds gauge\n";
  out += fmt::format("solidum_process_start_time_seconds {}\n",
                     static_cast<double>(started_micros_.load()) / 1e6);
  return out;
}

}  // namespace solidum::http
