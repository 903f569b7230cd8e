#include "hardware/cpu_probe.hpp"

#include <hwloc.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "hardware/cuda_probe.hpp"
#include "hardware/level_zero_probe.hpp"
#include "hardware/pci_locality.hpp"
#include "hardware/stability.hpp"

namespace cb {
namespace {

struct TopologyDeleter {
  void operator()(hwloc_topology* t) const { hwloc_topology_destroy(t); }
};
using Topology = std::unique_ptr<hwloc_topology, TopologyDeleter>;

Topology load_topology() {
  hwloc_topology_t raw = nullptr;
  if (hwloc_topology_init(&raw) != 0)
    throw Error(ErrorKind::Runtime, "hwloc: cannot initialise the topology");
  Topology topology(raw);
  if (hwloc_topology_load(raw) != 0)
    throw Error(ErrorKind::Runtime, "hwloc: cannot load the topology");
  return topology;
}

int count(hwloc_topology_t t, hwloc_obj_type_t type) {
  int n = hwloc_get_nbobjs_by_type(t, type);
  return n < 0 ? 0 : n;
}

std::string hostname() {
  char buffer[256] = {};
  gethostname(buffer, sizeof buffer - 1);
  return buffer;
}

std::string cpu_model(hwloc_topology_t t) {
  for (hwloc_obj_t obj =
           hwloc_get_next_obj_by_type(t, HWLOC_OBJ_PACKAGE, nullptr);
       obj; obj = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_PACKAGE, obj)) {
    if (const char* model = hwloc_obj_get_info_by_name(obj, "CPUModel"))
      return model;
  }
  return "unknown";
}

std::uint64_t total_l3(hwloc_topology_t t) {
  std::uint64_t total = 0;
  for (hwloc_obj_t obj =
           hwloc_get_next_obj_by_type(t, HWLOC_OBJ_L3CACHE, nullptr);
       obj; obj = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_L3CACHE, obj))
    total += obj->attr->cache.size;
  return total;
}

std::uint64_t physical_memory() {
  // hwloc reports what the NUMA nodes say, which some hypervisors understate;
  // the kernel's page count is what the rank can actually allocate.
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * page : 0;
}

}  // namespace

LocalProbe probe_cpu(int world_rank) {
  Topology topology = load_topology();
  hwloc_topology_t t = topology.get();
  LocalProbe probe;
  probe.node.hostname = hostname();
  probe.node.cpu_model = cpu_model(t);
  probe.node.packages = count(t, HWLOC_OBJ_PACKAGE);
  probe.node.cores = count(t, HWLOC_OBJ_CORE);
  probe.node.pus = count(t, HWLOC_OBJ_PU);
  probe.node.numa_nodes = count(t, HWLOC_OBJ_NUMANODE);
  probe.node.l3_bytes = total_l3(t);
  probe.node.mem_bytes = physical_memory();

  probe.rank.rank = world_rank;
  probe.rank.pid = static_cast<long>(getpid());
  Stability stability = read_stability();
  probe.rank.governor = stability.governor;
  probe.rank.turbo = stability.turbo;
  probe.rank.load_start = stability.load_avg;
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  if (hwloc_get_cpubind(t, set, HWLOC_CPUBIND_PROCESS) != 0)
    hwloc_bitmap_copy(set, hwloc_topology_get_allowed_cpuset(t));
  char* list = nullptr;
  hwloc_bitmap_list_asprintf(&list, set);
  probe.rank.cpuset = list ? list : "";
  std::free(list);
  probe.rank.bound_pus = hwloc_bitmap_weight(set);
  hwloc_bitmap_free(set);

  DeviceInfo cpu;
  cpu.rank = world_rank;
  cpu.backend = "cpu";
  cpu.index = 0;
  cpu.name = probe.node.cpu_model;
  cpu.mem_bytes = probe.node.mem_bytes;
  cpu.compute_units = probe.rank.bound_pus;
  probe.devices.push_back(cpu);
  return probe;
}

LocalProbe probe_local(int world_rank, int local_rank) {
  LocalProbe probe = probe_cpu(world_rank);
  probe.rank.local_rank = local_rank;
  for (DeviceInfo& row : probe_cuda(world_rank))
    probe.devices.push_back(std::move(row));
  for (DeviceInfo& row : probe_level_zero(world_rank))
    probe.devices.push_back(std::move(row));
  for (DeviceInfo& row : probe.devices)
    if (row.backend != "cpu") row.numa_node = pci_numa_node(row.pci_bus_id);
  return probe;
}

}  // namespace cb
