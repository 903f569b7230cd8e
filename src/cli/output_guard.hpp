// A user's files are never replaced by accident: `run -o`, the report files
// of `run`, `compare` and `export`, all go through here before anything is
// measured or written (docs/reliability.md, "Files a command writes").
#pragma once

#include <string>
#include <vector>

namespace cb {

// Throws cb::Error(Input) naming the first of `paths` that exists, unless
// `force`: "<path> exists; --force replaces it<ways_out>". `ways_out` adds
// the other ways out, e.g. ", --resume <path> completes it, or choose
// another -o".
void refuse_existing(const std::vector<std::string>& paths, bool force,
                     const std::string& ways_out);

// Two paths that name one file (hard links and "./a" vs "a" included);
// false when either does not exist.
bool same_file(const std::string& a, const std::string& b);

}  // namespace cb
