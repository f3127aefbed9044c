// report.json's one serializer and one reader (docs/report.schema.json): each section's fields
// written by to_json and read back by the matching read_* function, in the same order.
#include <cmath>
#include <limits>

#include "common/error.h"
#include "common/file_util.h"
#include "common/json_text.h"
#include "report/run_report.h"

namespace sparrow {
namespace {

// A JSON object read field by field. A field missing ("got nothing") or of another type is an
// InputError naming the file and the field's path; an object that is not one has no fields.
class Fields {
 public:
  Fields(const nlohmann::json& j, std::string where, std::string path)
      : j_(j), where_(std::move(where)), path_(std::move(path)) {}

  bool has(const char* key) const { return j_.is_object() && j_.contains(key); }
  bool null(const char* key) const { return has(key) && j_[key].is_null(); }

  int64_t integer(const char* key) const {
    const nlohmann::json& v = at(key, "an integer");
    if (!v.is_number_integer()) bad(key, v, "an integer");
    return v.get<int64_t>();
  }
  int small(const char* key) const {
    const int64_t v = integer(key);
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
      bad(key, j_[key], "an integer of 32 bits");
    return int(v);
  }
  double number(const char* key) const {
    const nlohmann::json& v = at(key, "a number");
    if (!v.is_number()) bad(key, v, "a number");
    return v.get<double>();
  }
  // A number, or null where the writer had no finite one (JSON has no infinity): NaN.
  double number_or_null(const char* key) const {
    const nlohmann::json& v = at(key, "a number or null");
    if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!v.is_number()) bad(key, v, "a number or null");
    return v.get<double>();
  }
  // A number, or the text "inf" (an SQNR of equal outputs).
  double number_or_inf(const char* key) const {
    const nlohmann::json& v = at(key, "a number or \"inf\"");
    if (v == "inf") return std::numeric_limits<double>::infinity();
    if (!v.is_number()) bad(key, v, "a number or \"inf\"");
    return v.get<double>();
  }
  bool boolean(const char* key) const {
    const nlohmann::json& v = at(key, "true or false");
    if (!v.is_boolean()) bad(key, v, "true or false");
    return v.get<bool>();
  }
  std::string text(const char* key) const {
    const nlohmann::json& v = at(key, "a text");
    if (!v.is_string()) bad(key, v, "a text");
    return v.get<std::string>();
  }
  Fields object(const char* key) const {
    return Fields(has(key) ? j_[key] : null_, where_, path_ + key + ".");
  }
  // An array's elements.
  std::vector<Fields> elements(const char* key) const {
    const nlohmann::json& v = at(key, "an array");
    if (!v.is_array()) bad(key, v, "an array");
    std::vector<Fields> out;
    for (size_t i = 0; i < v.size(); ++i)
      out.emplace_back(v[i], where_, path_ + key + "." + std::to_string(i) + ".");
    return out;
  }
  // An object's values with their keys.
  std::vector<std::pair<std::string, Fields>> entries(const char* key) const {
    const nlohmann::json& v = at(key, "an object");
    if (!v.is_object()) bad(key, v, "an object");
    std::vector<std::pair<std::string, Fields>> out;
    for (const auto& [k, x] : v.items())
      out.emplace_back(k, Fields(x, where_, path_ + key + "." + k + "."));
    return out;
  }
  std::vector<int64_t> integers(const char* key) const {
    std::vector<int64_t> out;
    for (const Fields& f : elements(key)) out.push_back(f.self_integer());
    return out;
  }
  std::vector<std::string> texts(const char* key) const {
    std::vector<std::string> out;
    for (const Fields& f : elements(key)) {
      if (!f.j_.is_string()) f.bad_self(f.j_, "a text");
      out.push_back(f.j_.get<std::string>());
    }
    return out;
  }
  int64_t self_integer() const {
    if (!j_.is_number_integer()) bad_self(j_, "an integer");
    return j_.get<int64_t>();
  }
  double self_number() const {
    if (!j_.is_number()) bad_self(j_, "a number");
    return j_.get<double>();
  }

 private:
  const nlohmann::json& at(const char* key, const char* allowed) const {
    if (!has(key)) throw_input_error(where_, path_ + key, "nothing", allowed);
    return j_[key];
  }
  [[noreturn]] void bad(const char* key, const nlohmann::json& v, const char* allowed) const {
    throw_input_error(where_, path_ + key, excerpt(json_text(v), 60), allowed);
  }
  [[noreturn]] void bad_self(const nlohmann::json& v, const char* allowed) const {
    throw_input_error(where_, path_.substr(0, path_.size() - 1), excerpt(json_text(v), 60),
                      allowed);
  }

