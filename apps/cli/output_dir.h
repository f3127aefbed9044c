// The --out DIR of a command: files are collected in memory first and written only after the
// whole job succeeded, all together, so a failed or stopped run leaves nothing half-written.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sparrow {

// Refuses, before any work, outputs that cannot be written as asked: an empty path, --out naming a
// file, a file path naming a directory, a device, a FIFO or a socket, two outputs on one file.
// `elsewhere`: (option, path) of files outside the folder; `names`: files in it. Returns the
// files written, in that order (symbolic links resolved).
std::vector<std::string> check_output_paths(
    const std::string& dir, const std::vector<std::pair<std::string, std::string>>& elsewhere,
    const std::vector<std::string>& names, const std::string& dir_option = "--out");

class OutputDir {
 public:
  // `option`: the command-line option that named the folder, for messages.
  explicit OutputDir(std::string dir, std::string option = "--out")
      : dir_(std::move(dir)), option_(std::move(option)) {}
  void add(const std::string& name, std::string bytes) {
    files_.emplace_back(name, std::move(bytes));
  }
  // A file outside the folder, given by `option` (such as --trace-json).
  void add_elsewhere(const std::string& option, const std::string& path, std::string bytes) {
    elsewhere_.push_back({option, path, std::move(bytes)});
  }
  // Refuses outputs that would land on one file; creates every folder needed; writes every file
  // to a temporary beside it, then renames them all with SIGINT/SIGTERM held. InputError if it
  // cannot, and then nothing of this commit is left behind (not its temporaries, not the folders
  // it created).
  void commit() const;
  const std::string& dir() const { return dir_; }
  std::vector<std::string> names() const;

 private:
  std::string dir_, option_;
  std::vector<std::pair<std::string, std::string>> files_;
  struct Elsewhere {
    std::string option, path, bytes;
  };
  std::vector<Elsewhere> elsewhere_;
};

}  // namespace sparrow
