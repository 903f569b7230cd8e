// The NCCL backend of the communicator API (plugin libclusterbench-nccl.so):
// one ncclComm_t per rank on the rank's GPU, every collective queued on the
// communicator's own CUDA stream, as nccl-tests drives NCCL.
#include <cuda_runtime.h>
#include <nccl.h>

#include <cstring>
#include <string>

#include "device/communicator.hpp"

namespace cb::kernels {
namespace {

// NCCL has no "unavailable" status: a missing or driverless GPU shows up as
// a CUDA error, which the loader's caller turns into a skipped case.
void check(ncclResult_t status, const char* call, ncclComm_t comm = nullptr) {
  if (status == ncclSuccess || status == ncclInProgress) return;
  std::string detail = ncclGetErrorString(status);
  if (const char* last = ncclGetLastError(comm); last && *last)
    detail += std::string(": ") + last;
  throw DeviceError(std::string(call) + ": " + detail);
}
void check(cudaError_t status, const char* call) {
  if (status != cudaSuccess)
    throw DeviceError(std::string(call) + ": " + cudaGetErrorName(status) +
                      " (" + cudaGetErrorString(status) + ")");
}

ncclDataType_t nccl_type(Element e) {
  switch (e) {
    case Element::F32: return ncclFloat32;
    case Element::F64: return ncclFloat64;
    case Element::I32: return ncclInt32;
    case Element::F16: return ncclFloat16;
    case Element::BF16: return ncclBfloat16;
  }
  return ncclFloat32;
}

class NcclCommunicator final : public Communicator {
 public:
  NcclCommunicator(int device, int rank, int size, const char* id) {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || device >= count)
      throw Unsupported("nccl backend: no usable GPU " +
                        std::to_string(device));
    check(cudaSetDevice(device), "cudaSetDevice");
    check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking),
          "cudaStreamCreate");
    ncclUniqueId unique;
    std::memcpy(&unique, id, sizeof unique);
    check(ncclCommInitRank(&comm_, size, unique, rank), "ncclCommInitRank");
    rank_ = rank, size_ = size;
  }
  ~NcclCommunicator() override {
    if (stream_) cudaStreamSynchronize(stream_);
    if (comm_) ncclCommDestroy(comm_);
    if (stream_) cudaStreamDestroy(stream_);
  }
  NcclCommunicator(const NcclCommunicator&) = delete;
  NcclCommunicator& operator=(const NcclCommunicator&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  void all_reduce(const void* send, void* recv, std::size_t count,
                  Element t) override {
    check(
        ncclAllReduce(send, recv, count, nccl_type(t), ncclSum, comm_, stream_),
        "ncclAllReduce", comm_);
  }
  void reduce(const void* send, void* recv, std::size_t count, Element t,
              int root) override {
    check(ncclReduce(send, recv, count, nccl_type(t), ncclSum, root, comm_,
                     stream_),
          "ncclReduce", comm_);
  }
  void broadcast(const void* send, void* recv, std::size_t count, Element t,
                 int root) override {
    check(ncclBroadcast(send, recv, count, nccl_type(t), root, comm_, stream_),
          "ncclBroadcast", comm_);
  }
  void all_gather(const void* send, void* recv, std::size_t send_count,
                  Element t) override {
    check(ncclAllGather(send, recv, send_count, nccl_type(t), comm_, stream_),
          "ncclAllGather", comm_);
  }
  void reduce_scatter(const void* send, void* recv, std::size_t recv_count,
                      Element t) override {
    check(ncclReduceScatter(send, recv, recv_count, nccl_type(t), ncclSum,
                            comm_, stream_),
          "ncclReduceScatter", comm_);
  }
  // As nccl-tests' alltoall: one grouped send and receive per peer.
  void all_to_all(const void* send, void* recv, std::size_t count,
                  Element t) override {
    const std::size_t block = count * element_bytes(t);
    check(ncclGroupStart(), "ncclGroupStart");
    for (int peer = 0; peer < size_; ++peer) {
      check(ncclSend(static_cast<const char*>(send) + peer * block, count,
                     nccl_type(t), peer, comm_, stream_),
            "ncclSend", comm_);
      check(ncclRecv(static_cast<char*>(recv) + peer * block, count,
                     nccl_type(t), peer, comm_, stream_),
            "ncclRecv", comm_);
    }
    check(ncclGroupEnd(), "ncclGroupEnd", comm_);
  }

  void synchronize() override {
    check(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
    ncclResult_t async = ncclSuccess;
    check(ncclCommGetAsyncError(comm_, &async), "ncclCommGetAsyncError");
    check(async, "NCCL (asynchronous error)", comm_);
  }

 private:
  ncclComm_t comm_ = nullptr;
  cudaStream_t stream_ = nullptr;
  int rank_ = 0, size_ = 1;
};

}  // namespace
}  // namespace cb::kernels

// The plugin's entry points (see communicator.hpp and device.hpp).
extern "C" int cb_plugin_abi() {
  return cb::kernels::kDeviceAbiVersion;
}
extern "C" void cb_unique_id(char* id) {
  static_assert(sizeof(ncclUniqueId) == cb::kernels::kUniqueIdBytes);
  ncclUniqueId unique;
  cb::kernels::check(ncclGetUniqueId(&unique), "ncclGetUniqueId");
  std::memcpy(id, &unique, sizeof unique);
}
extern "C" cb::kernels::Communicator* cb_open_communicator(int device, int rank,
                                                           int size,
                                                           const char* id) {
  return new cb::kernels::NcclCommunicator(device, rank, size, id);
}
