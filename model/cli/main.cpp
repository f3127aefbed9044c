#include "cli/commands.h"

int main(int argc, char** argv) {
  return sparrow::sparrow_main(argc, argv);
}
