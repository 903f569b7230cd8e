# For CLUSTERBENCH_KERNELS_ONLY builds on machines that have CUDA and CMake
# but not Debian's packages (a lent GPU machine): GoogleTest and fmt may come
# from source trees given on the command line (launch/gpu-check.sh copies
# them from this machine's /usr/src/googletest and /usr/include/fmt).
set(CLUSTERBENCH_GTEST_SOURCE "" CACHE PATH "GoogleTest source tree, if not installed")
set(CLUSTERBENCH_FMT_INCLUDE "" CACHE PATH "Directory holding fmt/ headers, if not installed")

find_package(GTest QUIET)
if(NOT GTest_FOUND AND CLUSTERBENCH_GTEST_SOURCE)
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  add_subdirectory(${CLUSTERBENCH_GTEST_SOURCE} ${PROJECT_BINARY_DIR}/googletest EXCLUDE_FROM_ALL)
  if(NOT TARGET GTest::gtest)  # googletest >= 1.11 defines these itself
    add_library(GTest::gtest ALIAS gtest)
    add_library(GTest::gtest_main ALIAS gtest_main)
  endif()
endif()

find_package(fmt QUIET)
if(NOT fmt_FOUND)
  if(NOT CLUSTERBENCH_FMT_INCLUDE)
    message(FATAL_ERROR "fmt not found: install libfmt-dev or set CLUSTERBENCH_FMT_INCLUDE")
  endif()
  add_library(fmt::fmt INTERFACE IMPORTED)
  set_target_properties(fmt::fmt PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES ${CLUSTERBENCH_FMT_INCLUDE}
    INTERFACE_COMPILE_DEFINITIONS FMT_HEADER_ONLY)
endif()
