// What every rank found out about its hardware, gathered on rank 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cb {

struct NodeInfo {
  int node_id = -1;  // assigned on rank 0: order of first appearance by rank
  std::string hostname;
  std::string cpu_model;
  int packages = 0, cores = 0, pus = 0, numa_nodes = 0;
  std::uint64_t l3_bytes = 0;  // sum of all last-level (L3) caches
  std::uint64_t mem_bytes = 0;
};

struct RankInfo {
  int rank = 0;
  int node_id = -1;
  int local_rank = 0;
  std::string cpuset;  // hwloc list syntax, e.g. "0-3,8"
  int bound_pus = 0;   // processing units in cpuset
  long pid = 0;
  // Stability context: what moves numbers between runs ("" / -1: unreadable).
  std::string governor;    // CPU frequency governor of the rank's node
  std::string turbo;       // "on" / "off"
  double load_start = -1;  // 1-minute load average when the rank started
  double load_end = -1;    // ... and when the run ended
};

// One device a rank can use, or one backend that has none (then `status`
// says why, e.g. "CUDA: not built").
struct DeviceInfo {
  int rank = 0;
  std::string backend;  // "cpu", "cuda", "level_zero"
  int index = -1;       // -1 for a backend without device
  std::string name, uuid, pci_bus_id;
  std::uint64_t mem_bytes = 0;
  int compute_units = 0;  // PUs, SMs or EUs
  double clock_mhz = 0;
  std::string driver_version;
  std::string status = "ok";
  int numa_node = -1;  // NUMA node the device is attached to; -1 unknown
  bool usable() const { return status == "ok"; }
};

struct Inventory {
  std::vector<NodeInfo> nodes;  // indexed by node_id
  std::vector<RankInfo> ranks;  // indexed by rank
  std::vector<DeviceInfo> devices;
};

}  // namespace cb
