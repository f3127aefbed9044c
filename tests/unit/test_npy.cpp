#include "io/npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/file_util.h"

namespace sparrow {
namespace {

using namespace std::string_literals;

std::string tmp_path(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(SPARROW_TEST_TMP) / "npy";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

std::string fixture(const std::string& name) {
  return std::string(SPARROW_SOURCE_DIR) + "/tests/fixtures/npz/" + name;
}

// Expects an InputError whose one-line message contains every fragment.
void expect_input_error(const std::function<void()>& f, const std::vector<std::string>& fragments) {
  try {
    f();
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    for (const auto& fragment : fragments)
      EXPECT_NE(msg.find(fragment), std::string::npos) << "'" << fragment << "' not in: " << msg;
    return;
  }
  ADD_FAILURE() << "no InputError";
}

void expect_parse_error(const std::string& bytes, const std::vector<std::string>& fragments) {
  std::vector<std::string> all = {"w.npz: weight_ih_l0: "};
  all.insert(all.end(), fragments.begin(), fragments.end());
  expect_input_error([&] { parse_npy(bytes, "w.npz", "weight_ih_l0"); }, all);
}

// A version 1.0 .npy file with the given header dict, padded as numpy pads it.
std::string npy_with_header(const std::string& dict, const std::string& data) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  return "\x93NUMPY\x01\x00"s + static_cast<char>(header.size() & 0xff) +
         static_cast<char>(header.size() >> 8) + header + data;
}

// The same file with a version 2.0 or 3.0 prefix (4-byte header length).
std::string as_version(const std::string& v1, char major) {
  const size_t header_len =
      static_cast<unsigned char>(v1[8]) + 256 * static_cast<unsigned char>(v1[9]);
  std::string out = "\x93NUMPY"s + major + '\0';
  for (int i = 0; i < 4; ++i) out += static_cast<char>((header_len >> (8 * i)) & 0xff);
  return out + v1.substr(10);
}

void put_le(std::string* out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i, v >>= 8) out->push_back(static_cast<char>(v & 0xff));
}

uint32_t crc32(const std::string& s) {
  uint32_t c = 0xffffffff;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
  }
  return ~c;
}

struct ZipMember {
  std::string name;
  std::string data;
  uint64_t declared_size = 0;  // if nonzero, the uncompressed size written instead of the real one
};

// A zip archive of stored (uncompressed) members, built by hand so that tests can lie in it. A
// declared size of 2^32 - 1 or more goes into a zip64 extra field.
std::string stored_zip(const std::vector<ZipMember>& members) {
  std::string local, central;
  for (const auto& m : members) {
    const uint64_t size = m.declared_size ? m.declared_size : m.data.size();
    std::string extra;
    if (size >= 0xffffffff) {
      put_le(&extra, 1, 2);  // zip64 extended information
      put_le(&extra, 8, 2);
      put_le(&extra, size, 8);
    }
    const auto common_fields = [&](std::string* out) {
      put_le(out, 45, 2);    // version needed
      put_le(out, 0, 2);     // flags
      put_le(out, 0, 2);     // method: stored
      put_le(out, 0, 2);     // time
      put_le(out, 0x21, 2);  // date: 1980-01-01
      put_le(out, crc32(m.data), 4);
      put_le(out, m.data.size(), 4);
      put_le(out, extra.empty() ? size : 0xffffffff, 4);
      put_le(out, m.name.size(), 2);
      put_le(out, extra.size(), 2);
    };
    put_le(&central, 0x02014b50, 4);
    put_le(&central, 45, 2);  // version made by
    common_fields(&central);
    put_le(&central, 0, 2);  // comment length
    put_le(&central, 0, 2);  // disk
    put_le(&central, 0, 2);  // internal attributes
    put_le(&central, 0, 4);  // external attributes
    put_le(&central, local.size(), 4);
    central += m.name + extra;
    put_le(&local, 0x04034b50, 4);
    common_fields(&local);
    local += m.name + extra + m.data;
  }
  std::string end;
  put_le(&end, 0x06054b50, 4);
  put_le(&end, 0, 4);
  put_le(&end, members.size(), 2);
  put_le(&end, members.size(), 2);
  put_le(&end, central.size(), 4);
  put_le(&end, local.size(), 4);
  put_le(&end, 0, 2);
  return local + central + end;
}

