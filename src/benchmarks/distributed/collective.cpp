#include "benchmarks/distributed/collective.hpp"

#include <any>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/error.hpp"
#include "core/group.hpp"
#include "device/device_loader.hpp"
#if __has_include(<mpi-ext.h>)
#include <mpi-ext.h>  // Open MPI: MPIX_CUDA_AWARE_SUPPORT
#endif

namespace cb::collective {

using kernels::Element;

Dtype dtype_named(const std::string& name) {
  if (name == "float64") return {name, MPI_DOUBLE, 8, Element::F64};
  if (name == "int32") return {name, MPI_INT32_T, 4, Element::I32};
  if (name == "float16") return {name, MPI_DATATYPE_NULL, 2, Element::F16};
  if (name == "bfloat16") return {name, MPI_DATATYPE_NULL, 2, Element::BF16};
  CB_CHECK(name == "float32", "unknown dtype '" + name + "'");
  return {name, MPI_FLOAT, 4, Element::F32};
}

namespace {

// IEEE binary16 and bfloat16 from/to float, rounding to nearest even. The
// benchmark's values are small integers, far from subnormals and overflow,
// which therefore flush to zero / saturate to infinity.
std::uint16_t to_half(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  std::uint32_t sign = (x >> 16) & 0x8000u;
  int exponent = static_cast<int>((x >> 23) & 0xff) - 127 + 15;
  std::uint32_t mantissa = x & 0x7fffffu;
  if (exponent <= 0) return static_cast<std::uint16_t>(sign);
  if (exponent >= 31) return static_cast<std::uint16_t>(sign | 0x7c00u);
  std::uint32_t h =
      (static_cast<std::uint32_t>(exponent) << 10) | (mantissa >> 13);
  std::uint32_t rest = mantissa & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (h & 1))) ++h;
  return static_cast<std::uint16_t>(sign | h);
}
float from_half(std::uint16_t h) {
  std::uint32_t sign = (h & 0x8000u) << 16, exponent = (h >> 10) & 0x1f,
                mantissa = h & 0x3ffu, x;
  if (exponent == 0)
    x = sign;  // zero (subnormals flushed)
  else if (exponent == 31)
    x = sign | 0x7f800000u | (mantissa << 13);
  else
    x = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}
std::uint16_t to_bfloat16(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  x += 0x7fffu + ((x >> 16) & 1);
  return static_cast<std::uint16_t>(x >> 16);
}
float from_bfloat16(std::uint16_t b) {
  std::uint32_t x = static_cast<std::uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

}  // namespace

