// core::Group over an MPI communicator, plus the byte-level collectives the
// cluster layer builds on (variable-size gather and broadcast).
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

#include "core/group.hpp"

namespace cb {

class MpiGroup final : public Group {
 public:
  // Takes ownership of `comm` when `owned` (it is freed in the destructor).
  MpiGroup(MPI_Comm comm, bool owned);
  ~MpiGroup() override;
  MpiGroup(const MpiGroup&) = delete;
  MpiGroup& operator=(const MpiGroup&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void barrier() override;
  void sum(std::span<double> values) override;
  void min(std::span<double> values) override;
  void max(std::span<double> values) override;
  std::any native() const override { return comm_; }
  MPI_Comm comm() const { return comm_; }

 private:
  MPI_Comm comm_;
  bool owned_;
  int rank_ = 0, size_ = 1;
};

// Every rank's bytes, on `root` (other ranks get an empty vector).
std::vector<std::string> gather_bytes(MPI_Comm comm, int root,
                                      const std::string& bytes);
// `bytes` of `root`, on every rank.
std::string broadcast_bytes(MPI_Comm comm, int root, const std::string& bytes);

}  // namespace cb
