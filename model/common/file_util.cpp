#include "common/file_util.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/error.h"

namespace sparrow {

void write_file_atomic(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      throw_input_error(path, "",
                        "a file that cannot be created (" + std::string(std::strerror(errno)) + ")",
                        "a writable output location");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw_input_error(path, "", "a write that failed",
                        "a writable output location with free space");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw_input_error(path, "", "a rename that failed (" + std::string(std::strerror(errno)) + ")",
                      "a writable output location");
  }
}

std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_input_error(path, "", "a file that cannot be opened", "a readable file");
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

}  // namespace sparrow
