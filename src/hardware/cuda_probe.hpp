// The CUDA probe: NVIDIA GPUs through the CUDA driver API, loaded at run time
// with dlopen("libcuda.so.1"). cuda.h is used for types only; the binary
// does not link libcuda or libcudart, so it starts on hosts without the
// NVIDIA driver and reports that as a row instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hardware/inventory.hpp"

namespace cb {

// The devices this process sees (CUDA_VISIBLE_DEVICES applied by the
// driver), one row each, or one row (index -1) whose status says why there
// are none. Never throws. Rows have backend "cuda", rank = world_rank, and
//   index           the CUDA device ordinal (what cuDeviceGet/cudaSetDevice
//                   take in this process)
//   name            cuDeviceGetName, unchanged ("NVIDIA H100 80GB HBM3"), so
//                   it matches nvidia-smi and baselines across drivers
//   uuid            "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (nvidia-smi -L)
//   pci_bus_id      "0000:65:00.0" (domain:bus:device.function)
//   mem_bytes       cuDeviceTotalMem
//   compute_units   streaming multiprocessors
//   clock_mhz       CU_DEVICE_ATTRIBUTE_CLOCK_RATE (peak SM clock)
//   driver_version  "CUDA 13.0, driver 580.65.06, sm_90": the CUDA version the
//                   driver supports, the kernel module's version when
//                   /proc/driver/nvidia/version says it, and the device's
//                   compute capability (DeviceInfo has no column for it)
// Statuses without a device (each starts with "CUDA: "):
//   "CUDA: not built (configured without the CUDA toolkit)"
//   "CUDA: no driver (libcuda.so.1 not found)"
//   "CUDA: driver too old (libcuda.so.1 lacks cuDeviceGetUuid)"
//   "CUDA: no device (cuInit: CUDA_ERROR_NO_DEVICE)"
//   "CUDA: driver unusable (cuInit: <error name>)"
//   "CUDA: no device"
// A device whose properties cannot be read is a row with its index and
// "CUDA: device 1: cuDeviceGetName failed (<error name>)".
// `library` is the name or path given to dlopen (tests pass a fake driver).
std::vector<DeviceInfo> probe_cuda(int world_rank,
                                   const char* library = "libcuda.so.1");

// Formatting, exposed for tests.
// 16 raw bytes -> "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
std::string format_cuda_uuid(const unsigned char* bytes16);
// -> "0000:65:00.0".
std::string format_pci_bus_id(unsigned domain, unsigned bus, unsigned device,
                              unsigned function);
// cuDriverGetVersion's 13000 -> "13.0", 12040 -> "12.4".
std::string format_cuda_version(int version);
// The version in /proc/driver/nvidia/version's text ("... Kernel Module
// 580.65.06  Sun Jul ..." -> "580.65.06"); empty if none.
std::string parse_nvidia_driver_version(std::string_view proc_text);

}  // namespace cb
