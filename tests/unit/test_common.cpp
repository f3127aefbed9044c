// The common ground every reader and writer stands on: message excerpts, UTF-8, the bounded
// reader of regular files, and what SIGTERM does (temporaries removed, children killed, a held
// signal deferred until the hold ends).
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/error.h"
#include "common/file_util.h"
#include "common/interrupt.h"
#include "common/json_text.h"

namespace sparrow {
namespace {

namespace fs = std::filesystem;

std::string tmp_dir(const std::string& name) {
  const std::string dir = std::string(SPARROW_TEST_TMP) + "/common/" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no InputError";
}

TEST(Excerpt, EscapesControlAndInvalidBytesKeepsUtf8AndCuts) {
  EXPECT_EQ(excerpt("a\nb\tc\x01"), "a\\nb\\tc\\x01");
  EXPECT_EQ(excerpt("caf\xc3\xa9"), "caf\xc3\xa9");       // é kept
  EXPECT_EQ(excerpt("a\xff\xc3"), "a\\xFF\\xC3");         // bad and cut-short bytes
  EXPECT_EQ(excerpt("\xed\xa0\x80"), "\\xED\\xA0\\x80");  // a surrogate is not UTF-8
  EXPECT_EQ(excerpt(std::string(300, 'x'), 10), "xxxxxxxxxx...");
  EXPECT_TRUE(is_utf8("caf\xc3\xa9 \xf0\x9f\x99\x82"));
  EXPECT_FALSE(is_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  const std::string m = message_of([] { throw_input_error("f\n", "k\x1b", "v\xff", "a"); });
  EXPECT_EQ(m, "f\\n: k\\x1B: got v\\xFF; allowed: a");
}

TEST(JsonText, WritesTextThatIsNotUtf8InsteadOfAborting) {
  const nlohmann::json j = {{"path", "out-\xff"}};
  EXPECT_EQ(json_text(j), "{\"path\":\"out-\xef\xbf\xbd\"}");
}

TEST(ReadFileBytes, ReadsOnlyRegularFilesWithinTheBound) {
  const std::string dir = tmp_dir("read");
  const std::string file = dir + "/f.txt";
  std::ofstream(file) << "0123456789";
  EXPECT_EQ(read_file_bytes(file), "0123456789");
  EXPECT_EQ(message_of([&] { read_file_bytes(file, 9); }),
            file + ": got a file of 10 bytes; allowed: at most 9 bytes for this input");
  EXPECT_EQ(message_of([&] { read_file_bytes(dir); }),
            dir + ": got a directory; allowed: a regular file");
  ASSERT_EQ(::mkfifo((dir + "/fifo").c_str(), 0600), 0);
  EXPECT_EQ(message_of([&] { read_file_bytes(dir + "/fifo", 100, "--arch"); }),
            "--arch " + dir + "/fifo: got a FIFO; allowed: a regular file");
  EXPECT_EQ(message_of([] { read_file_bytes("/dev/zero"); }),
            "/dev/zero: got a device; allowed: a regular file");
  EXPECT_EQ(message_of([&] { read_file_bytes(dir + "/none"); }),
            dir + "/none: got a file that does not exist; allowed: a readable regular file");
  EXPECT_EQ(message_of([&] { write_file_atomic(dir, "x"); }),
            dir + ": got a directory; allowed: a file path (the file is written there)");
}

// Runs `body` in a child process with sparrow's handlers installed; returns its wait status.
int in_child(const std::function<void()>& body) {
  const pid_t pid = fork();
  if (pid == 0) {
    install_interrupt_handlers();
    body();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(Interrupt, SigtermRemovesTheTemporariesBeingWritten) {
  const std::string dir = tmp_dir("temporaries");
  const std::string tmp = temporary_name(dir + "/report.json");
  const int status = in_child([&] {
    std::ofstream(tmp) << "half";
    const TempFileGuard guard(tmp);
    raise(SIGTERM);
  });
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  EXPECT_FALSE(fs::exists(tmp));
}

TEST(Interrupt, AHeldSignalTakesEffectWhenTheHoldEnds) {
  const std::string dir = tmp_dir("hold");
  const int status = in_child([&] {
    {
      const SignalHold hold;
      raise(SIGTERM);
      std::ofstream(dir + "/a") << "renamed under the hold";
      std::ofstream(dir + "/b") << "so was this";
    }
    std::ofstream(dir + "/c") << "never: the signal ends the process first";
  });
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  EXPECT_TRUE(fs::exists(dir + "/a") && fs::exists(dir + "/b"));
  EXPECT_FALSE(fs::exists(dir + "/c"));
}

TEST(Interrupt, SigtermKillsTheRegisteredChildren) {
  const std::string dir = tmp_dir("children");
  const std::string pid_file = dir + "/grandchild";
  const int status = in_child([&] {
    const pid_t child = fork();
    if (child == 0) {
      sleep(60);
      _exit(0);
    }
    std::ofstream(pid_file) << child;
    const ChildGuard guard(child);
    raise(SIGTERM);
  });
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  pid_t grandchild = 0;
  std::ifstream(pid_file) >> grandchild;
  ASSERT_GT(grandchild, 0);
  // Killed: gone, or a zombie until init reaps it.
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    std::ifstream stat("/proc/" + std::to_string(grandchild) + "/stat");
    std::string pid, comm, state;
    gone = !(stat >> pid >> comm >> state) || state == "Z";
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone);
  kill(grandchild, SIGKILL);
}

}  // namespace
}  // namespace sparrow
