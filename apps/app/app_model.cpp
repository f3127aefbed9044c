#include "app/app_model.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "golden/lstm_float.h"

namespace sparrow {

AppModel load_app_model(const AppConfig& config) {
  AppModel m;
  m.config = config;
  m.vocab = load_vocab(config.vocab, config.task);
  m.lstm = load_lstm_weights_npz(config.model, config.workload());
  const size_t v = m.vocab.tokens.size(), h = size_t(config.hidden_size);
  const size_t classes = config.task == AppTask::kSentiment ? 2 : v;
  // A model with more layers than the app's `layers` would run silently truncated: refused.
  const std::string beyond = lstm_param_name("weight_ih", config.layers, 0);
  NpzWant want{{"embedding", "decoder_weight", "decoder_bias", beyond},
               npy_bytes_bound(std::max({v * size_t(config.input_size), classes * h, 4 * h * h}))};
  const auto arrays = read_npz(config.model, &want);
  if (arrays.count(beyond))
    throw_input_error(
        config.model, beyond,
        "an array of a layer beyond " + config.file + "'s layers: " + std::to_string(config.layers),
        "the arrays of layers 0 to layers - 1 (set layers to the model's)");
  m.embedding = npz_matrix(arrays, config.model, "embedding", v, size_t(config.input_size));
  m.decoder_w = npz_matrix(arrays, config.model, "decoder_weight", classes, h);
  m.decoder_b = npz_matrix(arrays, config.model, "decoder_bias", classes, 0).col(0);
  return m;
}

std::vector<Eigen::MatrixXd> run_float(const AppModel& model, const LstmWeights& weights,
                                       const std::vector<AppExample>& examples) {
  std::vector<Eigen::MatrixXd> out;
  for (const AppExample& e : examples)
    out.push_back(run_lstm_float(weights, embed(e, model.embedding)));
  return out;
}

std::vector<Eigen::MatrixXd> run_fixed(const AppModel& model, const CompressedModel& cm,
                                       const ArchConfig& arch,
                                       const std::vector<AppExample>& examples,
                                       std::vector<RawMatrix>* raw) {
  std::vector<Eigen::MatrixXd> out;
  for (const AppExample& e : examples) {
    RawMatrix y =
        run_lstm_fixed(cm, arch, quantize_inputs(embed(e, model.embedding), arch.arith.act))
            .outputs;
    out.push_back(y.cast<double>() * arch.arith.act.lsb());
    if (raw) raw->push_back(std::move(y));
  }
  return out;
}

TaskMetric score(const AppModel& model, const std::vector<AppExample>& examples,
                 const std::vector<Eigen::MatrixXd>& outputs) {
  TaskMetric r;
  double nll = 0;
  for (size_t n = 0; n < examples.size(); ++n) {
    const AppExample& e = examples[n];
    if (model.config.task == AppTask::kSentiment) {
      const Eigen::VectorXd logits =
          model.decoder_w * outputs[n].row(e.length - 1).transpose() + model.decoder_b;
      Eigen::Index best = 0;
      logits.maxCoeff(&best);
      r.correct += best == e.label;
      ++r.examples;
      continue;
    }
    const Eigen::MatrixXd logits =
        (outputs[n] * model.decoder_w.transpose()).rowwise() + model.decoder_b.transpose();
    for (Eigen::Index t = 0; t < logits.rows(); ++t) {
      const double top = logits.row(t).maxCoeff();
      const double lse = top + std::log((logits.row(t).array() - top).exp().sum());
      nll += lse - logits(t, e.targets[size_t(t)]);
      ++r.examples;
    }
  }
  if (model.config.task == AppTask::kSentiment) {
    r.accuracy = double(r.correct) / double(r.examples);
  } else {
    (model.config.task == AppTask::kCharLm ? r.bits_per_char : r.bits_per_word) =
        nll / double(r.examples) / std::log(2.0);
    r.perplexity = std::exp(nll / double(r.examples));
  }
  return r;
}

}  // namespace sparrow
