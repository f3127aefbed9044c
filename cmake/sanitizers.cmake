# Sanitized and fuzzing builds (docs/reliability.md).
#
# SPARROW_SANITIZE: every target built with AddressSanitizer and UndefinedBehaviorSanitizer, and
# any report is fatal (-fno-sanitize-recover=all), so CTest fails on it. The runtime options are
# compiled into every executable (lib/common/sanitizer_options.cpp), so the test binaries, their
# gtest discovery at build time and the sparrow children of sweeps run with the same options
# without any environment.
#
# SPARROW_FUZZ: the libFuzzer targets of tests/fuzz (clang only), with ASan and UBSan; the rest of
# the project is instrumented for coverage (-fsanitize=fuzzer-no-link).
option(SPARROW_SANITIZE "Build with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(SPARROW_FUZZ "Build the libFuzzer targets (clang only)" OFF)

if(SPARROW_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SPARROW_FUZZ needs clang (CXX=clang++), got ${CMAKE_CXX_COMPILER_ID}")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
  set(SPARROW_SANITIZE ON)
endif()

if(SPARROW_SANITIZE)
  # After the build type's flags, so these win: -O1, ASan's recommended balance of speed and
  # precision; -g1, line tables for the reports' stack traces (compiles faster than -g).
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -g1 -O1)
  add_link_options(-fsanitize=address,undefined)
  add_library(sparrow_sanitizer_options OBJECT ${PROJECT_SOURCE_DIR}/lib/common/sanitizer_options.cpp)
  link_libraries($<BUILD_INTERFACE:sparrow_sanitizer_options>)
endif()
