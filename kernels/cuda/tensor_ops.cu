// TensorOps on an NVIDIA GPU: cuBLAS SGEMM (float32 math, no TF32) for the
// linear layers and simple CUDA kernels for the rest, mirroring kernels/cpu's
// model kernels operation for operation so that the same checks apply.
// Attention is the plain three-step form (scores, softmax, weighted sum) with
// one block per query row, not a fused flash-attention kernel.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cmath>
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

__global__ void add_bias_kernel(float* y, const float* bias, std::size_t rows,
                                std::size_t cols) {
  std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x;
  if (i < rows * cols) y[i] += bias[i % cols];
}

// One block per row; two passes over the row (mean, then variance) as the
// host kernel does.
__global__ void layernorm_kernel(const float* x, const float* gamma,
                                 const float* beta, float* out,
                                 std::size_t cols, float eps) {
  __shared__ float shared[32];
  const float* in = x + blockIdx.x * cols;
  float* o = out + blockIdx.x * cols;
  float sum = 0;
  for (std::size_t c = threadIdx.x; c < cols; c += blockDim.x) sum += in[c];
  const float mean = block_sum(sum, shared) / float(cols);
  float var = 0;
  for (std::size_t c = threadIdx.x; c < cols; c += blockDim.x)
    var += (in[c] - mean) * (in[c] - mean);
  const float inv = rsqrtf(block_sum(var, shared) / float(cols) + eps);
  for (std::size_t c = threadIdx.x; c < cols; c += blockDim.x)
    o[c] = (in[c] - mean) * inv * gamma[c] + beta[c];
}

__global__ void rmsnorm_kernel(const float* x, const float* gamma, float* out,
                               std::size_t cols, float eps) {
  __shared__ float shared[32];
  const float* in = x + blockIdx.x * cols;
  float* o = out + blockIdx.x * cols;
  float squares = 0;
  for (std::size_t c = threadIdx.x; c < cols; c += blockDim.x)
    squares += in[c] * in[c];
  const float inv = rsqrtf(block_sum(squares, shared) / float(cols) + eps);
  for (std::size_t c = threadIdx.x; c < cols; c += blockDim.x)
    o[c] = in[c] * inv * gamma[c];
}

__global__ void gelu_kernel(float* x, std::size_t n) {
  std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x;
  if (i < n) x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}

__global__ void swiglu_kernel(const float* gate_up, float* out,
                              std::size_t rows, std::size_t ffn) {
  std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x;
  if (i >= rows * ffn) return;
  const std::size_t r = i / ffn, j = i % ffn;
  const float g = gate_up[r * 2 * ffn + j], u = gate_up[r * 2 * ffn + ffn + j];
  out[i] = g / (1.0f + expf(-g)) * u;
}

__global__ void add_kernel(float* x, const float* y, std::size_t n) {
  std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x;
  if (i < n) x[i] += y[i];
}

// One thread per (row, i < head_dim/2), looping over heads; the angle in
// double, as on the host.
__global__ void rope_kernel(float* x, RopeDims s) {
  const std::size_t half = s.head_dim / 2;
  std::size_t index = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x;
  if (index >= s.batch * s.tokens * half) return;
  const std::size_t row = index / half, i = index % half;
  const double position = double(s.first_position + row % s.tokens);
  const double angle =
      position * pow(10000.0, -2.0 * double(i) / double(s.head_dim));
  const float c = float(cos(angle)), sn = float(sin(angle));
  float* base = x + row * s.row_stride;
  for (std::size_t h = 0; h < s.heads; ++h) {
    float* head = base + h * s.head_dim;
    const float a = head[i], b = head[i + half];
    head[i] = a * c - b * sn;
    head[i + half] = b * c + a * sn;
  }
}

// One block per query row (b, h, t): scores into `scratch` (context floats
// per row), max-shifted softmax, then each thread one output dimension.
__global__ void attention_kernel(const float* q, const float* k, const float* v,
                                 float* out, float* scratch, AttentionDims s) {
  __shared__ float shared[32];
  const std::size_t index = blockIdx.x;
  const std::size_t t = index % s.tokens;
  const std::size_t h = (index / s.tokens) % s.heads;
  const std::size_t b = index / (s.tokens * s.heads);
  const std::size_t group = s.heads / s.kv_heads;
  const std::size_t visible =
      s.causal ? s.context - s.tokens + t + 1 : s.context;
  const std::size_t kv =
      b * s.capacity * s.kv_stride + (h / group) * s.head_dim;
  const std::size_t row = b * s.tokens + t;
  const float* query = q + row * s.q_stride + h * s.head_dim;
  float* scores = scratch + index * s.context;
  const float scale = rsqrtf(float(s.head_dim));

  float highest = -INFINITY;
  for (std::size_t j = threadIdx.x; j < visible; j += blockDim.x) {
    const float* key = k + kv + j * s.kv_stride;
    float dot = 0;
    for (std::size_t d = 0; d < s.head_dim; ++d) dot += query[d] * key[d];
    scores[j] = dot * scale;
    highest = fmaxf(highest, scores[j]);
  }
  highest = block_max(highest, shared);
  float total = 0;
  for (std::size_t j = threadIdx.x; j < visible; j += blockDim.x) {
    scores[j] = expf(scores[j] - highest);
    total += scores[j];
  }
  total = block_sum(total, shared);  // its barrier also publishes scores
  float* o = out + row * s.out_stride + h * s.head_dim;
  for (std::size_t d = threadIdx.x; d < s.head_dim; d += blockDim.x) {
    float acc = 0;
    for (std::size_t j = 0; j < visible; ++j)
      acc += scores[j] * v[kv + j * s.kv_stride + d];
    o[d] = acc / total;
  }
}

}  // namespace

