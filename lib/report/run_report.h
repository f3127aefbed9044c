// What a run reports (report.json and the summary on stdout): the configs, the compression
// statistics, operation counts, the hardware figures and the numerical agreement between the
// models. One typed struct, RunReport, filled by the commands and serialized once (to_json);
// code that reads a report back reads it into the struct (run_report_from_json), never by key.
#pragma once

#include <Eigen/Dense>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "compress/compressor.h"
#include "config/arch_config.h"
#include "config/workload_config.h"
#include "energy/energy_model.h"
#include "energy/resources.h"
#include "timing/activity.h"

namespace sparrow {

// The layout version of `sparrow run`'s report.json (docs/report.md; the schema's
// schema_version const in docs/report.schema.json).
inline constexpr int kRunReportSchemaVersion = 1;

struct ErrorStats {
  double max_abs = 0;
  double rms = 0;
  double sqnr_db = 0;  // 10 log10(sum ref^2 / sum (got - ref)^2); infinity when equal
};
ErrorStats compare_outputs(const Eigen::MatrixXd& got, const Eigen::MatrixXd& ref);

// MACs of one inference: dense-equivalent, and kept (nonzero) weights times timesteps.
struct OpCounts {
  int64_t dense_macs = 0;
  int64_t nonzero_macs = 0;
  int64_t effective_ops() const { return 2 * dense_macs; }  // 1 MAC = 2 ops
  int64_t ops() const { return 2 * nonzero_macs; }
};
OpCounts count_ops(const CompressedModel& m, const WorkloadConfig& w);

// The configs as run (after --set), as far as the report names them.
struct ArchSummary {
  std::string file, name;
  double clock_mhz = 0;
  int wx_pes = 0, wx_lanes = 0, wh_pes = 0, wh_lanes = 0;
  bool shared_array = false;
  int x_block = 1;
  std::string wx_format, wh_format, act_format;  // Qi.f
  std::string activation;                        // to_string(ActivationKind)
};
ArchSummary arch_summary(const ArchConfig& arch);

struct WorkloadSummary {
  std::string file, name;
  int input_size = 0, hidden_size = 0, proj_size = 0, layers = 0;
  bool bidirectional = false;
  int seq_len = 0, sequences = 0, batch = 1;
};
WorkloadSummary workload_summary(const WorkloadConfig& w);

struct OpReport {
  OpCounts counts;
  std::optional<int64_t> mac_slots;  // golden's words issued x lanes over the run (sparrow run)
};

// One MAC array's figures over the run.
struct ArrayFigures {
  std::string name;  // ArrayActivity::name
  double mac_utilization = 0;
  int64_t busy_cycles = 0;
  int64_t stall_memory = 0, stall_recurrence = 0, stall_gate = 0;
  int64_t mac_slots = 0, bank_words_read = 0, bank_bits_read = 0, vector_buffer_reads = 0;
};

// A session's figures (docs/timing.md, "Sessions", "Batches"); the steady state's with 2 or more
// batches.
struct SessionFigures {
  int64_t sequences = 1, batch = 1, weight_load_cycles = 0, first_sequence_cycles = 0;
  struct Steady {
    double cycles_per_sequence = 0, sequences_per_second = 0, gops = 0, effective_gops = 0;
    std::map<std::string, double> mac_utilization;  // by array name
  };
  std::optional<Steady> steady;
};

// Cycles, latency at the clock, GOPS, per array MAC utilization and stalls, the gate unit's and
// the DMA's counts, the session: what a cycle-level run gives.
struct Performance {
  int64_t cycles = 0;
  std::optional<int64_t> contract_cycles;  // the timing contract's (systemc, rtl)
  double clock_mhz = 0, latency_us = 0;
  bool weights_on_chip = false;
  std::vector<int64_t> pass_end_cycles;
  double gops = 0, effective_gops = 0;
  std::vector<ArrayFigures> arrays;
  GateActivity gate;
  DmaActivity dma;
  SessionFigures session;
};
// `batch`: the sequences of a batch (WorkloadConfig::batch), which are done together.
Performance performance_of(const Activity& activity, const ArchConfig& arch, const OpCounts& ops,
                           int batch);

// The RTL engine's section: its Verilator build and each counter beside the contract's.
struct RtlReport {
  std::string build_key;
  bool cached = false;
  double build_seconds = 0, simulation_seconds = 0;
  struct Counter {
    int64_t rtl = 0, contract = 0;
  };
  std::map<std::string, Counter> counters;
};

struct ModelCacheUse {
  std::string model;   // "encoded", "pruned" or "miss"
  std::string golden;  // "hit" or "miss"
};

struct OutputFiles {
  std::string dir;
  std::vector<std::string> files;  // the .npy files beside report.json
  std::vector<int64_t> shape;
  std::string format;  // the activation format, Qi.f
};

// report.json, section by section (docs/report.md, docs/report.schema.json).
struct RunReport {
  int schema_version = kRunReportSchemaVersion;
  std::string engine;
  ArchSummary arch;
  WorkloadSummary workload;
  CompressionStats compression;
  OpReport ops;
  std::optional<Performance> performance;  // not with golden
  std::optional<EnergyReport> energy;      // not with golden
  ResourceReport resources;
  std::optional<RtlReport> rtl;
  std::optional<bool> outputs_match_golden;
  std::map<std::string, ErrorStats> accuracy;  // by comparison; empty without the floats
  std::optional<ModelCacheUse> model_cache;
  std::map<std::string, double> wall_seconds;  // by step
  std::optional<OutputFiles> outputs;
};

// The design's sections of a report: the configs, `resources` (as given: the synthesized record
// or the estimate), `performance` and `energy` from an activity (if any, with GOPS/W and effective
// GOPS/W), `compression` and `ops`.
RunReport design_report(const std::optional<Activity>& activity, const ArchConfig& arch,
                        const WorkloadConfig& w, const CompressedModel& m,
                        const EnergyTable& energy, ResourceReport resources);

// `performance` and `energy` (with GOPS/W and effective GOPS/W) of a cycle-level run, from its
// activity, the report's op counts and resources.
void add_hardware_figures(RunReport& report, const Activity& activity, const ArchConfig& arch,
                          const WorkloadConfig& w, const CompressedModel& m,
                          const EnergyTable& energy);

// report.json's text of the struct, and the struct of a report's JSON: InputError naming `where`
// and the field's path ("performance.cycles") for a field missing or of another type.
nlohmann::json to_json(const RunReport& report);
nlohmann::json to_json(const ArchSummary& arch);
nlohmann::json to_json(const WorkloadSummary& w);
nlohmann::json to_json(const CompressionStats& stats);
nlohmann::json to_json(const ResourceReport& resources);
RunReport run_report_from_json(const nlohmann::json& j, const std::string& where);
// A report.json's text, or file, read as untrusted input (at most 64 MiB): InputError naming
// `where` (the path) for text that is not a JSON object, then as run_report_from_json.
RunReport parse_run_report(const std::string& text, const std::string& where);
RunReport read_run_report(const std::string& path);

// The human summary: a few aligned lines per report section.
std::string summarize(const RunReport& report);

}  // namespace sparrow
