#include "cluster/error_agreement.hpp"

#include "cluster/mpi_group.hpp"

namespace cb {

std::optional<AgreedError> agree(MPI_Comm comm,
                                 const std::optional<AgreedError>& local) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  int failing = local ? rank : size;
  MPI_Allreduce(MPI_IN_PLACE, &failing, 1, MPI_INT, MPI_MIN, comm);
  if (failing == size) return std::nullopt;
  AgreedError agreed;
  agreed.rank = failing;
  agreed.message = broadcast_bytes(comm, failing, local ? local->message : "");
  agreed.exit_code = local ? local->exit_code : 0;
  MPI_Bcast(&agreed.exit_code, 1, MPI_INT, failing, comm);
  return agreed;
}

}  // namespace cb