void expect_same(const NpyArray& got, const NpyArray& want) {
  EXPECT_EQ(got.shape, want.shape);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.itemsize, want.itemsize);
  EXPECT_EQ(got.bytes, want.bytes);
}

std::map<std::string, NpyArray> one_of_each_writer() {
  const double inf = std::numeric_limits<double>::infinity();
  return {
      {"f8", NpyArray::from_double({2, 3}, {1.5, -0.0, 1e-300, -inf, 4.9e-324, 0.1})},
      {"f8_scalar", NpyArray::from_double({}, {-2.75})},
      {"i4", NpyArray::from_int32({4}, {0, -1, std::numeric_limits<int32_t>::min(),
                                        std::numeric_limits<int32_t>::max()})},
      {"i8", NpyArray::from_int64({1, 3}, {std::numeric_limits<int64_t>::min(), -7,
                                           std::numeric_limits<int64_t>::max()})},
      {"u1", NpyArray::from_uint8({2, 2}, {0, 1, 128, 255})},
      {"u1_empty", NpyArray::from_uint8({0, 3}, {})},
  };
}

TEST(Npy, SerializeMatchesNumpyBytes) {
  // np.save of np.array([[1, -2, 3], [4, 5, 6]], dtype='<i4'), np.float64(0.5), np.zeros(0, 'u1')
  // and np.zeros((0, 100) + (0,) * 12, 'u1').
  EXPECT_EQ(serialize_npy(NpyArray::from_int32({2, 3}, {1, -2, 3, 4, 5, 6})),
            "\x93NUMPY\x01\x00v\x00{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }   "
            "                                                       \x0a\x01\x00\x00\x00\xfe\xff"
            "\xff\xff\x03\x00\x00\x00\x04\x00\x00\x00\x05\x00\x00\x00\x06\x00\x00\x00"s);
  EXPECT_EQ(serialize_npy(NpyArray::from_double({}, {0.5})),
            "\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (), }       "
            "                                                       \x0a\x00\x00\x00\x00\x00\x00"
            "\xe0?"s);
  EXPECT_EQ(serialize_npy(NpyArray::from_uint8({0}, {})),
            "\x93NUMPY\x01\x00v\x00{'descr': '|u1', 'fortran_order': False, 'shape': (0,), }     "
            "                                                       \x0a"s);
  // The spare space numpy leaves after the dict decides the header length here.
  EXPECT_EQ(serialize_npy(NpyArray::from_uint8({0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, {})),
            "\x93NUMPY\x01\x00\xb6\x00{'descr': '|u1', 'fortran_order': False, 'shape': (0, 100, "
            "0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), }                                              "
            "                                      \x0a"s);
}

TEST(Npy, EveryWriterRoundTripsThroughSerialize) {
  for (const auto& [name, a] : one_of_each_writer()) {
    SCOPED_TRACE(name);
    const NpyArray b = parse_npy(serialize_npy(a), "mem.npy", name);
    expect_same(b, a);
    EXPECT_EQ(serialize_npy(a).size() % 64, a.bytes.size() % 64);  // data starts 64-aligned
  }
  const double inf = std::numeric_limits<double>::infinity();
  const auto f8 = parse_npy(serialize_npy(one_of_each_writer()["f8"]), "mem.npy", "f8").to_double();
  ASSERT_EQ(f8.size(), 6u);
  EXPECT_EQ(f8[0], 1.5);
  EXPECT_TRUE(f8[1] == 0.0 && std::signbit(f8[1]));
  EXPECT_EQ(f8[2], 1e-300);
  EXPECT_EQ(f8[3], -inf);
  EXPECT_EQ(f8[4], 4.9e-324);
  EXPECT_EQ(f8[5], 0.1);
  const auto arrays = one_of_each_writer();
  EXPECT_EQ(arrays.at("f8_scalar").to_double(), std::vector<double>{-2.75});
  EXPECT_EQ(arrays.at("i4").to_int64(), (std::vector<int64_t>{0, -1, -2147483648LL, 2147483647LL}));
  EXPECT_EQ(arrays.at("i8").to_int64(),
            (std::vector<int64_t>{std::numeric_limits<int64_t>::min(), -7,
                                  std::numeric_limits<int64_t>::max()}));
  EXPECT_EQ(arrays.at("u1").to_int64(), (std::vector<int64_t>{0, 1, 128, 255}));
  EXPECT_EQ(arrays.at("u1").to_double(), (std::vector<double>{0, 1, 128, 255}));
  EXPECT_EQ(arrays.at("u1_empty").size(), 0u);
  EXPECT_TRUE(arrays.at("u1_empty").to_int64().empty());
}

TEST(Npy, EveryWriterRoundTripsThroughFiles) {
  for (const auto& [name, a] : one_of_each_writer()) {
    SCOPED_TRACE(name);
    const std::string path = tmp_path("roundtrip_" + name + ".npy");
    write_npy(path, a);
    expect_same(read_npy(path), a);
  }
}

TEST(Npy, WritesVersion2WhenTheHeaderNeedsIt) {
  const NpyArray a = NpyArray::from_double(std::vector<size_t>(30000, 1), {3.25});
  const std::string bytes = serialize_npy(a);
  EXPECT_EQ(bytes.substr(6, 2), "\x02\x00"s);
  EXPECT_EQ((bytes.size() - 8) % 64, 0u);
  const NpyArray b = parse_npy(bytes, "mem.npy", "");
  expect_same(b, a);
  EXPECT_EQ(b.to_double(), std::vector<double>{3.25});
}

TEST(Npy, ReadsVersions2And3) {
  const std::string v1 = serialize_npy(NpyArray::from_int64({2}, {-5, 9}));
  for (char major : {'\x02', '\x03'}) {
    const NpyArray a = parse_npy(as_version(v1, major), "mem.npy", "");
    EXPECT_EQ(a.shape, std::vector<size_t>{2});
    EXPECT_EQ(a.to_int64(), (std::vector<int64_t>{-5, 9}));
  }
}

TEST(Npy, AcceptsHeaderVariants) {
  const std::string data = NpyArray::from_int32({6}, {1, 2, 3, 4, 5, 6}).bytes;
  for (const std::string dict : {
           "{'shape': (2, 3), 'fortran_order': False, 'descr': '<i4'}",
           "{\"descr\": \"<i4\", \"fortran_order\": False, \"shape\": (2,3,), }",
           "  {  'descr' :'<i4' ,\n'fortran_order':False,'shape':( 2 , 3 )  ,  }  ",
       }) {
    SCOPED_TRACE(dict);
    const NpyArray a = parse_npy(npy_with_header(dict, data), "mem.npy", "");
    EXPECT_EQ(a.shape, (std::vector<size_t>{2, 3}));
    EXPECT_EQ(a.to_int64(), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  }
}

TEST(Npy, ConvertsEveryDtype) {
  struct Case {
    std::string descr;
    std::string data;
    std::vector<double> as_double;
  };
  const std::vector<Case> cases = {
      {"<f4", "\x00\x00\xc0>\x00\x00\x80\xbf"s, {0.375, -1.0}},
      {"<f8", "\x00\x00\x00\x00\x00\x00\xe0?"s, {0.5}},
      {"|i1", "\xff\x7f\x80"s, {-1, 127, -128}},
      {"<i1", "\xfe"s, {-2}},
      {"<i2", "\x00\x80\xff\x7f"s, {-32768, 32767}},
      {"<i4", "\xff\xff\xff\xff"s, {-1}},
      {"<i8", "\x00\x00\x00\x00\x00\x00\x00\x80"s, {-9223372036854775808.0}},
      {"|u1", "\xff"s, {255}},
      {"=u1", "\x07"s, {7}},
      {">u1", "\x08"s, {8}},
      {"<u2", "\xff\xff"s, {65535}},
      {"<u4", "\xff\xff\xff\xff"s, {4294967295.0}},
      {"<u8", "\xff\xff\xff\xff\xff\xff\xff\x7f"s, {9223372036854775807.0}},
      {"|b1", "\x00\x01"s, {0, 1}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.descr);
    const std::string dict = "{'descr': '" + c.descr + "', 'fortran_order': False, 'shape': (" +
                             std::to_string(c.as_double.size()) + ",), }";
    const NpyArray a = parse_npy(npy_with_header(dict, c.data), "mem.npy", "");
    EXPECT_EQ(a.kind, c.descr[1]);
    EXPECT_EQ(a.itemsize, c.descr[2] - '0');
    EXPECT_EQ(a.to_double(), c.as_double);
    if (a.kind == 'f') continue;
    std::vector<int64_t> as_int(c.as_double.begin(), c.as_double.end());
    if (c.descr == "<i8") as_int = {std::numeric_limits<int64_t>::min()};
    if (c.descr == "<u8") as_int = {std::numeric_limits<int64_t>::max()};
    EXPECT_EQ(a.to_int64(), as_int);
  }
}

TEST(Npy, ContractViolationsAreLogicErrors) {
  EXPECT_THROW(NpyArray::from_double({2, 2}, {1, 2, 3}), std::invalid_argument);
  EXPECT_THROW(NpyArray::from_uint8({}, {}), std::invalid_argument);
  EXPECT_THROW(NpyArray::from_double({1}, {1.0}).to_int64(), std::logic_error);
  NpyArray short_data = NpyArray::from_int32({2}, {1, 2});
  short_data.bytes.pop_back();
  EXPECT_THROW(serialize_npy(short_data), std::logic_error);
  EXPECT_THROW(short_data.to_double(), std::logic_error);
  NpyArray complex = NpyArray::from_int64({1}, {0});
  complex.kind = 'c';
  EXPECT_THROW(serialize_npy(complex), std::logic_error);
  NpyArray big = NpyArray::from_int64({1}, {-1});
  big.kind = 'u';
  EXPECT_THROW(big.to_int64(), std::out_of_range);
  EXPECT_EQ(big.to_double(), std::vector<double>{18446744073709551615.0});
  EXPECT_THROW(serialize_npz({{"", NpyArray::from_uint8({1}, {1})}}), std::invalid_argument);
}

TEST(Npz, EveryWriterRoundTripsThroughFiles) {
  const auto arrays = one_of_each_writer();
  const std::string path = tmp_path("roundtrip.npz");
  write_npz(path, arrays);
  const auto back = read_npz(path);
  ASSERT_EQ(back.size(), arrays.size());
  for (const auto& [name, a] : arrays) {
    SCOPED_TRACE(name);
    ASSERT_EQ(back.count(name), 1u);
    expect_same(back.at(name), a);
  }
  const std::string bytes = read_file_bytes(path);
  EXPECT_EQ(bytes.substr(0, 4), "PK\x03\x04"s);
  EXPECT_EQ(bytes.substr(8, 2), "\x00\x00"s);           // stored
  EXPECT_EQ(bytes.substr(10, 4), "\x00\x00\x21\x00"s);  // 1980-01-01 00:00
  EXPECT_EQ(serialize_npz(arrays), bytes);
}

TEST(Npz, EmptyArchiveRoundTrips) {
  const std::string path = tmp_path("empty.npz");
  write_npz(path, {});
  EXPECT_EQ(read_file_bytes(path), "PK\x05\x06"s + std::string(18, '\0'));
  EXPECT_TRUE(read_npz(path).empty());
}

TEST(Npz, ReadsNumpySavezCompressed) {
  // np.savez_compressed(w=[[1.5, -2.25, 3.0], [0.125, 4.0, -0.5]], idx=int32 [0, 3, 7, -1],
  //                     mask=[True, False, True], scale=np.float32(0.375))
  const auto arrays = read_npz(fixture("compressed_small.npz"));
  ASSERT_EQ(arrays.size(), 4u);
  const NpyArray& w = arrays.at("w");
  EXPECT_EQ(w.shape, (std::vector<size_t>{2, 3}));
  EXPECT_EQ(w.kind, 'f');
  EXPECT_EQ(w.itemsize, 8);
  EXPECT_EQ(w.to_double(), (std::vector<double>{1.5, -2.25, 3.0, 0.125, 4.0, -0.5}));
  const NpyArray& idx = arrays.at("idx");
  EXPECT_EQ(idx.shape, std::vector<size_t>{4});
  EXPECT_EQ(idx.kind, 'i');
  EXPECT_EQ(idx.itemsize, 4);
  EXPECT_EQ(idx.to_int64(), (std::vector<int64_t>{0, 3, 7, -1}));
  const NpyArray& mask = arrays.at("mask");
  EXPECT_EQ(mask.kind, 'b');
  EXPECT_EQ(mask.to_int64(), (std::vector<int64_t>{1, 0, 1}));
  const NpyArray& scale = arrays.at("scale");
  EXPECT_TRUE(scale.shape.empty());
  EXPECT_EQ(scale.kind, 'f');
  EXPECT_EQ(scale.itemsize, 4);
  EXPECT_EQ(scale.to_double(), std::vector<double>{0.375});
}

TEST(Npz, ReadsNumpySavezStored) {
  // np.savez(bias=[0.25, -1.0, 1e-3], ids=int64 [[1, -2], [2**40, -2**40]],
  //          u=uint8 [0, 200, 255], h=uint16 [65236, 65535])
  const auto arrays = read_npz(fixture("stored_small.npz"));
  ASSERT_EQ(arrays.size(), 4u);
  EXPECT_EQ(arrays.at("bias").to_double(), (std::vector<double>{0.25, -1.0, 1e-3}));
  const NpyArray& ids = arrays.at("ids");
  EXPECT_EQ(ids.shape, (std::vector<size_t>{2, 2}));
  EXPECT_EQ(ids.itemsize, 8);
  EXPECT_EQ(ids.to_int64(), (std::vector<int64_t>{1, -2, 1LL << 40, -(1LL << 40)}));
  const NpyArray& u = arrays.at("u");
  EXPECT_EQ(u.kind, 'u');
  EXPECT_EQ(u.itemsize, 1);
  EXPECT_EQ(u.to_int64(), (std::vector<int64_t>{0, 200, 255}));
  const NpyArray& h = arrays.at("h");
  EXPECT_EQ(h.itemsize, 2);
  EXPECT_EQ(h.to_int64(), (std::vector<int64_t>{65236, 65535}));
  // Our writer's member bytes equal numpy's.
  EXPECT_EQ(serialize_npy(u), serialize_npy(NpyArray::from_uint8({3}, {0, 200, 255})));
}

const std::string kGoodDict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
const std::string kSixDoubles(48, '\0');

TEST(NpyErrors, BadMagic) {
  expect_parse_error("PK\x03\x04 not numpy", {"no .npy magic ('PK\\x03\\x04"});
  expect_parse_error("", {"no .npy magic", "allowed: a .npy file starting with \\x93NUMPY"});
}

TEST(NpyErrors, UnsupportedVersion) {
  std::string bytes = npy_with_header(kGoodDict, kSixDoubles);
  bytes[6] = 4;
  expect_parse_error(bytes, {"format version 4.0", "allowed: format version 1.0, 2.0 or 3.0"});
  bytes[6] = 1;
  bytes[7] = 1;
  expect_parse_error(bytes, {"format version 1.1"});
}

TEST(NpyErrors, TruncatedHeader) {
  const std::string bytes = npy_with_header(kGoodDict, kSixDoubles);
  expect_parse_error(bytes.substr(0, 40), {"got a truncated header (30 of 118 header bytes)"});
  expect_parse_error(bytes.substr(0, 9), {"got a truncated header (9 bytes)"});
  expect_parse_error(as_version(bytes, 2).substr(0, 11), {"got a truncated header (11 bytes)"});
}

TEST(NpyErrors, TruncatedData) {
  const std::string bytes = npy_with_header(kGoodDict, kSixDoubles.substr(0, 8));
  expect_parse_error(bytes, {"got a truncated array (8 of 48 data bytes)"});
  const std::string path = tmp_path("truncated_data.npy");
  write_file_atomic(path, bytes);
  expect_input_error([&] { read_npy(path); }, {path + ": got a truncated array (8 of 48"});
}

TEST(NpyErrors, TrailingBytes) {
  expect_parse_error(npy_with_header(kGoodDict, kSixDoubles + "xyz"),
                     {"got 3 bytes after the 48 data bytes"});
}

TEST(NpyErrors, UnknownDescr) {
  for (const std::string descr : {"<c16", "|O", "<U5", "|S3", "<f2", "<i3", "<b2", "f8", ""}) {
    SCOPED_TRACE(descr);
    expect_parse_error(
        npy_with_header("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (), }", ""),
        {"weight_ih_l0: descr: got '" + descr + "'", "allowed: a numeric dtype: <f4 <f8"});
  }
  expect_parse_error(
      npy_with_header("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (), }", ""),
      {"descr: got '[('a', '<f8')]", "allowed: a numeric dtype"});
}

TEST(NpyErrors, BigEndianF8) {
  expect_parse_error(
      npy_with_header("{'descr': '>f8', 'fortran_order': False, 'shape': (2, 3), }", kSixDoubles),
      {"descr: got '>f8' (big-endian)", "allowed: a numeric dtype"});
  expect_parse_error(
      npy_with_header("{'descr': '|i4', 'fortran_order': False, 'shape': (1,), }", "abcd"),
      {"descr: got '|i4' (no explicit byte order)"});
}

TEST(NpyErrors, FortranOrder) {
  expect_parse_error(
      npy_with_header("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", kSixDoubles),
      {"fortran_order: got True (Fortran order); allowed: False (C order)"});
  expect_parse_error(
      npy_with_header("{'descr': '<f8', 'fortran_order': 0, 'shape': (2, 3), }", kSixDoubles),
      {"fortran_order: got '0, 'shape'", "allowed: False"});
}

TEST(NpyErrors, MalformedShape) {
  for (const std::string shape :
       {"(3, -1)", "(5)", "[2, 3]", "(2 3)", "(", "(1.5,)", "(2,,)", "(,)", "6", "(2, 3"}) {
    SCOPED_TRACE(shape);
    expect_parse_error(
        npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + "}",
                        kSixDoubles),
        {"weight_ih_l0: shape: got '", "allowed: a tuple of non-negative integers"});
  }
}

TEST(NpyErrors, AbsurdShape) {
  // 2^31 * 2^31 elements of 8 bytes: 2^65 bytes.
  expect_parse_error(
      npy_with_header(
          "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483648, 2147483648), }", ""),
      {"shape: got (2147483648, 2147483648) of <f8 (2^63 bytes or more)"});
  // The overflow is caught even behind a zero dimension.
  expect_parse_error(
      npy_with_header("{'descr': '|u1', 'fortran_order': False, 'shape': (0, 4294967296, "
                      "4294967296), }",
                      ""),
      {"shape: got (0, 4294967296, 4294967296) of |u1"});
  expect_parse_error(
      npy_with_header("{'descr': '|u1', 'fortran_order': False, 'shape': "
                      "(99999999999999999999999999,), }",
                      ""),
      {"shape: got dimension 99999999999999999999999999; allowed: dimensions below 2^63"});
  // A large but representable size must still be backed by data.
  expect_parse_error(
      npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }",
                      kSixDoubles),
      {"got a truncated array (48 of 8000000000000 data bytes)"});
}

