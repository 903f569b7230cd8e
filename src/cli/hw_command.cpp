// `clusterbench hw`: every rank's hardware, printed by rank 0.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cluster/error_agreement.hpp"
#include "cluster/inventory_gather.hpp"
#include "cluster/mpi_context.hpp"
#include "hardware/device_assignment.hpp"

namespace cb {
namespace {

void print_table(const Inventory& inv) {
  for (const NodeInfo& n : inv.nodes)
    fmt::print(
        "node {} {}: {} | {} package(s), {} cores, {} PUs, {} NUMA node(s), "
        "L3 {:.1f} MiB, memory {:.1f} GiB\n",
        n.node_id, n.hostname, n.cpu_model, n.packages, n.cores, n.pus,
        n.numa_nodes, n.l3_bytes / 1048576.0, n.mem_bytes / 1073741824.0);
  for (const RankInfo& r : inv.ranks)
    fmt::print(
        "rank {:>4}  node {:>3}  local {:>3}  pid {:>7}  cpuset {} ({} PUs)\n",
        r.rank, r.node_id, r.local_rank, r.pid, r.cpuset, r.bound_pus);
  for (const DeviceInfo& d : inv.devices) {
    if (d.usable())
      fmt::print("rank {:>4}  {:<10} #{} {} ({} units)\n", d.rank, d.backend,
                 d.index, d.name, d.compute_units);
    else
      fmt::print("rank {:>4}  {:<10} none: {}\n", d.rank, d.backend, d.status);
  }
}

void print_json(const Inventory& inv) {
  fmt::print("{{\"nodes\": [");
  for (std::size_t i = 0; i < inv.nodes.size(); ++i) {
    const NodeInfo& n = inv.nodes[i];
    fmt::print(
        "{}\n  {{\"node_id\": {}, \"hostname\": {}, \"cpu_model\": {}, "
        "\"packages\": {}, "
        "\"cores\": {}, \"pus\": {}, \"numa_nodes\": {}, \"l3_bytes\": {}, "
        "\"mem_bytes\": {}}}",
        i ? "," : "", n.node_id, json_quote(n.hostname),
        json_quote(n.cpu_model), n.packages, n.cores, n.pus, n.numa_nodes,
        n.l3_bytes, n.mem_bytes);
  }
  fmt::print("],\n \"ranks\": [");
  for (std::size_t i = 0; i < inv.ranks.size(); ++i) {
    const RankInfo& r = inv.ranks[i];
    fmt::print(
        "{}\n  {{\"rank\": {}, \"node_id\": {}, \"local_rank\": {}, "
        "\"cpuset\": {}, "
        "\"bound_pus\": {}, \"pid\": {}}}",
        i ? "," : "", r.rank, r.node_id, r.local_rank, json_quote(r.cpuset),
        r.bound_pus, r.pid);
  }
  fmt::print("],\n \"devices\": [");
  for (std::size_t i = 0; i < inv.devices.size(); ++i) {
    const DeviceInfo& d = inv.devices[i];
    fmt::print(
        "{}\n  {{\"rank\": {}, \"backend\": {}, \"index\": {}, \"name\": {}, "
        "\"uuid\": {}, \"pci_bus_id\": {}, \"mem_bytes\": {}, "
        "\"compute_units\": {}, \"clock_mhz\": {}, \"driver_version\": {}, "
        "\"status\": {}, \"numa_node\": {}}}",
        i ? "," : "", d.rank, json_quote(d.backend), d.index,
        json_quote(d.name), json_quote(d.uuid), json_quote(d.pci_bus_id),
        d.mem_bytes, d.compute_units, d.clock_mhz, json_quote(d.driver_version),
        json_quote(d.status), d.numa_node);
  }
  fmt::print("]}}\n");
}

}  // namespace

int hw_command(bool json, int* argc, char*** argv) {
  MpiContext mpi(argc, argv);
  std::optional<AgreedError> local;
  LocalProbe probe;
  try {
    probe = probe_local(mpi.rank(), mpi.node_rank());
  } catch (const std::exception& e) {
    local = AgreedError{mpi.rank(), e.what(), kExitInput};
  }
  if (auto error = agree(mpi.world(), local)) {
    if (mpi.rank() == 0)
      fmt::print(stderr, "clusterbench: error: rank {}: {}\n", error->rank,
                 error->message);
    return error->exit_code;
  }
  // One GPU per rank: see hardware/device_assignment.hpp.
  Inventory inventory = assign_devices(gather_inventory(mpi, probe));
  if (mpi.rank() == 0) json ? print_json(inventory) : print_table(inventory);
  return kExitOk;
}

}  // namespace cb
