#include "hardware/stability.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace cb {
namespace {

// The first line of a small /sys or /proc file, or "" if it cannot be read.
std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  while (!line.empty() && (line.back() == '\n' || line.back() == ' '))
    line.pop_back();
  return line;
}

}  // namespace

double parse_load_avg(const std::string& text) {
  std::istringstream in(text);
  double load = -1;
  if (!(in >> load)) return -1;
  return load;
}

std::string turbo_from_no_turbo(const std::string& text) {
  if (text == "0") return "on";
  if (text == "1") return "off";
  return "";
}

std::string turbo_from_boost(const std::string& text) {
  if (text == "1") return "on";
  if (text == "0") return "off";
  return "";
}

double read_load_avg(const std::string& root) {
  return parse_load_avg(first_line(root + "/proc/loadavg"));
}

Stability read_stability(const std::string& root) {
  Stability s;
  s.governor = first_line(
      root + "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  s.turbo = turbo_from_no_turbo(
      first_line(root + "/sys/devices/system/cpu/intel_pstate/no_turbo"));
  if (s.turbo.empty())
    s.turbo = turbo_from_boost(
        first_line(root + "/sys/devices/system/cpu/cpufreq/boost"));
  s.load_avg = read_load_avg(root);
  return s;
}

}  // namespace cb
