// The backend-neutral API of a device collective library (NCCL today): the
// collectives the distributed benchmarks time, on buffers that live on the
// rank's device (allocated through its Device). A communicator is a plugin
// (libclusterbench-nccl.so) opened by device_loader, like a Device.
//
// Making one is collective: rank 0 asks the plugin for a unique id, the
// caller sends those bytes to every rank (MPI_Bcast), and every rank opens
// its communicator with them. Calls are queued on the communicator's own
// stream; synchronize() waits and throws DeviceError on failure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "device/device.hpp"

namespace cb::kernels {

enum class Element { F32, F64, I32, F16, BF16 };
// "float32", "float64", "int32", "float16", "bfloat16".
const char* to_string(Element e);
Element element_named(std::string_view name);  // throws std::invalid_argument
std::size_t element_bytes(Element e);

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Reductions are sums. Counts are elements; recv == send means in place.
  virtual void all_reduce(const void* send, void* recv, std::size_t count,
                          Element t) = 0;
  virtual void reduce(const void* send, void* recv, std::size_t count,
                      Element t, int root) = 0;
  virtual void broadcast(const void* send, void* recv, std::size_t count,
                         Element t, int root) = 0;
  // send_count elements from every rank, gathered in rank order.
  virtual void all_gather(const void* send, void* recv, std::size_t send_count,
                          Element t) = 0;
  // recv_count elements per rank: rank r gets block r of the sum.
  virtual void reduce_scatter(const void* send, void* recv,
                              std::size_t recv_count, Element t) = 0;
  // Block p of send goes to rank p, arriving as block <this rank> there.
  virtual void all_to_all(const void* send, void* recv,
                          std::size_t count_per_peer, Element t) = 0;
  virtual void synchronize() = 0;
};

// Size of the id rank 0 makes and every rank opens with (ncclUniqueId).
constexpr std::size_t kUniqueIdBytes = 128;
// Plugin entry points (extern "C"): cb_unique_id and cb_open_communicator.
using UniqueIdFn = void (*)(char* id);
using OpenCommunicatorFn = Communicator* (*)(int device_index, int rank,
                                             int size, const char* id);

}  // namespace cb::kernels
