// The shared harness of the MPI collective benchmarks (as nccl-tests' common
// code): parameters, buffers, the timed call, algbw/busbw and validation.
// Each collective is a small subclass in its own file that says only what
// differs: buffer layout, bus factor, the MPI call and the expected output.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "benchmarks/hardware/device_case.hpp"
#include "core/benchmark.hpp"
#include "device/communicator.hpp"

namespace cb::collective {

struct Dtype {
  std::string name;
  MPI_Datatype mpi;  // MPI_DATATYPE_NULL where MPI has none (float16, ...)
  int bytes;
  kernels::Element element;
};
// float32, float64, int32, float16, bfloat16 (the last two: NCCL only).
Dtype dtype_named(const std::string& name);

// Element i of rank r's input. Small integers: every partial sum is exact in
// float32 and int32 up to about 150,000 ranks, so validation can be exact.
double input(int rank, std::size_t i);
// Sum over ranks of input(r, i) / (i % 7 + 1).
double rank_sum(int ranks);

// A typed buffer of one dtype (float32, float64 or int32 elements).
class Buffer {
 public:
  void resize(const Dtype& type, std::size_t count);
  void* data() { return bytes_.data(); }
  std::size_t count() const { return count_; }
  std::size_t bytes() const { return bytes_.size(); }
  const Dtype& type() const { return type_; }
  void zero();
  void store(std::size_t i, double value);
  double load(std::size_t i) const;

 private:
  Dtype type_{"float32", MPI_FLOAT, 4, kernels::Element::F32};
  std::size_t count_ = 0;
  std::vector<char> bytes_;
};

// Whether `got` is what a collective should produce where `expected` is the
// exact result: equal, except that float16/bfloat16 sums may round (NCCL
// rounds partial sums to the element type) by a few units in the last place.
bool element_matches(const Dtype& type, double got, double expected);

// Elements [begin, begin + count) of `got` that do not match expected(i); a
// NaN never matches anything, so it counts as wrong.
std::size_t count_mismatches(
    const Buffer& got, std::size_t begin, std::size_t count,
    const std::function<double(std::size_t)>& expected);

// nccl-tests' bus bandwidth factors: busbw = algbw * factor, which makes a
// collective's number comparable with the link speed whatever the rank count.
double allreduce_bus_factor(int ranks);  // 2(n-1)/n
double gather_bus_factor(int ranks);     // (n-1)/n: allgather, reduce_scatter,
                                         // alltoall, gather, scatter
inline double rooted_bus_factor(int) {
  return 1.0;
}  // bcast, reduce

struct Features {
  bool in_place = true;  // offers the in_place parameter
  bool rooted = false;   // offers the root parameter
};

// Metadata shared by every collective: size (bytes, alias sizes), dtype,
// in_place and root where they apply.
BenchmarkInfo collective_info(const std::string& name,
                              const std::string& summary, Features features);

class CollectiveBenchmark : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override;
  std::vector<Operation> operations() override;
  Verification verify() override;
  ParamSet resolved_params() const override;

 protected:
  // Elements of the send and receive buffers on this rank, given the case's
  // size in elements (its meaning per collective follows nccl-tests).
  struct Layout {
    std::size_t send = 0, recv = 0;
  };
  virtual Layout layout(std::size_t count) const = 0;
  virtual double bus_factor(int ranks) const = 0;
  virtual void call() = 0;  // one MPI collective on send_ / recv_
  // The same collective through a device library (NCCL) on send_buffer() /
  // recv_buffer(); only where has_nccl() says there is one.
  virtual bool has_nccl() const { return false; }
  virtual bool nccl_in_place() const { return false; }
  virtual void call_nccl(kernels::Communicator& comm);
  // Expected recv_[i] after call() on inputs from fill_inputs().
  virtual double expected(std::size_t i) const = 0;
  // Puts this rank's inputs in place (send_ by default; recv_ when in place).
  virtual void fill_inputs();
  // Whether recv_ holds a result on this rank (not on non-roots of a gather).
  virtual bool has_output() const { return true; }
  // How many leading elements of recv_ are the result (all by default).
  virtual std::size_t output_count() const { return recv_.count(); }
  // Block operations need a count divisible by the number of ranks.
  virtual bool blocked() const { return false; }

  bool is_root() const { return rank_ == root_; }
  std::size_t block() const { return count_ / ranks_; }
  // The buffers the call works on: on the GPU for the cuda backend (NCCL or
  // CUDA-aware MPI), else send_ and recv_ themselves.
  void* send_buffer() { return device_ ? dsend_.get() : send_.data(); }
  void* recv_buffer() { return device_ ? drecv_.get() : recv_.data(); }
  const void* send_or_in_place() {
    return in_place_ ? MPI_IN_PLACE : send_buffer();
  }

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, ranks_ = 1, root_ = 0;
  Dtype type_{"float32", MPI_FLOAT, 4};
  bool in_place_ = false;
  std::size_t count_ = 0;  // the case's size in elements
  Buffer send_, recv_;

 private:
  void setup_device(const CaseContext& ctx, const std::string& library);
  void upload_buffers();
  void download_output();
  void call_any() { nccl_ ? call_nccl(*nccl_) : call(); }

  std::unique_ptr<kernels::Device> device_;  // cuda backend only
  std::unique_ptr<kernels::Communicator> nccl_;
  DeviceBuffer dsend_, drecv_;
};

}  // namespace cb::collective
