// distributed.allreduce: MPI_Allreduce (sum) over every rank, size sweep.
// algbw = bytes / time; busbw = algbw * 2(n-1)/n (nccl-tests' factor, which
// makes busbw comparable with the link speed whatever the rank count).
// Validated after timing on fresh data: wrong elements are counted.
#include <mpi.h>

#include <any>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/group.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

BenchmarkInfo allreduce_info() {
  BenchmarkInfo info;
  info.name = "distributed.allreduce";
  info.kind = Kind::Distributed;
  info.scope = Scope::Group;
  info.shape = GroupShape::AllRanks;
  info.backends = {"mpi"};
  info.summary =
      "MPI_Allreduce (sum) across all ranks: time min/avg/max, algbw, busbw";
  info.params = {
      {"size",
       ParamType::Bytes,
       std::int64_t{1 << 20},
       "message size in bytes",
       {},
       {"sizes"}},
      {"dtype",
       ParamType::String,
       std::string("float32"),
       "element type",
       {"float32", "float64", "int32"},
       {}},
      {"in_place",
       ParamType::Bool,
       false,
       "MPI_IN_PLACE instead of separate buffers",
       {},
       {}},
  };
  info.cost = [](const ParamSet&) { return 0.5; };
  return info;
}

struct Dtype {
  MPI_Datatype mpi;
  int bytes;
};

Dtype dtype_of(const std::string& name) {
  if (name == "float64") return {MPI_DOUBLE, 8};
  if (name == "int32") return {MPI_INT32_T, 4};
  return {MPI_FLOAT, 4};
}

// Element i of rank r. Small integers keep every partial sum exact in
// float32 and int32 up to about 150,000 ranks, so any difference is an error.
double input(int rank, std::size_t i) {
  return (rank % 16 + 1) * static_cast<double>(i % 7 + 1);
}

class AllreduceBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    CB_CHECK(ctx.group != nullptr, "allreduce is a group benchmark");
    comm_ = std::any_cast<MPI_Comm>(ctx.group->native());
    rank_ = ctx.group->rank();
    ranks_ = ctx.group->size();
    name_ = get_string(ctx.params, "dtype");
    type_ = dtype_of(name_);
    in_place_ = get_bool(ctx.params, "in_place");
    count_ =
        std::max<std::int64_t>(1, get_int(ctx.params, "size") / type_.bytes);
    CB_CHECK(count_ < (std::int64_t{1} << 31),
             "size too large for one MPI call");
    send_.assign(static_cast<std::size_t>(count_) * type_.bytes, 0);
    recv_.assign(send_.size(), 0);
  }

  std::vector<Operation> operations() override {
    double bytes = static_cast<double>(count_) * type_.bytes;
    Operation op;
    op.rates = {{"algbw", "GB/s", bytes / 1e9},
                {"busbw", "GB/s", bytes / 1e9 * 2.0 * (ranks_ - 1) / ranks_}};
    // Timing data is all zeros: sums stay zero, so in-place repetition never
    // overflows into infinities that would change the arithmetic's speed.
    op.run = [this](std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) reduce();
    };
    return {op};
  }

  Verification verify() override {
    for (std::size_t i = 0; i < static_cast<std::size_t>(count_); ++i)
      store(in_place_ ? recv_ : send_, i, input(rank_, i));
    reduce();
    double rank_sum = 0;
    for (int r = 0; r < ranks_; ++r) rank_sum += r % 16 + 1;
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(count_); ++i) {
      double expected = rank_sum * static_cast<double>(i % 7 + 1);
      double got = load(recv_, i);
      wrong += !(got == expected);  // exact: see input(); NaN is wrong too
    }
    return {wrong == 0, std::to_string(wrong) + " wrong elements of " +
                            std::to_string(count_) + " (" + name_ + ")"};
  }

 private:
  void reduce() {
    const void* in = in_place_ ? MPI_IN_PLACE : send_.data();
    MPI_Allreduce(in, recv_.data(), static_cast<int>(count_), type_.mpi,
                  MPI_SUM, comm_);
  }
  void store(std::vector<char>& buffer, std::size_t i, double value) const {
    if (type_.bytes == 8)
      reinterpret_cast<double*>(buffer.data())[i] = value;
    else if (type_.mpi == MPI_FLOAT)
      reinterpret_cast<float*>(buffer.data())[i] = static_cast<float>(value);
    else
      reinterpret_cast<std::int32_t*>(buffer.data())[i] =
          static_cast<std::int32_t>(value);
  }
  double load(const std::vector<char>& buffer, std::size_t i) const {
    if (type_.bytes == 8)
      return reinterpret_cast<const double*>(buffer.data())[i];
    if (type_.mpi == MPI_FLOAT)
      return reinterpret_cast<const float*>(buffer.data())[i];
    return reinterpret_cast<const std::int32_t*>(buffer.data())[i];
  }

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, ranks_ = 1;
  std::string name_;
  Dtype type_{MPI_FLOAT, 4};
  bool in_place_ = false;
  std::int64_t count_ = 1;
  std::vector<char> send_, recv_;
};

}  // namespace

CB_REGISTER_BENCHMARK(AllreduceBenchmark, allreduce_info());

}  // namespace cb
