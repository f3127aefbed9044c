#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/output_dir.h"
#include "cli/overrides.h"
#include "common/json_text.h"
#include "compress/bank_file.h"
#include "compress/compressor.h"
#include "report/run_report.h"

namespace sparrow {
namespace {

struct CompressOptions {
  std::string arch;
  ConfigOverrides set;
  std::string workload;
  std::string out = "out/compress";
};

int compress(const CompressOptions& o) {
  ConfigOverrides set = o.set;
  split_overrides(set);
  const ArchConfig arch = load_arch_config(o.arch, set.arch);
  const WorkloadConfig wl = load_workload_config(o.workload, set.workload);
  const CompressedModel cm = compress_model(make_lstm_weights(wl), arch);
  const CompressionStats stats = compression_stats(cm, arch);
  nlohmann::json j = to_json(stats);
  j["arch"] = arch.file;
  j["workload"] = wl.file;
  OutputDir dir(o.out);
  dir.add("banks.npz", serialize_bank_file(cm));
  dir.add("compression.json", json_text(j, 2) + "\n");
  dir.commit();
  std::cout << "compressed " << wl.name << " for " << arch.name << ": " << stats.kept_weights
            << " of " << stats.dense_weights << " weights kept (sparsity " << stats.sparsity
            << ", W_x " << stats.sparsity_x << ", W_h " << stats.sparsity_h << "); W_x banks "
            << (stats.banks.wx_fits() ? "fit" : "do not fit") << ", W_h banks "
            << (stats.banks.wh_fits() ? "fit" : "do not fit") << " on chip\n  wrote " << o.out
            << "/banks.npz and " << o.out << "/compression.json\n";
  return 0;
}

}  // namespace

Command add_compress_command(CLI::App& app) {
  auto o = std::make_shared<CompressOptions>();
  CLI::App* sub = app.add_subcommand(
      "compress", "Prune, quantize and encode a workload's weights into the weight-bank format");
  sub->add_option("--arch", o->arch, "architecture config (configs/arch/*.yaml)")->required();
  sub->add_option("--workload", o->workload, "workload config (configs/workloads/*.yaml)")
      ->required();
  add_set_option(sub, o->set);
  sub->add_option("--out", o->out, "folder for banks.npz and compression.json")
      ->capture_default_str();
  return [o] { return compress(*o); };
}

}  // namespace sparrow
