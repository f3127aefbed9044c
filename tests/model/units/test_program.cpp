// What the controller reads from the registers and the descriptor table (model/controller/
// program.cpp): the host's geometry, and refusals of registers that describe no run.
#include "unit_rig.h"

namespace sparrow {
namespace {

// n CSR blocks, each with its own host and interrupt signal, elaborated together.
struct CsrBlocks {
  std::vector<std::unique_ptr<Csr>> csrs;
  std::vector<std::unique_ptr<CsrHost>> hosts;
  std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> irqs;
  explicit CsrBlocks(size_t n) {
    for (size_t i = 0; i < n; ++i) {
      csrs.push_back(std::make_unique<Csr>(("csr" + std::to_string(i)).c_str()));
      hosts.push_back(std::make_unique<CsrHost>(("host" + std::to_string(i)).c_str()));
      irqs.push_back(
          std::make_unique<sc_core::sc_signal<bool>>(("irq" + std::to_string(i)).c_str()));
      hosts.back()->socket.bind(csrs.back()->socket);
      csrs.back()->irq_o.bind(*irqs.back());
    }
  }
};

// The geometry the controller reads from the registers and the descriptor table is the geometry
// the host's driver programmed from the compressed model: fixed and variable rows, segments,
// binarized rows, projection, bidirectional layers, arrays of their own sizes.
TEST(ProgramUnit, RegistersGiveTheHostsGeometry) {
  struct Design {
    ArchConfig arch;
    WorkloadConfig w;
  };
  const std::vector<Design> designs = {
      {test::arch("brds"), test::small_workload(6, 5, 2, true)},
      {test::arch("baseline-unstructured"), test::small_workload(7, 4, 2, false, 3)},
      {test::arch("binarized"), test::small_workload(9, 6, 1, true)},
      {test::arch("brds-balanced"), test::small_workload(5, 8, 2, false, 5)},
      {test::arch("brds-pwl16"), test::small_workload(300, 20, 1)},
  };
  CsrBlocks blocks(designs.size());
  auto& csrs = blocks.csrs;
  auto& hosts = blocks.hosts;
  std::vector<CompressedModel> models;
  for (const Design& d : designs) models.push_back(compress_model(make_lstm_weights(d.w), d.arch));
  Bench bench("bench", [&] {
    for (size_t i = 0; i < designs.size(); ++i) {
      const auto& [arch, w] = designs[i];
      const DramMap map = plan_dram(pass_geometries(models[i], w), arch, w);
      for (const CsrWrite& c : csr_program(models[i], arch, w, map))
        EXPECT_EQ(hosts[i]->write(c.addr, c.value), tlm::TLM_OK_RESPONSE);
    }
  });
  sc_core::sc_start();
  for (size_t i = 0; i < designs.size(); ++i) {
    const std::vector<PassGeometry> want = pass_geometries(models[i], designs[i].w);
    const std::vector<PassGeometry> got = programmed_passes(*csrs[i], designs[i].arch);
    ASSERT_EQ(got.size(), want.size()) << i;
    for (size_t k = 0; k < want.size(); ++k) {
      EXPECT_EQ(got[k].layer, want[k].layer);
      EXPECT_EQ(got[k].direction, want[k].direction);
      EXPECT_EQ(got[k].input_size, want[k].input_size);
      EXPECT_EQ(got[k].state, want[k].state);
      for (Matrix m : {Matrix::kWx, Matrix::kWh, Matrix::kWr}) {
        const EncodedMatrix &g = got[k].matrix(m), &e = want[k].matrix(m);
        const std::string at = "design " + std::to_string(i) + " pass " + std::to_string(k) +
                               " matrix " + std::to_string(int(m));
        EXPECT_EQ(g.rows, e.rows) << at;
        EXPECT_EQ(g.cols, e.cols) << at;
        EXPECT_EQ(g.pes, e.pes) << at;
        EXPECT_EQ(g.lanes, e.lanes) << at;
        EXPECT_EQ(g.segment_balanced, e.segment_balanced) << at;
        EXPECT_EQ(g.seg_len, e.seg_len) << at;
        EXPECT_EQ(g.binarized, e.binarized) << at;
        EXPECT_EQ(g.value_bits, e.value_bits) << at;
        EXPECT_EQ(g.index_bits, e.index_bits) << at;
        EXPECT_EQ(g.words_per_row, e.words_per_row) << at;
        EXPECT_EQ(g.row_words_bytes(), e.row_words_bytes()) << at;
        EXPECT_EQ(g.row_scale.size(), e.row_scale.size()) << at;
        ASSERT_EQ(g.banks.size(), e.banks.size()) << at;
        for (size_t p = 0; p < e.banks.size(); ++p)
          EXPECT_EQ(g.banks[p].words, e.banks[p].words) << at << " PE " << p;
        if (e.words_per_row >= 0) {
          EXPECT_EQ(g.row_words, e.row_words) << at;
        }
      }
    }
  }
  // The two designs exercise what they should: variable rows and projection, binarized rows.
  EXPECT_EQ(pass_geometries(models[1], designs[1].w)[0].wx.words_per_row, -1);
  EXPECT_GT(pass_geometries(models[1], designs[1].w)[0].wr.rows, 0);
  EXPECT_TRUE(pass_geometries(models[2], designs[2].w)[0].wx.binarized);
}

// Registers that do not describe a run of this hardware are refused, naming the register, the
// value and what is allowed.
TEST(ProgramUnit, InconsistentRegistersAreRefused) {
  const ArchConfig arch = test::arch("brds");
  const WorkloadConfig w = test::small_workload(6, 5);
  const CompressedModel model = compress_model(make_lstm_weights(w), arch);
  const DramMap map = plan_dram(pass_geometries(model, w), arch, w);
  const std::vector<CsrWrite> program = csr_program(model, arch, w, map);
  struct Case {
    uint32_t addr, value;
    std::string message;
  };
  const uint32_t desc1 = kCsrDescBase + kCsrDescStride;
  const std::vector<Case> cases = {
      {kCsrDirections, 3, "register DIRECTIONS: got 3; allowed: 1..2"},
      {kCsrLayers, 0, "register LAYERS: got 0; allowed: 1..255"},
      {kCsrBatch, 0, "register BATCH: got 0; allowed: 1..64"},
      {kCsrBatch, 2, "register BATCH: got 2; allowed: a divisor of SEQUENCES = 1"},
      {kCsrWxSeg0, 7, "register WX_SEG_0: got 7; allowed: 1 (columns per lane"},
      {kCsrWeightBytes, 1 << 20, "register WEIGHT_BYTES: got 1048576; allowed: at most"},
      {desc1 + kCsrDescTarget, kCsrDescTargetPass.put(4), "descriptor 1 TARGET.PASS: got 4"},
      {desc1 + kCsrDescItems, 99, "pass 0 W_x PE 1 BYTES: got"},
      {desc1 + kCsrDescFormat, kCsrDescFormatIdxBits.put(5), "FORMAT.IDX_BITS: got 5"},
      {kCsrWeightsStreamed, 1,
       "register WEIGHTS_STREAMED: got 1; allowed: 0 (the weights fit the banks)"},
  };
  CsrBlocks blocks(cases.size());
  auto& csrs = blocks.csrs;
  auto& hosts = blocks.hosts;
  // Read in the simulation, as the controller reads them at START (an exception thrown on
  // sc_main's stack after sc_start confuses AddressSanitizer's view of the stacks).
  std::vector<std::string> refusals(cases.size());
  Bench bench("bench", [&] {
    for (size_t i = 0; i < cases.size(); ++i) {
      for (const CsrWrite& c : program) hosts[i]->write(c.addr, c.value);
      hosts[i]->write(cases[i].addr, cases[i].value);
      try {
        programmed_passes(*csrs[i], arch);
      } catch (const ProgramError& e) {
        refusals[i] = e.what();
      }
    }
  });
  sc_core::sc_start();
  for (size_t i = 0; i < cases.size(); ++i)
    EXPECT_NE(refusals[i].find(cases[i].message), std::string::npos)
        << "case " << i << " refused with '" << refusals[i] << "'";
}

}  // namespace
}  // namespace sparrow
