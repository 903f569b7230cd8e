// Pointer chasing, for load-to-use latency as lmbench's lat_mem_rd and Intel
// MLC measure it: each load's address is the value of the previous load, so
// no two loads overlap, and the lines are visited in a random order that is
// one single cycle, so that no prefetcher can run ahead of the chain.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cb::kernels::cpu {

// A random cyclic permutation of [0, n) (Sattolo's algorithm): next[i] is the
// line after line i, and following `next` from any line visits all n lines
// before coming back. Same seed, same cycle, on every machine and library.
std::vector<std::uint32_t> random_cycle(std::size_t n, std::uint64_t seed);

// Stores into line i of `base` (lines `stride` bytes apart, stride a
// multiple of the pointer size) the address of line next[i].
void link_lines(std::byte* base, std::size_t stride,
                const std::vector<std::uint32_t>& next);

// Follows `steps` pointers from `start` and returns where it ended. Out of
// line and returning the end: no load can be dropped or overlapped.
const void* chase(const void* start, std::int64_t steps);

// What a walk over linked lines found, starting at line 0 (`base`).
struct CycleCheck {
  std::size_t distinct = 0;  // lines visited before a repeat or the return
  std::size_t returned = 0;  // steps until back at line 0; 0 if never
  bool inside = true;        // every link pointed at a line of the buffer
};
// The links form one cycle over all `lines` lines iff
// distinct == returned == lines and inside.
CycleCheck check_cycle(const std::byte* base, std::size_t stride,
                       std::size_t lines);

}  // namespace cb::kernels::cpu
