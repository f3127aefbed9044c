// The model cache trusts an entry only for what it can check: its key, a digest of its arrays, the
// geometry its design gives it and the shape of the golden outputs. Anything else is a miss, which
// recomputes, never a result.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "compress/bank_file.h"
#include "compress/model_cache.h"
#include "golden/lstm_fixed.h"
#include "io/npy.h"
#include "test_util.h"
#include "workload/lstm_weights.h"

namespace sparrow {
namespace {

namespace fs = std::filesystem;
using Arrays = std::map<std::string, NpyArray>;

std::string fresh_dir(const std::string& name) {
  const std::string dir = std::string(SPARROW_TEST_TMP) + "/model_cache/" + name;
  fs::remove_all(dir);
  return dir;
}

// The one entry of `level` in `dir`.
std::string entry_file(const std::string& dir, const std::string& level) {
  std::string found;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind(level + "-", 0) == 0) {
      EXPECT_TRUE(found.empty()) << "two " << level << " entries";
      found = e.path().string();
    }
  EXPECT_FALSE(found.empty()) << "no " << level << " entry";
  return found;
}

// Rewrites an entry as a forger who knows the format would: its digest matches its arrays.
void write_forged(const std::string& path, Arrays a) {
  a.erase("digest");
  a["digest"] = NpyArray::from_int64({1}, {int64_t(model_cache_digest(a))});
  write_npz(path, a);
}

struct Case {
  WorkloadConfig w = test::small_workload(16, 32, 1, false, 0, 6);
  ArchConfig arch = test::arch_with("mac_array.pes", "4");
  RawMatrix x = quantize_inputs(make_input_sequence(w), arch.arith.act);
};

TEST(ModelCache, AHitGivesTheModelAndTheGoldenRunOfAMiss) {
  const Case c;
  const std::string dir = fresh_dir("hit");
  const CachedCompression first = compress_cached(dir, c.w, c.arch);
  const CachedCompression second = compress_cached(dir, c.w, c.arch);
  EXPECT_EQ(first.source, "miss");
  EXPECT_EQ(second.source, "encoded");
  EXPECT_EQ(serialize_bank_file(second.model), serialize_bank_file(first.model));
  bool hit = true;
  const FixedRun a = golden_cached(dir, first, c.arch, c.x, 1, hit);
  EXPECT_FALSE(hit);
  const FixedRun b = golden_cached(dir, second, c.arch, c.x, 1, hit);
  EXPECT_TRUE(hit);
  EXPECT_EQ(b.outputs, a.outputs);
  EXPECT_EQ(b.mac_slots, a.mac_slots);
}

// Makes a golden entry, lets `edit` change its arrays and write them back to `file`, and expects
// the next lookup to miss and to give the true outputs again.
void expect_golden_miss(const std::string& name,
                        const std::function<void(const std::string& file, Arrays&)>& edit) {
  const Case c;
  const std::string dir = fresh_dir(name);
  const CachedCompression m = compress_cached(dir, c.w, c.arch);
  bool hit = true;
  const FixedRun truth = golden_cached(dir, m, c.arch, c.x, 1, hit);
  const std::string file = entry_file(dir, "golden");
  Arrays a = read_npz(file);
  edit(file, a);
  const FixedRun again = golden_cached(dir, m, c.arch, c.x, 1, hit);
  EXPECT_FALSE(hit);
  EXPECT_EQ(again.outputs, truth.outputs);
}

TEST(ModelCache, AGoldenEntryWithOtherColumnsIsAMiss) {
  expect_golden_miss("golden-columns", [](const std::string& file, Arrays& a) {
    const std::vector<size_t> shape = a.at("outputs").shape;
    std::vector<int64_t> wider(shape[0] * (shape[1] + 3), 7);
    a["outputs"] = NpyArray::from_int64({shape[0], shape[1] + 3}, wider);
    write_forged(file, a);
  });
}

TEST(ModelCache, AnEntryWhoseBytesChangedIsAMiss) {
  expect_golden_miss("tampered", [](const std::string& file, Arrays& a) {
    a.at("outputs").bytes[0] ^= 1;  // the digest is left as it was
    write_npz(file, a);
  });
  const Case c;
  const std::string dir = fresh_dir("tampered-encoded");
  compress_cached(dir, c.w, c.arch);
  Arrays e = read_npz(entry_file(dir, "encoded"));
  e.erase("digest");  // an entry without its digest is not trusted either
  write_npz(entry_file(dir, "encoded"), e);
  EXPECT_NE(compress_cached(dir, c.w, c.arch).source, "encoded");
}

TEST(ModelCache, AnEncodedEntryOfAnotherDesignIsAMiss) {
  const Case c;
  const ArchConfig other = test::arch_with("mac_array.pes", "8");
  const std::string dir = fresh_dir("other-design");
  compress_cached(dir + "/other", c.w, other);
  const CachedCompression mine = compress_cached(dir + "/mine", c.w, c.arch);
  // The other design's banks under this design's key.
  Arrays a = read_npz(entry_file(dir + "/other", "encoded"));
  const Arrays own = read_npz(entry_file(dir + "/mine", "encoded"));
  a["key"] = own.at("key");
  write_forged(entry_file(dir + "/mine", "encoded"), a);
  const CachedCompression again = compress_cached(dir + "/mine", c.w, c.arch);
  EXPECT_EQ(again.source, "pruned");
  EXPECT_EQ(serialize_bank_file(again.model), serialize_bank_file(mine.model));
}

}  // namespace
}  // namespace sparrow
