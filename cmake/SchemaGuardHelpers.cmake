# Helpers that keep every module's CMakeLists.txt short and alike.
#
#   sg_add_library(NAME SOURCES ... DEPS ...)     static library sg_NAME, alias sg::NAME
#   sg_add_test(NAME SOURCES ... DEPS ... [LABELS ...])  GoogleTest executable registered with ctest

set(SG_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  -Wformat=2 -Wmissing-declarations)
if(SG_WERROR)
  list(APPEND SG_WARNINGS -Werror)
endif()

if(SG_SANITIZE)
  add_compile_options(-fsanitize=${SG_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SG_SANITIZE})
endif()

# Fuzz builds instrument every library for coverage; only the fuzz targets link libFuzzer.
if(SG_BUILD_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

function(sg_apply_warnings target)
  target_compile_options(${target} PRIVATE ${SG_WARNINGS})
endfunction()

function(sg_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(sg_${name} STATIC ${ARG_SOURCES})
  add_library(sg::${name} ALIAS sg_${name})
  target_include_directories(sg_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(sg_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_DEPS})
  sg_apply_warnings(sg_${name})
endfunction()

function(sg_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    SG_SOURCE_DIR="${PROJECT_SOURCE_DIR}" SG_TESTDATA_DIR="${PROJECT_SOURCE_DIR}/tests/testdata")
  sg_apply_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
