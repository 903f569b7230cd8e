// The Level Zero probe: Intel GPUs through the oneAPI Level Zero loader,
// loaded at run time with dlopen("libze_loader.so.1"). ze_api.h is used for
// types only; the binary does not link ze_loader.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hardware/inventory.hpp"

namespace cb {

// The GPU devices this process sees (ZE_AFFINITY_MASK applied by the
// driver), one row each, or one row (index -1) whose status says why there
// are none. Never throws. zeInit(ZE_INIT_FLAG_GPU_ONLY). Rows have backend
// "level_zero", rank = world_rank, and
//   index           position among the GPU devices of all drivers, in
//                   zeDriverGet then zeDeviceGet order (root devices; with
//                   ZE_FLAT_DEVICE_HIERARCHY=FLAT each tile is one)
//   name, uuid      ze_device_properties_t (uuid as 8-4-4-4-12 hex)
//   pci_bus_id      "0000:3a:00.0" from zeDevicePciGetPropertiesExt, empty
//                   when the driver does not support that extension
//   mem_bytes       sum of zeDeviceGetMemoryProperties totalSize
//   compute_units   EUs: numSlices * numSubslicesPerSlice * numEUsPerSubslice
//   clock_mhz       coreClockRate
//   driver_version  ze_driver_properties_t.driverVersion as
//                   "major.minor.build" (bits 31-24, 23-16, 15-0), as sycl-ls
//                   prints it (e.g. "1.3.26918")
// Statuses without a device (each starts with "Level Zero: "):
//   "Level Zero: not built (configured without level-zero)"
//   "Level Zero: no loader (libze_loader.so.1 not found)"
//   "Level Zero: no driver (zeInit: ZE_RESULT_ERROR_UNINITIALIZED)"
//   "Level Zero: no device"
// `library` is the name or path given to dlopen (tests pass a fake loader).
std::vector<DeviceInfo> probe_level_zero(
    int world_rank, const char* library = "libze_loader.so.1");

// "ZE_RESULT_ERROR_UNINITIALIZED" for 0x78000001; "ze_result_t 0x7abcdef0"
// for a code this build's ze_api.h does not name.
std::string ze_result_name(std::uint32_t result);

// 0x01036846 -> "1.3.26694".
std::string format_ze_driver_version(std::uint32_t version);

// 16 raw bytes -> "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
std::string format_ze_uuid(const unsigned char* bytes16);

}  // namespace cb
