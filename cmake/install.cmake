# `cmake --install`: the accelerator as a TLM IP (docs/integration.md). The static libraries
# (sparrow_core: configs, arithmetic, compression, golden; sparrow_sc: the SystemC units and the
# accelerator; sparrow_driver: what programs a run), the headers under include/sparrow, the
# sparrow command, and a CMake package: find_package(sparrow) gives sparrow::accelerator.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

add_library(sparrow_accelerator INTERFACE)
target_link_libraries(sparrow_accelerator INTERFACE sparrow_driver sparrow_sc sparrow_core)
set_target_properties(sparrow_accelerator PROPERTIES EXPORT_NAME accelerator)
set_target_properties(sparrow_core PROPERTIES EXPORT_NAME core)
set_target_properties(sparrow_sc PROPERTIES EXPORT_NAME sc)
set_target_properties(sparrow_driver PROPERTIES EXPORT_NAME driver)

install(TARGETS sparrow_core sparrow_sc sparrow_driver sparrow_accelerator EXPORT sparrowTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS sparrow RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(layer lib model)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${layer}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sparrow
          FILES_MATCHING PATTERN "*.h")
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/driver/host_program.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sparrow/driver)

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/sparrow)
install(EXPORT sparrowTargets NAMESPACE sparrow:: DESTINATION ${config_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sparrowConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/sparrowConfig.cmake
                              INSTALL_DESTINATION ${config_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sparrowConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sparrowConfig.cmake
              ${PROJECT_BINARY_DIR}/sparrowConfigVersion.cmake
        DESTINATION ${config_dir})
