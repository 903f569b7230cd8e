#include "hardware/runtime_library.hpp"

#include <dlfcn.h>

namespace cb {

void* open_runtime(const char* library_name, const char* missing_what,
                   std::string& why) {
  dlerror();
  void* library = dlopen(library_name, RTLD_NOW | RTLD_LOCAL);
  if (library) return library;
  const char* error = dlerror();
  std::string text = error ? error : "";
  if (text.empty() || text.find("No such file") != std::string::npos)
    why = std::string(missing_what) + " (" + library_name + " not found)";
  else
    why = std::string(missing_what) + " (cannot load " + library_name + ": " +
          text + ")";
  return nullptr;
}

}  // namespace cb
