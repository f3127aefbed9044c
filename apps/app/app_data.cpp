#include "app/app_data.h"

#include "common/error.h"
#include "common/file_util.h"

namespace sparrow {
namespace {

std::vector<std::string> split_lines(const std::string& bytes) {
  std::vector<std::string> lines;
  size_t at = 0;
  while (at < bytes.size()) {
    size_t end = bytes.find('\n', at);
    if (end == std::string::npos) end = bytes.size();
    std::string line = bytes.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    at = end + 1;
  }
  return lines;
}

std::string line_key(size_t n) {
  return "line " + std::to_string(n + 1);
}

// A line of the file for an error message: quoted, and cut after 60 characters.
std::string excerpt(const std::string& s) {
  return "'" + (s.size() > 60 ? s.substr(0, 60) + "..." : s) + "'";
}

std::vector<AppExample> sentiment_examples(const std::string& path, const AppConfig& app,
                                           const Vocab& vocab) {
  const std::vector<std::string> lines = split_lines(read_file_bytes(path));
  std::vector<AppExample> out;
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string& line = lines[n];
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (n == 0 && line.rfind("reviews\t", 0) == 0) continue;
    const size_t tab = line.rfind('\t');
    std::string label = tab == std::string::npos ? "" : line.substr(tab + 1);
    while (!label.empty() && (label.back() == ' ' || label.back() == '\t')) label.pop_back();
    if (label != "0" && label != "1")
      throw_input_error(path, line_key(n), excerpt(line),
                        "SENTENCE<TAB>LABEL with LABEL 0 or 1 (or the header "
                        "reviews<TAB>sentiment on line 1)");
    AppExample e;
    e.label = label[0] - '0';
    e.ids.assign(size_t(app.seq_len), 0);
    for (const std::string& t : tokenize(line.substr(0, tab))) {
      if (e.length == app.seq_len) break;
      auto it = vocab.index.find(t);
      e.ids[size_t(e.length++)] = it == vocab.index.end() ? 1 : it->second;
    }
    if (e.length == 0) e.ids[size_t(e.length++)] = 1;
    out.push_back(std::move(e));
  }
  if (out.empty()) throw_input_error(path, "", "no labelled sentences", "at least one");
  return out;
}

// Consecutive windows of seq_len tokens, each predicting the token after every step.
std::vector<AppExample> lm_windows(const std::vector<int>& ids, const std::string& path,
                                   const AppConfig& app) {
  const size_t t = size_t(app.seq_len);
  if (ids.size() < t + 1)
    throw_input_error(path, "", std::to_string(ids.size()) + " " + task_info(app.task).predicted,
                      "at least seq_len + 1 = " + std::to_string(t + 1));
  std::vector<AppExample> out;
  for (size_t start = 0; start + t < ids.size(); start += t) {
    AppExample e;
    e.ids.assign(ids.begin() + long(start), ids.begin() + long(start + t));
    e.targets.assign(ids.begin() + long(start + 1), ids.begin() + long(start + t + 1));
    e.length = app.seq_len;
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<AppExample> wordlm_examples(const std::string& path, const AppConfig& app,
                                        const Vocab& vocab) {
  std::vector<int> ids;
  for (const std::string& t : word_tokenize(read_file_bytes(path))) {
    auto it = vocab.index.find(t);
    ids.push_back(it == vocab.index.end() ? 0 : it->second);
  }
  return lm_windows(ids, path, app);
}

std::vector<AppExample> charlm_examples(const std::string& path, const AppConfig& app,
                                        const Vocab& vocab) {
  const std::string text = read_file_bytes(path);
  std::vector<int> ids(text.size());
  size_t line = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    auto it = vocab.index.find(std::string(1, text[i]));
    if (it == vocab.index.end())
      throw_input_error(path, line_key(line),
                        "the byte " + std::to_string(static_cast<unsigned char>(text[i])) +
                            ", not in the vocabulary " + app.vocab,
                        "characters of the vocabulary");
    ids[i] = it->second;
    line += text[i] == '\n';
  }
  return lm_windows(ids, path, app);
}

// Lowercased ASCII words [a-z0-9']+; every other byte ends a word and goes to `other(c, out)`,
// which may add tokens of its own.
template <class Other>
std::vector<std::string> words(const std::string& text, Other other) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    const char c = (ch >= 'A' && ch <= 'Z') ? char(ch - 'A' + 'a') : ch;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'') {
      cur += c;
      continue;
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
    other(c, out);
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

}  // namespace

Vocab load_vocab(const std::string& path, AppTask task) {
  std::vector<std::string> lines = split_lines(read_file_bytes(path));
  Vocab v;
  for (size_t n = 0; n < lines.size(); ++n) {
    std::string tok = lines[n];
    if (task == AppTask::kCharLm) {
      if (tok == "\\n")
        tok = "\n";
      else if (tok == "\\\\")
        tok = "\\";
      if (tok.size() != 1)
        throw_input_error(path, line_key(n), excerpt(lines[n]),
                          "one character per line (\\n for newline, \\\\ for backslash)");
    } else if (tok.empty() || tok.find_first_of(" \t") != std::string::npos) {
      throw_input_error(path, line_key(n), excerpt(tok), "one token per line, without blanks");
    } else if (task == AppTask::kWordLm) {
      if (n == 0 && tok != "<unk>") throw_input_error(path, line_key(n), excerpt(tok), "'<unk>'");
    } else if ((n == 0 && tok != "<pad>") || (n == 1 && tok != "<unk>")) {
      throw_input_error(path, line_key(n), excerpt(tok), n == 0 ? "'<pad>'" : "'<unk>'");
    }
    if (!v.index.emplace(tok, int(n)).second)
      throw_input_error(
          path, line_key(n), excerpt(lines[n]),
          "tokens that appear once (also on line " + std::to_string(v.index[tok] + 1) + ")");
    v.tokens.push_back(tok);
  }
  const size_t need = task == AppTask::kSentiment ? 3 : 2;
  if (v.tokens.size() < need)
    throw_input_error(path, "", std::to_string(v.tokens.size()) + " tokens",
                      "at least " + std::to_string(need));
  return v;
}

std::vector<std::string> tokenize(const std::string& sentence) {
  return words(sentence, [](char c, std::vector<std::string>& out) {
    if (c == '!' || c == '?') out.emplace_back(1, c);
  });
}

std::vector<std::string> word_tokenize(const std::string& text) {
  return words(text, [](char c, std::vector<std::string>& out) {
    if (c == '\n')
      out.emplace_back("<eol>");
    else if (c != ' ' && c != '\t' && c != '\r' && c != '\v' && c != '\f')
      out.emplace_back(1, c);
  });
}

std::vector<AppExample> load_test_examples(const std::string& path, const AppConfig& app,
                                           const Vocab& vocab) {
  switch (app.task) {
    case AppTask::kSentiment:
      return sentiment_examples(path, app, vocab);
    case AppTask::kCharLm:
      return charlm_examples(path, app, vocab);
    case AppTask::kWordLm:
      break;
  }
  return wordlm_examples(path, app, vocab);
}

Eigen::MatrixXd embed(const AppExample& example, const Eigen::MatrixXd& embedding) {
  Eigen::MatrixXd x(Eigen::Index(example.ids.size()), embedding.cols());
  for (size_t t = 0; t < example.ids.size(); ++t)
    x.row(Eigen::Index(t)) = embedding.row(example.ids[t]);
  return x;
}

}  // namespace sparrow
