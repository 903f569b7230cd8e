// Opening a GPU runtime at run time (dlopen), shared by the CUDA and Level
// Zero probes: the binary links none of them, so a host without them still
// runs its CPU and MPI work and reports why in /devices.
#pragma once

#include <string>

namespace cb {

// dlopen(library_name); on failure returns nullptr and sets `why` to e.g.
// "no driver (libcuda.so.1 not found)" or "no loader (cannot load X: ...)",
// where `missing_what` is "driver" or "loader".
void* open_runtime(const char* library_name, const char* missing_what,
                   std::string& why);

}  // namespace cb