  static inline const nlohmann::json null_ = nullptr;
  const nlohmann::json& j_;
  std::string where_, path_;
};

// Writes an optional field only when present.
template <class T>
void put(nlohmann::json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

nlohmann::json to_json(const ErrorStats& e) {
  return {{"max_abs_error", e.max_abs},
          {"rms_error", e.rms},
          {"sqnr_db", std::isinf(e.sqnr_db) ? nlohmann::json("inf") : nlohmann::json(e.sqnr_db)}};
}

ErrorStats read_error(const Fields& f) {
  return {f.number("max_abs_error"), f.number("rms_error"), f.number_or_inf("sqnr_db")};
}

ArchSummary read_arch(const Fields& f) {
  ArchSummary a;
  a.file = f.text("file");
  a.name = f.text("name");
  a.clock_mhz = f.number("clock_mhz");
  a.wx_pes = f.object("wx_array").small("pes");
  a.wx_lanes = f.object("wx_array").small("lanes");
  a.wh_pes = f.object("wh_array").small("pes");
  a.wh_lanes = f.object("wh_array").small("lanes");
  a.shared_array = f.boolean("shared_array");
  a.x_block = f.small("x_block");
  a.wx_format = f.text("wx_format");
  a.wh_format = f.text("wh_format");
  a.act_format = f.text("act_format");
  a.activation = f.text("activation");
  return a;
}

WorkloadSummary read_workload(const Fields& f) {
  WorkloadSummary w;
  w.file = f.text("file");
  w.name = f.text("name");
  w.input_size = f.small("input_size");
  w.hidden_size = f.small("hidden_size");
  w.proj_size = f.small("proj_size");
  w.layers = f.small("layers");
  w.bidirectional = f.boolean("bidirectional");
  w.seq_len = f.small("seq_len");
  w.sequences = f.small("sequences");
  if (f.has("batch")) w.batch = f.small("batch");  // added in version 1: 1 before batches
  return w;
}

nlohmann::json to_json(const MatrixStats& m) {
  return {
      {"rows", m.rows},
      {"cols", m.cols},
      {"kept", m.kept},
      {"sparsity", m.sparsity},
      {"kept_per_row",
       {{"min", m.kept_per_row_min}, {"max", m.kept_per_row_max}, {"mean", m.kept_per_row_mean}}},
      {"kept_per_segment",
       m.kept_per_segment ? nlohmann::json(*m.kept_per_segment) : nlohmann::json(nullptr)},
      {"words_per_row", m.words_per_row},
      {"value_bits", m.value_bits},
      {"index_bits", m.index_bits},
      {"word_bits", m.word_bits},
      {"slots_per_pe", m.slots_per_pe},
      {"bank_bits_per_pe", m.bank_bits_per_pe}};
}

MatrixStats read_matrix(const Fields& f) {
  MatrixStats m;
  m.rows = f.integer("rows");
  m.cols = f.integer("cols");
  m.kept = f.integer("kept");
  m.sparsity = f.number("sparsity");
  m.kept_per_row_min = f.object("kept_per_row").integer("min");
  m.kept_per_row_max = f.object("kept_per_row").integer("max");
  m.kept_per_row_mean = f.object("kept_per_row").number("mean");
  if (!f.null("kept_per_segment")) m.kept_per_segment = f.integer("kept_per_segment");
  m.words_per_row = f.integer("words_per_row");
  m.value_bits = f.small("value_bits");
  m.index_bits = f.small("index_bits");
  m.word_bits = f.small("word_bits");
  m.slots_per_pe = f.integers("slots_per_pe");
  m.bank_bits_per_pe = f.integers("bank_bits_per_pe");
  return m;
}

CompressionStats read_compression(const Fields& f) {
  CompressionStats c;
  c.pattern = f.text("pattern");
  c.segment_balanced = f.boolean("segment_balanced");
  c.requested_sx = f.object("requested").number("sx");
  c.requested_sh = f.object("requested").number("sh");
  c.dense_weights = f.integer("dense_weights");
  c.kept_weights = f.integer("kept_weights");
  c.sparsity = f.number("sparsity");
  c.sparsity_x = f.number("sparsity_x");
  c.sparsity_h = f.number("sparsity_h");
  for (const Fields& d : f.elements("matrices")) {
    DirectionStats s;
    s.layer = d.small("layer");
    s.reverse = d.text("direction") == "reverse";
    s.wx = read_matrix(d.object("wx"));
    s.wh = read_matrix(d.object("wh"));
    if (d.has("wr")) s.wr = read_matrix(d.object("wr"));
    c.matrices.push_back(std::move(s));
  }
  const Fields b = f.object("banks");
  c.banks.wx_bits_max = b.integer("wx_bits_max_per_pe");
  c.banks.wx_capacity_bits = b.integer("wx_capacity_bits_per_pe");
  c.banks.wh_bits_max = b.integer("wh_bits_max_per_pe");
  c.banks.wh_capacity_bits = b.integer("wh_capacity_bits_per_pe");
  c.banks.wx_pass_bits_max = b.integer("wx_pass_bits_max_per_pe");
  c.banks.wh_pass_bits_max = b.integer("wh_pass_bits_max_per_pe");
  return c;
}

nlohmann::json to_json(const OpReport& o) {
  nlohmann::json j = {{"dense_macs", o.counts.dense_macs},
                      {"nonzero_macs", o.counts.nonzero_macs},
                      {"ops", o.counts.ops()},
                      {"effective_ops", o.counts.effective_ops()}};
  put(j, "mac_slots", o.mac_slots);
  return j;
}

OpReport read_ops(const Fields& f) {
  OpReport o;
  o.counts.dense_macs = f.integer("dense_macs");
  o.counts.nonzero_macs = f.integer("nonzero_macs");
  if (f.has("mac_slots")) o.mac_slots = f.integer("mac_slots");
  return o;
}

nlohmann::json to_json(const SessionFigures& s) {
  nlohmann::json j = {{"sequences", s.sequences},
                      {"batch", s.batch},
                      {"weight_load_cycles", s.weight_load_cycles},
                      {"first_sequence_cycles", s.first_sequence_cycles}};
  if (!s.steady) return j;
  j["steady_cycles_per_sequence"] = s.steady->cycles_per_sequence;
  j["sequences_per_second"] = s.steady->sequences_per_second;
  j["steady_gops"] = s.steady->gops;
  j["steady_effective_gops"] = s.steady->effective_gops;
  j["steady_mac_utilization"] = s.steady->mac_utilization;
  return j;
}

SessionFigures read_session(const Fields& f) {
  SessionFigures s;
  s.sequences = f.integer("sequences");
  if (f.has("batch")) s.batch = f.integer("batch");
  s.weight_load_cycles = f.integer("weight_load_cycles");
  s.first_sequence_cycles = f.integer("first_sequence_cycles");
  if (!f.has("steady_cycles_per_sequence")) return s;
  SessionFigures::Steady st;
  st.cycles_per_sequence = f.number("steady_cycles_per_sequence");
  st.sequences_per_second = f.number("sequences_per_second");
  st.gops = f.number("steady_gops");
  st.effective_gops = f.number("steady_effective_gops");
  for (const auto& [name, u] : f.entries("steady_mac_utilization"))
    st.mac_utilization[name] = u.self_number();
  s.steady = st;
  return s;
}

nlohmann::json to_json(const Performance& p) {
  nlohmann::json arrays = nlohmann::json::array();
  for (const ArrayFigures& a : p.arrays)
    arrays.push_back({{"name", a.name},
                      {"mac_utilization", a.mac_utilization},
                      {"busy_cycles", a.busy_cycles},
                      {"stall_cycles",
                       {{"memory", a.stall_memory},
                        {"recurrence", a.stall_recurrence},
                        {"gate_unit", a.stall_gate}}},
                      {"mac_slots", a.mac_slots},
                      {"bank_words_read", a.bank_words_read},
                      {"bank_bits_read", a.bank_bits_read},
                      {"vector_buffer_reads", a.vector_buffer_reads}});
  nlohmann::json j = {{"cycles", p.cycles},
                      {"clock_mhz", p.clock_mhz},
                      {"latency_us", p.latency_us},
                      {"weights_on_chip", p.weights_on_chip},
                      {"pass_end_cycles", p.pass_end_cycles},
                      {"gops", p.gops},
                      {"effective_gops", p.effective_gops},
                      {"arrays", arrays},
                      {"gate_unit",
                       {{"hidden_units", p.gate.units},
                        {"sigmoid_lookups", p.gate.lut_sigmoid},
                        {"tanh_lookups", p.gate.lut_tanh},
                        {"cell_reads", p.gate.cell_reads},
                        {"cell_writes", p.gate.cell_writes}}},
                      {"dma",
                       {{"dram_read_bytes", p.dma.read_bytes},
                        {"dram_write_bytes", p.dma.write_bytes},
                        {"bursts", p.dma.bursts}}},
                      {"session", to_json(p.session)}};
  put(j, "contract_cycles", p.contract_cycles);
  return j;
}

Performance read_performance(const Fields& f) {
  Performance p;
  p.cycles = f.integer("cycles");
  if (f.has("contract_cycles")) p.contract_cycles = f.integer("contract_cycles");
  p.clock_mhz = f.number("clock_mhz");
  p.latency_us = f.number("latency_us");
  p.weights_on_chip = f.boolean("weights_on_chip");
  p.pass_end_cycles = f.integers("pass_end_cycles");
  p.gops = f.number("gops");
  p.effective_gops = f.number("effective_gops");
  for (const Fields& a : f.elements("arrays")) {
    const Fields stalls = a.object("stall_cycles");
    p.arrays.push_back({a.text("name"), a.number("mac_utilization"), a.integer("busy_cycles"),
                        stalls.integer("memory"), stalls.integer("recurrence"),
                        stalls.integer("gate_unit"), a.integer("mac_slots"),
                        a.integer("bank_words_read"), a.integer("bank_bits_read"),
                        a.integer("vector_buffer_reads")});
  }
  const Fields g = f.object("gate_unit");
  p.gate = {g.integer("hidden_units"), g.integer("sigmoid_lookups"), g.integer("tanh_lookups"),
            g.integer("cell_reads"), g.integer("cell_writes")};
  const Fields d = f.object("dma");
  p.dma = {d.integer("dram_read_bytes"), d.integer("dram_write_bytes"), d.integer("bursts")};
  p.session = read_session(f.object("session"));
  return p;
}

nlohmann::json to_json(const EnergyReport& e) {
  nlohmann::json units = nlohmann::json::array();
  for (const UnitEnergy& u : e.units) {
    nlohmann::json terms = nlohmann::json::array();
    for (const EnergyTerm& t : u.terms)
      terms.push_back({{"action", t.action}, {"count", t.count}, {"pj_each", t.pj_each}});
    units.push_back(
        {{"unit", u.unit}, {"energy_pj", u.energy_pj}, {"power_mw", u.power_mw}, {"terms", terms}});
  }
  nlohmann::json j = {{"table",
                       {{"file", e.table_file},
                        {"name", e.table_name},
                        {"technology", e.table_technology},
                        {"kind", e.table_kind}}},
                      {"units", units},
                      {"energy_per_inference_uj", e.per_inference_uj},
                      {"energy_per_sequence_uj", e.per_sequence_uj},
                      {"energy_per_timestep_nj", e.per_timestep_nj},
                      {"power_mw", e.power_mw},
                      {"gops_per_watt", e.gops_per_watt},
                      {"effective_gops_per_watt", e.effective_gops_per_watt}};
  if (!e.resources_source.empty()) j["resources_source"] = e.resources_source;
  return j;
}

EnergyReport read_energy(const Fields& f) {
  EnergyReport e;
  const Fields t = f.object("table");
  e.table_file = t.text("file");
  e.table_name = t.text("name");
  e.table_technology = t.text("technology");
  e.table_kind = t.text("kind");
  if (f.has("resources_source")) e.resources_source = f.text("resources_source");
  for (const Fields& u : f.elements("units")) {
    UnitEnergy ue{u.text("unit"), u.number("energy_pj"), u.number_or_null("power_mw"), {}};
    for (const Fields& t : u.elements("terms"))
      ue.terms.push_back({t.text("action"), t.number("count"), t.number("pj_each")});
    e.units.push_back(std::move(ue));
  }
  e.per_inference_uj = f.number("energy_per_inference_uj");
  e.per_sequence_uj = f.number("energy_per_sequence_uj");
  e.per_timestep_nj = f.number("energy_per_timestep_nj");
  e.power_mw = f.number_or_null("power_mw");
  e.gops_per_watt = f.number_or_null("gops_per_watt");
  e.effective_gops_per_watt = f.number_or_null("effective_gops_per_watt");
  return e;
}

nlohmann::json to_json(const Resources& r) {
  nlohmann::json j = {{"dsp", r.dsp}, {"bram36", r.bram36}, {"lut", r.lut}, {"ff", r.ff}};
  put(j, "lutram_luts", r.lutram_luts);
  return j;
}

Resources read_figures(const Fields& f) {
  Resources r;
  r.dsp = f.integer("dsp");
  r.bram36 = f.number("bram36");
  r.lut = f.integer("lut");
  r.ff = f.integer("ff");
  if (f.has("lutram_luts")) r.lutram_luts = f.integer("lutram_luts");
  return r;
}

ResourceReport read_resources(const Fields& f) {
  ResourceReport r;
  r.total = read_figures(f.object("total"));
  for (const Fields& u : f.elements("units"))
    r.units.push_back({u.text("unit"), read_figures(u), u.has("rule") ? u.text("rule") : ""});
  r.source = f.text("source");
  r.estimate = f.text("estimate");
  if (f.has("file")) {
    r.file = f.text("file");
    r.tool = f.text("tool");
    r.capacity_workload = f.text("capacity_workload");
  }
  if (f.has("analytic"))
    r.analytic = std::make_shared<const ResourceReport>(read_resources(f.object("analytic")));
  return r;
}

nlohmann::json to_json(const RtlReport& r) {
  nlohmann::json counters = nlohmann::json::object();
  for (const auto& [name, c] : r.counters)
    counters[name] = {{"rtl", c.rtl}, {"contract", c.contract}};
  return {{"build_key", r.build_key},
          {"cached", r.cached},
          {"build_seconds", r.build_seconds},
          {"simulation_seconds", r.simulation_seconds},
          {"counters", counters}};
}

RtlReport read_rtl(const Fields& f) {
  RtlReport r;
  r.build_key = f.text("build_key");
  r.cached = f.boolean("cached");
  r.build_seconds = f.number("build_seconds");
  r.simulation_seconds = f.number("simulation_seconds");
  for (const auto& [name, c] : f.entries("counters"))
    r.counters[name] = {c.integer("rtl"), c.integer("contract")};
  return r;
}

}  // namespace

nlohmann::json to_json(const ResourceReport& r) {
  nlohmann::json units = nlohmann::json::array();
  for (const UnitResources& u : r.units) {
    nlohmann::json j = to_json(u.figures);
    j["unit"] = u.unit;
    if (!u.rule.empty()) j["rule"] = u.rule;
    units.push_back(j);
  }
  nlohmann::json j = {{"source", r.source},
                      {"estimate", r.estimate},
                      {"total", to_json(r.total)},
                      {"units", units}};
  if (!r.file.empty()) {
    j["file"] = r.file;
    j["tool"] = r.tool;
    j["capacity_workload"] = r.capacity_workload;
  }
  if (r.analytic) j["analytic"] = to_json(*r.analytic);
  return j;
}

nlohmann::json to_json(const ArchSummary& arch) {
  return {{"file", arch.file},
          {"name", arch.name},
          {"clock_mhz", arch.clock_mhz},
          {"wx_array", {{"pes", arch.wx_pes}, {"lanes", arch.wx_lanes}}},
          {"wh_array", {{"pes", arch.wh_pes}, {"lanes", arch.wh_lanes}}},
          {"shared_array", arch.shared_array},
          {"x_block", arch.x_block},
          {"wx_format", arch.wx_format},
          {"wh_format", arch.wh_format},
          {"act_format", arch.act_format},
          {"activation", arch.activation}};
}

nlohmann::json to_json(const WorkloadSummary& w) {
  return {{"file", w.file},
          {"name", w.name},
          {"input_size", w.input_size},
          {"hidden_size", w.hidden_size},
          {"proj_size", w.proj_size},
          {"layers", w.layers},
          {"bidirectional", w.bidirectional},
          {"seq_len", w.seq_len},
          {"sequences", w.sequences},
          {"batch", w.batch}};
}

nlohmann::json to_json(const CompressionStats& stats) {
  nlohmann::json matrices = nlohmann::json::array();
  for (const DirectionStats& d : stats.matrices) {
    nlohmann::json j = {{"layer", d.layer},
                        {"direction", d.reverse ? "reverse" : "forward"},
                        {"wx", to_json(d.wx)},
                        {"wh", to_json(d.wh)}};
    if (d.wr) j["wr"] = to_json(*d.wr);
    matrices.push_back(j);
  }
  return {{"pattern", stats.pattern},
          {"segment_balanced", stats.segment_balanced},
          {"requested", {{"sx", stats.requested_sx}, {"sh", stats.requested_sh}}},
          {"dense_weights", stats.dense_weights},
          {"kept_weights", stats.kept_weights},
          {"sparsity", stats.sparsity},
          {"sparsity_x", stats.sparsity_x},
          {"sparsity_h", stats.sparsity_h},
          {"matrices", matrices},
          {"banks",
           {{"wx_bits_max_per_pe", stats.banks.wx_bits_max},
            {"wx_capacity_bits_per_pe", stats.banks.wx_capacity_bits},
            {"wx_fits_on_chip", stats.banks.wx_fits()},
            {"wh_bits_max_per_pe", stats.banks.wh_bits_max},
            {"wh_capacity_bits_per_pe", stats.banks.wh_capacity_bits},
            {"wh_fits_on_chip", stats.banks.wh_fits()},
            {"wx_pass_bits_max_per_pe", stats.banks.wx_pass_bits_max},
            {"wh_pass_bits_max_per_pe", stats.banks.wh_pass_bits_max},
            {"holds_a_pass", stats.banks.holds_a_pass()}}}};
}

nlohmann::json to_json(const RunReport& report) {
  nlohmann::json j = {{"schema_version", report.schema_version},
                      {"engine", report.engine},
                      {"arch", to_json(report.arch)},
                      {"workload", to_json(report.workload)},
                      {"compression", to_json(report.compression)},
                      {"ops", to_json(report.ops)},
                      {"resources", to_json(report.resources)}};
  if (report.performance) j["performance"] = to_json(*report.performance);
  if (report.energy) j["energy"] = to_json(*report.energy);
  if (report.rtl) j["rtl"] = to_json(*report.rtl);
  put(j, "outputs_match_golden", report.outputs_match_golden);
  for (const auto& [name, e] : report.accuracy) j["accuracy"][name] = to_json(e);
  if (report.model_cache)
    j["model_cache"] = {{"model", report.model_cache->model},
                        {"golden", report.model_cache->golden}};
  if (!report.wall_seconds.empty()) j["wall_seconds"] = report.wall_seconds;
  if (report.outputs)
    j["outputs"] = {{"dir", report.outputs->dir},
                    {"files", report.outputs->files},
                    {"shape", report.outputs->shape},
                    {"format", report.outputs->format}};
  return j;
}

RunReport run_report_from_json(const nlohmann::json& j, const std::string& where) {
  const Fields f(j, where, "");
  RunReport r;
  r.schema_version = f.small("schema_version");
  if (r.schema_version != kRunReportSchemaVersion)
    throw_input_error(where, "schema_version", std::to_string(r.schema_version),
                      std::to_string(kRunReportSchemaVersion) + " (docs/report.md, \"Versions\")");
  r.engine = f.text("engine");
  r.arch = read_arch(f.object("arch"));
  r.workload = read_workload(f.object("workload"));
  r.compression = read_compression(f.object("compression"));
  r.ops = read_ops(f.object("ops"));
  r.resources = read_resources(f.object("resources"));
  if (f.has("performance")) r.performance = read_performance(f.object("performance"));
  if (f.has("energy")) r.energy = read_energy(f.object("energy"));
  if (f.has("rtl")) r.rtl = read_rtl(f.object("rtl"));
  if (f.has("outputs_match_golden")) r.outputs_match_golden = f.boolean("outputs_match_golden");
  if (f.has("accuracy"))
    for (const auto& [name, e] : f.entries("accuracy")) r.accuracy[name] = read_error(e);
  if (f.has("model_cache"))
    r.model_cache = ModelCacheUse{f.object("model_cache").text("model"),
                                  f.object("model_cache").text("golden")};
  if (f.has("wall_seconds"))
    for (const auto& [step, s] : f.entries("wall_seconds")) r.wall_seconds[step] = s.self_number();
  if (f.has("outputs")) {
    const Fields o = f.object("outputs");
    r.outputs = OutputFiles{o.text("dir"), o.texts("files"), o.integers("shape"), o.text("format")};
  }
  return r;
}

RunReport parse_run_report(const std::string& text, const std::string& where) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e999
    throw_input_error(where, "", "a file that is not JSON (" + std::string(e.what()) + ")",
                      "the report.json of a sparrow run");
  }
  if (!j.is_object())
    throw_input_error(where, "", excerpt(text, 40), "the report.json of a sparrow run");
  return run_report_from_json(j, where);
}

RunReport read_run_report(const std::string& path) {
  return parse_run_report(read_file_bytes(path, uint64_t{64} << 20), path);
}

}  // namespace sparrow
