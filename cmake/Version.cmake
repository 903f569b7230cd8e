# Version and git commit baked into the binary for the HDF5 provenance attributes.
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE CLUSTERBENCH_GIT_COMMIT
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT CLUSTERBENCH_GIT_COMMIT)
  set(CLUSTERBENCH_GIT_COMMIT "unknown")
endif()
configure_file(${CMAKE_SOURCE_DIR}/src/core/version.hpp.in
  ${CMAKE_BINARY_DIR}/generated/core/version.hpp @ONLY)
