#include "benchmarks/model/inference_model.hpp"

#include <algorithm>
#include <cmath>

namespace cb::model {

std::vector<float> random_uniform(std::size_t count, float scale,
                                  std::uint64_t seed, std::uint64_t stream) {
  // splitmix64: a full-period generator whose output passes BigCrush; 24
  // high bits make the float.
  std::uint64_t state =
      seed * 0x9E3779B97F4A7C15ull + stream * 0xD1B54A32D192ED03ull;
  std::vector<float> out(count);
  for (float& v : out) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    float unit = static_cast<float>(z >> 40) / static_cast<float>(1 << 24);
    v = (2 * unit - 1) * scale;
  }
  return out;
}

double relative_error(const std::vector<float>& a,
                      const std::vector<double>& b) {
  if (a.size() != b.size()) return INFINITY;
  double worst = 0, squares = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    double d = std::fabs(double(a[i]) - b[i]);
    if (!(d <= worst)) worst = d;  // NaN sticks
    squares += b[i] * b[i];
  }
  double rms = b.empty() ? 0 : std::sqrt(squares / double(b.size()));
  return worst / std::max(rms, 1e-30);
}

}  // namespace cb::model
