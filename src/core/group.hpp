// The ranks that run one group case together, seen from one member. The
// measurement loop uses it for barriers and collective stop decisions; the
// cluster layer implements it over MPI, tests implement it with fakes.
#pragma once

#include <any>
#include <span>

namespace cb {

class Group {
 public:
  virtual ~Group() = default;
  virtual int rank() const = 0;  // rank within the group, 0 is the leader
  virtual int size() const = 0;
  virtual void barrier() = 0;
  // Element-wise reductions across the group, in place.
  virtual void sum(std::span<double> values) = 0;
  virtual void min(std::span<double> values) = 0;
  virtual void max(std::span<double> values) = 0;
  // The communication library's own handle (an MPI_Comm for the MPI group),
  // for distributed benchmarks: std::any_cast<MPI_Comm>(group.native()).
  virtual std::any native() const = 0;

  // True on every member when `value` is true on any member.
  bool any(bool value);
};

}  // namespace cb
