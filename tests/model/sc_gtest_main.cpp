// The main of the SystemC test programs: libsystemc's main() calls sc_main, which runs the
// selected tests (gtest_discover_tests runs one per process, so each elaborates at most once).
#include <gtest/gtest.h>

#include <cstdlib>
#include <systemc>

int sc_main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
