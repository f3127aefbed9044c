#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/sensitivity.h"
#include "cli/commands.h"
#include "cli/output_dir.h"
#include "cli/overrides.h"
#include "common/error.h"

namespace sparrow {
namespace {

struct SensitivityOptions {
  std::string app;
  std::string arch;
  ConfigOverrides set;
  std::vector<double> sparsities{0, 0.5, 0.75, 0.875, 0.9375};
  std::vector<int> bits{2, 3, 4, 5, 6, 7, 8};
  const CLI::Option* bits_given = nullptr;
  double max_loss = 0;
  const CLI::Option* max_loss_given = nullptr;
  std::string out;
  bool quiet = false;
};

std::string fixed(double v, int digits) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(digits) << v;
  return os.str();
}

std::string as_typed(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

std::string signed_fixed(double v, int digits) {
  return (v >= 0 ? "+" : "") + fixed(v, digits);
}

// A table: a header row and rows, printed aligned or as Markdown.
using Table = std::vector<std::vector<std::string>>;

std::string aligned(const Table& t) {
  std::vector<size_t> w(t[0].size(), 0);
  for (const auto& r : t)
    for (size_t c = 0; c < r.size(); ++c) w[c] = std::max(w[c], r[c].size());
  std::ostringstream os;
  for (const auto& r : t) {
    os << "   ";
    for (size_t c = 0; c + 1 < r.size(); ++c)
      os << " " << std::left << std::setw(int(w[c])) << r[c];
    os << " " << r.back() << "\n";
  }
  return os.str();
}

std::string markdown(const Table& t) {
  std::ostringstream os;
  for (size_t i = 0; i < t.size(); ++i) {
    os << "|";
    for (const auto& cell : t[i]) os << " " << cell << " |";
    os << "\n";
    if (i == 0) {
      os << "|";
      for (size_t c = 0; c < t[0].size(); ++c) os << "---|";
      os << "\n";
    }
  }
  return os.str();
}

// Lines as Markdown paragraphs.
std::string paragraphs(const std::string& lines) {
  std::string md;
  for (char c : lines) md += c == '\n' ? std::string("\n\n") : std::string(1, c);
  return md;
}

// sensitivity.csv: one row per measured point, the numbers as they were computed.
std::string csv(const SensitivityResult& r) {
  std::ostringstream os;
  os.precision(17);
  os << "matrix,knob,value,metric,delta\n";
  for (const SensitivityRow& row : r.rows)
    os << row.matrix << "," << row.knob << "," << row.value << "," << row.metric << "," << row.delta
       << "\n";
  return os.str();
}

// The plot (scripts/plot_sensitivity.py) made in a temporary folder and read back, so that it is
// committed with the other files; empty if it could not be made, and then `why` says why (the
// last line of the script's output).
std::string plot(const std::string& csv_text, const std::string& metric, std::string& why) {
  std::error_code ec;
  std::string tmpl = (std::filesystem::temp_directory_path(ec) / "sparrow-sensitivity-XXXXXX");
  if (ec || mkdtemp(tmpl.data()) == nullptr) {
    why = "no temporary folder";
    return "";
  }
  const std::filesystem::path dir = tmpl;
  std::ofstream(dir / "sensitivity.csv", std::ios::binary) << csv_text;
  const std::string script = SPARROW_SOURCE_DIR "/scripts/plot_sensitivity.py";
  const std::string cmd = "/usr/bin/python3 '" + script + "' '" +
                          (dir / "sensitivity.csv").string() + "' '" +
                          (dir / "sensitivity.png").string() + "' '" + metric + "' > '" +
                          (dir / "plot.log").string() + "' 2>&1";
  std::string png;
  if (std::system(cmd.c_str()) == 0) {
    std::ifstream f(dir / "sensitivity.png", std::ios::binary);
    png.assign(std::istreambuf_iterator<char>(f), {});
  }
  std::ifstream log(dir / "plot.log");
  for (std::string line; std::getline(log, line);)
    if (!line.empty()) why = line;
  std::filesystem::remove_all(dir, ec);
  return png;
}

// The command line's checks; the sparsities sorted, without repeats, starting at 0.
void check_options(SensitivityOptions& o) {
  split_overrides(o.set);
  for (const std::string& given : o.set.given)
    if (given.rfind("arch.", 0) != 0)
      throw_input_error("command line", "--set", "'" + given + "'",
                        "arch.KEY=VALUE (the workload is the app's model; no energy is computed)");
  for (double s : o.sparsities)
    if (!(s >= 0 && s <= 0.999))
      throw_input_error("command line", "--sparsities", "'" + as_typed(s) + "'",
                        "sparsities in [0, 0.999] (compression.sx and sh's range)");
  std::sort(o.sparsities.begin(), o.sparsities.end());
  o.sparsities.erase(std::unique(o.sparsities.begin(), o.sparsities.end()), o.sparsities.end());
  if (o.sparsities.front() != 0) o.sparsities.insert(o.sparsities.begin(), 0.0);
  if (!(o.max_loss >= 0))
    throw_input_error("command line", "--max-loss", "'" + as_typed(o.max_loss) + "'",
                      "a loss of at least 0");
  if (!o.out.empty())
    check_output_paths(o.out, {}, {"sensitivity.csv", "sensitivity.md", "sensitivity.png"});
}

// The weight widths to try: --bits, or by default those from the arch's integer bits up (the
// word LM's weights need 3); each keeps the arch's integer bits.
std::vector<int> weight_widths(const SensitivityOptions& o, const ArchConfig& arch) {
  std::vector<int> widths = o.bits;
  if (o.bits_given->count() == 0)
    widths.erase(std::remove_if(widths.begin(), widths.end(),
                                [&](int b) {
                                  return b < arch.arith.wx.bits - arch.arith.wx.frac ||
                                         b < arch.arith.wh.bits - arch.arith.wh.frac;
                                }),
                 widths.end());
  for (int b : widths)
    for (const FixedFormat& f : {arch.arith.wx, arch.arith.wh})
      if (b < 2 || b > 16 || b - (f.bits - f.frac) < 0 || b - (f.bits - f.frac) > 40)
        throw_input_error("command line", "--bits", "'" + std::to_string(b) + "'",
                          "widths in [" + std::to_string(std::max(2, f.bits - f.frac)) +
                              ", 16] (each width keeps the arch's integer bits, bits - frac = " +
                              std::to_string(f.bits - f.frac) + ")");
  return widths;
}

// The printed and written tables: each matrix alone by sparsity and by width, and the combined
// points of the search, in the order it measured them (the last is the suggestion).
struct SensitivityTables {
  Table sparsity{{"sparsity", "W_x alone", "W_h alone"}};
  Table bits{{"bits", "W_x alone", "W_h alone"}};
  Table path;
  std::string head, suggestion;
};

SensitivityTables tables_of(const SensitivityResult& r, const SensitivityGrid& grid,
                            const AppConfig& cfg, const ArchConfig& arch,
                            const std::string& arch_file, TaskEvaluator& task) {
  const bool sentiment = cfg.task == AppTask::kSentiment;
  const bool charlm = cfg.task == AppTask::kCharLm;
  const int digits = charlm ? 4 : 2;
  const std::string unit = task_info(cfg.task).unit;
  const std::string loss_unit = sentiment ? "points of accuracy lost"
                                : charlm  ? "bits per character gained"
                                          : "perplexity gained";
  auto cell = [&](const SensitivityRow& row) {
    return fixed(row.metric, digits) + " (" + signed_fixed(row.delta, digits) + ")";
  };
  auto find = [&](const std::string& matrix, const std::string& knob, const std::string& value) {
    for (const SensitivityRow& row : r.rows)
      if (row.matrix == matrix && row.knob == knob && row.value == value) return row;
    throw std::logic_error("sensitivity: no row " + matrix + " " + knob + " " + value);
  };
  SensitivityTables t;
  t.path = Table{{"s_x/s_h", unit, "loss", "within budget"}};
  const SensitivityRow* suggested = nullptr;
  for (const SensitivityRow& row : r.rows) {
    if (row.matrix == "W_x" && row.knob == "sparsity")
      t.sparsity.push_back({row.value, cell(row), cell(find("W_h", "sparsity", row.value))});
    if (row.matrix == "W_x" && row.knob == "bits")
      t.bits.push_back({row.value, cell(row), cell(find("W_h", "bits", row.value))});
    if (row.matrix == "W_x+W_h") {
      const double loss = task_loss(row.metric, r.dense_metric, cfg.task);
      t.path.push_back({row.value, fixed(row.metric, digits), fixed(loss, digits),
                        loss <= grid.max_loss ? "yes" : "no"});
      suggested = &row;
    }
  }
  const DualRatioSuggestion& sg = r.suggestion;
  const std::vector<double>& s = grid.sparsities;
  std::ostringstream head, suggestion;
  head << "app " << cfg.name << " (" << cfg.file << "), arch " << arch_file << ": " << unit
       << " of the bit-exact golden fixed point on " << task.reference().examples << " held-out "
       << task_info(cfg.task).predicted << "\n";
  head << "float, unpruned: " << fixed(r.float_metric, digits) << "; dense fixed point (W_x "
       << arch.arith.wx.bits << "/" << arch.arith.wx.frac << ", W_h " << arch.arith.wh.bits << "/"
       << arch.arith.wh.frac << " bits/frac): " << fixed(r.dense_metric, digits) << "\n";
  suggestion << "budget: " << fixed(grid.max_loss, digits) << " " << loss_unit
             << " against the dense fixed point; alone limits s_x " << as_typed(s[sg.limit_x])
             << ", s_h " << as_typed(s[sg.limit_h]) << "\n";
  suggestion << "suggested dual ratio: s_x " << as_typed(s[sg.path.back().ix]) << ", s_h "
             << as_typed(s[sg.path.back().ih]) << ": " << cell(*suggested) << "\n";
  suggestion << r.rows.size() << " points measured, " << task.evaluations()
             << " distinct evaluations (the others shared one)\n";
  t.head = head.str();
  t.suggestion = suggestion.str();
  return t;
}

// --out: sensitivity.csv, sensitivity.md and, if matplotlib can draw it, sensitivity.png.
void write_sensitivity(const std::string& out, const SensitivityResult& r,
                       const SensitivityTables& t, const AppConfig& cfg) {
  const std::string csv_text = csv(r);
  std::string why;
  const std::string png = plot(csv_text, task_info(cfg.task).unit, why);
  std::ostringstream md;
  md << "# Per-matrix sensitivity of " << cfg.name << "\n\n"
     << paragraphs(t.head) << "## Sparsity, the other matrix dense\n\n"
     << markdown(t.sparsity) << "\n## Weight width, dense, the other matrix at the arch's\n\n"
     << markdown(t.bits) << "\n## The suggested dual ratio\n\n"
     << markdown(t.path) << "\n"
     << paragraphs(t.suggestion);
  OutputDir dir(out);
  dir.add("sensitivity.csv", csv_text);
  if (png.empty()) {
    md << "No plot: `/usr/bin/python3 scripts/plot_sensitivity.py` failed (is "
          "python3-matplotlib installed? `scripts/setup.sh --python`): "
       << why << "\n";
    std::cerr << "sparrow: no plot: /usr/bin/python3 scripts/plot_sensitivity.py failed: " << why
              << "\n";
  } else {
    md << "![the task metric against each matrix's sparsity and width](sensitivity.png)\n";
    dir.add("sensitivity.png", png);
  }
  dir.add("sensitivity.md", md.str());
  dir.commit();
}

int run_sensitivity(SensitivityOptions o) {
  check_options(o);
  const AppConfig cfg = load_app_config(o.app);
  const std::string arch_file = o.arch.empty() ? cfg.arch : o.arch;
  auto arch_at = [&](const Overrides& extra) {
    Overrides all = o.set.arch;
    all.insert(all.end(), extra.begin(), extra.end());
    return load_arch_config(arch_file, all);
  };
  const ArchConfig arch = arch_at({});
  const std::vector<int> widths = weight_widths(o, arch);
  TaskEvaluator task(o.app);
  // The default budget: a point of accuracy, 0.05 bits per character, 1% of the perplexity.
  SensitivityGrid grid{o.sparsities, widths,
                       o.max_loss_given->count() > 0     ? o.max_loss
                       : cfg.task == AppTask::kSentiment ? 1.0
                       : cfg.task == AppTask::kCharLm
                           ? 0.05
                           : 0.01 * task_figure(task.reference(), cfg.task)};
  const SensitivityResult r = measure_sensitivity(task, arch_at, grid);
  const SensitivityTables t = tables_of(r, grid, cfg, arch, arch_file, task);
  if (!o.quiet)
    std::cout << "sparrow sensitivity " << t.head << "  sparsity, the other matrix dense:\n"
              << aligned(t.sparsity) << "  weight width, dense, the other matrix at the arch's:\n"
              << aligned(t.bits) << "  combined points:\n"
              << aligned(t.path) << t.suggestion;
  if (!o.out.empty()) write_sensitivity(o.out, r, t, cfg);
  return 0;
}

}  // namespace

Command add_sensitivity_command(CLI::App& app) {
  auto o = std::make_shared<SensitivityOptions>();
  CLI::App* sub = app.add_subcommand(
      "sensitivity",
      "Per-matrix sensitivity of an app's task: its metric (bit-exact golden fixed point) against "
      "W_x's and W_h's sparsity and weight width, each alone, and the dual ratio suggested for a "
      "loss budget");
  sub->add_option("APP", o->app, "application (configs/apps/*/app.yaml)")->required();
  sub->add_option("--arch", o->arch, "architecture config (default: the app's arch.yaml)");
  sub->add_option("--set", o->set.given,
                  "override one arch key: arch.KEY=VALUE (KEY a dotted path, VALUE YAML); "
                  "repeatable");
  sub->add_option("--sparsities", o->sparsities,
                  "sparsity grid for each matrix alone, comma-separated, in [0, 0.999] (0 is "
                  "always measured)")
      ->delimiter(',')
      ->capture_default_str();
  o->bits_given = sub->add_option("--bits", o->bits,
                                  "weight widths for each matrix alone, comma-separated; each "
                                  "keeps the arch's integer bits (by default the widths below "
                                  "them are left out)")
                      ->delimiter(',')
                      ->capture_default_str();
  o->max_loss_given =
      sub->add_option("--max-loss", o->max_loss,
                      "loss budget against the dense fixed point: points of accuracy (sentiment, "
                      "default 1), bits per character (char LM, default 0.05) or perplexity "
                      "(word LM, default 1% of the float perplexity)");
  sub->add_option("--out", o->out, "folder for sensitivity.csv, .md and .png");
  sub->add_flag("--quiet", o->quiet, "no tables on stdout");
  return [o] { return run_sensitivity(*o); };
}

}  // namespace sparrow
