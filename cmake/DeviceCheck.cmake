# clusterbench-device-check: the hardware benchmarks on one device, without
# MPI, HDF5 or a suite (see src/cli/device_check.cpp). Built in every mode.
add_executable(clusterbench-device-check ${PROJECT_SOURCE_DIR}/src/cli/device_check.cpp
  ${PROJECT_SOURCE_DIR}/src/config/sweep.cpp)
target_link_libraries(clusterbench-device-check PRIVATE cb_benchmarks_hardware cb_benchmarks_model cb_stats cb_core
  cb_warnings)
set_target_properties(clusterbench-device-check PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
