// What a run reports (report.json and the summary on stdout): the configs, the compression
// statistics, operation counts and the numerical agreement between the models.
#pragma once

#include <Eigen/Dense>
#include <nlohmann/json.hpp>
#include <string>

#include "compress/compressor.h"
#include "config/arch_config.h"
#include "config/workload_config.h"
#include "energy/energy_model.h"
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
nlohmann::json to_json(const ErrorStats& e);

// MACs of one inference: dense-equivalent, and kept (nonzero) weights times timesteps.
struct OpCounts {
  int64_t dense_macs = 0;
  int64_t nonzero_macs = 0;
  int64_t effective_ops() const { return 2 * dense_macs; }  // 1 MAC = 2 ops
  int64_t ops() const { return 2 * nonzero_macs; }
};
OpCounts count_ops(const CompressedModel& m, const WorkloadConfig& w);

nlohmann::json config_json(const ArchConfig& a, const WorkloadConfig& w);

// Cycles, latency at the clock, MAC utilization per array, stall breakdown, activity counters,
// GOPS and effective GOPS of a cycle-level run.
nlohmann::json performance_json(const Activity& a, const ArchConfig& arch, const OpCounts& ops);

// Adds to `report` what a cycle-level run gives: "performance" (merged into an existing section)
// and "energy" with GOPS/W and effective GOPS/W.
void add_hardware_figures(nlohmann::json& report, const Activity& a, const ArchConfig& arch,
                          const WorkloadConfig& w, const CompressedModel& m,
                          const EnergyTable& energy, const nlohmann::json& resources = nullptr);

// The human summary: a few aligned lines per report section ("accuracy" and "outputs" if present).
std::string summarize(const nlohmann::json& report);

}  // namespace sparrow
