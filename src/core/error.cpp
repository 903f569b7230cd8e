#include "core/error.hpp"

namespace cb {

void throw_check_failure(const char* expr, const char* file, int line,
                         const std::string& message) {
  throw Error(ErrorKind::Runtime, message + " (check '" + expr +
                                      "' failed at " + file + ":" +
                                      std::to_string(line) + ")");
}

}  // namespace cb
