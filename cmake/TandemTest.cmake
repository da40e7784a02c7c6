# tnd_unit_test(<name> <source> [LIBS ...]): builds a test executable and
# registers each of its cases with ctest as <name>.<case>, discovering the
# case names at ctest time from `<exe> --list` (as gtest_discover_tests does).
function(tnd_unit_test name source)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  add_executable(${name} ${source})
  target_link_libraries(${name} PRIVATE tandem_test_harness ${ARG_LIBS})
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_cases.cmake")
  file(GENERATE OUTPUT "${include_file}" CONTENT
"execute_process(COMMAND \"$<TARGET_FILE:${name}>\" --list
                OUTPUT_VARIABLE cases RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  add_test(${name}.list-cases \"$<TARGET_FILE:${name}>\" --list)
else()
  string(REPLACE \"\\n\" \";\" cases \"\${cases}\")
  foreach(c IN LISTS cases)
    if(c)
      add_test(${name}.\${c} \"$<TARGET_FILE:${name}>\" \${c})
      set_tests_properties(${name}.\${c} PROPERTIES LABELS unit)
    endif()
  endforeach()
endif()
")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
