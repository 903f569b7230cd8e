// Sweep syntax of suite values: "8B:1MiB:x4" (geometric), "0:100:+10"
// (arithmetic), or a plain value. Lists are handled by the TOML loader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cb {

// "4KiB" -> 4096; accepts B, KiB, MiB, GiB, TiB and plain integers.
// Returns nullopt when `text` is not a byte count.
std::optional<std::int64_t> parse_bytes(const std::string& text);

// Expands "start:stop:xF" or "start:stop:+S" (start and stop may carry byte
// units when `bytes` is true). Inclusive of stop when reached exactly.
// Throws cb::Error(Input) with a message that says what would be valid.
std::vector<std::int64_t> expand_range(const std::string& text, bool bytes);

// True when `text` looks like a range (contains ':').
bool is_range(const std::string& text);

}  // namespace cb
