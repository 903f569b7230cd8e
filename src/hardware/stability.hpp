// What makes a node's numbers move between runs, recorded per rank so that a
// result can be judged: the CPU frequency governor, turbo, and the load.
#pragma once

#include <string>

namespace cb {

struct Stability {
  std::string governor;  // "performance", "powersave", ...; "" if unreadable
  std::string turbo;     // "on", "off"; "" if unreadable
  double load_avg = -1;  // 1-minute load average; -1 if unreadable
};

// Reads /sys and /proc (paths under `root`, "" for the real ones).
Stability read_stability(const std::string& root = "");
double read_load_avg(const std::string& root = "");

// Parsers, pure: the first field of /proc/loadavg; intel_pstate's no_turbo
// ("1" = turbo off) or cpufreq's boost ("1" = on).
double parse_load_avg(const std::string& text);
std::string turbo_from_no_turbo(const std::string& text);
std::string turbo_from_boost(const std::string& text);

}  // namespace cb
