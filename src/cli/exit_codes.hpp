// Exit codes (DESIGN.md), chosen only in src/cli.
#pragma once

namespace cb {

enum ExitCode : int {
  kExitOk = 0,
  kExitRegression = 1,
  kExitInput = 2,        // usage, config or input error: nothing was run
  kExitCasesFailed = 3,  // the run finished but some cases failed
};

inline constexpr const char* kExitCodeHelp =
    "Exit codes: 0 ok; 1 regression found; 2 usage, config or input error, or "
    "any other failure before the first case ran (nothing was run); 3 the run "
    "finished but some cases failed, or it could not finish.";

}  // namespace cb
