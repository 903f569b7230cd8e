#include "hardware/pci_locality.hpp"

#include <cctype>
#include <fstream>

namespace cb {

int pci_numa_node(const std::string& bus_id, const std::string& sysfs_devices) {
  if (bus_id.empty()) return -1;
  std::string id = bus_id;  // sysfs names are lower case
  for (char& c : id) c = static_cast<char>(std::tolower(c));
  std::ifstream in(sysfs_devices + "/" + id + "/numa_node");
  int node = -1;
  if (!(in >> node) || node < 0) return -1;
  return node;
}

}  // namespace cb