TEST(NpyErrors, BadHeaderDict) {
  expect_parse_error(npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), "
                                     "'extra': 1}",
                                     kSixDoubles),
                     {"header: got unknown key 'extra'", "allowed: the keys 'descr'"});
  expect_parse_error(npy_with_header("{'descr': '<f8', 'shape': (2, 3)}", kSixDoubles),
                     {"header: got no key 'fortran_order'"});
  expect_parse_error(
      npy_with_header("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}",
                      kSixDoubles),
      {"header: got key 'descr' twice"});
  expect_parse_error(npy_with_header("{'descr': '<f8' 'fortran_order': False}", kSixDoubles),
                     {"header: got ''fortran_order': False}' at header byte 16"});
  expect_parse_error(npy_with_header(kGoodDict + " x", kSixDoubles),
                     {"header: got 'x' at header byte"});
  expect_parse_error(npy_with_header("[1, 2]", ""), {"header: got '[1, 2]"});
  expect_parse_error(npy_with_header("{'descr\\n': 1}", ""), {"header: got '"});
  expect_parse_error(npy_with_header("{'descr': '<f8", ""), {"descr: got '"});
}

TEST(NpyErrors, MissingFile) {
  const std::string path = tmp_path("does_not_exist.npy");
  expect_input_error([&] { read_npy(path); }, {path, "a file that does not exist"});
  expect_input_error([&] { read_npz(path + ".npz"); },
                     {path + ".npz", "a file that does not exist"});
}

