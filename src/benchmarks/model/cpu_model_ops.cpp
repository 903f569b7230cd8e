// ModelOps on the host: OpenBLAS for the GEMMs, kernels/cpu for the rest.
#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "benchmarks/model/model_ops.hpp"
#include "cpu/model_kernels.hpp"

namespace cb::model {
namespace {

namespace k = kernels::cpu;
constexpr float kNormEps = 1e-5f;
// Narrower column slices than this lose more to packing than they gain.
constexpr std::size_t kMinSlice = 64;

class CpuModelOps final : public ModelOps {
 public:
  explicit CpuModelOps(int threads) : threads_(threads > 0 ? threads : 1) {}

  std::string backend() const override { return "cpu"; }

  float* allocate(std::size_t count) override {
    buffers_.emplace_back(count, 0.0f);
    bytes_ += count * sizeof(float);
    return buffers_.back().data();
  }
  std::size_t allocated_bytes() const override { return bytes_; }
  void upload(float* dst, const float* host, std::size_t count) override {
    std::memcpy(dst, host, count * sizeof(float));
  }
  void download(float* host, const float* src, std::size_t count) override {
    std::memcpy(host, src, count * sizeof(float));
  }
  void copy_rows(float* dst, std::size_t dst_stride, const float* src,
                 std::size_t src_stride, std::size_t rows,
                 std::size_t cols) override {
    for (std::size_t r = 0; r < rows; ++r)
      std::memcpy(dst + r * dst_stride, src + r * src_stride,
                  cols * sizeof(float));
  }

  // The OpenMP team splits the output columns and each thread calls
  // single-threaded sgemm on its slice: one thread pool in the process.
  // OpenBLAS's own pthread pool next to OpenMP's makes both spin against
  // each other (a 2-core VM ran a bert-tiny pass 60x slower), and it
  // serialises concurrent callers, which colocated models and pool workers
  // are.
  void linear(const float* x, const float* w, const float* bias, float* y,
              std::size_t m, std::size_t kk, std::size_t n) override {
    const std::size_t slices = std::min<std::size_t>(
        std::size_t(threads_), (n + kMinSlice - 1) / kMinSlice);
    const std::size_t width = ((n + slices - 1) / slices + 15) / 16 * 16;
#pragma omp parallel for num_threads(int(slices)) schedule(static)
    for (std::size_t s = 0; s < slices; ++s) {
      const std::size_t first = s * width;
      if (first >= n) continue;
      const std::size_t cols = std::min(width, n - first);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m), int(cols),
                  int(kk), 1.0f, x, int(kk), w + first, int(n), 0.0f, y + first,
                  int(n));
    }
    if (bias != nullptr) team(), k::add_bias(y, bias, m, n);
  }
  void layernorm(const float* x, const float* gamma, const float* beta,
                 float* out, std::size_t rows, std::size_t cols) override {
    team(), k::layernorm(x, gamma, beta, out, rows, cols, kNormEps);
  }
  void rmsnorm(const float* x, const float* gamma, float* out, std::size_t rows,
               std::size_t cols) override {
    team(), k::rmsnorm(x, gamma, out, rows, cols, kNormEps);
  }
  void gelu(float* x, std::size_t n) override {
    team(), k::gelu(x, n);
  }
  void swiglu(const float* gate_up, float* out, std::size_t rows,
              std::size_t ffn) override {
    team(), k::swiglu(gate_up, out, rows, ffn);
  }
  void add(float* x, const float* y, std::size_t n) override {
    team(), k::add(x, y, n);
  }
  void rope(float* x, const RopeShape& shape) override {
    team(), k::rope(x, shape);
  }
  void attention(const float* q, const float* kk, const float* v, float* out,
                 const AttentionShape& shape) override {
    team(), k::attention(q, kk, v, out, shape);
  }

 private:
  // OpenMP's thread count is per calling thread: set it before each kernel
  // so that a model driven from a worker thread uses its own team size.
  void team() const {
    omp_set_num_threads(threads_);
  }

  int threads_;
  std::vector<std::vector<float>> buffers_;
  std::size_t bytes_ = 0;
};

}  // namespace

std::unique_ptr<ModelOps> make_cpu_ops(int threads) {
  return std::make_unique<CpuModelOps>(threads);
}

void set_blas_threads(int threads) {
  openblas_set_num_threads(threads);
}
int blas_threads() {
  return openblas_get_num_threads();
}

}  // namespace cb::model