CudaTensorOps::CudaTensorOps(int device, cudaStream_t stream,
                             cublasHandle_t blas)
    : device_(device), stream_(stream), blas_(blas) {}

CudaTensorOps::~CudaTensorOps() {
  make_current_quietly(device_);
  cudaFree(scratch_);
}

void CudaTensorOps::launched(const char* what) {
  check_cuda(cudaGetLastError(), what);
}

void CudaTensorOps::linear(const float* x, const float* w, const float* bias,
                           float* y, std::size_t m, std::size_t k,
                           std::size_t n) {
  make_current(device_);
  // Row-major y = x w is column-major y^T = w^T x^T.
  const float one = 1, zero = 0;
  cublasStatus_t status =
      cublasSgemm(blas_, CUBLAS_OP_N, CUBLAS_OP_N, int(n), int(m), int(k), &one,
                  w, int(n), x, int(k), &zero, y, int(n));
  if (status != CUBLAS_STATUS_SUCCESS)
    throw DeviceError(std::string("cublasSgemm: ") +
                      cublasGetStatusName(status));
  if (bias) {
    add_bias_kernel<<<blocks_for(m * n), kBlock, 0, stream_>>>(y, bias, m, n);
    launched("bias kernel");
  }
}

void CudaTensorOps::layernorm(const float* x, const float* gamma,
                              const float* beta, float* out, std::size_t rows,
                              std::size_t cols, float eps) {
  make_current(device_);
  layernorm_kernel<<<int(rows), kBlock, 0, stream_>>>(x, gamma, beta, out, cols,
                                                      eps);
  launched("layernorm kernel");
}

void CudaTensorOps::rmsnorm(const float* x, const float* gamma, float* out,
                            std::size_t rows, std::size_t cols, float eps) {
  make_current(device_);
  rmsnorm_kernel<<<int(rows), kBlock, 0, stream_>>>(x, gamma, out, cols, eps);
  launched("rmsnorm kernel");
}

void CudaTensorOps::gelu(float* x, std::size_t n) {
  make_current(device_);
  gelu_kernel<<<blocks_for(n), kBlock, 0, stream_>>>(x, n);
  launched("gelu kernel");
}

void CudaTensorOps::swiglu(const float* gate_up, float* out, std::size_t rows,
                           std::size_t ffn) {
  make_current(device_);
  swiglu_kernel<<<blocks_for(rows * ffn), kBlock, 0, stream_>>>(gate_up, out,
                                                                rows, ffn);
  launched("swiglu kernel");
}

void CudaTensorOps::add(float* x, const float* y, std::size_t n) {
  make_current(device_);
  add_kernel<<<blocks_for(n), kBlock, 0, stream_>>>(x, y, n);
  launched("add kernel");
}

void CudaTensorOps::rope(float* x, const RopeDims& dims) {
  make_current(device_);
  rope_kernel<<<blocks_for(dims.batch * dims.tokens * (dims.head_dim / 2)),
                kBlock, 0, stream_>>>(x, dims);
  launched("rope kernel");
}

void CudaTensorOps::attention(const float* q, const float* k, const float* v,
                              float* out, const AttentionDims& dims) {
  make_current(device_);
  const std::size_t rows = dims.batch * dims.heads * dims.tokens;
  const std::size_t need = rows * dims.context;
  if (need > scratch_floats_) {  // grows once per shape, outside the loop
    check_cuda(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
    cudaFree(scratch_);
    scratch_ = nullptr;
    check_cuda(cudaMalloc(&scratch_, need * sizeof(float)), "cudaMalloc");
    scratch_floats_ = need;
  }
  attention_kernel<<<int(rows), 128, 0, stream_>>>(q, k, v, out, scratch_,
                                                   dims);
  launched("attention kernel");
}

void CudaTensorOps::copy_rows(float* dst, std::size_t dst_stride,
                              const float* src, std::size_t src_stride,
                              std::size_t rows, std::size_t cols) {
  make_current(device_);
  check_cuda(cudaMemcpy2DAsync(dst, dst_stride * sizeof(float), src,
                               src_stride * sizeof(float), cols * sizeof(float),
                               rows, cudaMemcpyDefault, stream_),
             "cudaMemcpy2DAsync");
}

}  // namespace cb::kernels
