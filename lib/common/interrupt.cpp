#include "common/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace sparrow {
namespace {

// Fixed tables, so that the handler only reads memory that is never freed or moved.
constexpr int kSlots = 256;
constexpr size_t kPathMax = 4096;
std::array<std::array<char, kPathMax>, kSlots> g_temp_paths;
std::array<std::atomic<bool>, kSlots> g_temp_used;
std::array<std::atomic<pid_t>, kSlots> g_children;
std::mutex g_slot_mutex;  // taken by registration only, never by the handler

std::atomic<int> g_holds{0};
std::atomic<int> g_pending{0};

void stop_now(int sig) {
  for (int i = 0; i < kSlots; ++i) {
    if (g_temp_used[i].load()) ::unlink(g_temp_paths[i].data());
    const pid_t pid = g_children[i].load();
    if (pid > 0) ::kill(pid, SIGKILL);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void on_signal(int sig) {
  if (g_holds.load() > 0) {
    g_pending.store(sig);
    return;
  }
  stop_now(sig);
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  const int signals[] = {SIGINT, SIGTERM, SIGHUP};
  for (int sig : signals) sigaddset(&sa.sa_mask, sig);  // one handler runs at a time
  for (int sig : signals) ::sigaction(sig, &sa, nullptr);
}

TempFileGuard::TempFileGuard(const std::string& path) : slot_(-1) {
  if (path.size() >= kPathMax) return;  // too long to register: removed on error paths only
  const std::lock_guard<std::mutex> lock(g_slot_mutex);
  for (int i = 0; i < kSlots; ++i)
    if (!g_temp_used[i].load()) {
      std::memcpy(g_temp_paths[i].data(), path.c_str(), path.size() + 1);
      g_temp_used[i].store(true);
      slot_ = i;
      return;
    }
}

TempFileGuard::~TempFileGuard() {
  if (slot_ >= 0) g_temp_used[slot_].store(false);
}

ChildGuard::ChildGuard(pid_t pid) : slot_(-1) {
  const std::lock_guard<std::mutex> lock(g_slot_mutex);
  for (int i = 0; i < kSlots; ++i)
    if (g_children[i].load() == 0) {
      g_children[i].store(pid);
      slot_ = i;
      return;
    }
  throw std::runtime_error("more than 256 child processes at once");
}

ChildGuard::~ChildGuard() {
  if (slot_ >= 0) g_children[slot_].store(0);
}

SignalHold::SignalHold() {
  ++g_holds;
}

SignalHold::~SignalHold() {
  if (--g_holds == 0) {
    const int sig = g_pending.exchange(0);
    if (sig != 0) stop_now(sig);
  }
}

}  // namespace sparrow
