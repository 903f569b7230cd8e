// What a benchmark is: its metadata, and the lifecycle the measurement loop
// drives (setup, timed operations, verify, teardown). A benchmark never times
// itself; it hands the loop callables that do one batch of iterations.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/param.hpp"

namespace cb {

class Group;

enum class Kind { Hardware, Model, CrossModel, ResourcePool, Distributed };
enum class Scope { Local, Group };
enum class Better { Lower, Higher };

const char* to_string(Kind kind);  // "hardware", "cross_model", ...
const char* to_string(Scope scope);
const char* to_string(Better better);

// Which ranks a group case needs.
enum class GroupShape {
  None,      // local case
  Pair,      // two ranks: an intra-node pair, and an inter-node pair if any
  AllRanks,  // every rank of the job
};

struct BenchmarkInfo {
  std::string name;  // "<kind>.<name>"
  Kind kind = Kind::Hardware;
  Scope scope = Scope::Local;
  GroupShape shape = GroupShape::None;
  std::vector<std::string> backends;  // "cpu", "cuda", "mpi", ...
  std::vector<ParamSpec> params;
  std::string summary;  // one line for `clusterbench list`
  // Rough seconds one case takes, used to balance ranks; need not be exact.
  std::function<double(const ParamSet&)> cost = [](const ParamSet&) {
    return 1.0;
  };
};

// A rate derived from the measured time: value = amount_per_iteration / time.
struct Rate {
  std::string metric;  // "bandwidth", "busbw", "flops"
  std::string unit;    // unit of amount_per_iteration per second, e.g. "GB/s"
  double amount_per_iteration = 0;
};

// A value an operation measures itself inside a batch (see Operation).
struct Recorded {
  std::string metric;  // "request_latency", "memory"
  std::string unit;
  Better better = Better::Lower;
};

// One timed thing. `run(n)` performs n iterations; the loop chooses n so that
// a sample is well above the clock's resolution, and divides the time by n.
struct Operation {
  std::string name;  // prefix of its metrics ("copy"); may be empty
  std::string time_metric = "time";
  double time_divisor = 1;  // e.g. 2: a ping-pong iteration is two trips
  std::vector<Rate> rates;
  std::function<void(std::int64_t iterations)> run;
  // Waits until the device has finished queued work (GPU backends).
  std::function<void()> sync = [] {};
  // Around each batch, outside the timed region: state the batch needs but
  // whose set-up must not be timed (cross_model.colocate starts the models
  // that run beside the timed one, and stops them after). Optional.
  std::function<void()> before_batch, after_batch;
  // Values the loop's clock cannot see: the latency of each request among
  // concurrent clients, a footprint. `drain` returns what was gathered since
  // its last call, one vector per `recorded` entry; the loop drains after
  // every batch, outside the timed region, and keeps only what sampling
  // batches gathered (warm-up and calibration are dropped). They become
  // series of this rank, named like the time (prefix + metric).
  std::vector<Recorded> recorded;
  std::function<std::vector<std::vector<double>>()> drain;
};

struct Verification {
  bool ok = true;
  std::string detail;  // what was checked, or what was wrong
};

// What the hardware inventory says about where the case runs.
struct RankResources {
  int world_rank = 0;
  int pus = 1;                  // processing units in this rank's cpuset
  std::uint64_t l3_bytes = 0;   // sum of last-level caches on the node
  std::uint64_t mem_bytes = 0;  // memory of the node
};

struct CaseContext {
  ParamSet params;
  std::string backend;
  int device_index = 0;
  RankResources resources;
  Group* group = nullptr;  // set for group cases only
};

class Benchmark {
 public:
  virtual ~Benchmark() = default;
  virtual void setup(const CaseContext& context) = 0;
  virtual std::vector<Operation> operations() = 0;
  // Called after timing: checks the output of the timed work.
  virtual Verification verify() = 0;
  // Values chosen at setup for parameters the suite left to the benchmark
  // (e.g. threads = 0 meaning "one per PU"): recorded in /params in place of
  // the requested value, so that a result says what actually ran.
  virtual ParamSet resolved_params() const { return {}; }
  virtual void teardown() {}
};

using BenchmarkFactory = std::function<std::unique_ptr<Benchmark>()>;

}  // namespace cb