// Fuzz-like: every prefix and many random corruptions give a value or an InputError.
TEST(NpyErrors, TruncationsAndCorruptionsAreInputErrors) {
  const std::string good = npy_with_header(kGoodDict, kSixDoubles);
  for (size_t n = 0; n < good.size(); ++n)
    EXPECT_THROW(parse_npy(good.substr(0, n), "f.npy", ""), InputError) << n;
  std::mt19937 rng(12345);
  for (int i = 0; i < 20000; ++i) {
    std::string bad = good;
    const int flips = 1 + rng() % 3;
    for (int k = 0; k < flips; ++k) bad[rng() % 128] = static_cast<char>(rng());
    try {
      const NpyArray a = parse_npy(bad, "f.npy", "");
      EXPECT_EQ(a.bytes.size(), a.size() * a.itemsize);
    } catch (const InputError&) {
    }
  }
}

TEST(NpzErrors, NotAZip) {
  const std::string path = tmp_path("not_a_zip.npz");
  write_file_atomic(path, "this is not a zip archive");
  expect_input_error([&] { read_npz(path); },
                     {path + ": got no readable zip archive (Not a zip archive)",
                      "allowed: a .npz (zip) archive"});
  write_file_atomic(path, serialize_npy(NpyArray::from_uint8({1}, {1})));
  expect_input_error([&] { read_npz(path); }, {path + ": got no readable zip archive"});
  write_file_atomic(path, "");
  expect_input_error([&] { read_npz(path); }, {path + ": got an empty file"});
}

