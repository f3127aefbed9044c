// Errors of sparrow. An InputError is bad input from the user (a config, a weight or input file, a
// command-line value): its message is one line naming the file, the key or field, the value and
// what is allowed. The CLI prints it and exits with status 2; nothing has been written by then.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace sparrow {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A cycle-level run that did not finish: the watchdog's cycle (--watchdog-cycles) came first, or
// every unit waits on another. The model then disagrees with the timing contract, which gives
// every run an end: the CLI prints the one line and exits with status 3, as for other
// disagreements.
class RunStopped : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "FILE: KEY: got VALUE; allowed: ALLOWED" (the one-line shape of every InputError). Each part is
// passed through excerpt(), so untrusted text cannot break the line or the terminal.
[[noreturn]] void throw_input_error(const std::string& file, const std::string& key,
                                    const std::string& value, const std::string& allowed);

// A printable, bounded excerpt of untrusted text for a message: control bytes and bytes that are
// not UTF-8 escaped (\n, \t, \xNN), valid UTF-8 kept, cut after `max_len` bytes with "...".
std::string excerpt(std::string_view s, size_t max_len = 200);

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
bool is_utf8(std::string_view s);

}  // namespace sparrow
