// Provenance of one run: the root attributes of a result file (DESIGN.md
// "Results in HDF5") plus the suite text stored in /suite.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cb {

struct RunInfo {
  std::string tool_version, git_commit;
  std::string created_utc, finished_utc;  // ISO 8601, e.g. 2024-05-01T12:00:00Z
  std::string status;  // "partial" until the writer's finish(), then "complete"
  std::string command_line;
  std::string mpi_library;
  std::string mpi_thread_level;  // what MPI_Init_thread provided ("single")
  std::string hdf5_version;      // filled by Hdf5Writer from the linked library
  std::string backends_built;
  std::string slurm_job_id;  // empty if not under Slurm
  // Slurm provenance, written as root attributes slurm_<name> when set
  // (partition, nodelist, tasks_per_node, time_limit).
  std::vector<std::pair<std::string, std::string>> slurm;
  int world_size = 1, n_nodes = 1;
  std::string suite_text;  // the suite TOML, verbatim
};

}  // namespace cb
