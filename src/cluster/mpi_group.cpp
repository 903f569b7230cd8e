#include "cluster/mpi_group.hpp"

#include <numeric>

namespace cb {

MpiGroup::MpiGroup(MPI_Comm comm, bool owned) : comm_(comm), owned_(owned) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
}

MpiGroup::~MpiGroup() {
  if (owned_ && comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
}

void MpiGroup::barrier() {
  MPI_Barrier(comm_);
}

void MpiGroup::sum(std::span<double> values) {
  MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()),
                MPI_DOUBLE, MPI_SUM, comm_);
}
void MpiGroup::min(std::span<double> values) {
  MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()),
                MPI_DOUBLE, MPI_MIN, comm_);
}
void MpiGroup::max(std::span<double> values) {
  MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()),
                MPI_DOUBLE, MPI_MAX, comm_);
}

std::vector<std::string> gather_bytes(MPI_Comm comm, int root,
                                      const std::string& bytes) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  int length = static_cast<int>(bytes.size());
  std::vector<int> lengths(rank == root ? size : 0);
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, root, comm);
  std::vector<int> offsets(lengths.size());
  std::string all;
  if (rank == root) {
    std::exclusive_scan(lengths.begin(), lengths.end(), offsets.begin(), 0);
    all.resize(std::accumulate(lengths.begin(), lengths.end(), std::size_t{0}));
  }
  MPI_Gatherv(bytes.data(), length, MPI_BYTE, all.data(), lengths.data(),
              offsets.data(), MPI_BYTE, root, comm);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lengths.size(); ++i)
    out.push_back(all.substr(offsets[i], lengths[i]));
  return out;
}

std::string broadcast_bytes(MPI_Comm comm, int root, const std::string& bytes) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  long long length = static_cast<long long>(bytes.size());
  MPI_Bcast(&length, 1, MPI_LONG_LONG, root, comm);
  std::string out = rank == root ? bytes : std::string(length, '\0');
  // MPI counts are int: send large plans in pieces.
  constexpr long long kChunk = 1 << 30;
  for (long long offset = 0; offset < length; offset += kChunk) {
    int count = static_cast<int>(std::min(kChunk, length - offset));
    MPI_Bcast(out.data() + offset, count, MPI_BYTE, root, comm);
  }
  return out;
}

}  // namespace cb
