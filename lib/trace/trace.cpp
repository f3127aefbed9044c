#include "trace/trace.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "common/file_util.h"
#include "common/json_text.h"

namespace sparrow {
namespace {

constexpr size_t kCounters = 5;
const char* const kCounterNames[kCounters] = {"pass", "step", "mac_slots", "dram_read_bytes",
                                              "dram_write_bytes"};

using Series = std::vector<std::pair<int64_t, int64_t>>;

// Sets the value at `cycle` (the last one, cycles being non-decreasing).
void put(Series& s, int64_t cycle, int64_t value) {
  if (!s.empty() && s.back().first == cycle)
    s.back().second = value;
  else
    s.emplace_back(cycle, value);
}

// Keeps the entries that change the value (from 0).
void keep_changes(Series& s) {
  int64_t prev = 0;
  Series out;
  for (const auto& e : s) {
    if (e.second != prev) out.push_back(e);
    prev = e.second;
  }
  s = std::move(out);
}

double us(int64_t cycles) {
  return double(cycles) / 1000.0;
}

// A VCD identifier: printable ASCII '!' to '~'.
std::string vcd_id(size_t i) {
  std::string s;
  do {
    s += char('!' + i % 94);
    i /= 94;
  } while (i > 0);
  return s;
}

}  // namespace

int TraceRecorder::track(const std::string& name) {
  const auto it = std::find(tracks_.begin(), tracks_.end(), name);
  if (it != tracks_.end()) return int(it - tracks_.begin());
  tracks_.push_back(name);
  return int(tracks_.size()) - 1;
}

void TraceRecorder::interval(int track, std::string name, int64_t start, int64_t end, Args args) {
  intervals_.push_back({track, std::move(name), start, end, std::move(args)});
}

void TraceRecorder::sample(TraceCounter counter, int64_t cycle, int64_t value) {
  samples_.push_back({counter, cycle, value});
}

std::vector<TraceRecorder::Interval> TraceRecorder::on(const std::string& name) const {
  std::vector<Interval> out;
  const auto it = std::find(tracks_.begin(), tracks_.end(), name);
  if (it == tracks_.end()) return out;
  for (const Interval& i : intervals_)
    if (i.track == int(it - tracks_.begin())) out.push_back(i);
  return out;
}

std::vector<Series> TraceRecorder::counter_series() const {
  std::vector<Sample> sorted = samples_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Sample& a, const Sample& b) { return a.cycle < b.cycle; });
  std::vector<Series> series(kCounters);
  std::vector<int64_t> value(kCounters, 0);
  for (const Sample& s : sorted) {
    const size_t c = size_t(s.counter);
    const bool level = s.counter == TraceCounter::kPass || s.counter == TraceCounter::kStep;
    value[c] = level ? s.value : value[c] + s.value;
    put(series[c], s.cycle, value[c]);
  }
  for (Series& s : series) keep_changes(s);
  return series;
}

std::vector<Series> TraceRecorder::busy_series() const {
  std::vector<Series> edges(tracks_.size());
  for (const Interval& i : intervals_) {
    edges[size_t(i.track)].emplace_back(i.start, 1);
    edges[size_t(i.track)].emplace_back(i.end, -1);
  }
  std::vector<Series> series(tracks_.size());
  for (size_t t = 0; t < tracks_.size(); ++t) {
    std::sort(edges[t].begin(), edges[t].end());
    int64_t level = 0;
    for (const auto& [cycle, delta] : edges[t]) {
      level += delta;
      put(series[t], cycle, level > 0);
    }
    keep_changes(series[t]);
  }
  return series;
}

