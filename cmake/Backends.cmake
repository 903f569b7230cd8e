# GPU backends are built when their toolkit is found (AUTO), required (ON) or
# left out (OFF). Only kernels/<backend>/ and the probes use them.
set(CLUSTERBENCH_BACKENDS_BUILT "cpu")

# --- CUDA -------------------------------------------------------------------
set(CLUSTERBENCH_HAVE_CUDA OFF)
if(NOT CLUSTERBENCH_WITH_CUDA STREQUAL "OFF")
  if(NOT DEFINED ENV{CUDACXX} AND NOT CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    # Set before enable_language: CMake 3.25 otherwise probes with defaults.
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 80 90)
    endif()
    enable_language(CUDA)
    # CMake 3.25 does not know nvcc 13's C++20 flag: tell it (after
    # enable_language, whose compiler files would reset these).
    set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
    set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
    set(CMAKE_CUDA_STANDARD 20)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    find_package(CUDAToolkit REQUIRED)
    set(CLUSTERBENCH_HAVE_CUDA ON)
    string(APPEND CLUSTERBENCH_BACKENDS_BUILT ",cuda")
  elseif(CLUSTERBENCH_WITH_CUDA STREQUAL "ON")
    message(FATAL_ERROR "CLUSTERBENCH_WITH_CUDA=ON but no CUDA compiler was found "
      "(set CUDACXX to nvcc, e.g. /usr/local/cuda/bin/nvcc)")
  endif()
endif()
message(STATUS "clusterbench: CUDA backend ${CLUSTERBENCH_HAVE_CUDA}")

# --- NCCL (with CUDA) -------------------------------------------------------
# Preinstalled with CUDA on these machines; pip's nvidia-nccl also works:
# -DNCCL_ROOT=<dir with include/ and lib/>, or NCCL_INCLUDE_DIR/NCCL_LIBRARY.
set(CLUSTERBENCH_HAVE_NCCL OFF)
if(CLUSTERBENCH_HAVE_CUDA)
  find_path(NCCL_INCLUDE_DIR nccl.h HINTS ${NCCL_ROOT}/include
    ${CUDAToolkit_INCLUDE_DIRS} /usr/local/cuda/include)
  find_library(NCCL_LIBRARY NAMES nccl libnccl.so.2 HINTS ${NCCL_ROOT}/lib
    ${CUDAToolkit_LIBRARY_DIR} /usr/local/cuda/lib64)
  if(NCCL_INCLUDE_DIR AND NCCL_LIBRARY)
    set(CLUSTERBENCH_HAVE_NCCL ON)
    string(APPEND CLUSTERBENCH_BACKENDS_BUILT ",nccl")
  endif()
endif()
message(STATUS "clusterbench: NCCL backend ${CLUSTERBENCH_HAVE_NCCL} ${NCCL_LIBRARY}")

# --- Level Zero ---------------------------------------------------------------
set(CLUSTERBENCH_HAVE_LEVEL_ZERO OFF)
if(NOT CLUSTERBENCH_WITH_LEVEL_ZERO STREQUAL "OFF")
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(LEVEL_ZERO QUIET IMPORTED_TARGET level-zero)
  endif()
  if(LEVEL_ZERO_FOUND)
    set(CLUSTERBENCH_HAVE_LEVEL_ZERO ON)
    string(APPEND CLUSTERBENCH_BACKENDS_BUILT ",level_zero")
  elseif(CLUSTERBENCH_WITH_LEVEL_ZERO STREQUAL "ON")
    message(FATAL_ERROR "CLUSTERBENCH_WITH_LEVEL_ZERO=ON but level-zero was not found "
      "(apt-get install libze-dev)")
  endif()
endif()
message(STATUS "clusterbench: Level Zero backend ${CLUSTERBENCH_HAVE_LEVEL_ZERO}")