TEST(NpzErrors, MemberWithoutNpySuffix) {
  const std::string path = tmp_path("readme.npz");
  write_file_atomic(path, stored_zip({{"readme.txt", "hello"}}));
  expect_input_error([&] { read_npz(path); },
                     {path + ": member 'readme.txt': got a name without the .npy suffix"});
  write_file_atomic(path, stored_zip({{".npy", serialize_npy(NpyArray::from_uint8({}, {1}))}}));
  expect_input_error([&] { read_npz(path); }, {path + ": member '.npy': got a name without"});
}

TEST(NpzErrors, DuplicateMember) {
  const std::string npy = serialize_npy(NpyArray::from_uint8({}, {1}));
  expect_input_error(
      [&] {
        parse_npz(stored_zip({{"a.npy", npy}, {"a.npy", npy}}), "dup.npz");
      },
      {"dup.npz"});
}

TEST(NpzErrors, MemberWithTruncatedArray) {
  const std::string npy = serialize_npy(NpyArray::from_double({3}, {1, 2, 3}));
  const std::string path = tmp_path("truncated_member.npz");
  write_file_atomic(path, stored_zip({{"ok.npy", npy}, {"w.npy", npy.substr(0, npy.size() - 10)}}));
  expect_input_error([&] { read_npz(path); },
                     {path + ": w: got a truncated array (14 of 24 data bytes)"});
}

