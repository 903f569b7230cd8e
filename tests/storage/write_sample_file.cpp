// Writes the sample run of sample_results.hpp to the file named on the
// command line, so that tests/python/check_results.py can check a file made
// by the real writer with h5py, pandas and h5dump.
#include <cstdio>
#include <exception>

#include "sample_results.hpp"
#include "storage/hdf5_writer.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT.h5\n", argv[0]);
    return 2;
  }
  try {
    cb::Hdf5Writer writer(argv[1], cb::sample::sample_run_info(),
                          cb::sample::sample_inventory(),
                          cb::Existing::ReplaceOnFirstCase);
    for (const cb::CaseResult& c : cb::sample::sample_cases()) writer.append(c);
    writer.finish("2024-05-01T12:01:00Z");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "write_sample_file: %s\n", e.what());
    return 1;
  }
  return 0;
}
