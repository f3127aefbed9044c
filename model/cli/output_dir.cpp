#include "cli/output_dir.h"

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "common/error.h"
#include "common/file_util.h"

namespace sparrow {

namespace {

void make_folder(const std::string& dir, const std::string& option) {
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec || (!dir.empty() && !std::filesystem::is_directory(dir)))
    throw_input_error(dir, option, "a folder that cannot be created (" + ec.message() + ")",
                      "a writable folder");
}

}  // namespace

void OutputDir::commit() const {
  for (const Elsewhere& e : elsewhere_)
    make_folder(std::filesystem::path(e.path).parent_path().string(), e.option);
  make_folder(dir_, "--out");
  std::vector<std::string> written;
  try {
    for (const Elsewhere& e : elsewhere_) {
      write_file_atomic(e.path, e.bytes);
      written.push_back(e.path);
    }
    for (const auto& [name, bytes] : files_) {
      const std::string path = (std::filesystem::path(dir_) / name).string();
      write_file_atomic(path, bytes);
      written.push_back(path);
    }
  } catch (const InputError&) {
    for (const std::string& path : written) std::remove(path.c_str());
    throw;
  }
}

std::vector<std::string> OutputDir::names() const {
  std::vector<std::string> n;
  for (const auto& f : files_) n.push_back(f.first);
  return n;
}

}  // namespace sparrow
