// Runtime options of the sanitized build (SPARROW_SANITIZE), compiled into every executable so
// that tests, their gtest discovery and sparrow's child processes all run with them. No report is
// suppressed: the two false reports the SystemC model used to give under ASan were fixed at
// their cause (engines/systemc_engine.cpp: the main stack's bounds after the coroutines ran, and
// the threads a watchdog stop leaves suspended).
extern "C" const char* __asan_default_options() {
  return "detect_leaks=1:check_initialization_order=1:strict_init_order=1";
}

extern "C" const char* __ubsan_default_options() {
  return "print_stacktrace=1";
}
