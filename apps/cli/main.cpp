#include <cstdlib>
#include <systemc>

#include "cli/commands.h"

// Our own main() replaces libsystemc's: it silences the SystemC banner (stderr carries only
// sparrow's own messages) and enters the simulation kernel, which calls sc_main.
int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char** argv) {
  return sparrow::sparrow_main(argc, argv);
}
