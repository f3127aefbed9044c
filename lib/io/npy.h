// NumPy .npy and .npz files. The readers take untrusted input: every malformed file is an
// InputError naming the file and the array, and memory stays in proportion to the input (a
// compressed .npz member: to what it really inflates to, at most kMaxNpzMemberBytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace sparrow {

// One array of a .npy file: C order, little-endian, numeric dtype.
struct NpyArray {
  std::vector<size_t> shape;
  char kind = 'f';    // 'f' float, 'i' signed int, 'u' unsigned int, 'b' bool
  int itemsize = 8;   // bytes per element: f 4|8, i/u 1|2|4|8, b 1
  std::string bytes;  // raw little-endian element data, size() * itemsize bytes

  size_t size() const;  // product of shape (1 for a 0-d array)
  // The conversions and serialize_npy throw std::logic_error for an array breaking the contract
  // above. Bools become 0 or 1.
  std::vector<double> to_double() const;
  // Integer and bool dtypes only (check kind first); a '<u8' value above INT64_MAX throws
  // std::out_of_range.
  std::vector<int64_t> to_int64() const;

  // The product of shape must equal v.size() (else std::invalid_argument).
  static NpyArray from_double(std::vector<size_t> shape, const std::vector<double>& v);  // <f8
  static NpyArray from_int32(std::vector<size_t> shape, const std::vector<int32_t>& v);  // <i4
  static NpyArray from_int64(std::vector<size_t> shape, const std::vector<int64_t>& v);  // <i8
  static NpyArray from_uint8(std::vector<size_t> shape, const std::vector<uint8_t>& v);  // |u1
};

inline constexpr uint64_t kMaxNpzMemberBytes = uint64_t{4} << 30;

// The largest .npy file of `elements` elements of at most 8 bytes each, its header included.
inline uint64_t npy_bytes_bound(size_t elements) {
  return uint64_t(elements) * 8 + 65536;
}

// Parses a whole .npy file; `file` and `field` (may be empty) name it in errors.
NpyArray parse_npy(const std::string& bytes, const std::string& file, const std::string& field);
// Byte for byte what numpy.save writes: format 1.0, or 2.0 if the header needs it.
std::string serialize_npy(const NpyArray& a);
// At most `max_bytes` are read (a larger file is an InputError).
NpyArray read_npy(const std::string& path, uint64_t max_bytes = kMaxNpzMemberBytes);
void write_npy(const std::string& path, const NpyArray& a);  // atomic

// Keys are member names without the ".npy" suffix. Reads stored and deflated members
// (numpy.savez and numpy.savez_compressed); every member must be "<key>.npy".
// `want`, if given: only the members of these keys are read (the others are only named, so an
// ignored member costs nothing however far it inflates; no keys: every member), each at most
// max_member_bytes uncompressed.
struct NpzWant {
  std::set<std::string> keys;
  uint64_t max_member_bytes = kMaxNpzMemberBytes;
};
std::map<std::string, NpyArray> parse_npz(const std::string& bytes, const std::string& file,
                                          const NpzWant* want = nullptr);
std::map<std::string, NpyArray> read_npz(const std::string& path, const NpzWant* want = nullptr);
// Members stored uncompressed with a fixed timestamp, so equal input gives equal bytes. Keys must
// be non-empty (else std::invalid_argument).
std::string serialize_npz(const std::map<std::string, NpyArray>& arrays);
void write_npz(const std::string& path, const std::map<std::string, NpyArray>& arrays);  // atomic

}  // namespace sparrow
