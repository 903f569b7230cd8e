// TensorOps on an NVIDIA GPU in float32, float16 or bfloat16 storage:
// cuBLAS GemmEx with float32 accumulation (no TF32 for float32) for the
// linear layers and simple CUDA kernels for the rest, mirroring kernels/cpu's
// model kernels operation for operation so that the same checks apply. The
// kernels load elements as float, compute in float and round once on store.
// Attention is two batched GEMMs around a softmax kernel (see below), not a
// fused flash-attention kernel.
#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cmath>
#include <memory>
#include <string>

#include "cuda/cuda_device.hpp"
#include "cuda/tensor_ops.hpp"

namespace cb::kernels {
namespace {

constexpr int kBlock = 256;

int blocks_for(std::size_t n) {
  return static_cast<int>((n + kBlock - 1) / kBlock);
}

// Sum of `value` over the block (blockDim.x a multiple of 32, <= 1024).
__device__ float block_sum(float value, float* shared) {
  for (int offset = 16; offset > 0; offset /= 2)
    value += __shfl_down_sync(0xffffffffu, value, offset);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  __syncthreads();
  if (lane == 0) shared[warp] = value;
  __syncthreads();
  const int warps = blockDim.x / 32;
  value = threadIdx.x < warps ? shared[threadIdx.x] : 0.0f;
  if (warp == 0)
    for (int offset = 16; offset > 0; offset /= 2)
      value += __shfl_down_sync(0xffffffffu, value, offset);
  if (threadIdx.x == 0) shared[0] = value;
  __syncthreads();
  return shared[0];
}

__device__ float block_max(float value, float* shared) {
  for (int offset = 16; offset > 0; offset /= 2)
    value = fmaxf(value, __shfl_down_sync(0xffffffffu, value, offset));
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  __syncthreads();
  if (lane == 0) shared[warp] = value;
  __syncthreads();
  const int warps = blockDim.x / 32;
  value = threadIdx.x < warps ? shared[threadIdx.x] : -INFINITY;
  if (warp == 0)
    for (int offset = 16; offset > 0; offset /= 2)
      value = fmaxf(value, __shfl_down_sync(0xffffffffu, value, offset));
  if (threadIdx.x == 0) shared[0] = value;
  __syncthreads();
  return shared[0];
}

// Element loads and stores: float in registers whatever the storage.
__device__ inline float ld(const float* p, std::size_t i) {
  return p[i];
}
__device__ inline float ld(const __half* p, std::size_t i) {
  return __half2float(p[i]);
}
__device__ inline float ld(const __nv_bfloat16* p, std::size_t i) {
  return __bfloat162float(p[i]);
}
__device__ inline void st(float* p, std::size_t i, float v) {
  p[i] = v;
}
__device__ inline void st(__half* p, std::size_t i, float v) {
  p[i] = __float2half_rn(v);
}
__device__ inline void st(__nv_bfloat16* p, std::size_t i, float v) {
  p[i] = __float2bfloat16_rn(v);
}

template <typename T>
__global__ void add_bias_kernel(T* y, const T* bias, std::size_t rows,
                                std::size_t cols) {
  std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x;
  if (i < rows * cols) st(y, i, ld(y, i) + ld(bias, i % cols));
}

// One block per row; two passes over the row (mean, then variance) as the
// host kernel does.
template <typename T>
__global__ void layernorm_kernel(const T* x, const T* gamma, const T* beta,
                                 T* out, std::size_t cols, float eps) {
  __shared__ float shared[32];
  const T* in = x + blockIdx.x * cols;
  T* o = out + blockIdx.x * cols;
  float sum = 0;
  for (std::size_t c = threadIdx.x; c < cols; c += blockDim.x) sum += ld(in, c);
  const float mean = block_sum(sum, shared) / float(cols);
  float var = 0;
  for (std::size_t c = threadIdx.x; c < cols; c += blockDim.x)
    var += (ld(in, c) - mean) * (ld(in, c) - mean);
  const float inv = rsqrtf(block_sum(var, shared) / float(cols) + eps);
  for (std::size_t c = threadIdx.x; c < cols; c += blockDim.x)
    st(o, c, (ld(in, c) - mean) * inv * ld(gamma, c) + ld(beta, c));
}

template <typename T>
__global__ void rmsnorm_kernel(const T* x, const T* gamma, T* out,
                               std::size_t cols, float eps) {
  __shared__ float shared[32];
  const T* in = x + blockIdx.x * cols;
  T* o = out + blockIdx.x * cols;
  float squares = 0;
  for (std::size_t c = threadIdx.x; c < cols; c += blockDim.x)
    squares += ld(in, c) * ld(in, c);
  const float inv = rsqrtf(block_sum(squares, shared) / float(cols) + eps);
  for (std::size_t c = threadIdx.x; c < cols; c += blockDim.x)
    st(o, c, ld(in, c) * inv * ld(gamma, c));
}

template <typename T>
__global__ void gelu_kernel(T* x, std::size_t n) {
  std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  const float v = ld(x, i);
  st(x, i, 0.5f * v * (1.0f + erff(v * 0.70710678118654752f)));
}

template <typename T>
__global__ void swiglu_kernel(const T* gate_up, T* out, std::size_t rows,
                              std::size_t ffn) {
  std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x;
  if (i >= rows * ffn) return;
  const std::size_t r = i / ffn, j = i % ffn;
  const float g = ld(gate_up, r * 2 * ffn + j);
  const float u = ld(gate_up, r * 2 * ffn + ffn + j);
  st(out, i, g / (1.0f + expf(-g)) * u);
}

template <typename T>
__global__ void add_kernel(T* x, const T* y, std::size_t n) {
  std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x;
  if (i < n) st(x, i, ld(x, i) + ld(y, i));
}

// One thread per (row, i < head_dim/2), looping over heads; the angle in
// double, as on the host.
template <typename T>
__global__ void rope_kernel(T* x, RopeDims s) {
  const std::size_t half = s.head_dim / 2;
  std::size_t index = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x;
  if (index >= s.batch * s.tokens * half) return;
  const std::size_t row = index / half, i = index % half;
  const double position = double(s.first_position + row % s.tokens);
  const double angle =
      position * pow(10000.0, -2.0 * double(i) / double(s.head_dim));
  const float c = float(cos(angle)), sn = float(sin(angle));
  T* base = x + row * s.row_stride;
  for (std::size_t h = 0; h < s.heads; ++h) {
    T* head = base + h * s.head_dim;
    const float a = ld(head, i), b = ld(head, i + half);
    st(head, i, a * c - b * sn);
    st(head, i + half, b * c + a * sn);
  }
}

// Attention as PyTorch's unfused path does it: two batched cuBLAS GEMMs, one
// matrix per (sequence, head), with a softmax kernel between them. The
// per-query-row kernel this replaces reread every key and value once per query
// and ran at 0.3-0.55x PyTorch's bert-base throughput on an H100; the GEMMs
// use the tensor cores in 16-bit storage.
//
// The batched GEMMs take arrays of matrix pointers, not one stride, because
// (sequence, head) offsets are not one arithmetic progression and a grouped
// kv head is shared by several query heads. Pointer sets, with n = batch *
// heads and i = b * heads + h: [K_i, Q_i, S_i, V_i, P_i, O_i] at ptrs[set*n+i].
template <typename T>
__global__ void attention_pointers_kernel(const T* q, const T* k, const T* v,
                                          T* out, float* scores, T* probs,
                                          const void** ptrs, AttentionDims s) {
  const std::size_t n = s.batch * s.heads;
  const std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  const std::size_t b = i / s.heads, h = i % s.heads;
  const std::size_t group = s.heads / s.kv_heads;
  const std::size_t kv =
      b * s.capacity * s.kv_stride + (h / group) * s.head_dim;
  const std::size_t square = s.tokens * s.context;
  ptrs[0 * n + i] = k + kv;
  ptrs[1 * n + i] = q + b * s.tokens * s.q_stride + h * s.head_dim;
  ptrs[2 * n + i] = scores + i * square;
  ptrs[3 * n + i] = v + kv;
  ptrs[4 * n + i] = probs + i * square;
  ptrs[5 * n + i] = out + b * s.tokens * s.out_stride + h * s.head_dim;
}

// One block per query row (b, h, t) of the scaled scores: a max-shifted
// softmax over the keys it may see, zeros (probability 0) past them so that
// the second GEMM can run over the whole context.
template <typename T>
__global__ void softmax_rows_kernel(const float* scores, T* probs,
                                    AttentionDims s) {
  __shared__ float shared[32];
  const std::size_t index = blockIdx.x;
  const std::size_t t = index % s.tokens;
  const std::size_t visible =
      s.causal ? s.context - s.tokens + t + 1 : s.context;
  const float* in = scores + index * s.context;
  T* p = probs + index * s.context;
  float highest = -INFINITY;
  for (std::size_t j = threadIdx.x; j < visible; j += blockDim.x)
    highest = fmaxf(highest, in[j]);
  highest = block_max(highest, shared);
  float total = 0;
  for (std::size_t j = threadIdx.x; j < visible; j += blockDim.x)
    total += expf(in[j] - highest);
  const float inverse = 1.0f / block_sum(total, shared);
  for (std::size_t j = threadIdx.x; j < s.context; j += blockDim.x)
    st(p, j, j < visible ? expf(in[j] - highest) * inverse : 0.0f);
}

template <typename T>
constexpr cudaDataType_t data_type() {
  if constexpr (std::is_same_v<T, __half>)
    return CUDA_R_16F;
  else if constexpr (std::is_same_v<T, __nv_bfloat16>)
    return CUDA_R_16BF;
  else
    return CUDA_R_32F;
}

template <typename T>
class CudaTensorOps final : public TensorOps {
 public:
  CudaTensorOps(int device, cudaStream_t stream, cublasHandle_t blas)
      : device_(device), stream_(stream), blas_(blas) {}
  ~CudaTensorOps() override {
    make_current_quietly(device_);
    release_scratch();
  }
  CudaTensorOps(const CudaTensorOps&) = delete;
  CudaTensorOps& operator=(const CudaTensorOps&) = delete;

