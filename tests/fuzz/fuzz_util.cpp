#include "fuzz_util.h"

#include <cstdio>
#include <cstdlib>

namespace sparrow::fuzz {

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz: property violated: %s\n", what);
  std::abort();
}

}  // namespace sparrow::fuzz
