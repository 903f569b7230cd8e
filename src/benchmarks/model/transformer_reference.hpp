// A plain double-precision transformer forward, written for clarity, not
// speed: the reference the model benchmarks check their backends against.
// It shares no code with the backends except the weight generator.
#pragma once

#include <cstdint>
#include <vector>

#include "benchmarks/model/transformer_shape.hpp"

namespace cb::model {

// Every layer over all `seq` tokens of each of `batch` sequences (causal for
// decoders), from `inputs` [batch, seq, hidden]; returns [batch, seq, hidden].
// A decode step's output is the last token of each sequence.
std::vector<double> reference_forward(const TransformerShape& shape,
                                      std::int64_t batch, std::int64_t seq,
                                      const std::vector<float>& inputs,
                                      std::uint64_t seed);

}  // namespace cb::model