bool element_matches(const Dtype& type, double got, double expected) {
  if (type.element == Element::F16 || type.element == Element::BF16) {
    // A few units in the last place: 2^-11 (float16), 2^-8 (bfloat16).
    double ulp = type.element == Element::F16 ? 1.0 / 2048 : 1.0 / 256;
    return std::fabs(got - expected) <= 4 * ulp * std::fabs(expected);
  }
  return got == expected;
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
  if (type_.bytes == 2) {
    float f = static_cast<float>(value);
    std::uint16_t v =
        type_.element == Element::F16 ? to_half(f) : to_bfloat16(f);
    std::memcpy(&bytes_[i * 2], &v, 2);
  } else if (type_.bytes == 8) {
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
  if (type_.bytes == 2) {
    std::uint16_t v;
    std::memcpy(&v, &bytes_[i * 2], 2);
    return type_.element == Element::F16 ? from_half(v) : from_bfloat16(v);
  }
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
    wrong += !element_matches(got.type(), got.load(i), expected(i));
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
  info.backends = {"mpi", "cuda"};
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
       "element type; float16 and bfloat16 with NCCL only",
       {"float32", "float64", "int32", "float16", "bfloat16"},
       {}},
      {"library",
       ParamType::String,
       std::string("auto"),
       "mpi or nccl; auto = nccl on the cuda backend (GPU buffers), else mpi",
       {"auto", "mpi", "nccl"},
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

  std::string library = get_string(ctx.params, "library");
  if (library == "auto") library = ctx.backend == "cuda" ? "nccl" : "mpi";
  if (ctx.backend == "cuda") return setup_device(ctx, library);
  // Host buffers: MPI only. Every member reaches these checks with the same
  // parameters, so they all skip together.
  if (library != "mpi")
    throw Error(ErrorKind::Unavailable,
                library + " needs GPU buffers: use backend = \"cuda\"");
  if (type_.mpi == MPI_DATATYPE_NULL)
    throw Error(ErrorKind::Unavailable, "MPI has no " + type_.name + " type");
}

namespace {

// Whether MPI may be handed device pointers. Open MPI says so through
// mpi-ext.h; other libraries (e.g. Cray MPICH with MPICH_GPU_SUPPORT_ENABLED)
// can be vouched for with CLUSTERBENCH_MPI_GPU_AWARE=1.
bool mpi_cuda_aware(std::string& why) {
  if (const char* env = std::getenv("CLUSTERBENCH_MPI_GPU_AWARE");
      env && std::string(env) == "1")
    return true;
#if defined(MPIX_CUDA_AWARE_SUPPORT) && MPIX_CUDA_AWARE_SUPPORT
  if (MPIX_Query_cuda_support()) return true;
  why =
      "the MPI library was built CUDA-aware but CUDA support is off at run "
      "time (MPIX_Query_cuda_support() = 0)";
#else
  why =
      "the MPI library is not CUDA-aware (MPIX_CUDA_AWARE_SUPPORT is not "
      "set; set CLUSTERBENCH_MPI_GPU_AWARE=1 if it is)";
#endif
  return false;
}

}  // namespace

void CollectiveBenchmark::call_nccl(kernels::Communicator&) {
  throw kernels::Unsupported("no NCCL equivalent");
}

// GPU buffers on every member, and an NCCL communicator if asked. NCCL's
// set-up is collective (a member that gave up early would leave the others
// waiting in ncclCommInitRank), so the members agree on going ahead first.
void CollectiveBenchmark::setup_device(const CaseContext& ctx,
                                       const std::string& library) {
  std::string error, id(kernels::kUniqueIdBytes, '\0');
  bool unavailable = true;
  try {
    std::string why;
    if (library == "nccl" && !has_nccl())
      throw kernels::Unsupported("NCCL has no such collective");
    if (library == "nccl" && in_place_ && !nccl_in_place())
      throw kernels::Unsupported("the in-place NCCL variant is not measured");
    if (library == "mpi" && type_.mpi == MPI_DATATYPE_NULL)
      throw kernels::Unsupported("MPI has no " + type_.name + " type");
    if (library == "mpi" && !mpi_cuda_aware(why))
      throw kernels::Unsupported(why);
    device_ = kernels::open_device("cuda", ctx.device_index);
    dsend_ = DeviceBuffer(*device_, std::max<std::size_t>(send_.bytes(), 1));
    drecv_ = DeviceBuffer(*device_, std::max<std::size_t>(recv_.bytes(), 1));
    if (library == "nccl" && rank_ == 0)
      id = kernels::communicator_unique_id("nccl");
  } catch (const kernels::Unsupported& e) {
    error = e.what();
  } catch (const std::exception& e) {
    error = e.what(), unavailable = false;
  }
  if (ctx.group->any(!error.empty())) {
    if (error.empty())
      error = "another member could not set up (see its message)";
    throw Error(unavailable ? ErrorKind::Unavailable : ErrorKind::Runtime,
                library + " on GPU buffers: " + error);
  }
  if (library != "nccl") return;
  MPI_Bcast(id.data(), static_cast<int>(id.size()), MPI_BYTE, 0, comm_);
  nccl_ =
      kernels::open_communicator("nccl", ctx.device_index, rank_, ranks_, id);
}

void CollectiveBenchmark::upload_buffers() {
  device_->copy(dsend_.get(), send_.data(), send_.bytes());
  device_->copy(drecv_.get(), recv_.data(), recv_.bytes());
  device_->synchronize();
}

void CollectiveBenchmark::download_output() {
  if (nccl_) nccl_->synchronize();
  device_->copy(recv_.data(), drecv_.get(), recv_.bytes());
  device_->synchronize();
}

std::vector<Operation> CollectiveBenchmark::operations() {
  double gb = static_cast<double>(count_) * type_.bytes / 1e9;
  Operation op;
  op.rates = {{"algbw", "GB/s", gb},
              {"busbw", "GB/s", gb * bus_factor(ranks_)}};
  // Timing data is all zeros: sums stay zero, so in-place repetition never
  // overflows into infinities that would change the arithmetic's speed.
  if (device_) upload_buffers();  // zeros, as on the host
  op.run = [this](std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) call_any();
  };
  op.sync = [this] {
    nccl_ ? nccl_->synchronize() : device_ ? device_->synchronize() : void();
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
  if (device_) upload_buffers();
  call_any();
  if (device_) download_output();
  if (!has_output()) return {true, "no output on this rank"};
  std::size_t wrong = count_mismatches(
      recv_, 0, output_count(), [this](std::size_t i) { return expected(i); });
  return {wrong == 0, std::to_string(wrong) + " wrong elements of " +
                          std::to_string(output_count()) + " (" + type_.name +
                          (nccl_     ? ", NCCL"
                           : device_ ? ", MPI on GPU"
                                     : "") +
                          ")"};
}

ParamSet CollectiveBenchmark::resolved_params() const {
  return {{"size", static_cast<std::int64_t>(count_) * type_.bytes},
          {"library", std::string(nccl_ ? "nccl" : "mpi")}};
}

}  // namespace cb::collective
