// Cross-rank error agreement: at the points where a failure on any rank must
// stop everyone (bad suite, failed probe, unwritable output, a group case's
// setup), every rank calls agree() and gets the same answer, so nobody is
// left waiting in a collective that the failed rank will never enter.
#pragma once

#include <mpi.h>

#include <optional>
#include <string>

namespace cb {

struct AgreedError {
  int rank = 0;         // lowest rank that failed
  std::string message;  // that rank's message
  int exit_code = 0;    // that rank's proposed exit code
};

// Collective over `comm`. Returns the error of the lowest failing rank on
// every rank, or nullopt when all succeeded.
std::optional<AgreedError> agree(MPI_Comm comm,
                                 const std::optional<AgreedError>& local);

}  // namespace cb
