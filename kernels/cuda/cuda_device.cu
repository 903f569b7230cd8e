#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <vector>

#include "cuda/cuda_device.hpp"
#include "cuda/fma_kernels.hpp"
#include "cuda/stream_kernels.hpp"

namespace cb::kernels {

void check_cuda(cudaError_t status, const char* call) {
  if (status != cudaSuccess)
    throw DeviceError(std::string(call) + ": " + cudaGetErrorName(status) +
                      " (" + cudaGetErrorString(status) + ")");
}

#define CB_CUDA(call) check_cuda((call), #call)

void make_current(int index) {
  int current = -1;
  if (cudaGetDevice(&current) != cudaSuccess || current != index)
    CB_CUDA(cudaSetDevice(index));
}
void make_current_quietly(int index) noexcept {
  int current = -1;
  if (cudaGetDevice(&current) != cudaSuccess || current != index)
    cudaSetDevice(index);
}

CudaDevice::CudaDevice(int index) {
  int count = 0;
  // No driver or no GPU: this node cannot run CUDA cases (skipped, not
  // failed), as the probe would also have said.
  if (cudaError_t status = cudaGetDeviceCount(&count); status != cudaSuccess)
    throw Unsupported(std::string("cuda backend: no usable GPU (") +
                      cudaGetErrorName(status) + ": " +
                      cudaGetErrorString(status) + ")");
  if (index < 0 || index >= count)
    throw DeviceError("CUDA device " + std::to_string(index) +
                      " does not exist (" + std::to_string(count) +
                      " visible)");
  CB_CUDA(cudaSetDevice(index));
  cudaDeviceProp prop{};
  CB_CUDA(cudaGetDeviceProperties(&prop, index));
  properties_.backend = "cuda";
  properties_.name = prop.name;
  properties_.index = index;
  properties_.compute_units = prop.multiProcessorCount;
  properties_.memory_bytes = prop.totalGlobalMem;
  properties_.cache_bytes = static_cast<std::uint64_t>(prop.l2CacheSize);
  CB_CUDA(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
  if (cublasStatus_t s = cublasCreate(&blas_); s != CUBLAS_STATUS_SUCCESS)
    throw DeviceError(std::string("cublasCreate: ") + cublasGetStatusName(s));
  cublasSetStream(blas_, stream_);
  dot_blocks_ = 4 * prop.multiProcessorCount;  // BabelStream's choice
  CB_CUDA(cudaMalloc(&dot_partial_, dot_blocks_ * sizeof(double)));
  CB_CUDA(cudaMallocHost(&dot_partial_host_, dot_blocks_ * sizeof(double)));
}

CudaDevice::~CudaDevice() {
  make_current_quietly(properties_.index);
  cudaStreamSynchronize(stream_);
  for (auto& ops : tensor_ops_) ops.reset();
  cudaFree(dot_partial_);
  cudaFreeHost(dot_partial_host_);
  if (blas_) cublasDestroy(blas_);
  if (stream_) cudaStreamDestroy(stream_);
}

TensorOps& CudaDevice::tensor_ops(Precision p) {
  std::unique_ptr<TensorOps>& ops = tensor_ops_[static_cast<int>(p)];
  if (!ops) ops = make_cuda_tensor_ops(p, properties_.index, stream_, blas_);
  return *ops;
}

void* CudaDevice::allocate(std::size_t bytes) {
  make_current(properties_.index);
  void* p = nullptr;
  CB_CUDA(cudaMalloc(&p, bytes));
  return p;
}
void CudaDevice::release(void* buffer) noexcept {
  make_current_quietly(properties_.index);
  cudaFree(buffer);
}

void* CudaDevice::allocate_host(std::size_t bytes, bool pinned) {
  make_current(properties_.index);
  if (!pinned) return Device::allocate_host(bytes, false);
  void* p = nullptr;
  CB_CUDA(cudaMallocHost(&p, bytes));
  return p;
}
void CudaDevice::release_host(void* buffer, bool pinned) noexcept {
  make_current_quietly(properties_.index);
  if (pinned)
    cudaFreeHost(buffer);
  else
    Device::release_host(buffer, false);
}

void CudaDevice::copy(void* dst, const void* src, std::size_t bytes) {
  make_current(properties_.index);
  CB_CUDA(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDefault, stream_));
}
void CudaDevice::synchronize() {
  make_current(properties_.index);
  CB_CUDA(cudaStreamSynchronize(stream_));
}
void CudaDevice::launched(const char* kernel) {
  check_cuda(cudaGetLastError(), kernel);
}

void CudaDevice::stream_fill(double* x, double value, std::size_t n) {
  make_current(properties_.index);
  cuda::fill(x, value, n, stream_), launched("fill kernel");
}
void CudaDevice::stream_copy(const double* a, double* c, std::size_t n) {
  make_current(properties_.index);
  cuda::copy(a, c, n, stream_), launched("copy kernel");
}
void CudaDevice::stream_scale(double* b, const double* c, double scalar,
                              std::size_t n) {
  make_current(properties_.index);
  cuda::scale(b, c, scalar, n, stream_), launched("scale kernel");
}
void CudaDevice::stream_add(const double* a, const double* b, double* c,
                            std::size_t n) {
  make_current(properties_.index);
  cuda::add(a, b, c, n, stream_), launched("add kernel");
}
void CudaDevice::stream_triad(double* a, const double* b, const double* c,
                              double scalar, std::size_t n) {
  make_current(properties_.index);
  cuda::triad(a, b, c, scalar, n, stream_), launched("triad kernel");
}
double CudaDevice::stream_dot(const double* a, const double* b, std::size_t n) {
  make_current(properties_.index);
  cuda::dot_partials(a, b, n, dot_partial_, dot_blocks_, stream_);
  launched("dot kernel");
  copy(dot_partial_host_, dot_partial_, dot_blocks_ * sizeof(double));
  synchronize();
  double sum = 0;
  for (int i = 0; i < dot_blocks_; ++i) sum += dot_partial_host_[i];
  return sum;
}

// Enough threads to fill every SM (2048 resident threads each on recent
// GPUs): fewer would measure latency, not throughput.
FmaRun CudaDevice::fma_shape(Precision p, std::int64_t steps) {
  if (p != Precision::FP32 && p != Precision::FP64)
    unsupported(std::string("FMA chains in ") + to_string(p));
  FmaRun run;
  run.threads = std::int64_t{properties_.compute_units} * 8 * cuda::kFmaBlock;
  run.chains = cuda::kFmaChains;
  run.steps = steps;
  return run;
}

void CudaDevice::fma_chains(Precision p, std::int64_t steps, double a, double b,
                            double start, double delta, void* out) {
  make_current(properties_.index);
  FmaRun shape = fma_shape(p, steps);
  int blocks = static_cast<int>(shape.threads / cuda::kFmaBlock);
  if (p == Precision::FP64)
    cuda::fma_chains<double>(blocks, steps, a, b, start, delta,
                             static_cast<double*>(out), stream_);
  else
    cuda::fma_chains<float>(blocks, steps, float(a), float(b), float(start),
                            float(delta), static_cast<float*>(out), stream_);
  launched("fma kernel");
}

namespace {

// Host-side conversion between float and the stored element type.
template <typename T>
void to_elements(const float* in, void* out, std::size_t count) {
  T* o = static_cast<T*>(out);
  for (std::size_t i = 0; i < count; ++i) {
    if constexpr (std::is_same_v<T, __half>)
      o[i] = __float2half_rn(in[i]);
    else if constexpr (std::is_same_v<T, __nv_bfloat16>)
      o[i] = __float2bfloat16_rn(in[i]);
    else
      o[i] = static_cast<T>(in[i]);
  }
}
template <typename T>
void from_elements(const void* in, float* out, std::size_t count) {
  const T* x = static_cast<const T*>(in);
  for (std::size_t i = 0; i < count; ++i) {
    if constexpr (std::is_same_v<T, __half>)
      out[i] = __half2float(x[i]);
    else if constexpr (std::is_same_v<T, __nv_bfloat16>)
      out[i] = __bfloat162float(x[i]);
    else
      out[i] = static_cast<float>(x[i]);
  }
}

template <typename F>
void by_precision(Precision p, F f) {
  switch (p) {
    case Precision::FP64: return f(double{});
    case Precision::FP32:
    case Precision::TF32: return f(float{});
    case Precision::FP16: return f(__half{});
    case Precision::BF16: return f(__nv_bfloat16{});
  }
}

}  // namespace

void CudaDevice::upload(Precision p, const float* host, void* device,
                        std::size_t count) {
  std::vector<char> staging(count * element_bytes(p));
  by_precision(p, [&](auto tag) {
    to_elements<decltype(tag)>(host, staging.data(), count);
  });
  copy(device, staging.data(), staging.size());
  synchronize();
}

void CudaDevice::download(Precision p, const void* device, float* host,
                          std::size_t count) {
  std::vector<char> staging(count * element_bytes(p));
  copy(staging.data(), device, staging.size());
  synchronize();
  by_precision(p, [&](auto tag) {
    from_elements<decltype(tag)>(staging.data(), host, count);
  });
}

}  // namespace cb::kernels

// The plugin's entry points (see device.hpp).
extern "C" int cb_plugin_abi() {
  return cb::kernels::kDeviceAbiVersion;
}
extern "C" cb::kernels::Device* cb_open_device(int index) {
  return new cb::kernels::CudaDevice(index);
}
