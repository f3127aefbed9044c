#include "cli/output_dir.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <system_error>

#include "common/error.h"
#include "common/file_util.h"
#include "common/interrupt.h"

namespace sparrow {

namespace fs = std::filesystem;

namespace {

// The folders of `dir` (itself and its ancestors) that do not exist yet, deepest first.
std::vector<fs::path> missing_folders(const fs::path& dir) {
  std::vector<fs::path> missing;
  std::error_code ec;
  for (fs::path p = dir; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  return missing;
}

// What a commit has done so far, undone unless it completes.
class Undo {
 public:
  ~Undo() {
    if (done_) return;
    for (const auto& t : temps_) std::remove(t.first.c_str());
    std::error_code ec;
    for (const fs::path& d : folders_) fs::remove(d, ec);  // only removes empty folders
  }
  void created(const std::vector<fs::path>& folders) {
    folders_.insert(folders_.end(), folders.begin(), folders.end());
  }
  void temporary(const std::string& path) {
    temps_.emplace_back(path, std::make_unique<TempFileGuard>(path));
  }
  void finished() { done_ = true; }

 private:
  bool done_ = false;
  std::vector<fs::path> folders_;  // deepest first within each group
  std::vector<std::pair<std::string, std::unique_ptr<TempFileGuard>>> temps_;
};

void make_folder(const std::string& dir, const std::string& option, Undo& undo) {
  if (dir.empty()) return;
  const std::vector<fs::path> missing = missing_folders(dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  undo.created(missing);
  std::error_code is_ec;
  if (ec || !fs::is_directory(dir, is_ec))
    throw_input_error(dir, option,
                      fs::exists(dir, is_ec) && !fs::is_directory(dir, is_ec)
                          ? "a path that exists and is not a folder"
                          : "a folder that cannot be created (" + ec.message() + ")",
                      "a writable folder");
}

}  // namespace

std::vector<std::string> check_output_paths(
    const std::string& dir, const std::vector<std::pair<std::string, std::string>>& elsewhere,
    const std::vector<std::string>& names, const std::string& dir_option) {
  if (dir.empty()) throw_input_error("command line", dir_option, "an empty path", "a folder path");
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    throw_input_error(dir, dir_option, "a path that cannot be used (" + ec.message() + ")",
                      "a folder path");
  if (fs::exists(st) && !fs::is_directory(st))
    throw_input_error(dir, dir_option, "a path that exists and is not a folder", "a folder path");
  std::vector<std::pair<std::string, std::string>> targets = elsewhere;  // option, path
  for (const std::string& name : names)
    targets.emplace_back(dir_option, (fs::path(dir) / name).string());
  // Two outputs on one file would leave only one of them.
  std::map<std::string, std::string> owner;
  std::vector<std::string> written;
  for (const auto& [option, path] : targets) {
    const std::string& real = written.emplace_back(output_target(path, option));
    const std::string canonical = fs::weakly_canonical(fs::absolute(real), ec).string();
    const auto [it, fresh] = owner.emplace(ec ? real : canonical, option);
    if (!fresh)
      throw_input_error("command line", option,
                        "'" + path + "', a file that " + it->second + " writes too",
                        "output paths that differ from each other and from --out's files");
  }
  return written;
}

void OutputDir::commit() const {
  struct Target {
    std::string option, path;
    const std::string* bytes;
  };
  std::vector<Target> targets;
  std::vector<std::pair<std::string, std::string>> elsewhere;
  for (const Elsewhere& e : elsewhere_) {
    targets.push_back({e.option, e.path, &e.bytes});
    elsewhere.emplace_back(e.option, e.path);
  }
  for (const auto& [name, bytes] : files_)
    targets.push_back({option_, (fs::path(dir_) / name).string(), &bytes});
  const std::vector<std::string> written = check_output_paths(dir_, elsewhere, names(), option_);
  Undo undo;
  for (const Elsewhere& e : elsewhere_)
    make_folder(fs::path(e.path).parent_path().string(), e.option, undo);
  make_folder(dir_, option_, undo);
  std::vector<std::string> temps;
  for (size_t i = 0; i < targets.size(); ++i) {
    Target& t = targets[i];
    t.path = written[i];  // a symbolic link is written through
    temps.push_back(temporary_name(t.path));
    undo.temporary(temps.back());
    write_temporary(temps.back(), *t.bytes, t.path, t.option);
  }
  // All renames or none: a signal meanwhile takes effect after the last one.
  const SignalHold hold;
  for (size_t i = 0; i < targets.size(); ++i)
    if (std::rename(temps[i].c_str(), targets[i].path.c_str()) != 0) {
      const int err = errno;
      for (size_t k = 0; k < i; ++k) std::remove(targets[k].path.c_str());
      throw_input_error(targets[i].path, targets[i].option,
                        "a rename that failed (" + std::string(std::strerror(err)) + ")",
                        "a writable output location");
    }
  undo.finished();
}

std::vector<std::string> OutputDir::names() const {
  std::vector<std::string> n;
  for (const auto& f : files_) n.push_back(f.first);
  return n;
}

}  // namespace sparrow
