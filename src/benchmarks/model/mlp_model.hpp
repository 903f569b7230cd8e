// A multi-layer perceptron with random weights over ModelOps: linear + bias
// and GELU between consecutive widths, no activation after the last layer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "benchmarks/model/inference_model.hpp"
#include "benchmarks/model/model_ops.hpp"

namespace cb::model {

// "784,512,512,10" -> {784, 512, 512, 10}; throws cb::Error unless there are
// at least two positive widths.
std::vector<std::int64_t> parse_widths(const std::string& text);
// 2 * batch * sum of w[i] * w[i+1] (multiply-adds of the GEMMs).
double mlp_flops(const std::vector<std::int64_t>& widths, std::int64_t batch);
std::int64_t mlp_parameters(const std::vector<std::int64_t>& widths);

// Weights of layer i ([w_i, w_i+1] and bias), a function of the seed.
std::vector<float> mlp_weight(const std::vector<std::int64_t>& widths,
                              std::size_t layer, std::uint64_t seed);
std::vector<float> mlp_bias(const std::vector<std::int64_t>& widths,
                            std::size_t layer, std::uint64_t seed);
std::vector<float> mlp_inputs(const std::vector<std::int64_t>& widths,
                              std::int64_t batch, std::uint64_t seed);
// The plain double-precision forward the backends are checked against.
std::vector<double> mlp_reference(const std::vector<std::int64_t>& widths,
                                  std::int64_t batch, std::uint64_t seed);

class MlpModel final : public InferenceModel {
 public:
  MlpModel(ModelOps& ops, std::vector<std::int64_t> widths, std::int64_t batch,
           std::uint64_t seed);
  void run(const std::atomic<bool>* cancel = nullptr) override;
  double flops() const override { return mlp_flops(widths_, batch_); }
  std::int64_t samples() const override { return batch_; }
  std::int64_t tokens() const override { return batch_; }
  std::vector<float> output() const override;  // [batch, last width]

 private:
  ModelOps& ops_;
  std::vector<std::int64_t> widths_;
  std::int64_t batch_;
  std::vector<Buf> weights_, biases_, activations_;
};

}  // namespace cb::model
