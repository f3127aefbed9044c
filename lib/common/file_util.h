// Reading input files and writing output files safely.
//
// Reading: only regular files are read (a directory, a FIFO or a device such as /dev/zero is
// refused before it is opened, so nothing can hang on it), and never more bytes than the caller
// bounds it to. Writing: the bytes go to a temporary file beside the target, which is then renamed
// over it, so a failed or interrupted run never leaves a half-written file; the temporary is
// removed on SIGINT/SIGTERM too (common/interrupt.h).
#pragma once

#include <cstdint>
#include <string>

namespace sparrow {

// The default bound of read_file_bytes: larger than any input sparrow reads (1 GiB).
constexpr uint64_t kMaxInputBytes = uint64_t{1} << 30;

// The bytes of the regular file at `path`; InputError naming `path` (and `option`, the key or
// command-line option that named it, if not empty) if it is missing, not a regular file, larger
// than `max_bytes` or cannot be read.
std::string read_file_bytes(const std::string& path, uint64_t max_bytes = kMaxInputBytes,
                            const std::string& option = "");

// InputError unless `path` names a regular file (or nothing, if `may_be_missing`).
void require_regular_file(const std::string& path, const std::string& option, bool may_be_missing);

// Where writing `path` puts the file: `path` itself if it is new or a regular file, the file a
// symbolic link names (the link stays). InputError naming `path` (and `option`) for a directory,
// a device, a FIFO or a socket (a rename would replace them) or a path that cannot be used (a
// name too long, a dangling link).
std::string output_target(const std::string& path, const std::string& option);

void write_file_atomic(const std::string& path, const std::string& bytes);

// Writes `bytes` to the temporary `tmp` of `target` (named, with `option`, in errors); removes it
// and throws InputError if it cannot. write_file_atomic's first half, for commits of many files.
void write_temporary(const std::string& tmp, const std::string& bytes, const std::string& target,
                     const std::string& option);

// A unique temporary name beside `path` (PATH.tmp.PID.N), registered for removal on a signal.
std::string temporary_name(const std::string& path);

}  // namespace sparrow
