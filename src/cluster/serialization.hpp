// Boost.Serialization for everything that crosses ranks: probes, the plan and
// results. Binary archives: every rank runs the same binary.
#pragma once

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/split_free.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <sstream>
#include <string>

#include "cluster/partition.hpp"
#include "core/result.hpp"
#include "hardware/cpu_probe.hpp"

namespace boost::serialization {

// Boost 1.74 has no std::variant support: store the index, then the value.
template <class Archive>
void save(Archive& ar, const cb::ParamValue& value, unsigned) {
  int index = static_cast<int>(value.index());
  ar << index;
  std::visit([&](const auto& v) { ar << v; }, value);
}
template <class Archive>
void load(Archive& ar, cb::ParamValue& value, unsigned) {
  int index = 0;
  ar >> index;
  switch (index) {
    case 0: {
      std::int64_t v;
      ar >> v;
      value = v;
      break;
    }
    case 1: {
      double v;
      ar >> v;
      value = v;
      break;
    }
    case 2: {
      std::string v;
      ar >> v;
      value = v;
      break;
    }
    case 3: {
      bool v;
      ar >> v;
      value = v;
      break;
    }
    default:
      throw archive::archive_exception(
          archive::archive_exception::input_stream_error);
  }
}

template <class Archive>
void serialize(Archive& ar, cb::ParamValue& value, unsigned version) {
  split_free(ar, value, version);
}

template <class Archive>
void serialize(Archive& ar, cb::MeasureSettings& s, unsigned) {
  ar& s.warmup& s.min_samples& s.max_samples& s.max_time_s& s.target_rel_ci& s
      .min_sample_time_s& s.timeout_s& s.rounds;
}
template <class Archive>
void serialize(Archive& ar, cb::CaseTemplate& t, unsigned) {
  ar& t.benchmark& t.params& t.backend& t.measure;
}
template <class Archive>
void serialize(Archive& ar, cb::PlannedCase& c, unsigned) {
  ar& c.case_id& c.spec& c.key& c.kind& c.scope& c.slot& c.device_name& c
      .node_id& c.device_index& c.ranks& c.cost_s& c.skipped& c.skip_reason;
}
template <class Archive>
void serialize(Archive& ar, cb::Plan& p, unsigned) {
  ar& p.isolation& p.world_size& p.cases& p.rank_load_s& p.rank_node;
}
template <class Archive>
void serialize(Archive& ar, cb::Series& s, unsigned) {
  ar& s.metric& s.unit& s.better& s.rank& s.values;
}
template <class Archive>
void serialize(Archive& ar, cb::MetricSummary& m, unsigned) {
  ar& m.metric& m.unit& m.better& m.n& m.min& m.median& m.mean& m.max& m
      .stddev& m.p05& m.p95& m.ci_low& m.ci_high& m.valid& m.unstable;
  ar& m.p90& m.p99;
}
template <class Archive>
void serialize(Archive& ar, cb::CaseResult& r, unsigned) {
  ar& r.case_id& r.key& r.benchmark& r.kind& r.scope& r.backend& r
      .device_name& r.ranks& r.status& r.error& r.wall_s& r.started_utc& r
      .params& r.metrics& r.samples;
  ar& r.verification;
}
template <class Archive>
void serialize(Archive& ar, cb::NodeInfo& n, unsigned) {
  ar& n.node_id& n.hostname& n.cpu_model& n.packages& n.cores& n.pus& n
      .numa_nodes& n.l3_bytes& n.mem_bytes;
}
template <class Archive>
void serialize(Archive& ar, cb::RankInfo& r, unsigned) {
  ar& r.rank& r.node_id& r.local_rank& r.cpuset& r.bound_pus& r.pid& r
      .governor& r.turbo& r.load_start& r.load_end;
}
template <class Archive>
void serialize(Archive& ar, cb::DeviceInfo& d, unsigned) {
  ar& d.rank& d.backend& d.index& d.name& d.uuid& d.pci_bus_id& d.mem_bytes& d
      .compute_units& d.clock_mhz& d.driver_version& d.status& d.numa_node;
}
template <class Archive>
void serialize(Archive& ar, cb::LocalProbe& p, unsigned) {
  ar& p.node& p.rank& p.devices;
}
template <class Archive>
void serialize(Archive& ar, cb::Inventory& i, unsigned) {
  ar& i.nodes& i.ranks& i.devices;
}

}  // namespace boost::serialization

namespace cb {

template <typename T>
std::string to_bytes(const T& value) {
  std::ostringstream out;
  {
    boost::archive::binary_oarchive archive(out);
    archive << value;
  }
  return out.str();
}

template <typename T>
T from_bytes(const std::string& bytes) {
  std::istringstream in(bytes);
  boost::archive::binary_iarchive archive(in);
  T value;
  archive >> value;
  return value;
}

}  // namespace cb
