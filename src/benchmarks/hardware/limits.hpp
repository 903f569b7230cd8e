// Bounds the CPU benchmarks declare on their parameters (ParamSpec::minimum
// and maximum), so that a suite asking for an absurd value fails when it
// loads, naming the key, instead of as a failed case minutes later.
#pragma once

#include <cstdint>

namespace cb {

// More threads than any node has PUs.
inline constexpr std::int64_t kMaxThreads = std::int64_t{1} << 16;
// 1 PiB: far past any node's memory, and no byte arithmetic overflows.
inline constexpr std::int64_t kMaxBufferBytes = std::int64_t{1} << 50;

}  // namespace cb
