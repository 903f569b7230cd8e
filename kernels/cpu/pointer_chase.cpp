#include "cpu/pointer_chase.hpp"

#include <numeric>
#include <utility>

namespace cb::kernels::cpu {
namespace {

// splitmix64: tiny, seedable, and the same sequence everywhere (the standard
// distributions are not specified bit for bit across libraries).
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::vector<std::uint32_t> random_cycle(std::size_t n, std::uint64_t seed) {
  std::vector<std::uint32_t> next(n);
  std::iota(next.begin(), next.end(), std::uint32_t{0});
  // Sattolo: like Fisher-Yates but j < i strictly, which yields exactly the
  // permutations made of one n-cycle (modulo bias is negligible at 64 bits).
  for (std::size_t i = n; i > 1; --i) {
    std::size_t j = splitmix64(seed) % (i - 1);
    std::swap(next[i - 1], next[j]);
  }
  return next;
}

void link_lines(std::byte* base, std::size_t stride,
                const std::vector<std::uint32_t>& next) {
  for (std::size_t i = 0; i < next.size(); ++i)
    *reinterpret_cast<const void**>(base + i * stride) =
        base + next[i] * stride;
}

const void* chase(const void* start, std::int64_t steps) {
  const void* p = start;
  std::int64_t i = 0;
  for (; i + 8 <= steps; i += 8) {  // unrolled: the loop counter stays cheap
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
    p = *static_cast<const void* const*>(p);
  }
  for (; i < steps; ++i) p = *static_cast<const void* const*>(p);
  return p;
}

CycleCheck check_cycle(const std::byte* base, std::size_t stride,
                       std::size_t lines) {
  CycleCheck result;
  std::vector<bool> seen(lines, false);
  const auto start = reinterpret_cast<std::uintptr_t>(base);
  const std::byte* p = base;
  for (std::size_t step = 1; step <= lines; ++step) {
    // Integers, not pointer arithmetic: p may point anywhere.
    const auto address = reinterpret_cast<std::uintptr_t>(p);
    const std::size_t offset = address - start;
    if (address < start || offset % stride != 0 || offset / stride >= lines) {
      result.inside = false;
      return result;
    }
    if (seen[offset / stride]) return result;
    seen[offset / stride] = true;
    ++result.distinct;
    p = *reinterpret_cast<const std::byte* const*>(p);
    if (p == base) {
      result.returned = step;
      return result;
    }
  }
  return result;
}

}  // namespace cb::kernels::cpu
