// A host application's trained model and its post-processing: the LSTM for the accelerator, the
// embedding table the host looks tokens up in, and the linear decoder (classifier or next-token
// softmax) the host applies to the accelerator's outputs (docs/apps.md).
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "app/app_config.h"
#include "app/app_data.h"
#include "golden/lstm_fixed.h"
#include "workload/lstm_weights.h"

namespace sparrow {

struct AppModel {
  AppConfig config;
  Vocab vocab;
  LstmWeights lstm;           // nn.LSTM parameters, as exported
  Eigen::MatrixXd embedding;  // vocabulary x input_size
  Eigen::MatrixXd decoder_w;  // classes x hidden_size (sentiment: 2; the LMs: the vocabulary)
  Eigen::VectorXd decoder_b;
};

// Loads and checks the model file against the config and the vocabulary.
AppModel load_app_model(const AppConfig& config);

// The accelerator's part of the host loop on each example (embedding lookup first): the float
// reference with weights `w`, or the bit-exact fixed-point model on the compressed banks (outputs
// as real numbers, and raw when `raw` is given).
std::vector<Eigen::MatrixXd> run_float(const AppModel& model, const LstmWeights& weights,
                                       const std::vector<AppExample>& examples);
std::vector<Eigen::MatrixXd> run_fixed(const AppModel& model, const CompressedModel& cm,
                                       const ArchConfig& arch,
                                       const std::vector<AppExample>& examples,
                                       std::vector<RawMatrix>* raw = nullptr);

// The task metric of the LSTM's outputs, one seq_len x hidden_size matrix per example.
// Sentiment: argmax of the decoder at step length - 1; charlm, wordlm: -log2 softmax of the
// target at every step (bits per character or word) and the perplexity.
TaskMetric score(const AppModel& model, const std::vector<AppExample>& examples,
                 const std::vector<Eigen::MatrixXd>& outputs);

}  // namespace sparrow
