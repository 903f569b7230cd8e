// Benchmarks register themselves with one line in their own file:
//   CB_REGISTER_BENCHMARK(StreamBenchmark, stream_info());
// They live in an OBJECT library so that these static registrations survive
// linking (a STATIC library would drop the unreferenced objects).
#pragma once

#include <string>
#include <vector>

#include "core/benchmark.hpp"

namespace cb {

struct RegisteredBenchmark {
  BenchmarkInfo info;
  BenchmarkFactory factory;
};

class Registry {
 public:
  static Registry& instance();

  // Returns true so that it can initialise a static; throws on duplicates.
  bool add(BenchmarkInfo info, BenchmarkFactory factory);
  const RegisteredBenchmark* find(const std::string& name) const;
  std::vector<const RegisteredBenchmark*> all() const;  // sorted by name
  // The registered name closest to `name` (edit distance), for suggestions.
  std::string closest(const std::string& name) const;

 private:
  std::vector<RegisteredBenchmark> entries_;
};

// Levenshtein distance, used for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace cb

#define CB_REGISTER_BENCHMARK(Class, info_expr)                             \
  static const bool cb_registered_##Class =                                 \
      ::cb::Registry::instance().add((info_expr), [] {                      \
        return std::unique_ptr<::cb::Benchmark>(std::make_unique<Class>()); \
      })
