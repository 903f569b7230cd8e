// Analytic FLOP counts of the presets in configs/models.toml against counts
// worked out by hand. Per layer, with T new tokens, hidden h, head dim d:
//   QKV 2*T*h*(heads + 2*kv_heads)*d, output projection 2*T*h*h,
//   attention 4*batch*heads*pairs*d (Q K^T and P V over the visible key
//   positions: seq^2, seq(seq+1)/2 when causal, seq for a decode step),
//   FFN 2*T*h*ffn*2 (GELU) or *3 (SwiGLU: gate, up, down).
#include <gtest/gtest.h>

#include "benchmarks/model/mlp_model.hpp"
#include "benchmarks/model/transformer_shape.hpp"

namespace cb::model {
namespace {

TransformerShape shape(Family f, std::int64_t layers, std::int64_t hidden,
                       std::int64_t heads, std::int64_t kv, std::int64_t ffn) {
  TransformerShape s;
  s.family = f, s.layers = layers, s.hidden = hidden, s.heads = heads;
  s.kv_heads = kv, s.ffn = ffn;
  return s;
}

Workload work(std::int64_t batch, std::int64_t seq, Mode mode = Mode::Forward) {
  Workload w;
  w.batch = batch, w.seq = seq, w.mode = mode;
  return w;
}

TEST(ModelFlops, BertTiny) {
  // 2 x (12,582,912 + 4,194,304 + 8,388,608 + 33,554,432)
  auto f =
      transformer_flops(shape(Family::Bert, 2, 128, 2, 2, 512), work(1, 128));
  EXPECT_DOUBLE_EQ(f.total(), 117440512.0);
  EXPECT_DOUBLE_EQ(f.attention, 2 * 8388608.0);
}

TEST(ModelFlops, BertBase) {
  // 12 x (452,984,832 + 150,994,944 + 50,331,648 + 1,207,959,552)
  auto s = shape(Family::Bert, 12, 768, 12, 12, 3072);
  EXPECT_DOUBLE_EQ(transformer_flops(s, work(1, 128)).total(), 22347251712.0);
  // Everything but attention is linear in the batch; attention too here.
  EXPECT_DOUBLE_EQ(transformer_flops(s, work(8, 128)).total(),
                   8 * 22347251712.0);
  // 110M parameters without embeddings: 12 x 7,087,872.
  EXPECT_EQ(transformer_parameters(s), 12 * 7087872);
}

TEST(ModelFlops, Gpt2SmallPrefillAndDecode) {
  auto s = shape(Family::Gpt2, 12, 768, 12, 12, 3072);
  // Causal: 128 * 129 / 2 = 8,256 pairs; attention 4 * 12 * 8,256 * 64.
  auto prefill = transformer_flops(s, work(1, 128));
  EXPECT_DOUBLE_EQ(prefill.attention, 12 * 25362432.0);
  EXPECT_DOUBLE_EQ(prefill.total(), 22047621120.0);
  // One token against 128 cached: 12 x (3,538,944 + 1,179,648 + 393,216 +
  // 9,437,184).
  EXPECT_DOUBLE_EQ(transformer_flops(s, work(1, 128, Mode::Decode)).total(),
                   174587904.0);
}

TEST(ModelFlops, VitBase) {
  // seq 197: 12 x (697,171,968 + 232,390,656 + 119,221,248 + 1,859,125,248)
  auto s = shape(Family::Vit, 12, 768, 12, 12, 3072);
  EXPECT_DOUBLE_EQ(transformer_flops(s, work(1, 197)).total(), 34894909440.0);
}

TEST(ModelFlops, LlamaLayerWithGroupedQueries) {
  // TinyLlama layer: 32 heads of 64, 4 kv heads: QKV is 2048 -> 2560.
  auto s = shape(Family::Llama, 1, 2048, 32, 4, 5632);
  EXPECT_EQ(s.qkv_columns(), 2560);
  // 1,342,177,280 + 1,073,741,824 + 67,633,152 + 8,858,370,048
  EXPECT_DOUBLE_EQ(transformer_flops(s, work(1, 128)).total(), 11341922304.0);
  // Decode, batch 8, context 1024: QKV 83,886,080 + output 67,108,864 + FFN
  // 553,648,128 + attention 4 * 8 * 32 * 1024 * 64 = 67,108,864.
  EXPECT_DOUBLE_EQ(transformer_flops(s, work(8, 1024, Mode::Decode)).total(),
                   771751936.0);
  // No biases or LayerNorm shifts: weights + two RMSNorm scales.
  EXPECT_EQ(
      transformer_parameters(s),
      2048 * 2560 + 2048 * 2048 + 2048 * 2 * 5632 + 5632 * 2048 + 2 * 2048);
}

TEST(ModelFlops, Mlp) {
  // DLRM top MLP: 479*1024 + 1024*1024 + 1024*512 + 512*256 + 256*1
  // = 2,194,688 multiply-adds per row.
  auto widths = parse_widths("479,1024,1024,512,256,1");
  EXPECT_DOUBLE_EQ(mlp_flops(widths, 64), 2 * 64 * 2194688.0);
  EXPECT_EQ(mlp_parameters(parse_widths("2,3")), 2 * 3 + 3);
  EXPECT_THROW(parse_widths("784"), std::exception);
  EXPECT_THROW(parse_widths("784,x"), std::exception);
}

}  // namespace
}  // namespace cb::model
