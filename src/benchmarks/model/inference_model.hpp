// What the model benchmarks (and cross_model, resource_pool) drive: one
// model with its weights resident on a backend, run one inference at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace cb::model {

class InferenceModel {
 public:
  virtual ~InferenceModel() = default;
  // One inference of the whole batch. When `cancel` becomes true it returns
  // early between layers (output undefined): a co-running background model
  // stops within a layer of being asked.
  virtual void run(const std::atomic<bool>* cancel = nullptr) = 0;
  virtual double flops() const = 0;               // of one run
  virtual std::int64_t samples() const = 0;       // sequences (or rows) per run
  virtual std::int64_t tokens() const = 0;        // tokens per run
  virtual std::vector<float> output() const = 0;  // of the last run
};

// Deterministic uniform values in [-scale, scale) from (seed, stream): the
// same tensors on every run and every rank, and cheap enough to fill
// hundreds of MB of weights at set-up.
std::vector<float> random_uniform(std::size_t count, float scale,
                                  std::uint64_t seed, std::uint64_t stream);

// max |a - b| / max(rms(b), 1e-30): the error measure of the reference
// checks (relative to the output's scale, since single entries may be ~0).
double relative_error(const std::vector<float>& a,
                      const std::vector<double>& b);

}  // namespace cb::model
