#include "benchmarks/distributed/collective.hpp"

#include <any>
#include <cstdint>
#include <cstring>

#include "core/error.hpp"
#include "core/group.hpp"

namespace cb::collective {

Dtype dtype_named(const std::string& name) {
  if (name == "float64") return {name, MPI_DOUBLE, 8};
  if (name == "int32") return {name, MPI_INT32_T, 4};
  CB_CHECK(name == "float32", "unknown dtype '" + name + "'");
  return {name, MPI_FLOAT, 4};
}

double input(int rank, std::size_t i) {
  return (rank % 16 + 1) * static_cast<double>(i % 7 + 1);
}

double rank_sum(int ranks) {
  double sum = 0;
  for (int r = 0; r < ranks; ++r) sum += r % 16 + 1;
  return sum;
}

void Buffer::resize(const Dtype& type, std::size_t count) {
  type_ = type;
  count_ = count;
  bytes_.assign(count * static_cast<std::size_t>(type.bytes), 0);
}

void Buffer::zero() {
  std::fill(bytes_.begin(), bytes_.end(), 0);
}

void Buffer::store(std::size_t i, double value) {
  if (type_.bytes == 8) {
    std::memcpy(&bytes_[i * 8], &value, 8);
  } else if (type_.name == "float32") {
    float v = static_cast<float>(value);
    std::memcpy(&bytes_[i * 4], &v, 4);
  } else {
    std::int32_t v = static_cast<std::int32_t>(value);
    std::memcpy(&bytes_[i * 4], &v, 4);
  }
}

double Buffer::load(std::size_t i) const {
  if (type_.bytes == 8) {
    double v;
    std::memcpy(&v, &bytes_[i * 8], 8);
    return v;
  }
  if (type_.name == "float32") {
    float v;
    std::memcpy(&v, &bytes_[i * 4], 4);
    return v;
  }
  std::int32_t v;
  std::memcpy(&v, &bytes_[i * 4], 4);
  return v;
}

std::size_t count_mismatches(
    const Buffer& got, std::size_t begin, std::size_t count,
    const std::function<double(std::size_t)>& expected) {
  std::size_t wrong = 0;
  for (std::size_t i = begin; i < begin + count; ++i)
    wrong += !(got.load(i) == expected(i));
  return wrong;
}

double allreduce_bus_factor(int ranks) {
  return 2.0 * (ranks - 1) / ranks;
}
double gather_bus_factor(int ranks) {
  return static_cast<double>(ranks - 1) / ranks;
}

BenchmarkInfo collective_info(const std::string& name,
                              const std::string& summary, Features features) {
  BenchmarkInfo info;
  info.name = name;
  info.kind = Kind::Distributed;
  info.scope = Scope::Group;
  info.shape = GroupShape::AllRanks;
  info.backends = {"mpi"};
  info.summary = summary;
  info.params = {
      {"size",
       ParamType::Bytes,
       std::int64_t{1 << 20},
       "bytes of the operation as nccl-tests counts them (the full vector)",
       {},
       {"sizes"},
       0,
       // An int count of the smallest element type (4 bytes) per MPI call;
       // setup() checks the dtype actually chosen.
       ((std::int64_t{1} << 31) - 1) * 4},
      {"dtype",
       ParamType::String,
       std::string("float32"),
       "element type",
       {"float32", "float64", "int32"},
       {}},
  };
  if (features.in_place)
    info.params.push_back({"in_place",
                           ParamType::Bool,
                           false,
                           "MPI_IN_PLACE instead of separate buffers",
                           {},
                           {}});
  if (features.rooted)
    info.params.push_back(
        {"root", ParamType::Int, std::int64_t{0}, "root rank", {}, {}, 0});
  info.cost = [](const ParamSet&) { return 0.5; };
  return info;
}

void CollectiveBenchmark::setup(const CaseContext& ctx) {
  CB_CHECK(ctx.group != nullptr, "a collective runs on a group of ranks");
  comm_ = std::any_cast<MPI_Comm>(ctx.group->native());
  rank_ = ctx.group->rank();
  ranks_ = ctx.group->size();
  type_ = dtype_named(get_string(ctx.params, "dtype"));
  in_place_ = ctx.params.count("in_place") && get_bool(ctx.params, "in_place");
  if (ctx.params.count("root")) {
    std::int64_t root = get_int(ctx.params, "root");
    CB_CHECK(root >= 0 && root < ranks_,
             "root must be a rank of the group (0.." +
                 std::to_string(ranks_ - 1) + ")");
    root_ = static_cast<int>(root);
  }
  std::int64_t count =
      std::max<std::int64_t>(1, get_int(ctx.params, "size") / type_.bytes);
  // Block collectives move count/n elements per rank: round down to a
  // multiple of n (never below one element per rank).
  if (blocked()) count = std::max<std::int64_t>(ranks_, count - count % ranks_);
  CB_CHECK(count < (std::int64_t{1} << 31), "size too large for one MPI call");
  count_ = static_cast<std::size_t>(count);
  Layout l = layout(count_);
  send_.resize(type_, l.send);
  recv_.resize(type_, l.recv);
}

std::vector<Operation> CollectiveBenchmark::operations() {
  double gb = static_cast<double>(count_) * type_.bytes / 1e9;
  Operation op;
  op.rates = {{"algbw", "GB/s", gb},
              {"busbw", "GB/s", gb * bus_factor(ranks_)}};
  // Timing data is all zeros: sums stay zero, so in-place repetition never
  // overflows into infinities that would change the arithmetic's speed.
  op.run = [this](std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) call();
  };
  return {op};
}

void CollectiveBenchmark::fill_inputs() {
  for (std::size_t i = 0; i < send_.count(); ++i)
    send_.store(i, input(rank_, i));
}

Verification CollectiveBenchmark::verify() {
  // After timing, on fresh data: one more call whose every output element
  // has a known value.
  send_.zero();
  recv_.zero();
  fill_inputs();
  call();
  if (!has_output()) return {true, "no output on this rank"};
  std::size_t wrong = count_mismatches(
      recv_, 0, output_count(), [this](std::size_t i) { return expected(i); });
  return {wrong == 0, std::to_string(wrong) + " wrong elements of " +
                          std::to_string(output_count()) + " (" + type_.name +
                          ")"};
}

ParamSet CollectiveBenchmark::resolved_params() const {
  return {{"size", static_cast<std::int64_t>(count_) * type_.bytes}};
}

}  // namespace cb::collective
