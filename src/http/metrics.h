// Request counts and latency histograms per route, rendered in the Prometheus text format.
// Routes are registered before serving; Observe() is lock-free and thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace solidum::http {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (Prometheus "le").
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  // Registers a route label (e.g. "GET /api/v1/organisations/{id}"); answers its slot.
  std::size_t Register(std::string label);
  // Slot for requests that matched no route.
  std::size_t unmatched() const { return 0; }

  Metrics();
  void Observe(std::size_t slot, int status, std::int64_t micros);
  std::string Render() const;

 private:
  struct Slot {
    std::string label;
    std::array<std::atomic<std::uint64_t>, 5> by_class{};  // 1xx..5xx
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<std::uint64_t> sum_micros{0};
    std::atomic<std::uint64_t> count{0};
  };
  std::vector<std::unique_ptr<Slot>> slots_;
  std::atomic<std::uint64_t> started_micros_;
};

}  // namespace solidum::http
