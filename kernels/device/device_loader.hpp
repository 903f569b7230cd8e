// Finds and opens the backend behind a Device: "host" (the CPU, in process)
// or a GPU plugin, libclusterbench-<backend>.so, loaded with dlopen. A plugin
// that is missing, or whose GPU libraries (libcudart, libcublas, libnccl) are
// missing on this node, becomes Unsupported with the loader's reason, so the
// case is skipped with it and the rest of the run goes on.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "device/communicator.hpp"
#include "device/device.hpp"

namespace cb::kernels {

// Where plugins are looked for, in order: $CLUSTERBENCH_PLUGIN_DIR, the
// directory of the running executable, and <that>/../lib/clusterbench.
std::vector<std::string> plugin_directories();

// dlopen()s libclusterbench-<name>.so from the first directory that has it,
// once per process (the handle stays open), and checks its ABI version.
// Throws Unsupported saying where it looked or why the library did not load.
void* open_plugin(const std::string& name);

// Looks up a symbol of an opened plugin; throws Unsupported if absent.
void* plugin_symbol(void* plugin, const std::string& name,
                    const std::string& symbol);

// The device `index` of `backend` ("host", "cuda", ...).
std::unique_ptr<Device> open_device(const std::string& backend, int index);

// A collective library's unique id, made on one rank for all (see
// communicator.hpp), and the communicator of this rank opened with it.
std::string communicator_unique_id(const std::string& library);
std::unique_ptr<Communicator> open_communicator(const std::string& library,
                                                int device_index, int rank,
                                                int size,
                                                const std::string& id);

}  // namespace cb::kernels
