// Which NUMA node a PCI device (a GPU) hangs off, from Linux's sysfs: a rank
// bound to the other socket pays a cross-socket hop on every host<->device
// copy, which /devices should let a team see next to /ranks' cpuset.
#pragma once

#include <string>

namespace cb {

// The NUMA node of the PCI device at `bus_id` ("0000:65:00.0"), or -1 when
// unknown (no sysfs entry, a single-node machine reporting -1, empty id).
int pci_numa_node(const std::string& bus_id,
                  const std::string& sysfs_devices = "/sys/bus/pci/devices");

}  // namespace cb
