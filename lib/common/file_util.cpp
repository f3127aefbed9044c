#include "common/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "common/interrupt.h"

namespace sparrow {
namespace {

std::string where(const std::string& path, const std::string& option) {
  return option.empty() ? path : option + " " + path;
}

// What kind of thing a path names that is not a regular file, or "" if it is one.
std::string not_regular(const struct stat& st) {
  if (S_ISREG(st.st_mode)) return "";
  if (S_ISDIR(st.st_mode)) return "a directory";
  if (S_ISFIFO(st.st_mode)) return "a FIFO";
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "a device";
  if (S_ISSOCK(st.st_mode)) return "a socket";
  return "a special file";
}

}  // namespace

void require_regular_file(const std::string& path, const std::string& option, bool may_be_missing) {
  if (path.empty()) throw_input_error("command line", option, "an empty path", "a file path");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT && may_be_missing) return;
    throw_input_error(where(path, option), "",
                      errno == ENOENT ? "a file that does not exist"
                                      : "a file that cannot be opened (" +
                                            std::string(std::strerror(errno)) + ")",
                      "a readable regular file");
  }
  const std::string kind = not_regular(st);
  if (!kind.empty()) throw_input_error(where(path, option), "", kind, "a regular file");
}

std::string read_file_bytes(const std::string& path, uint64_t max_bytes,
                            const std::string& option) {
  require_regular_file(path, option, false);
  // O_NONBLOCK: should the path have become a FIFO since, opening it does not wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    throw_input_error(where(path, option), "",
                      "a file that cannot be opened (" + std::string(std::strerror(errno)) + ")",
                      "a readable regular file");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw_input_error(where(path, option), "", "a file that is not a regular file",
                      "a regular file");
  }
  if (uint64_t(st.st_size) > max_bytes) {
    ::close(fd);
    throw_input_error(where(path, option), "", "a file of " + std::to_string(st.st_size) + " bytes",
                      "at most " + std::to_string(max_bytes) + " bytes for this input");
  }
  std::string bytes(size_t(st.st_size), '\0');
  size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      throw_input_error(where(path, option), "",
                        n == 0 ? "a file that shrank while it was read"
                               : "a read that failed (" + std::string(std::strerror(err)) + ")",
                        "a readable regular file");
    }
    got += size_t(n);
  }
  ::close(fd);
  return bytes;
}

std::string temporary_name(const std::string& path) {
  static std::atomic<uint64_t> serial{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(serial++);
}

std::string output_target(const std::string& path, const std::string& option) {
  const std::string named = where(path, option);
  if (path.empty()) throw_input_error("command line", option, "an empty path", "a file path");
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return path;
    throw_input_error(named, "",
                      "a path that cannot be used (" + std::string(std::strerror(errno)) + ")",
                      "a writable file path");
  }
  std::string target = path;
  if (S_ISLNK(st.st_mode)) {  // written through: the link stays, its file gets the bytes
    std::error_code ec;
    target = std::filesystem::canonical(path, ec).string();
    if (ec || ::stat(target.c_str(), &st) != 0)
      throw_input_error(named, "", "a symbolic link to nothing", "a regular file or a new path");
  }
  if (S_ISDIR(st.st_mode))
    throw_input_error(named, "", "a directory", "a file path (the file is written there)");
  const std::string kind = not_regular(st);
  if (!kind.empty())
    throw_input_error(named, "", kind + ", which a written file would replace",
                      "a regular file or a new path");
  return target;
}

void write_temporary(const std::string& tmp, const std::string& bytes, const std::string& target,
                     const std::string& option) {
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out)
    throw_input_error(target, option,
                      "a file that cannot be created (" + std::string(std::strerror(errno)) + ")",
                      "a writable output location");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
  if (!out) {
    out.close();
    std::remove(tmp.c_str());
    throw_input_error(target, option, "a write that failed",
                      "a writable output location with free space");
  }
}

void write_file_atomic(const std::string& given, const std::string& bytes) {
  const std::string path = output_target(given, "");
  const std::string tmp = temporary_name(path);
  const TempFileGuard guard(tmp);
  write_temporary(tmp, bytes, path, "");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    throw_input_error(path, "", "a rename that failed (" + std::string(std::strerror(err)) + ")",
                      "a writable output location");
  }
}

}  // namespace sparrow