TEST(NpzErrors, CorruptedDeflatedMember) {
  std::string bytes = read_file_bytes(fixture("compressed_small.npz"));
  ASSERT_EQ(bytes.substr(30, 5), "w.npy");  // first local header
  const size_t extra_len = static_cast<unsigned char>(bytes[28]);
  bytes[30 + 5 + extra_len + 20] ^= 0x55;
  const std::string path = tmp_path("corrupted_member.npz");
  write_file_atomic(path, bytes);
  expect_input_error([&] { read_npz(path); },
                     {path + ": w: got a corrupted member (", "allowed: an intact"});
}

TEST(NpzErrors, CutArchive) {
  const std::string bytes = read_file_bytes(fixture("stored_small.npz"));
  const std::string path = tmp_path("cut.npz");
  write_file_atomic(path, bytes.substr(0, bytes.size() / 2));
  expect_input_error([&] { read_npz(path); }, {path + ": got no readable zip archive"});
}

TEST(NpzErrors, LyingMemberSize) {
  const std::string npy = serialize_npy(NpyArray::from_double({3}, {1, 2, 3}));
  expect_input_error(
      [&] {
        parse_npz(stored_zip({{"w.npy", npy, 100}}), "lie.npz");
      },
      {"lie.npz: w: got a member longer than its declared 100 bytes"});
  expect_input_error(
      [&] {
        parse_npz(stored_zip({{"w.npy", npy, 0xfffffff0}}), "lie.npz");
      },
      {"lie.npz: w: got a corrupted member (Zip archive inconsistent)"});
  expect_input_error(
      [&] {
        parse_npz(stored_zip({{"w.npy", npy, uint64_t{5} << 30}}), "lie.npz");
      },
      {"lie.npz: w: got a member of 5368709120 bytes; allowed: members of at most "
       "4294967296 bytes"});

  // A deflated member that inflates to less than declared: the fixture's first member (with
  // numpy's zip64 extra field) declared as 1000 bytes instead of 176.
  std::string bytes = read_file_bytes(fixture("compressed_small.npz"));
  ASSERT_EQ(bytes.substr(30, 5), "w.npy");
  ASSERT_EQ(bytes.substr(35, 2), "\x01\x00"s);
  const size_t central = bytes.find("PK\x01\x02");
  ASSERT_NE(central, std::string::npos);
  for (const size_t offset : {size_t{22}, size_t{35 + 4}, central + 24})
    bytes.replace(offset, 4, "\xe8\x03\x00\x00"s);
  expect_input_error([&] { parse_npz(bytes, "lie.npz"); },
                     {"lie.npz: w: got a truncated member (176 of 1000 bytes)"});
}