  void linear(const void* x, const void* w, const void* bias, void* y,
              std::size_t m, std::size_t k, std::size_t n) override {
    make_current(device_);
    // Row-major y = x w is column-major y^T = w^T x^T; float32 accumulation
    // (CUBLAS_COMPUTE_32F: no TF32 for float32 storage).
    const float one = 1, zero = 0;
    const cudaDataType_t type = data_type<T>();
    blas("cublasGemmEx",
         cublasGemmEx(blas_, CUBLAS_OP_N, CUBLAS_OP_N, int(n), int(m), int(k),
                      &one, w, type, int(n), x, type, int(k), &zero, y, type,
                      int(n), CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
    if (bias) {
      add_bias_kernel<<<blocks_for(m * n), kBlock, 0, stream_>>>(
          el(y), el(bias), m, n);
      launched("bias kernel");
    }
  }
  void layernorm(const void* x, const void* gamma, const void* beta, void* out,
                 std::size_t rows, std::size_t cols, float eps) override {
    make_current(device_);
    layernorm_kernel<<<int(rows), kBlock, 0, stream_>>>(
        el(x), el(gamma), el(beta), el(out), cols, eps);
    launched("layernorm kernel");
  }
  void rmsnorm(const void* x, const void* gamma, void* out, std::size_t rows,
               std::size_t cols, float eps) override {
    make_current(device_);
    rmsnorm_kernel<<<int(rows), kBlock, 0, stream_>>>(el(x), el(gamma), el(out),
                                                      cols, eps);
    launched("rmsnorm kernel");
  }
  void gelu(void* x, std::size_t n) override {
    make_current(device_);
    gelu_kernel<<<blocks_for(n), kBlock, 0, stream_>>>(el(x), n);
    launched("gelu kernel");
  }
  void swiglu(const void* gate_up, void* out, std::size_t rows,
              std::size_t ffn) override {
    make_current(device_);
    swiglu_kernel<<<blocks_for(rows * ffn), kBlock, 0, stream_>>>(
        el(gate_up), el(out), rows, ffn);
    launched("swiglu kernel");
  }
  void add(void* x, const void* y, std::size_t n) override {
    make_current(device_);
    add_kernel<<<blocks_for(n), kBlock, 0, stream_>>>(el(x), el(y), n);
    launched("add kernel");
  }
  void rope(void* x, const RopeDims& dims) override {
    make_current(device_);
    rope_kernel<<<blocks_for(dims.batch * dims.tokens * (dims.head_dim / 2)),
                  kBlock, 0, stream_>>>(el(x), dims);
    launched("rope kernel");
  }
  void attention(const void* q, const void* k, const void* v, void* out,
                 const AttentionDims& dims) override {
    make_current(device_);
    const std::size_t pairs = dims.batch * dims.heads;
    reserve(pairs, pairs * dims.tokens * dims.context);
    attention_pointers_kernel<<<blocks_for(pairs), kBlock, 0, stream_>>>(
        el(q), el(k), el(v), el(out), scores_, probs_, pointers_, dims);
    launched("attention pointer kernel");
    const cudaDataType_t type = data_type<T>();
    const void* const* p = pointers_;
    const int n = int(pairs);
    // Row-major S = Q K^T / sqrt(d) is column-major S^T = K Q^T: K (context x
    // d, ld kv_stride) transposed, Q^T (d x tokens, ld q_stride) as stored.
    const float scale = 1.0f / std::sqrt(float(dims.head_dim)), one = 1,
                zero = 0;
    blas("cublasGemmBatchedEx (scores)",
         cublasGemmBatchedEx(
             blas_, CUBLAS_OP_T, CUBLAS_OP_N, int(dims.context),
             int(dims.tokens), int(dims.head_dim), &scale, p, type,
             int(dims.kv_stride), p + n, type, int(dims.q_stride), &zero,
             const_cast<void* const*>(p + 2 * n), CUDA_R_32F, int(dims.context),
             n, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
    softmax_rows_kernel<<<int(pairs * dims.tokens), 128, 0, stream_>>>(
        scores_, probs_, dims);
    launched("softmax kernel");
    // Row-major O = P V is column-major O^T = V^T P^T, both as stored.
    blas("cublasGemmBatchedEx (weighted values)",
         cublasGemmBatchedEx(
             blas_, CUBLAS_OP_N, CUBLAS_OP_N, int(dims.head_dim),
             int(dims.tokens), int(dims.context), &one, p + 3 * n, type,
             int(dims.kv_stride), p + 4 * n, type, int(dims.context), &zero,
             const_cast<void* const*>(p + 5 * n), type, int(dims.out_stride), n,
             CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
  }
  void copy_rows(void* dst, std::size_t dst_stride, const void* src,
                 std::size_t src_stride, std::size_t rows,
                 std::size_t cols) override {
    make_current(device_);
    check_cuda(cudaMemcpy2DAsync(dst, dst_stride * sizeof(T), src,
                                 src_stride * sizeof(T), cols * sizeof(T), rows,
                                 cudaMemcpyDefault, stream_),
               "cudaMemcpy2DAsync");
  }

 private:
  static T* el(void* p) { return static_cast<T*>(p); }
  static const T* el(const void* p) { return static_cast<const T*>(p); }
  void launched(const char* what) { check_cuda(cudaGetLastError(), what); }
  static void blas(const char* what, cublasStatus_t status) {
    if (status != CUBLAS_STATUS_SUCCESS)
      throw DeviceError(std::string(what) + ": " + cublasGetStatusName(status));
  }
  // Scores (float), probabilities (T) and pointer sets for `pairs` matrices;
  // grows once per shape, outside the timed loop.
  void reserve(std::size_t pairs, std::size_t elements) {
    if (elements <= score_elements_ && pairs <= pointer_pairs_) return;
    check_cuda(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
    release_scratch();
    grow(scores_, elements * sizeof(float));
    grow(probs_, elements * sizeof(T));
    grow(pointers_, 6 * pairs * sizeof(void*));
    score_elements_ = elements;
    pointer_pairs_ = pairs;
  }
  template <typename P>
  static void grow(P*& p, std::size_t bytes) {
    check_cuda(cudaMalloc(reinterpret_cast<void**>(&p), bytes), "cudaMalloc");
  }
  void release_scratch() {
    cudaFree(scores_), cudaFree(probs_), cudaFree(pointers_);
    scores_ = nullptr, probs_ = nullptr, pointers_ = nullptr;
    score_elements_ = pointer_pairs_ = 0;
  }

  int device_;  // the ordinal made current before each call
  cudaStream_t stream_;
  cublasHandle_t blas_;
  float* scores_ = nullptr;  // attention scratch, see reserve()
  T* probs_ = nullptr;
  const void** pointers_ = nullptr;
  std::size_t score_elements_ = 0, pointer_pairs_ = 0;
};

}  // namespace

std::unique_ptr<TensorOps> make_cuda_tensor_ops(Precision p, int device,
                                                cudaStream_t stream,
                                                cublasHandle_t blas) {
  switch (p) {
    case Precision::FP32:
      return std::make_unique<CudaTensorOps<float>>(device, stream, blas);
    case Precision::FP16:
      return std::make_unique<CudaTensorOps<__half>>(device, stream, blas);
    case Precision::BF16:
      return std::make_unique<CudaTensorOps<__nv_bfloat16>>(device, stream,
                                                            blas);
    default:
      throw Unsupported(std::string("cuda backend: model inference in ") +
                        to_string(p) +
                        " is not supported (float32, float16, bfloat16)");
  }
}

}  // namespace cb::kernels
