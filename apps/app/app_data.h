// The host's pre-processing (docs/apps.md): the vocabulary, the tokenizer, the held-out test data,
// and the embedding lookup that turns each example into the accelerator's input sequence.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/app_config.h"

namespace sparrow {

struct Vocab {
  std::vector<std::string> tokens;  // index -> token (charlm: one byte each)
  std::unordered_map<std::string, int> index;
};

// One token per line, line i holding index i, no duplicates or empty lines. Sentiment: lines 0
// and 1 are "<pad>" and "<unk>". Charlm: one character per line, "\n" and "\\" escaped. Wordlm:
// line 0 is "<unk>", the newline token is "<eol>".
// InputError naming the file and line otherwise.
Vocab load_vocab(const std::string& path, AppTask task);

// Lowercased ASCII words [a-z0-9']+ and the single tokens ! and ?; every other byte separates
// (scripts/train_app.py's tokenize).
std::vector<std::string> tokenize(const std::string& sentence);

// The word LM's tokens: lowercased ASCII words [a-z0-9']+, every newline the token "<eol>", every
// other byte that is not blank (space, tab, CR, VT, FF) a token of its own (scripts/train_app.py's
// word_tokenize).
std::vector<std::string> word_tokenize(const std::string& text);

// One inference: token ids of seq_len steps and what the host scores.
struct AppExample {
  std::vector<int> ids;      // seq_len ids (sentiment: padded with 0 after `length` tokens)
  int length = 0;            // sentiment: real tokens (the host reads h at step length - 1)
  int label = 0;             // sentiment
  std::vector<int> targets;  // charlm, wordlm: the next token of every step
};

// Sentiment: the UCI "Sentiment Labelled Sentences" format (optional header
// "reviews<TAB>sentiment", then SENTENCE<TAB>0|1 lines); the first seq_len tokens of each sentence
// are kept, unknown words map to <unk>, an empty sentence is one <unk>. Charlm: plain text cut
// into consecutive windows of seq_len characters, each predicting the next character. Wordlm:
// plain text, word_tokenize'd (unknown tokens are <unk>), cut into consecutive windows of seq_len
// tokens, each predicting the next token. InputError naming the file and line on malformed input.
std::vector<AppExample> load_test_examples(const std::string& path, const AppConfig& app,
                                           const Vocab& vocab);

// The embedding lookup: seq_len x embedding size.
Eigen::MatrixXd embed(const AppExample& example, const Eigen::MatrixXd& embedding);

}  // namespace sparrow
