#include "cli/output_guard.hpp"

#include <filesystem>

#include "core/error.hpp"

namespace cb {

void refuse_existing(const std::vector<std::string>& paths, bool force,
                     const std::string& ways_out) {
  if (force) return;
  for (const std::string& path : paths) {
    std::error_code error;
    // A dangling symbolic link counts: writing through it would create a
    // file somewhere the user did not name.
    if (!std::filesystem::exists(std::filesystem::symlink_status(path, error)))
      continue;
    throw Error(ErrorKind::Input,
                path + " exists; --force replaces it" + ways_out);
  }
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  return std::filesystem::equivalent(a, b, error) && !error;
}

}  // namespace cb
