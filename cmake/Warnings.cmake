# Warnings on for our own targets only (third-party headers come in as SYSTEM).
add_library(cb_warnings INTERFACE)
target_compile_options(cb_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor>)