std::string TraceRecorder::perfetto_json() const {
  using nlohmann::json;
  json events = json::array();
  events.push_back(
      {{"ph", "M"}, {"pid", 1}, {"name", "process_name"}, {"args", {{"name", "sparrow"}}}});
  for (size_t t = 0; t < tracks_.size(); ++t) {
    events.push_back({{"ph", "M"},
                      {"pid", 1},
                      {"tid", t + 1},
                      {"name", "thread_name"},
                      {"args", {{"name", tracks_[t]}}}});
    events.push_back({{"ph", "M"},
                      {"pid", 1},
                      {"tid", t + 1},
                      {"name", "thread_sort_index"},
                      {"args", {{"sort_index", t}}}});
  }
  for (const Interval& i : intervals_) {
    json args = json::object();
    for (const auto& [key, value] : i.args) args[key] = value;
    events.push_back({{"ph", "X"},
                      {"pid", 1},
                      {"tid", i.track + 1},
                      {"cat", tracks_[size_t(i.track)]},
                      {"name", i.name},
                      {"ts", us(i.start)},
                      {"dur", us(i.end - i.start)},
                      {"args", args}});
  }
  const std::vector<Series> counters = counter_series();
  for (size_t c = 0; c < kCounters; ++c) {
    Series s = counters[c];
    if (s.empty() || s.front().first > 0) s.insert(s.begin(), {0, 0});
    for (const auto& [cycle, value] : s)
      events.push_back({{"ph", "C"},
                        {"pid", 1},
                        {"name", kCounterNames[c]},
                        {"ts", us(cycle)},
                        {"args", {{"value", value}}}});
  }
  if (done_ >= 0)
    events.push_back({{"ph", "i"}, {"pid", 1}, {"s", "g"}, {"name", "done"}, {"ts", us(done_)}});
  const json trace = {
      {"traceEvents", events},
      {"displayTimeUnit", "ns"},
      {"otherData",
       {{"time_unit", "1 cycle = 1 ns of simulated time: ts and dur are in us, cycle / 1000"},
        {"cycles", done_}}}};
  return json_text(trace) + "\n";
}

std::string TraceRecorder::vcd() const {
  struct Var {
    std::string name;
    bool wire;
    Series changes;
  };
  std::vector<Var> vars;
  std::vector<Series> busy = busy_series();
  for (size_t t = 0; t < tracks_.size(); ++t) {
    std::string name = tracks_[t];
    std::replace(name.begin(), name.end(), '.', '_');
    vars.push_back({name, true, std::move(busy[t])});
  }
  vars.push_back({"done", true, done_ >= 0 ? Series{{done_, 1}} : Series{}});
  std::vector<Series> counters = counter_series();
  for (size_t c = 0; c < kCounters; ++c) vars.push_back({kCounterNames[c], false, counters[c]});

  std::ostringstream os;
  os << "$version sparrow $end\n$timescale 1ns $end\n$scope module sparrow $end\n";
  for (size_t v = 0; v < vars.size(); ++v)
    os << "$var " << (vars[v].wire ? "wire 1 " : "integer 64 ") << vcd_id(v) << " " << vars[v].name
       << " $end\n";
  os << "$upscope $end\n$enddefinitions $end\n";

  auto value = [&](size_t v, int64_t x) {
    if (vars[v].wire) {
      os << (x ? '1' : '0') << vcd_id(v) << "\n";
      return;
    }
    std::string bits;
    do {
      bits.insert(bits.begin(), char('0' + (x & 1)));
      x >>= 1;
    } while (x > 0);
    os << 'b' << bits << " " << vcd_id(v) << "\n";
  };
  std::vector<std::tuple<int64_t, size_t, int64_t>> changes;  // cycle, var, value
  for (size_t v = 0; v < vars.size(); ++v)
    for (const auto& [cycle, x] : vars[v].changes) changes.emplace_back(cycle, v, x);
  std::sort(changes.begin(), changes.end());
  std::vector<int64_t> initial(vars.size(), 0);
  size_t k = 0;
  for (; k < changes.size() && std::get<0>(changes[k]) == 0; ++k)
    initial[std::get<1>(changes[k])] = std::get<2>(changes[k]);
  os << "#0\n$dumpvars\n";
  for (size_t v = 0; v < vars.size(); ++v) value(v, initial[v]);
  os << "$end\n";
  for (int64_t cycle = -1; k < changes.size(); ++k) {
    const auto& [c, v, x] = changes[k];
    if (c != cycle) os << "#" << (cycle = c) << "\n";
    value(v, x);
  }
  return os.str();
}

void TraceRecorder::write_perfetto_json(const std::string& path) const {
  write_file_atomic(path, perfetto_json());
}

void TraceRecorder::write_vcd(const std::string& path) const {
  write_file_atomic(path, vcd());
}

}  // namespace sparrow
