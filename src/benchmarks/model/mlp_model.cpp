#include "benchmarks/model/mlp_model.hpp"

#include <cmath>
#include <sstream>

#include "core/error.hpp"

namespace cb::model {

std::vector<std::int64_t> parse_widths(const std::string& text) {
  std::vector<std::int64_t> widths;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    CB_CHECK(used > 0 &&
                 item.find_first_not_of(' ', used) == std::string::npos &&
                 v > 0,
             "widths: '" + item +
                 "' is not a positive integer (write e.g. "
                 "\"784,512,10\")");
    widths.push_back(v);
  }
  CB_CHECK(widths.size() >= 2,
           "widths needs at least an input and an output width, e.g. "
           "\"784,512,10\"");
  return widths;
}

double mlp_flops(const std::vector<std::int64_t>& widths, std::int64_t batch) {
  double macs = 0;
  for (std::size_t i = 0; i + 1 < widths.size(); ++i)
    macs += double(widths[i]) * double(widths[i + 1]);
  return 2 * double(batch) * macs;
}

std::int64_t mlp_parameters(const std::vector<std::int64_t>& widths) {
  std::int64_t n = 0;
  for (std::size_t i = 0; i + 1 < widths.size(); ++i)
    n += widths[i] * widths[i + 1] + widths[i + 1];
  return n;
}

std::vector<float> mlp_weight(const std::vector<std::int64_t>& w,
                              std::size_t layer, std::uint64_t seed) {
  return random_uniform(std::size_t(w[layer] * w[layer + 1]),
                        std::sqrt(3.0f / float(w[layer])), seed, 2 * layer);
}

std::vector<float> mlp_bias(const std::vector<std::int64_t>& w,
                            std::size_t layer, std::uint64_t seed) {
  return random_uniform(std::size_t(w[layer + 1]), 0.1f, seed, 2 * layer + 1);
}

std::vector<float> mlp_inputs(const std::vector<std::int64_t>& w,
                              std::int64_t batch, std::uint64_t seed) {
  return random_uniform(std::size_t(batch * w[0]), 1.0f, seed, ~0ull);
}

std::vector<double> mlp_reference(const std::vector<std::int64_t>& w,
                                  std::int64_t batch, std::uint64_t seed) {
  std::vector<float> in = mlp_inputs(w, batch, seed);
  std::vector<double> x(in.begin(), in.end());
  for (std::size_t l = 0; l + 1 < w.size(); ++l) {
    auto weight = mlp_weight(w, l, seed);
    auto bias = mlp_bias(w, l, seed);
    const std::size_t k = std::size_t(w[l]), n = std::size_t(w[l + 1]);
    std::vector<double> y(std::size_t(batch) * n);
    for (std::size_t r = 0; r < std::size_t(batch); ++r)
      for (std::size_t j = 0; j < n; ++j) {
        double sum = bias[j];
        for (std::size_t i = 0; i < k; ++i)
          sum += x[r * k + i] * double(weight[i * n + j]);
        bool last = l + 2 == w.size();
        y[r * n + j] =
            last ? sum : 0.5 * sum * (1 + std::erf(sum / std::sqrt(2.0)));
      }
    x = std::move(y);
  }
  return x;
}

MlpModel::MlpModel(ModelOps& ops, std::vector<std::int64_t> widths,
                   std::int64_t batch, std::uint64_t seed)
    : ops_(ops), widths_(std::move(widths)), batch_(batch) {
  auto upload = [&](const std::vector<float>& host) {
    Buf device = ops_.allocate(host.size());
    ops_.upload(device, host.data(), host.size());
    return device;
  };
  activations_.push_back(upload(mlp_inputs(widths_, batch_, seed)));
  for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
    weights_.push_back(upload(mlp_weight(widths_, l, seed)));
    biases_.push_back(upload(mlp_bias(widths_, l, seed)));
    activations_.push_back(ops_.allocate(std::size_t(batch_ * widths_[l + 1])));
  }
}

void MlpModel::run(const std::atomic<bool>* cancel) {
  const std::size_t b = std::size_t(batch_);
  for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) return;
    const std::size_t k = std::size_t(widths_[l]),
                      n = std::size_t(widths_[l + 1]);
    ops_.linear(activations_[l], weights_[l], biases_[l], activations_[l + 1],
                b, k, n);
    if (l + 2 < widths_.size()) ops_.gelu(activations_[l + 1], b * n);
  }
}

std::vector<float> MlpModel::output() const {
  std::vector<float> host(std::size_t(batch_ * widths_.back()));
  ops_.sync();
  ops_.download(host.data(), activations_.back(), host.size());
  return host;
}

}  // namespace cb::model
