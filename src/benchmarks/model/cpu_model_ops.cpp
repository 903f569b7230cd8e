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

// The float behind a Buf (null for an empty one).
float* at(Buf b) {
  return b ? static_cast<float*>(b.base()) + b.offset() : nullptr;
}

class CpuModelOps final : public ModelOps {
 public:
  explicit CpuModelOps(int threads) : team_(threads) {}

  std::string backend() const override { return "cpu"; }

  Buf allocate(std::size_t count) override {
    buffers_.emplace_back(count, 0.0f);
    bytes_ += count * sizeof(float);
    return Buf(buffers_.back().data());
  }
  std::size_t allocated_bytes() const override { return bytes_; }
  void upload(Buf dst, const float* host, std::size_t count) override {
    std::memcpy(at(dst), host, count * sizeof(float));
  }
  void download(float* host, Buf src, std::size_t count) override {
    std::memcpy(host, at(src), count * sizeof(float));
  }
  void copy_rows(Buf dst, std::size_t dst_stride, Buf src,
                 std::size_t src_stride, std::size_t rows,
                 std::size_t cols) override {
    for (std::size_t r = 0; r < rows; ++r)
      std::memcpy(at(dst) + r * dst_stride, at(src) + r * src_stride,
                  cols * sizeof(float));
  }

  // The team splits the output columns; each member calls single-threaded
  // OpenBLAS on its slice (OpenBLAS's own pool would spin against the team
  // and serialise concurrent callers: co-located models, pool contexts).
  // One row is a GEMV, which OpenBLAS's sgemm handles poorly.
  void linear(Buf xb, Buf wb, Buf biasb, Buf yb, std::size_t m, std::size_t kk,
              std::size_t n) override {
    const float *x = at(xb), *w = at(wb), *bias = at(biasb);
    float* y = at(yb);
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
  void layernorm(Buf x, Buf gamma, Buf beta, Buf out, std::size_t rows,
                 std::size_t cols) override {
    rows_of(rows, [&](std::size_t a, std::size_t b) {
      k::layernorm(at(x) + a * cols, at(gamma), at(beta), at(out) + a * cols,
                   b - a, cols, kNormEps);
    });
  }
  void rmsnorm(Buf x, Buf gamma, Buf out, std::size_t rows,
               std::size_t cols) override {
    rows_of(rows, [&](std::size_t a, std::size_t b) {
      k::rmsnorm(at(x) + a * cols, at(gamma), at(out) + a * cols, b - a, cols,
                 kNormEps);
    });
  }
  void gelu(Buf x, std::size_t n) override {
    rows_of(n,
            [&](std::size_t a, std::size_t b) { k::gelu(at(x) + a, b - a); });
  }
  void swiglu(Buf gate_up, Buf out, std::size_t rows,
              std::size_t ffn) override {
    rows_of(rows, [&](std::size_t a, std::size_t b) {
      k::swiglu(at(gate_up) + a * 2 * ffn, at(out) + a * ffn, b - a, ffn);
    });
  }
  void add(Buf x, Buf y, std::size_t n) override {
    rows_of(n, [&](std::size_t a, std::size_t b) {
      k::add(at(x) + a, at(y) + a, b - a);
    });
  }
  void rope(Buf x, const RopeShape& s) override {
    // By sequence: a row's position depends on its index within it.
    rows_of(s.batch, [&](std::size_t a, std::size_t b) {
      RopeShape part = s;
      part.batch = b - a;
      k::rope(at(x) + a * s.tokens * s.row_stride, part);
    });
  }
  void attention(Buf q, Buf kk, Buf v, Buf out,
                 const AttentionShape& s) override {
    rows_of(s.batch * s.heads * s.tokens, [&](std::size_t a, std::size_t b) {
      k::attention_rows(at(q), at(kk), at(v), at(out), s, a, b);
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
