# Project-wide compile flags and the helpers every CMakeLists uses.

set(MTR_WARNINGS -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(MTR_WERROR)
  list(APPEND MTR_WARNINGS -Werror)
endif()

set(MTR_SANITIZER_FLAGS)
if(MTR_SANITIZE)
  set(MTR_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
endif()
if(MTR_FUZZ)
  # UB is fatal: a fuzzer finds it, and the unit tests built with these flags fail on it.
  list(APPEND MTR_SANITIZER_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
       -fno-sanitize-recover=undefined)
endif()

# Applies our flags to a target of our own (never to third-party code).
function(mtr_target_defaults target)
  target_compile_options(${target} PRIVATE ${MTR_WARNINGS} ${MTR_SANITIZER_FLAGS})
  target_link_options(${target} PRIVATE ${MTR_SANITIZER_FLAGS})
endfunction()

# mtr_add_library(NAME SOURCES... DEPS ...)
function(mtr_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  mtr_target_defaults(${name})
endfunction()

# mtr_add_test(NAME SOURCES... [LABELS ...]) — one GoogleTest binary, discovered by CTest.
function(mtr_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LABELS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE mtr GTest::gtest GTest::gmock GTest::gtest_main ${ARG_DEPS})
  target_compile_definitions(${name} PRIVATE
    MTR_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    MTR_BINARY="$<TARGET_FILE:matryoshka>")
  mtr_target_defaults(${name})
  if(MTR_FUZZ)
    # The sanitizer build's test code needs no optimisation (the library it tests keeps -O1):
    # -O0 compiles the many gtest files markedly faster, which CI's time budget needs.
    target_compile_options(${name} PRIVATE -O0)
  endif()
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