TEST(NpzErrors, TruncationsAndCorruptionsAreInputErrors) {
  for (const std::string name : {"stored_small.npz", "compressed_small.npz"}) {
    SCOPED_TRACE(name);
    const std::string good = read_file_bytes(fixture(name));
    for (size_t n = 0; n < good.size(); ++n)
      EXPECT_THROW(parse_npz(good.substr(0, n), name), InputError) << n;
    std::mt19937 rng(777);
    for (int i = 0; i < 3000; ++i) {
      std::string bad = good;
      bad[rng() % bad.size()] = static_cast<char>(rng());
      try {
        for (const auto& [key, a] : parse_npz(bad, name))
          EXPECT_EQ(a.bytes.size(), a.size() * a.itemsize) << key;
      } catch (const InputError&) {
      }
    }
  }
}

// A reader that names what it wants reads only that: an ignored member is never inflated or
// parsed (here it would not even parse), and a wanted one larger than the bound is refused
// before it is inflated.
TEST(NpzWant, ReadsOnlyTheWantedMembersWithinTheBound) {
  const std::string npy = serialize_npy(NpyArray::from_double({3}, {1, 2, 3}));
  const std::string bytes =
      stored_zip({{"w.npy", npy}, {"junk.npy", "not an npy file at all", uint64_t{5} << 30}});
  EXPECT_THROW(parse_npz(bytes, "bomb.npz"), InputError);
  const NpzWant want{{"w"}, npy_bytes_bound(3)};
  const auto arrays = parse_npz(bytes, "bomb.npz", &want);
  ASSERT_EQ(arrays.size(), 1u);
  EXPECT_EQ(arrays.at("w").to_double(), (std::vector<double>{1, 2, 3}));
  const NpzWant tight{{"w"}, npy.size() - 1};
  expect_input_error([&] { parse_npz(bytes, "bomb.npz", &tight); },
                     {"bomb.npz: w: got a member of " + std::to_string(npy.size()) +
                      " bytes; allowed: at most " + std::to_string(npy.size() - 1)});
  // Ignored members are still named as the format requires.
  EXPECT_THROW(parse_npz(stored_zip({{"w.npy", npy}, {"notes.txt", "x"}}), "n.npz", &want),
               InputError);
}

}  // namespace
}  // namespace sparrow
