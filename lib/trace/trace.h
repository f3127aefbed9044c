// Optional traces of a SystemC run. The units record what they already compute (busy intervals
// on a track per unit, counter samples) into a TraceRecorder they hold a pointer to (null: no
// tracing, no cost beyond the check); after the run, the recorder writes a Chrome/Perfetto JSON
// timeline and a VCD. Times are cycles; the JSON maps 1 cycle to 1 ns of simulated time.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sparrow {

// kPass and kStep are levels; the others are cumulative: their samples are increments.
enum class TraceCounter { kPass, kStep, kMacSlots, kDramReadBytes, kDramWriteBytes };

class TraceRecorder {
 public:
  using Args = std::vector<std::pair<const char*, int64_t>>;  // keys: string literals
  struct Interval {
    int track;
    std::string name;
    int64_t start, end;  // the unit is busy over [start, end)
    Args args;
  };

  // The id of track `name`, registered on first use; ids are dense from 0 in that order.
  int track(const std::string& name);
  void interval(int track, std::string name, int64_t start, int64_t end, Args args = {});
  void sample(TraceCounter counter, int64_t cycle, int64_t value);
  // The cycle the done interrupt rises: the end of the run.
  void done(int64_t cycle) { done_ = cycle; }

  const std::vector<std::string>& tracks() const { return tracks_; }
  const std::vector<Interval>& intervals() const { return intervals_; }
  // The intervals of track `name` in recording order (none if there is no such track).
  std::vector<Interval> on(const std::string& name) const;

  // Chrome trace event format: a thread per track, complete events, counter events.
  std::string perfetto_json() const;
  // A wire per track (1 while busy), the done interrupt, and the counters as integers.
  std::string vcd() const;
  // Atomically (write_file_atomic); InputError if the file cannot be written.
  void write_perfetto_json(const std::string& path) const;
  void write_vcd(const std::string& path) const;

 private:
  struct Sample {
    TraceCounter counter;
    int64_t cycle, value;
  };
  // Per counter: (cycle, value) at every change, in cycle order, from 0 at cycle 0.
  std::vector<std::vector<std::pair<int64_t, int64_t>>> counter_series() const;
  // Per track: (cycle, busy) at every change, in cycle order, from idle at cycle 0.
  std::vector<std::vector<std::pair<int64_t, int64_t>>> busy_series() const;

  std::vector<std::string> tracks_;
  std::vector<Interval> intervals_;
  std::vector<Sample> samples_;
  int64_t done_ = -1;
};

}  // namespace sparrow
