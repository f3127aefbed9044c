// Errors of sparrow. An InputError is bad input from the user (a config, a weight or input file, a
// command-line value): its message is one line naming the file, the key or field, the value and
// what is allowed. The CLI prints it and exits with status 2; nothing has been written by then.
#pragma once

#include <stdexcept>
#include <string>

namespace sparrow {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "FILE: KEY: got VALUE; allowed: ALLOWED" (the one-line shape of every InputError).
[[noreturn]] void throw_input_error(const std::string& file, const std::string& key,
                                    const std::string& value, const std::string& allowed);

}  // namespace sparrow
