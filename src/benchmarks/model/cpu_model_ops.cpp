// ModelOps on the host: OpenBLAS for the GEMMs, kernels/cpu for the rest,
// every op split across the model's ThreadTeam.
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "benchmarks/model/model_ops.hpp"
#include "benchmarks/model/thread_team.hpp"
#include "core/error.hpp"
#include "cpu/model_kernels.hpp"
#ifdef CB_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace cb::model {
#ifdef CB_HAVE_OPENBLAS
namespace {

namespace k = kernels::cpu;
constexpr float kNormEps = 1e-5f;
// Narrower column slices than this lose more to packing than they gain.
constexpr std::size_t kMinSlice = 64;

class CpuModelOps final : public ModelOps {
 public:
  explicit CpuModelOps(int threads) : team_(threads) {}

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

  // The team splits the output columns; each member calls single-threaded
  // OpenBLAS on its slice (OpenBLAS's own pool would spin against the team
  // and serialise concurrent callers: co-located models, pool contexts).
  // One row is a GEMV, which OpenBLAS's sgemm handles poorly.
  void linear(const float* x, const float* w, const float* bias, float* y,
              std::size_t m, std::size_t kk, std::size_t n) override {
    const std::size_t slices = std::max<std::size_t>(
        1, std::min(std::size_t(team_.size()), n / kMinSlice));
    team_.parallel_for(slices, [&](std::size_t first, std::size_t last) {
      const std::size_t begin = n * first / slices, end = n * last / slices;
      if (m == 1)
        cblas_sgemv(CblasRowMajor, CblasTrans, int(kk), int(end - begin), 1.0f,
                    w + begin, int(n), x, 1, 0.0f, y + begin, 1);
      else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m),
                    int(end - begin), int(kk), 1.0f, x, int(kk), w + begin,
                    int(n), 0.0f, y + begin, int(n));
      if (bias != nullptr)
        for (std::size_t r = 0; r < m; ++r)
          for (std::size_t c = begin; c < end; ++c) y[r * n + c] += bias[c];
    });
  }
  void layernorm(const float* x, const float* gamma, const float* beta,
                 float* out, std::size_t rows, std::size_t cols) override {
    rows_of(rows, [&](std::size_t a, std::size_t b) {
      k::layernorm(x + a * cols, gamma, beta, out + a * cols, b - a, cols,
                   kNormEps);
    });
  }
  void rmsnorm(const float* x, const float* gamma, float* out, std::size_t rows,
               std::size_t cols) override {
    rows_of(rows, [&](std::size_t a, std::size_t b) {
      k::rmsnorm(x + a * cols, gamma, out + a * cols, b - a, cols, kNormEps);
    });
  }
  void gelu(float* x, std::size_t n) override {
    rows_of(n, [&](std::size_t a, std::size_t b) { k::gelu(x + a, b - a); });
  }
  void swiglu(const float* gate_up, float* out, std::size_t rows,
              std::size_t ffn) override {
    rows_of(rows, [&](std::size_t a, std::size_t b) {
      k::swiglu(gate_up + a * 2 * ffn, out + a * ffn, b - a, ffn);
    });
  }
  void add(float* x, const float* y, std::size_t n) override {
    rows_of(n,
            [&](std::size_t a, std::size_t b) { k::add(x + a, y + a, b - a); });
  }
  void rope(float* x, const RopeShape& s) override {
    // By sequence: a row's position depends on its index within it.
    rows_of(s.batch, [&](std::size_t a, std::size_t b) {
      RopeShape part = s;
      part.batch = b - a;
      k::rope(x + a * s.tokens * s.row_stride, part);
    });
  }
  void attention(const float* q, const float* kk, const float* v, float* out,
                 const AttentionShape& s) override {
    rows_of(s.batch * s.heads * s.tokens, [&](std::size_t a, std::size_t b) {
      k::attention_rows(q, kk, v, out, s, a, b);
    });
  }

 private:
  // Kernels run on the team, with OpenMP held to one thread per member.
  void rows_of(std::size_t n, const ThreadTeam::Slice& fn) {
    omp_set_num_threads(1);
    team_.parallel_for(n, fn);
  }

  ThreadTeam team_;
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

#else  // A build without OpenBLAS: the models' CPU cases are skipped.

std::unique_ptr<ModelOps> make_cpu_ops(int) {
  throw Error(ErrorKind::Unavailable,
              "this clusterbench was built without OpenBLAS");
}
void set_blas_threads(int) {}
int blas_threads() {
  return 1;
}

#endif

}  // namespace cb::model
