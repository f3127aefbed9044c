// The word-level language model (configs/apps/wordlm, docs/apps.md): the tokenizer gives
// scripts/train_app.py's tokens, and the committed 2-layer model, as exported and pruned one shot
// further by sparrow's compressor, gives PyTorch's perplexity on the first windows of the held-out
// text (tests/fixtures/torch/task_wordlm.json, scripts/gen_wordlm_fixture.py); its bit-exact fixed
// point stays near it. Malformed word LM inputs are one InputError naming the file and line.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "app/task_eval.h"
#include "app_test_util.h"
#include "common/error.h"
#include "compress/compressor.h"
#include "test_util.h"

namespace sparrow {
namespace {

const std::string kApp = "configs/apps/wordlm/app.yaml";

nlohmann::json fixture() {
  std::ifstream f(test::source_path("tests/fixtures/torch/task_wordlm.json"));
  return nlohmann::json::parse(f);
}

std::string write_temp(const std::string& name, const std::string& text) {
  return test::write_temp("wordlm", name, text);
}

using test::input_error;

TEST(WordLm, TokenizerMatchesTheTrainingScript) {
  const nlohmann::json cases = fixture();  // the loop must not range over a temporary's member
  for (const nlohmann::json& c : cases["tokens"])
    EXPECT_EQ(word_tokenize(c["text"].get<std::string>()),
              c["tokens"].get<std::vector<std::string>>())
        << c["text"];
  // A byte outside ASCII is a token of its own, as Python's latin-1 bytes.
  using V = std::vector<std::string>;
  EXPECT_EQ(word_tokenize("Caf\xc3\xa9!"), (V{"caf", "\xc3", "\xa9", "!"}));
}

TEST(WordLm, ConfigAndTestFile) {
  const AppConfig cfg = load_app_config(test::source_path(kApp));
  EXPECT_EQ(cfg.task, AppTask::kWordLm);
  EXPECT_EQ(cfg.layers, 2);
  EXPECT_EQ(cfg.workload().layers, 2);
  const Vocab v = load_vocab(cfg.vocab, cfg.task);
  EXPECT_EQ(v.tokens[0], "<unk>");
  EXPECT_EQ(v.index.count("<eol>"), 1u);
  // Windows of seq_len tokens, each predicting the next; unknown words are <unk> (0).
  AppConfig small = cfg;
  small.seq_len = 3;
  const std::vector<AppExample> ex =
      load_test_examples(write_temp("short.txt", "The zzyzx king,\nthe the"), small, v);
  ASSERT_EQ(ex.size(), 2u);  // 7 tokens: the zzyzx king , <eol> the the
  EXPECT_EQ(ex[0].ids, (std::vector<int>{v.index.at("the"), 0, v.index.at("king")}));
  EXPECT_EQ(ex[0].targets, (std::vector<int>{0, v.index.at("king"), v.index.at(",")}));
  EXPECT_EQ(ex[1].targets.back(), v.index.at("the"));
}

TEST(WordLm, MalformedInputIsOneInputErrorNamingFileAndLine) {
  const AppConfig cfg = load_app_config(test::source_path(kApp));
  EXPECT_NE(input_error([] {
              load_vocab(write_temp("nounk.txt", "the\n<unk>\n"), AppTask::kWordLm);
            }).find("nounk.txt: line 1: got 'the'; allowed: '<unk>'"),
            std::string::npos);
  EXPECT_NE(input_error([] {
              load_vocab(write_temp("blank.txt", "<unk>\nthe king\n"), AppTask::kWordLm);
            }).find("blank.txt: line 2: got 'the king'; allowed: one token per line"),
            std::string::npos);
  const Vocab v = load_vocab(cfg.vocab, cfg.task);
  EXPECT_NE(input_error([&] {
              load_test_examples(write_temp("tiny.txt", "to be or not\n"), cfg, v);
            }).find("tiny.txt: got 5 words; allowed: at least seq_len + 1 = 33"),
            std::string::npos);
}

// PyTorch (float64) on the committed model, and on it pruned one shot by train_app.py's masks,
// against sparrow's compressor and float path: the same kept weights and perplexity (to 1e-9
// relative) on the fixture's first windows. The bit-exact fixed point at the app's 8-bit formats
// stays within 1% of it (docs/apps.md gives the measured loss).
TEST(WordLm, OneShotPruningAsPyTorch) {
  const nlohmann::json fx = fixture();
  const AppConfig cfg = load_app_config(test::source_path(kApp));
  const AppModel model = load_app_model(cfg);
  std::vector<AppExample> examples = load_test_examples(cfg.test, cfg, model.vocab);
  examples.resize(fx["windows"].get<size_t>());
  YAML::Node arch_yaml = YAML::LoadFile(cfg.arch);
  for (const nlohmann::json& p : fx["points"]) {
    const std::string compression =
        test::compression_yaml(p["pattern"], p["sx"].dump(), p["sh"].dump());
    const ArchConfig arch =
        parse_arch_config(test::with(test::with(arch_yaml, "compression", compression),
                                     "mac_array.lanes", p["lanes"].dump()),
                          "arch.yaml");
    const CompressedModel cm = compress_model(model.lstm, arch);
    EXPECT_EQ(cm.kept_weights, p["kept"].get<int64_t>()) << compression;
    const TaskMetric pruned = score(model, examples, run_float(model, cm.pruned, examples));
    const double want = p["perplexity"].get<double>();
    EXPECT_EQ(pruned.examples, p["predictions"].get<int64_t>());
    EXPECT_NEAR(pruned.perplexity, want, 1e-9 * want) << compression;
    EXPECT_NEAR(pruned.bits_per_word, p["bits_per_word"].get<double>(), 1e-9) << compression;
    const TaskMetric fixed = score(model, examples, run_fixed(model, cm, arch, examples));
    EXPECT_NEAR(fixed.perplexity, want, 0.01 * want) << compression;
  }
}

}  // namespace
}  // namespace sparrow
