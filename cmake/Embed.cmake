# solidum_embed(TARGET NAMESPACE FILES...): compiles each file into a std::string_view
# constant so the binary carries its migrations and documents and needs no data directory.
# A file foo/0001_init.sql becomes `NAMESPACE::k0001_init_sql` and is listed in
# `NAMESPACE::kFiles` as {"0001_init.sql", content}, in the order given.
set(SOLIDUM_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedFile.cmake)

function(solidum_embed target ns)
  set(out_cc ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cc)
  set(out_h ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.h)
  set(abs_files)
  foreach(f ${ARGN})
    get_filename_component(abs ${f} ABSOLUTE)
    list(APPEND abs_files ${abs})
  endforeach()
  string(REPLACE ";" "|" joined "${abs_files}")
  add_custom_command(
    OUTPUT ${out_cc} ${out_h}
    COMMAND ${CMAKE_COMMAND} -DOUT_CC=${out_cc} -DOUT_H=${out_h} -DNS=${ns} -DFILES=${joined}
            -P ${SOLIDUM_EMBED_SCRIPT}
    DEPENDS ${abs_files} ${SOLIDUM_EMBED_SCRIPT}
    COMMENT "Embedding ${target}"
    VERBATIM)
  add_library(${target} STATIC ${out_cc})
  target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_BINARY_DIR})
endfunction()
